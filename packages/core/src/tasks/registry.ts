import { CodebatchError } from '../errors/codebatch-error';
import { TASK_CATALOG, TASK_TYPES, type TaskType } from './catalog';
import { type AnyTaskDefinition, prepareGrammars, TASK_IMPLEMENTATIONS } from './implementations';

export type { TaskType } from './catalog';

/**
 * Every task implementation, loaded now (tests, in-process tools). The runner uses the lazy
 * default registry instead, which loads only what executes.
 */
export const TASK_DEFINITIONS = Object.fromEntries(
  TASK_TYPES.map((type) => [type, TASK_IMPLEMENTATIONS[type]()]),
) as Record<TaskType, AnyTaskDefinition>;

export function isTaskType(type: string): type is TaskType {
  return Object.hasOwn(TASK_CATALOG, type);
}

/** @throws CodebatchError E_TASK_NOT_FOUND for an unknown type, listing the known ones. */
export function getTaskDefinition(type: string): AnyTaskDefinition {
  if (!isTaskType(type)) {
    throw new CodebatchError('E_TASK_NOT_FOUND', `unknown task type "${type}"`, {
      hints: [`Known task types: ${TASK_TYPES.join(', ')}.`],
      details: { type },
    });
  }
  return TASK_DEFINITIONS[type];
}

/**
 * Asynchronous set-up the synchronous `runFile`s depend on; without it, Python files fail
 * with an InternalError instead of being parsed.
 */
export const prepareTasks = prepareGrammars;
