import type { CodebatchExecutorOptions } from '../shared/options';

/** Options of `@codebatch/nx:run` (see schema.json; defaults in RUN_DEFAULTS). */
export type RunExecutorSchema = CodebatchExecutorOptions;
