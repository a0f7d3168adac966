import { CodebatchError } from '../errors/codebatch-error';
import { analyzeTask } from './analyze/analyze-task';
import { TASK_CATALOG, type TaskType } from './catalog';
import { eslintTask } from './eslint/eslint-task';
import { lintTask } from './lint/lint-task';
import { parseTask } from './parse/parse-task';
import { preparePythonParser } from './shared/python-tree';
import { symbolsTask } from './symbols/symbols-task';
import type { TaskDefinition } from './task-definition';

export type { TaskType } from './catalog';

/** Every task type the engine can run, by type (a plan's `01_parse` is an instance of `parse`). */
// Heterogeneous configs: each definition validates its own config, so callers hold `any`.
// biome-ignore lint/suspicious/noExplicitAny: config types differ per task
export const TASK_DEFINITIONS: Record<TaskType, TaskDefinition<any>> = {
  parse: parseTask,
  analyze: analyzeTask,
  symbols: symbolsTask,
  lint: lintTask,
  eslint: eslintTask,
};

export function isTaskType(type: string): type is TaskType {
  return Object.hasOwn(TASK_CATALOG, type);
}

/** @throws CodebatchError E_TASK_NOT_FOUND for an unknown type, listing the known ones. */
// biome-ignore lint/suspicious/noExplicitAny: see TASK_DEFINITIONS
export function getTaskDefinition(type: string): TaskDefinition<any> {
  if (!isTaskType(type)) {
    throw new CodebatchError('E_TASK_NOT_FOUND', `unknown task type "${type}"`, {
      hints: [`Known task types: ${Object.keys(TASK_CATALOG).join(', ')}.`],
      details: { type },
    });
  }
  return TASK_DEFINITIONS[type];
}

/**
 * Asynchronous set-up the synchronous `runFile`s depend on (the tree-sitter wasm runtime and
 * the Python grammar). The runner awaits it once per process or worker thread before running
 * any task; it is idempotent, so awaiting it again is cheap. Without it, Python files fail
 * with an InternalError instead of being parsed.
 */
export async function prepareTasks(): Promise<void> {
  await preparePythonParser();
}
