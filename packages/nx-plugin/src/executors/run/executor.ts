import { createBatchImplementation, createExecutor } from '../shared/executor-factory';
import { RUN_DEFAULTS } from '../shared/options';

export type { RunExecutorSchema } from './schema';

/** `@codebatch/nx:run`: any pipeline, or one task (codebatch-parse, -analyze, -symbols, -eslint). */
const runExecutor = createExecutor(RUN_DEFAULTS);
export default runExecutor;

/** A run-many of these targets, all projects in one process (Nx 24 prefers it; else `--batch`). */
export const batchImplementation = createBatchImplementation(RUN_DEFAULTS);
