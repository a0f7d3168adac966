import type { CodebatchExecutorOptions } from '../shared/options';

/** Options of `@codebatch/nx:lint` (see schema.json; defaults in LINT_DEFAULTS). */
export type LintExecutorSchema = Omit<CodebatchExecutorOptions, 'task'>;
