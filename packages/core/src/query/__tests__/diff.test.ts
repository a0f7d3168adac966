import fs from 'node:fs';
import type { FixtureOutput } from '../../test-support/build-batch-fixture';
import { makeTempDir } from '../../test-support/temp-dir';
import { sha256Hex } from '../../util/hash';
import { diffBatches, findImprovements, findRegressions } from '../diff/diff-batches';
import { normalizeLine } from '../diff/line-fingerprint';
import { buildSampleBatch, SAMPLE_FILES, sampleTasks } from './sample-batch';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

/** Shifts every positioned output of `path` down by `n` lines (what inserting lines above does). */
function shift(outputs: FixtureOutput[], path: string, n: number): FixtureOutput[] {
  return outputs.map((o) => (o.path === path && typeof o.line === 'number' ? { ...o, line: o.line + n } : o));
}

function withFile(path: string, content: string) {
  return SAMPLE_FILES.map((f) => (f.path === path ? { ...f, content } : f));
}

describe('diffBatches', () => {
  it('finds nothing between two runs of the same input (envelope fields ignored)', () => {
    buildSampleBatch(tmp.dir, { batchId: 'base' });
    const { store } = buildSampleBatch(tmp.dir, { batchId: 'head', snapshotId: 's2' });
    const diff = diffBatches(store, 'base', 'head');
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 21 });
    expect(Object.keys(diff.counts_by_kind)).toEqual(['ast', 'diagnostic', 'edge', 'metric', 'symbol']);
  });

  it('a blank line inserted at the top gives zero regressions and zero improvements', () => {
    buildSampleBatch(tmp.dir, { batchId: 'base' });
    const a = SAMPLE_FILES.find((f) => f.path === 'src/a.ts')!;
    const tasks = sampleTasks();
    for (const t of Object.keys(tasks)) tasks[t] = shift(tasks[t]!, 'src/a.ts', 1);
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'head',
      snapshotId: 's2',
      files: withFile('src/a.ts', `\n${a.content}`),
      tasks,
    });
    expect(findRegressions(store, 'base', 'head').total).toBe(0);
    expect(findImprovements(store, 'base', 'head').total).toBe(0);
    const diff = diffBatches(store, 'base', 'head');
    expect(diff.counts).toMatchObject({ added: 0, removed: 0, changed: 0 });
  });

  it('a diagnostic whose severity rose is a regression, and one whose severity fell an improvement', () => {
    buildSampleBatch(tmp.dir, { batchId: 'base' });
    const tasks = sampleTasks();
    const lint = tasks['04_lint']!;
    const [raised, lowered] = lint.filter((o) => o.kind === 'diagnostic' && o.severity === 'warning');
    expect(raised && lowered).toBeTruthy();
    tasks['04_lint'] = lint.map((o) =>
      o === raised ? { ...o, severity: 'error' } : o === lowered ? { ...o, severity: 'info' } : o,
    );
    const { store } = buildSampleBatch(tmp.dir, { batchId: 'head', snapshotId: 's2', tasks });
    const regressions = findRegressions(store, 'base', 'head');
    expect(regressions.total).toBe(1);
    expect(regressions.severity_changes).toBe(1);
    expect(regressions.records[0]).toMatchObject({
      path: raised!.path,
      code: raised!.code,
      severity: 'error',
    });
    // An `error` threshold keeps the raised one (now an error) and drops the lowered one (a
    // warning in base).
    expect(findRegressions(store, 'base', 'head', { severity: 'error' }).total).toBe(1);
    const improvements = findImprovements(store, 'base', 'head');
    expect(improvements.total).toBe(1);
    expect(improvements.records[0]).toMatchObject({
      path: lowered!.path,
      code: lowered!.code,
      severity: 'warning',
    });
    expect(findImprovements(store, 'base', 'head', { severity: 'error' }).total).toBe(0);
    // Same key, new content: the plain diff still calls both `changed`.
    expect(diffBatches(store, 'base', 'head', { kind: 'diagnostic' }).counts.changed).toBe(2);
  });

  it('a moved diagnostic with a new message is changed, not added and removed', () => {
    buildSampleBatch(tmp.dir, { batchId: 'base' });
    const a = SAMPLE_FILES.find((f) => f.path === 'src/a.ts')!;
    const tasks = sampleTasks();
    tasks['04_lint'] = shift(tasks['04_lint']!, 'src/a.ts', 2).map((o) =>
      o.code === 'L001' ? { ...o, message: 'trailing whitespace (2 spaces)' } : o,
    );
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'head',
      snapshotId: 's2',
      files: withFile('src/a.ts', `// header\n\n${a.content}`),
      tasks,
    });
    const diff = diffBatches(store, 'base', 'head', { kind: 'diagnostic' });
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 4 });
    expect(diff.changed[0]?.base).toMatchObject({ line: 5, message: 'trailing whitespace' });
    expect(diff.changed[0]?.head).toMatchObject({ line: 7, message: 'trailing whitespace (2 spaces)' });
  });

  it('never matches two different imports to each other', () => {
    // base flags `import { x }` on line 1. head deleted that line, so line 1 is now
    // `import { y }`, flagged with the same code at the same line and column: matching by line
    // number (the reference) would call this unchanged; it is one fix and one new finding.
    const others = (tasks: Record<string, FixtureOutput[]>) =>
      tasks['04_lint']!.filter((o) => o.path !== 'src/a.ts');
    const unused = (name: string) => ({
      path: 'src/a.ts',
      kind: 'diagnostic' as const,
      severity: 'warning',
      code: 'L101',
      message: `unused import '${name}'`,
      line: 1,
      col: 10,
    });
    const trailing = (line: number) => ({
      path: 'src/a.ts',
      kind: 'diagnostic' as const,
      severity: 'info',
      code: 'L001',
      message: 'trailing whitespace',
      line,
      col: 12,
    });
    const base = sampleTasks();
    base['04_lint'] = [unused('x'), trailing(5), ...others(base)];
    buildSampleBatch(tmp.dir, { batchId: 'base', tasks: base });
    const a = SAMPLE_FILES.find((f) => f.path === 'src/a.ts')!;
    const head = sampleTasks();
    head['04_lint'] = [unused('y'), trailing(4), ...others(head)];
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'head',
      snapshotId: 's2',
      files: withFile('src/a.ts', a.content.split('\n').slice(1).join('\n')),
      tasks: head,
    });
    expect(findRegressions(store, 'base', 'head').records.map((r) => r.message)).toEqual([
      "unused import 'y'",
    ]);
    expect(findImprovements(store, 'base', 'head').records.map((r) => r.message)).toEqual([
      "unused import 'x'",
    ]);
    expect(diffBatches(store, 'base', 'head', { kind: 'diagnostic' }).counts).toEqual({
      added: 1,
      removed: 1,
      changed: 0,
      unchanged: 3,
    });
  });

  it('keys metrics by name and compares their values', () => {
    buildSampleBatch(tmp.dir, { batchId: 'base' });
    const tasks = sampleTasks();
    tasks['02_analyze'] = tasks['02_analyze']!.map((o) =>
      o.path === 'src/c.ts' && o.metric === 'loc' ? { ...o, value: 4 } : o,
    );
    const { store } = buildSampleBatch(tmp.dir, { batchId: 'head', snapshotId: 's2', tasks });
    const diff = diffBatches(store, 'base', 'head', { kind: 'metric' });
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 7 });
    expect(diff.changed[0]?.base).toMatchObject({ path: 'src/c.ts', metric: 'loc', value: 3 });
    expect(diff.changed[0]?.head).toMatchObject({ path: 'src/c.ts', metric: 'loc', value: 4 });
  });

  it('an AST kept in its record equals the object of the same bytes, and differs from other bytes', () => {
    const text = '{"format":"codebatch.ast","root":[0,1,1,1,1]}';
    const base = sampleTasks();
    base['01_parse'] = base['01_parse']!.map((o) =>
      o.path === 'src/c.ts' ? { ...o, object: `sha256:${sha256Hex(text)}` } : o,
    );
    buildSampleBatch(tmp.dir, { batchId: 'base', tasks: base });
    const head = sampleTasks();
    head['01_parse'] = head['01_parse']!.map((o) => {
      if (o.path !== 'src/c.ts' && o.path !== 'src/a.ts') return o;
      const { object: _object, ...rest } = o;
      return { ...rest, inline: o.path === 'src/c.ts' ? text : `${text} ` };
    });
    const { store } = buildSampleBatch(tmp.dir, { batchId: 'head', snapshotId: 's2', tasks: head });
    const diff = diffBatches(store, 'base', 'head', { kind: 'ast' });
    expect(diff.changed.map((c) => c.head.path)).toEqual(['src/a.ts']);
    expect(diff.counts.changed).toBe(1);
    expect(diff.counts.unchanged).toBe(base['01_parse']!.length - 1);
  });

  it('keys every edge separately', () => {
    buildSampleBatch(tmp.dir, { batchId: 'base' });
    const tasks = sampleTasks();
    tasks['03_symbols'] = tasks['03_symbols']!.map((o) => (o.target === './x' ? { ...o, target: './z' } : o));
    const { store } = buildSampleBatch(tmp.dir, { batchId: 'head', snapshotId: 's2', tasks });
    const diff = diffBatches(store, 'base', 'head', { kind: 'edge' });
    expect(diff.counts).toEqual({ added: 1, removed: 1, changed: 0, unchanged: 2 });
    expect(diff.added.map((r) => r.target)).toEqual(['./z']);
    expect(diff.removed.map((r) => r.target)).toEqual(['./x']);
  });

  it('keeps identical findings apart by occurrence and honours a severity threshold', () => {
    const files = withFile('src/c.ts', 'log(1);\nlog(1);\n');
    const lint = (lines: number[]) =>
      lines.map((line) => ({
        path: 'src/c.ts',
        kind: 'diagnostic' as const,
        severity: 'warning',
        code: 'W9',
        message: 'log',
        line,
        col: 1,
      }));
    buildSampleBatch(tmp.dir, { batchId: 'base', files, tasks: { '04_lint': lint([1]) } });
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'head',
      snapshotId: 's2',
      files,
      tasks: { '04_lint': lint([1, 2]) },
    });
    expect(findRegressions(store, 'base', 'head').records.map((r) => r.line)).toEqual([2]);
    expect(findRegressions(store, 'base', 'head', { severity: 'error' }).total).toBe(0);
    expect(findRegressions(store, 'base', 'head', { severity: 'warning' }).total).toBe(1);
  });

  it('regressions read no file whose bytes and findings are both unchanged, and still find a new finding in an unchanged file', () => {
    const { store: baseStore } = buildSampleBatch(tmp.dir, { batchId: 'base' });
    const aObject = (snapshot: string) =>
      JSON.parse(
        fs
          .readFileSync(baseStore.layout.filesIndexFile(snapshot), 'utf8')
          .split('\n')
          .find((l: string) => l.includes('"src/a.ts"')),
      ).object.slice('sha256:'.length) as string;
    const tasks = sampleTasks();
    // README.md keeps its bytes and gains a finding (a rule's config changed, say); src/b.py
    // keeps its findings as records but the flagged line's text changes (a new finding, keyed by
    // that text); src/a.ts changes in neither.
    tasks['04_lint'] = [
      ...tasks['04_lint']!,
      {
        path: 'README.md',
        kind: 'diagnostic',
        severity: 'warning',
        code: 'L002',
        message: 'long',
        line: 1,
        col: 1,
      },
    ];
    const b = SAMPLE_FILES.find((f) => f.path === 'src/b.py')!;
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'head',
      snapshotId: 's2',
      files: withFile('src/b.py', b.content.replace('import os\n', 'import os as o\n')),
      tasks,
    });
    const read = jest.spyOn(store.objects, 'readObject');
    try {
      const regressions = findRegressions(store, 'base', 'head');
      expect(read.mock.calls.map(([hex]) => hex)).not.toContain(aObject('s1'));
      expect(regressions.records.map((r) => [r.path, r.code])).toEqual([
        ['README.md', 'L002'],
        ['src/b.py', 'L101'],
      ]);
      expect(findImprovements(store, 'base', 'head').records.map((r) => [r.path, r.code])).toEqual([
        ['src/b.py', 'L101'],
      ]);
      read.mockClear();
      const added = diffBatches(store, 'base', 'head', { kind: 'diagnostic' }).added;
      expect(regressions.records).toEqual(added);
      // The full diff, which counts unchanged records, reads it.
      expect(read.mock.calls.map(([hex]) => hex)).toContain(aObject('s1'));
    } finally {
      read.mockRestore();
    }
  });

  it('rejects a task in neither batch and a missing batch', () => {
    buildSampleBatch(tmp.dir, { batchId: 'base' });
    const { store } = buildSampleBatch(tmp.dir, { batchId: 'head' });
    expect(() => diffBatches(store, 'base', 'head', { task: '09_x' })).toThrow(
      expect.objectContaining({ code: 'E_TASK_NOT_FOUND' }),
    );
    expect(() => diffBatches(store, 'base', 'nope')).toThrow(
      expect.objectContaining({ code: 'E_BATCH_NOT_FOUND' }),
    );
  });
});

describe('normalizeLine', () => {
  it('trims and collapses whitespace', () => {
    expect(normalizeLine('\t  return   a +\tb;  \r')).toBe('return a + b;');
  });
});
