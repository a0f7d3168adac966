import { getTaskDefinition, prepareTasks, TASK_DEFINITIONS } from './registry';
import type { TaskRegistry } from './task-registry';

/** The built-in tasks (parse, analyze, symbols, lint). */
export function createDefaultRegistry(): TaskRegistry {
  return {
    get: (type) => getTaskDefinition(type),
    types: () => Object.keys(TASK_DEFINITIONS).sort(),
    prepare: () => prepareTasks(),
  };
}
