import { createBatchImplementation, createExecutor } from '../shared/executor-factory';
import { RUN_DEFAULTS } from '../shared/options';

export type { RunExecutorSchema } from './schema';

/** `@codebatch/nx:run`: any pipeline, or one task (codebatch-parse, -analyze, -symbols, -eslint). */
const runExecutor = createExecutor(RUN_DEFAULTS);
export default runExecutor;

/** `nx run-many --batch`: all projects in one process. */
export const batchImplementation = createBatchImplementation(RUN_DEFAULTS);
