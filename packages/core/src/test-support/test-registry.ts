import { z } from 'zod';
import { CodebatchError } from '../errors/codebatch-error';
import type { TaskOutput } from '../schemas/output-record';
import type { TaskDefinition } from '../tasks/task-definition';
import type { TaskRegistry } from '../tasks/task-registry';

/**
 * Small, fully predictable tasks for engine tests, so runner behaviour (skip, reuse, block,
 * retry) is tested independently of the real parsers. Behaviour switches are file contents:
 * a file containing `FAIL_PARSE` makes `parse` throw an infrastructure error, `FAIL_SHARD` makes `lint` throw an infrastructure error (shard fails);
 * `CRASH` makes it throw a plain Error (recorded as a per-file crash diagnostic).
 */
const parse: TaskDefinition<{ store_text: boolean }> = {
  type: 'parse',
  version: 'test-1',
  description: 'test parse: stores each text file as an "ast" object',
  kindsOut: ['ast'],
  configSchema: z.strictObject({ store_text: z.boolean().default(true) }),
  runFile(file, ctx) {
    if (!file.isText) return [];
    if (file.text().includes('FAIL_PARSE'))
      throw new CodebatchError('E_TASK_FAILED', `cannot parse ${file.path}`);
    const ref = ctx.storeOutput('ast', 'json', JSON.stringify({ lines: file.text().split('\n').length }));
    ctx.memo.set(`lines:${file.object}`, file.text().split('\n'));
    return [{ path: file.path, kind: 'ast', ...ref }];
  },
};

const analyze: TaskDefinition<Record<string, never>> = {
  type: 'analyze',
  version: 'test-1',
  description: 'test analyze: bytes and loc',
  kindsOut: ['metric'],
  configSchema: z.strictObject({}),
  runFile(file) {
    if (file.upstream('01_parse').length === 0) return [];
    const loc = file
      .text()
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    return [
      { path: file.path, kind: 'metric', metric: 'bytes', value: file.size },
      { path: file.path, kind: 'metric', metric: 'loc', value: loc },
    ];
  },
};

const symbols: TaskDefinition<Record<string, never>> = {
  type: 'symbols',
  version: 'test-1',
  description: 'test symbols: `function name` declarations',
  kindsOut: ['symbol'],
  configSchema: z.strictObject({}),
  runFile(file) {
    if (!file.isText) return [];
    const out: TaskOutput[] = [];
    file
      .text()
      .split('\n')
      .forEach((line, i) => {
        const m = /function (\w+)/.exec(line);
        if (m)
          out.push({
            path: file.path,
            kind: 'symbol',
            name: m[1]!,
            symbol_type: 'function',
            line: i + 1,
            col: m.index + 1,
            scope: '<module>',
          });
      });
    return out;
  },
};

const lint: TaskDefinition<{ word: string }> = {
  type: 'lint',
  version: 'test-1',
  description: 'test lint: flags lines containing a word',
  kindsOut: ['diagnostic'],
  configSchema: z.strictObject({ word: z.string().default('BAD') }),
  runFile(file, ctx) {
    if (!file.isText) return [];
    const text = file.text();
    if (text.includes('FAIL_SHARD')) throw new CodebatchError('E_TASK_FAILED', `refusing ${file.path}`);
    if (text.includes('CRASH')) throw new Error('boom');
    const lines = (ctx.memo.get(`lines:${file.object}`) as string[] | undefined) ?? text.split('\n');
    const out: TaskOutput[] = [];
    lines.forEach((line, i) => {
      const col = line.indexOf(ctx.config.word);
      if (col >= 0)
        out.push({
          path: file.path,
          kind: 'diagnostic',
          severity: 'warning',
          code: 'T001',
          message: `found ${ctx.config.word}`,
          line: i + 1,
          col: col + 1,
        });
    });
    return out;
  },
};

const DEFINITIONS: Record<string, TaskDefinition<never>> = { parse, analyze, symbols, lint } as never;

export function createTestRegistry(
  overrides: Partial<Record<string, TaskDefinition<never>>> = {},
): TaskRegistry {
  const defs = { ...DEFINITIONS, ...overrides } as Record<string, TaskDefinition<unknown>>;
  return {
    get(type) {
      const def = defs[type];
      if (!def) throw new CodebatchError('E_TASK_NOT_FOUND', `no task type ${type}`);
      return def;
    },
    types: () => Object.keys(defs).sort(),
    prepare: async () => {},
  };
}
