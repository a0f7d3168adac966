import { CodebatchError } from '../errors/codebatch-error';
import { analyzeMeta } from './analyze/analyze-meta';
import { lintMeta } from './lint/lint-meta';
import { parseMeta } from './parse/parse-meta';
import { symbolsMeta } from './symbols/symbols-meta';
import type { TaskDefinition, TaskMeta } from './task-definition';
import type { TaskRegistry } from './task-registry';

const META: Record<string, TaskMeta<unknown>> = {
  analyze: analyzeMeta as TaskMeta<unknown>,
  lint: lintMeta as TaskMeta<unknown>,
  parse: parseMeta as TaskMeta<unknown>,
  symbols: symbolsMeta as TaskMeta<unknown>,
};

type Implementations = typeof import('./registry');

/**
 * The built-in tasks (parse, analyze, symbols, lint). Implementations, which pull in the
 * TypeScript compiler (about 0.3 s to load) and tree-sitter, are loaded on the first
 * `runFile` or `prepare`: planning a batch, queries and fully reused runs never pay for them.
 */
export function createDefaultRegistry(): TaskRegistry {
  let impl: Implementations | undefined;
  const load = (): Implementations => {
    impl ??= require('./registry') as Implementations;
    return impl;
  };
  const cache = new Map<string, TaskDefinition<unknown>>();
  return {
    get(type) {
      const meta = META[type];
      if (!meta) {
        throw new CodebatchError('E_TASK_NOT_FOUND', `unknown task type ${JSON.stringify(type)}`, {
          hints: [`Known task types: ${Object.keys(META).join(', ')}.`],
        });
      }
      let def = cache.get(type);
      if (!def) {
        def = { ...meta, runFile: (file, ctx) => load().getTaskDefinition(type).runFile(file, ctx) };
        cache.set(type, def);
      }
      return def;
    },
    types: () => Object.keys(META).sort(),
    prepare: () => load().prepareTasks(),
  };
}
