import type { Diagnostic } from './diagnostics';
import { buildSummaryMarkdown, escapeCell, JOB_SUMMARY_MAX_BYTES } from './summary';

const d = (i: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  path: `src/f${i % 13}.ts`,
  line: i + 1,
  col: 1,
  severity: i % 3 === 0 ? 'error' : 'warning',
  code: `rule-${i % 5}`,
  message: `problem number ${i} | with a pipe and <html>`,
  task_id: 'lint',
  ...extra,
});

const counts = (list: Diagnostic[]) => ({
  error: list.filter((x) => x.severity === 'error').length,
  warning: list.filter((x) => x.severity === 'warning').length,
  info: 0,
  hint: 0,
});

test('a small summary has counts, new problems, rules and top files', () => {
  const all = [d(0), d(1), d(2)];
  const md = buildSummaryMarkdown({
    title: 'codebatch: full',
    batchId: 'b1',
    baseBatchId: 'b0',
    counts: counts(all),
    diagnostics: all,
    newProblems: [d(0)],
    pathPrefix: 'pkg',
    notes: ['a note'],
  });
  expect(md).toContain('## codebatch: full');
  expect(md).toContain('compared with base batch `b0`');
  expect(md).toContain('| 🔴 error | 1 | 1 |');
  expect(md).toContain('### New problems (1)');
  expect(md).toContain('`pkg/src/f0.ts:1:1`');
  expect(md).toContain('problem number 0 \\| with a pipe and &lt;html&gt;');
  expect(md).toContain('### By rule');
  expect(md).toContain('### Top files');
  expect(md).toContain('> a note');
});

test('no new problems says so', () => {
  expect(
    buildSummaryMarkdown({ title: 't', counts: counts([]), diagnostics: [], newProblems: [] }),
  ).toContain('No new problems.');
});

test('a huge batch stays within the limit and says how many rows were left out', () => {
  const all = Array.from({ length: 40000 }, (_, i) => d(i, { message: `${'long message '.repeat(5)}${i}` }));
  const md = buildSummaryMarkdown({ title: 't', counts: counts(all), diagnostics: all, newProblems: all });
  expect(Buffer.byteLength(md)).toBeLessThanOrEqual(JOB_SUMMARY_MAX_BYTES);
  expect(md).toMatch(/_\d+ more rows not shown \(summary size limit\); see the SARIF file\._/);
  expect(md).toContain('| 🔴 error |');

  const small = buildSummaryMarkdown(
    { title: 't', counts: counts(all), diagnostics: all, newProblems: all },
    65535,
  );
  expect(Buffer.byteLength(small)).toBeLessThanOrEqual(65535);
  expect(small).toContain('more rows not shown');
});

test('table cells cannot break the table', () => {
  expect(escapeCell('a|b\nc<d>&')).toBe('a\\|b c&lt;d&gt;&amp;');
});
