import {
  batchAnnotations,
  repoPath,
  selectForAnnotation,
  severityToLevel,
  toCheckAnnotation,
  truncateBytes,
  truncateChars,
} from './annotations';
import { parseUnifiedDiff } from './changed-lines';
import type { Diagnostic } from './diagnostics';

const d = (extra: Partial<Diagnostic> = {}): Diagnostic => ({
  path: 'src/a.ts',
  line: 3,
  col: 5,
  severity: 'error',
  code: 'no-unused',
  message: 'x is unused',
  task_id: 'lint',
  ...extra,
});

test('severity maps to notice | warning | failure', () => {
  expect(
    ['error', 'warning', 'info', 'hint', undefined].map((s) => severityToLevel(s as Diagnostic['severity'])),
  ).toEqual(['failure', 'warning', 'notice', 'notice', 'warning']);
});

test('a single-line diagnostic keeps its columns', () => {
  expect(toCheckAnnotation(d({ end_line: 3, end_col: 9 }))).toEqual({
    path: 'src/a.ts',
    start_line: 3,
    end_line: 3,
    start_column: 5,
    end_column: 9,
    annotation_level: 'failure',
    message: 'x is unused',
    title: 'no-unused (lint)',
  });
});

test('a multi-line diagnostic has no columns; an end column before the start is lifted', () => {
  const multi = toCheckAnnotation(d({ end_line: 6, end_col: 2 }));
  expect(multi).toMatchObject({ start_line: 3, end_line: 6 });
  expect(multi).not.toHaveProperty('start_column');
  expect(multi).not.toHaveProperty('end_column');
  expect(toCheckAnnotation(d({ end_col: 2 }))).toMatchObject({ start_column: 5, end_column: 5 });
});

test('missing positions and messages get safe values; end_line before line is clamped', () => {
  const a = toCheckAnnotation({ path: 'x.py', task_id: 'parse' });
  expect(a).toEqual({
    path: 'x.py',
    start_line: 1,
    end_line: 1,
    annotation_level: 'warning',
    message: 'problem reported by codebatch',
    title: 'parse',
  });
  expect(toCheckAnnotation(d({ line: 9, end_line: 2, col: undefined }))).toMatchObject({
    start_line: 9,
    end_line: 9,
  });
  expect(toCheckAnnotation(d({ message: '  ' })).message).toBe('no-unused');
});

test('paths become repository paths under the working directory', () => {
  expect(toCheckAnnotation(d(), 'packages/app').path).toBe('packages/app/src/a.ts');
  expect(repoPath('', './b.ts')).toBe('b.ts');
  expect(repoPath('apps\\web', 'src\\c.ts')).toBe('apps/web/src/c.ts');
});

test('message and title are cut to the API limits without splitting characters', () => {
  const long = toCheckAnnotation(d({ message: 'é'.repeat(40000), code: 'r'.repeat(300) }));
  expect(Buffer.byteLength(long.message)).toBeLessThanOrEqual(64 * 1024);
  expect(long.message.endsWith(' [truncated]')).toBe(true);
  expect(long.message).not.toContain('\uFFFD');
  expect(long.title!.length).toBe(255);
  expect(truncateBytes('short', 10)).toBe('short');
  expect(truncateChars('😀😀😀', 4)).toBe('😀…');
});

test('batches of at most 50; always one (maybe empty) batch for the create request', () => {
  const annotations = Array.from({ length: 120 }, (_, i) => toCheckAnnotation(d({ line: i + 1 })));
  expect(batchAnnotations(annotations).map((b) => b.length)).toEqual([50, 50, 20]);
  expect(batchAnnotations(annotations.slice(0, 50)).map((b) => b.length)).toEqual([50]);
  expect(batchAnnotations([])).toEqual([[]]);
  expect(() => batchAnnotations(annotations, 51)).toThrow(RangeError);
});

describe('selectForAnnotation', () => {
  const old = d({ path: 'src/old.ts', line: 1, severity: 'warning' });
  const fresh = d({ path: 'src/a.ts', line: 3 });
  const freshElsewhere = d({ path: 'src/a.ts', line: 40 });
  const all = [old, fresh, freshElsewhere];
  const diff = parseUnifiedDiff('+++ b/pkg/src/a.ts\n@@ -2,0 +3,1 @@\n+changed\n');

  test('new: only what the base batch did not have, most severe first', () => {
    expect(
      selectForAnnotation({
        mode: 'new',
        all,
        added: [freshElsewhere, fresh],
        changedLines: undefined,
        pathPrefix: '',
      }).diagnostics,
    ).toEqual([fresh, freshElsewhere]);
  });
  test('new without a base batch: everything, and says so', () => {
    const s = selectForAnnotation({
      mode: 'new',
      all,
      added: undefined,
      changedLines: undefined,
      pathPrefix: '',
    });
    expect(s.diagnostics).toHaveLength(3);
    expect(s.note).toMatch(/no base batch/);
  });
  test('changed-lines: new diagnostics on changed lines, matched by repository path', () => {
    const s = selectForAnnotation({
      mode: 'changed-lines',
      all,
      added: [fresh, freshElsewhere],
      changedLines: diff,
      pathPrefix: 'pkg',
    });
    expect(s.diagnostics).toEqual([fresh]);
  });
  test('changed-lines without a diff falls back to new', () => {
    const s = selectForAnnotation({
      mode: 'changed-lines',
      all,
      added: [fresh],
      changedLines: undefined,
      pathPrefix: '',
    });
    expect(s.diagnostics).toEqual([fresh]);
    expect(s.note).toMatch(/unknown/);
  });
  test('all and none', () => {
    expect(
      selectForAnnotation({ mode: 'all', all, added: [], changedLines: undefined, pathPrefix: '' })
        .diagnostics,
    ).toHaveLength(3);
    expect(
      selectForAnnotation({ mode: 'none', all, added: all, changedLines: undefined, pathPrefix: '' })
        .diagnostics,
    ).toEqual([]);
  });
});

test("an ESLint finding is annotated with its rule id and the rule's docs in the details", () => {
  const eslint = d({
    code: '@typescript-eslint/no-explicit-any',
    task_id: '05_eslint',
    message: 'Unexpected any. Specify a different type.',
    docs_url: 'https://typescript-eslint.io/rules/no-explicit-any',
  });
  expect(toCheckAnnotation(eslint, 'web')).toMatchObject({
    path: 'web/src/a.ts',
    annotation_level: 'failure',
    title: '@typescript-eslint/no-explicit-any (05_eslint)',
    message: 'Unexpected any. Specify a different type.',
    raw_details: '@typescript-eslint/no-explicit-any: https://typescript-eslint.io/rules/no-explicit-any',
  });
  expect(toCheckAnnotation(d())).not.toHaveProperty('raw_details');
});

test('ESLint findings are new-only like the others: only those added since the base are annotated', () => {
  const old = d({ code: 'no-unused-vars', task_id: '05_eslint', line: 1 });
  const added = d({ code: 'no-undef', task_id: '05_eslint', line: 9 });
  const selection = selectForAnnotation({
    mode: 'new',
    all: [old, added],
    added: [added],
    changedLines: undefined,
    pathPrefix: '',
  });
  expect(selection.diagnostics).toEqual([added]);
});
