import type { TaskOutput } from '../../../schemas/output-record';
import { runTaskOnSource } from '../../../test-support/run-task-on-source';

function metrics(outputs: TaskOutput[]): Record<string, number | string | undefined> {
  return Object.fromEntries(outputs.map((o) => [o.metric, o.value]));
}

describe('02_analyze code metrics for TS/JS', () => {
  it('counts decision points per function and for the file', async () => {
    const src = [
      "import a from 'a';",
      "const b = require('b');",
      'export function classify(n: number) {', // 1
      '  if (n < 0) return "neg";', // +1 if
      '  else if (n === 0) return "zero";', // +1 else-if
      '  for (const d of [1, 2]) { while (n > d && n < 100) n--; }', // +1 for-of +1 while +1 &&
      '  switch (n) { case 1: return "one"; case 2: return "two"; default: return "many"; }', // +2 cases
      '}',
      'export class K {',
      '  m(x?: string) { try { return x ?? (x ? "a" : "b"); } catch { return ""; } }', // 1 + ?? + ?: + catch = 4
      '}',
      'const lazy = () => import("c");',
      'export const top = a || b;', // module-level decision
      '',
    ].join('\n');
    expect(metrics(await runTaskOnSource('analyze', 'm.ts', src))).toMatchObject({
      complexity: 1 + 7 + 3 + 1,
      max_complexity: 8,
      function_count: 3,
      class_count: 1,
      import_count: 3,
      lang: 'typescript',
    });
  });

  it('measures nested functions on their own', async () => {
    const src = 'function outer(a) {\n  if (a) {}\n  return () => { if (a) {} if (!a) {} };\n}\n';
    expect(metrics(await runTaskOnSource('analyze', 'm.js', src))).toMatchObject({
      complexity: 4,
      max_complexity: 3,
      function_count: 2,
    });
  });

  it('reports 1 / 0 for a file without branches or functions', async () => {
    expect(metrics(await runTaskOnSource('analyze', 'm.js', 'export const x = 1;\n'))).toMatchObject({
      complexity: 1,
      max_complexity: 0,
      function_count: 0,
      class_count: 0,
      import_count: 0,
    });
  });
});
