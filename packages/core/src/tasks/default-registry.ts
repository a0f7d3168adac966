import { CodebatchError } from '../errors/codebatch-error';
import { TASK_CATALOG, TASK_TYPES, type TaskType } from './catalog';
import type { TaskDefinition, TaskMeta } from './task-definition';
import type { TaskRegistry } from './task-registry';

type Implementations = typeof import('./registry');

/**
 * Each type's implementation module, loaded on its first use only: the ESLint task never loads
 * the TypeScript-compiler-based tasks, and they never load anything of ESLint's.
 */
const IMPLEMENTATIONS: Record<TaskType, () => TaskDefinition<unknown>> = {
  parse: () => (require('./parse/parse-task') as typeof import('./parse/parse-task')).parseTask as never,
  analyze: () =>
    (require('./analyze/analyze-task') as typeof import('./analyze/analyze-task')).analyzeTask as never,
  symbols: () =>
    (require('./symbols/symbols-task') as typeof import('./symbols/symbols-task')).symbolsTask as never,
  lint: () => (require('./lint/lint-task') as typeof import('./lint/lint-task')).lintTask as never,
  eslint: () =>
    (require('./eslint/eslint-task') as typeof import('./eslint/eslint-task')).eslintTask as never,
};

/** Types whose synchronous `runFile` needs the tree-sitter runtime prepared first. */
const NEEDS_GRAMMARS: readonly TaskType[] = ['parse', 'analyze', 'symbols', 'lint'];

/**
 * The built-in tasks of the catalog. Implementations, which pull in the TypeScript compiler
 * (about 0.3 s to load), tree-sitter or the workspace's ESLint, are loaded on the first
 * `runFile` or `prepare`: planning a batch, queries and fully reused runs never pay for them.
 */
export function createDefaultRegistry(): TaskRegistry {
  let registryModule: Implementations | undefined;
  const load = (): Implementations => {
    registryModule ??= require('./registry') as Implementations;
    return registryModule;
  };
  const cache = new Map<string, TaskDefinition<unknown>>();
  return {
    get(type) {
      if (!Object.hasOwn(TASK_CATALOG, type)) {
        throw new CodebatchError('E_TASK_NOT_FOUND', `unknown task type ${JSON.stringify(type)}`, {
          hints: [`Known task types: ${TASK_TYPES.join(', ')}.`],
        });
      }
      const meta = TASK_CATALOG[type as keyof typeof TASK_CATALOG].meta as TaskMeta<unknown>;
      let def = cache.get(type);
      if (!def) {
        let definition: TaskDefinition<unknown> | undefined;
        const real = () => {
          definition ??= IMPLEMENTATIONS[type as TaskType]();
          return definition;
        };
        def = {
          ...meta,
          runFile: (file, ctx) => real().runFile(file, ctx),
          ...(meta.batched
            ? {
                fileKeys: (files, ctx) => real().fileKeys!(files, ctx),
                runFiles: (files, ctx) => real().runFiles!(files, ctx),
              }
            : {}),
        };
        cache.set(type, def);
      }
      return def;
    },
    types: () => [...TASK_TYPES].sort(),
    prepare: async (types) => {
      if (!types || types.some((t) => NEEDS_GRAMMARS.includes(t as TaskType))) await load().prepareTasks();
    },
  };
}
