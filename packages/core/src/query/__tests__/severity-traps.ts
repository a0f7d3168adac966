import { parseJsonl } from '../../store/jsonl';
import type { TaskDefinition } from '../../tasks/task-definition';
import { createTestRegistry } from '../../test-support/test-registry';
import { countRecords } from '../diagnostic-counts';

/**
 * Test support for per-shard diagnostic counts (shared by the query, run and api tests): a lint
 * task whose records set the traps a substring counter could fall into, and the count a full
 * parse gives. A file holding `ERR` gets an error; every file gets a warning, a diagnostic
 * without a severity (reports as a warning, counted apart), a hint whose message quotes
 * `"severity":"error"`, a warning with a nested `kind`/`severity`, and a metric whose nested
 * data looks like an error diagnostic.
 */
const trapLint = {
  ...(createTestRegistry().get('lint') as object),
  runFile(file: { path: string; isText: boolean; text(): string }) {
    if (!file.isText) return [];
    const path = file.path;
    return [
      ...(file.text().includes('ERR')
        ? [
            {
              path,
              kind: 'diagnostic',
              severity: 'error',
              code: 'E1',
              line: 1,
              related: { severity: 'warning' },
            },
          ]
        : []),
      { path, kind: 'diagnostic', severity: 'warning', code: 'W1', line: 1 },
      { path, kind: 'diagnostic', code: 'N1', message: 'no severity: reports as a warning' },
      { path, kind: 'diagnostic', severity: 'hint', code: 'H1', message: 'says "severity":"error"' },
      {
        path,
        kind: 'diagnostic',
        severity: 'warning',
        code: 'W2',
        fix: { kind: 'diagnostic', severity: 'error' },
      },
      { path, kind: 'metric', metric: 'm', value: 1, data: { kind: 'diagnostic', severity: 'error' } },
    ];
  },
} as unknown as TaskDefinition<never>;

export function trapRegistry() {
  return createTestRegistry({ lint: trapLint });
}

/** Sixteen files, three holding `ERR`: across 8 shards, some shards have errors and some none. */
export const TRAP_SOURCES: Record<string, string> = Object.fromEntries(
  Array.from({ length: 16 }, (_, i) => [
    `f${i}.ts`,
    i % 5 === 1 ? `const x${i} = ERR;\n` : `const x${i} = ${i};\n`,
  ]),
);

/** The counts of an index by parsing every line. */
export function fullCount(bytes: Buffer) {
  return countRecords(parseJsonl<Record<string, unknown>>(bytes.toString('utf8'), 'index', 'strict').records);
}
