import { createBatchImplementation, createExecutor } from '../shared/executor-factory';
import { LINT_DEFAULTS } from '../shared/options';

export type { LintExecutorSchema } from './schema';

/** `@codebatch/nx:lint`: the codebatch-lint target. */
const lintExecutor = createExecutor(LINT_DEFAULTS);
export default lintExecutor;

/** A run-many of codebatch-lint, all projects in one process (Nx 24 prefers it; else `--batch`). */
export const batchImplementation = createBatchImplementation(LINT_DEFAULTS);
