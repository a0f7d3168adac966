import { CodebatchError } from '../errors/codebatch-error';
import { TASK_CATALOG, TASK_TYPES, type TaskType } from './catalog';
import { prepareGrammars, TASK_IMPLEMENTATIONS } from './implementations';
import type { TaskDefinition, TaskMeta } from './task-definition';
import type { TaskRegistry } from './task-registry';

/**
 * The built-in tasks of the catalog. Implementations, which pull in the TypeScript compiler
 * (about 0.3 s to load), tree-sitter or the workspace's ESLint, are loaded on the first
 * `runFile` or `prepare`: planning a batch, queries and fully reused runs never pay for them.
 */
export function createDefaultRegistry(): TaskRegistry {
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
          definition ??= TASK_IMPLEMENTATIONS[type as TaskType]();
          return definition;
        };
        def = {
          ...meta,
          runFile: (file, ctx) => real().runFile(file, ctx),
          warmUp: () => real().warmUp?.(),
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
      const needs = (t: string) =>
        (TASK_CATALOG[t as TaskType] as { grammars?: boolean } | undefined)?.grammars;
      if (!types || types.some(needs)) await prepareGrammars();
    },
    preload(types) {
      // A require: loading a type twice (here, then on its first file) costs a cache lookup.
      for (const t of types)
        if (Object.hasOwn(TASK_IMPLEMENTATIONS, t)) TASK_IMPLEMENTATIONS[t as TaskType]();
    },
  };
}
