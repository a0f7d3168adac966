/**
 * @codebatch/nx: inferred, cacheable codebatch targets for every Nx project, plus the
 * `lint` and `run` executors and the `init` generator (see executors.json, generators.json).
 */
import { createNodes as inference } from './plugin/create-nodes';

/** Nx 22+ reads `createNodes`. */
export const createNodes = inference;
/** Nx 21 reads only `createNodesV2`: the same tuple. */
export const createNodesV2 = inference;

export type { LintExecutorSchema } from './executors/lint/schema';
export type { RunExecutorSchema } from './executors/run/schema';
export type { InitGeneratorSchema } from './generators/init/schema';
export type { CodebatchPluginOptions } from './plugin/options';
