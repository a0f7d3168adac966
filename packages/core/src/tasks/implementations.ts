import type { TaskType } from './catalog';
import type { TaskDefinition } from './task-definition';

/**
 * Each catalog type's implementation module, loaded on first use only: the ESLint task never
 * loads the TypeScript-compiler-based tasks, and they never load anything of ESLint's. The one
 * list of implementations: the eager registry (registry.ts) and the lazy one both read it.
 */
// biome-ignore lint/suspicious/noExplicitAny: config types differ per task; each validates its own
export type AnyTaskDefinition = TaskDefinition<any>;

export const TASK_IMPLEMENTATIONS: Record<TaskType, () => AnyTaskDefinition> = {
  parse: () => (require('./parse/parse-task') as typeof import('./parse/parse-task')).parseTask,
  analyze: () => (require('./analyze/analyze-task') as typeof import('./analyze/analyze-task')).analyzeTask,
  symbols: () => (require('./symbols/symbols-task') as typeof import('./symbols/symbols-task')).symbolsTask,
  lint: () => (require('./lint/lint-task') as typeof import('./lint/lint-task')).lintTask,
  eslint: () => (require('./eslint/eslint-task') as typeof import('./eslint/eslint-task')).eslintTask,
};

/**
 * Asynchronous set-up the synchronous `runFile`s of the catalog's `grammars` tasks depend on
 * (the tree-sitter wasm runtime and the Python grammar), once per process or worker; idempotent.
 */
export async function prepareGrammars(): Promise<void> {
  await (require('./shared/python-tree') as typeof import('./shared/python-tree')).preparePythonParser();
}
