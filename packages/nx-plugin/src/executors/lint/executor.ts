import { createBatchImplementation, createExecutor } from '../shared/executor-factory';
import { LINT_DEFAULTS } from '../shared/options';

export type { LintExecutorSchema } from './schema';

/** `@codebatch/nx:lint`: the codebatch-lint target. */
const lintExecutor = createExecutor(LINT_DEFAULTS);
export default lintExecutor;

/** `nx run-many -t codebatch-lint --batch`: all projects in one process. */
export const batchImplementation = createBatchImplementation(LINT_DEFAULTS);
