import crypto from 'node:crypto';
import fs from 'node:fs';
import type { CodebatchError } from '../../errors/codebatch-error';
import { pathShardOracle } from '../../test-support/path-hash-oracle';
import { makeTempDir } from '../../test-support/temp-dir';
import { countOutputs } from '../count-outputs';
import { inspectFile } from '../inspect-file';
import { queryDiagnostics } from '../query-diagnostics';
import { queryErrors } from '../query-errors';
import { queryFiles, queryTop } from '../query-files';
import { queryOutputs } from '../query-outputs';
import { queryStats } from '../query-stats';
import { buildSampleBatch, SAMPLE_FILES, sampleTasks } from './sample-batch';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as CodebatchError).code;
  }
  return undefined;
}

describe('query outputs', () => {
  it('filters by task, kind, exact path and glob, in canonical order', () => {
    const { store } = buildSampleBatch(tmp.dir);
    expect(queryOutputs(store, 'b1').total).toBe(4 + 8 + 4 + 5);
    const symbols = queryOutputs(store, 'b1', { task: '03_symbols', kind: 'symbol' });
    expect(symbols.records.map((r) => r.name)).toEqual(['f']);
    const edges = queryOutputs(store, 'b1', { kind: 'edge' });
    expect(edges.records.map((r) => `${r.path}:${r.target}`)).toEqual([
      'src/a.ts:./x',
      'src/a.ts:./y',
      'src/b.py:os',
    ]);
    expect(queryOutputs(store, 'b1', { path: 'src/b.py' }).records.every((r) => r.path === 'src/b.py')).toBe(
      true,
    );
    expect(new Set(queryOutputs(store, 'b1', { path: 'src/*.ts' }).records.map((r) => r.path))).toEqual(
      new Set(['src/a.ts', 'src/c.ts']),
    );
    expect(queryOutputs(store, 'b1', { path: '**/*.md', kind: 'metric' }).total).toBe(2);
  });

  it('a --path glob with many stars against long paths answers at once; !(...) is a usage error', () => {
    const long = 'a'.repeat(60);
    const files = [{ path: `src/${long}.ts`, lang: 'typescript', content: 'x\n' }];
    const tasks = { '01_parse': [{ path: `src/${long}.ts`, kind: 'ast' as const, format: 'json' }] };
    const { store } = buildSampleBatch(tmp.dir, { files, tasks });
    const started = Date.now();
    expect(queryOutputs(store, 'b1', { path: `src/${'*a'.repeat(8)}*b` }).total).toBe(0);
    expect(queryOutputs(store, 'b1', { path: `src/${'*a'.repeat(8)}*.ts` }).total).toBe(1);
    // Synchronous: the jest timeout could not stop it, so the time is asserted.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(codeOf(() => queryOutputs(store, 'b1', { path: 'src/!(a).ts' }))).toBe('E_USAGE');
  }, 5000);

  it('applies --limit after ordering and keeps the total', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const all = queryOutputs(store, 'b1', { kind: 'diagnostic' });
    const limited = queryOutputs(store, 'b1', { kind: 'diagnostic', limit: 2 });
    expect(limited.total).toBe(5);
    expect(limited.records).toEqual(all.records.slice(0, 2));
    expect(all.records.map((r) => `${r.path}:${r.line}`)).toEqual([
      'README.md:1',
      'src/a.ts:1',
      'src/a.ts:2',
      'src/a.ts:5',
      'src/b.py:1',
    ]);
  });

  it('rejects an unknown kind, task or batch instead of answering []', () => {
    const { store } = buildSampleBatch(tmp.dir);
    expect(codeOf(() => queryOutputs(store, 'b1', { kind: 'diagnostics' }))).toBe('E_USAGE');
    expect(codeOf(() => queryOutputs(store, 'b1', { task: '05_nope' }))).toBe('E_TASK_NOT_FOUND');
    expect(codeOf(() => queryOutputs(store, 'nope'))).toBe('E_BATCH_NOT_FOUND');
    expect(codeOf(() => queryOutputs(store, '../b1'))).toBe('E_INVALID_ID');
  });

  it('ignores outputs of shards that are not done', () => {
    const probe = buildSampleBatch(tmp.dir, { batchId: 'probe' });
    const shard = probe.shardOfPath('src/b.py');
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'b2',
      shards: { '04_lint': { [shard]: { status: 'running' } } },
    });
    const paths = queryDiagnostics(store, 'b2').records.map((r) => r.path);
    expect(paths).not.toContain('src/b.py');
  });

  it('reports a truncated index line as E_INDEX_CORRUPT with file and line', () => {
    const probe = buildSampleBatch(tmp.dir, { batchId: 'probe' });
    const shard = probe.shardOfPath('src/a.ts');
    const raw = `${JSON.stringify({ path: 'src/a.ts', kind: 'metric', task_id: '02_analyze' })}\n{"path":"src/a.ts","ki`;
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'b2',
      shards: { '02_analyze': { [shard]: { status: 'done', rawOutputs: raw } } },
    });
    let error: CodebatchError | undefined;
    try {
      queryOutputs(store, 'b2');
    } catch (e) {
      error = e as CodebatchError;
    }
    expect(error?.code).toBe('E_INDEX_CORRUPT');
    expect(error?.message).toContain(`02_analyze/shards/${shard}/outputs.index.jsonl:2`);
  });
});

describe('query diagnostics', () => {
  it('filters by severity, code, path and task', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const all = queryDiagnostics(store, 'b1');
    expect(all.total).toBe(5);
    expect(all.by_severity).toEqual({ error: 1, warning: 2, info: 2, hint: 0 });
    expect(queryDiagnostics(store, 'b1', { severity: 'warning' }).records.map((r) => r.line)).toEqual([1, 2]);
    expect(queryDiagnostics(store, 'b1', { code: 'L101' }).total).toBe(3);
    expect(queryDiagnostics(store, 'b1', { code: 'L101', path: 'src/*.py' }).records[0]?.message).toBe(
      "unused import 'os'",
    );
    expect(queryDiagnostics(store, 'b1', { task: '03_symbols' }).total).toBe(0);
    expect(codeOf(() => queryDiagnostics(store, 'b1', { severity: 'fatal' }))).toBe('E_USAGE');
  });
});

describe('query stats', () => {
  it('groups by kind, severity, code, lang and task', () => {
    const { store } = buildSampleBatch(tmp.dir);
    expect(queryStats(store, 'b1').groups).toEqual([
      { key: 'metric', count: 8 },
      { key: 'diagnostic', count: 5 },
      { key: 'ast', count: 4 },
      { key: 'edge', count: 3 },
      { key: 'symbol', count: 1 },
    ]);
    expect(queryStats(store, 'b1', { groupBy: 'severity' })).toMatchObject({
      total: 5,
      groups: [
        { key: 'info', count: 2 },
        { key: 'warning', count: 2 },
        { key: 'error', count: 1 },
      ],
    });
    expect(queryStats(store, 'b1', { groupBy: 'code' }).groups).toEqual([
      { key: 'L101', count: 3 },
      { key: 'L001', count: 1 },
      { key: 'L003', count: 1 },
    ]);
    expect(queryStats(store, 'b1', { groupBy: 'lang', kind: 'diagnostic' }).groups).toEqual([
      { key: 'typescript', count: 3 },
      { key: 'python', count: 1 },
      { key: 'unknown', count: 1 },
    ]);
    expect(queryStats(store, 'b1', { groupBy: 'task', task: '03_symbols' }).groups).toEqual([
      { key: '03_symbols', count: 4 },
    ]);
    expect(queryStats(store, 'b1', { task: '03_symbols', kind: 'edge' }).total).toBe(3);
  });

  it('rejects severity grouping of non-diagnostics and unknown groupings', () => {
    const { store } = buildSampleBatch(tmp.dir);
    expect(codeOf(() => queryStats(store, 'b1', { groupBy: 'severity', kind: 'metric' }))).toBe('E_USAGE');
    expect(codeOf(() => queryStats(store, 'b1', { groupBy: 'colour' }))).toBe('E_USAGE');
  });
});

describe('countOutputs', () => {
  it('counts only kind=diagnostic records as diagnostics', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const counts = countOutputs(store, 'b1');
    expect(counts.total).toBe(21);
    expect(counts.by_kind).toEqual({ ast: 4, diagnostic: 5, edge: 3, metric: 8, symbol: 1 });
    expect(counts.diagnostics).toBe(5);
    expect(counts.by_severity).toEqual({ error: 1, warning: 2, info: 2, hint: 0 });
    expect(counts.by_task['02_analyze']).toMatchObject({
      total: 8,
      diagnostics: 0,
      by_severity: { error: 0, warning: 0, info: 0, hint: 0 },
    });
  });

  it('reports zero diagnostics for a batch without any', () => {
    const tasks = buildSampleTasksWithoutLint();
    const { store } = buildSampleBatch(tmp.dir, { tasks });
    const counts = countOutputs(store, 'b1');
    expect(counts.diagnostics).toBe(0);
    expect(counts.total).toBe(16);
  });
});

function buildSampleTasksWithoutLint() {
  const tasks = sampleTasks();
  delete tasks['04_lint'];
  return tasks;
}

describe('files, top, errors, inspect', () => {
  it('lists every snapshot file with its counts', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const files = queryFiles(store, 'b1').files;
    expect(files.map((f) => f.path)).toEqual(['README.md', 'src/a.ts', 'src/b.py', 'src/c.ts']);
    expect(files[1]).toMatchObject({
      path: 'src/a.ts',
      lang: 'typescript',
      outputs: 1 + 2 + 3 + 3,
      diagnostics: 3,
      warning: 2,
      info: 1,
    });
    expect(files[3]).toMatchObject({ path: 'src/c.ts', outputs: 3, diagnostics: 0 });
    expect(
      queryFiles(store, 'b1', { task: '04_lint', path: 'src/**' }).files.map((f) => [f.path, f.outputs]),
    ).toEqual([
      ['src/a.ts', 3],
      ['src/b.py', 1],
      ['src/c.ts', 0],
    ]);
  });

  it('ranks files by diagnostics', () => {
    const { store } = buildSampleBatch(tmp.dir);
    expect(queryTop(store, 'b1').files.map((f) => [f.path, f.diagnostics])).toEqual([
      ['src/a.ts', 3],
      ['README.md', 1],
      ['src/b.py', 1],
    ]);
    expect(queryTop(store, 'b1', { limit: 1 }).files).toHaveLength(1);
    expect(queryTop(store, 'b1', { severity: 'error' }).files.map((f) => f.path)).toEqual(['src/b.py']);
  });

  it('lists error diagnostics and failed shards with their files', () => {
    const probe = buildSampleBatch(tmp.dir, { batchId: 'probe' });
    const shard = probe.shardOfPath('src/c.ts');
    const { store } = buildSampleBatch(tmp.dir, {
      batchId: 'b2',
      shards: {
        '03_symbols': { [shard]: { status: 'failed', error: { code: 'E_TASK_FAILED', message: 'boom' } } },
      },
    });
    const result = queryErrors(store, 'b2');
    expect(result.diagnostics.map((r) => r.path)).toEqual(['src/b.py']);
    expect(result.failed_shards).toEqual([
      {
        task_id: '03_symbols',
        shard_id: shard,
        attempt: 1,
        error: { code: 'E_TASK_FAILED', message: 'boom' },
        files: expect.arrayContaining(['src/c.ts']),
      },
    ]);
    expect(result.files).toEqual(expect.arrayContaining(['src/b.py', 'src/c.ts']));
    expect(queryErrors(store, 'b2', { task: '04_lint' }).failed_shards).toEqual([]);
  });

  it.each(['path_hash', 'hash_prefix'] as const)(
    'names the files of a failed shard where the batch placed them (%s)',
    (strategy) => {
      const probe = buildSampleBatch(tmp.dir, { batchId: `probe-${strategy}`, strategy });
      const shard = probe.shardOfPath('src/c.ts');
      const { store } = buildSampleBatch(tmp.dir, {
        batchId: `b-${strategy}`,
        strategy,
        shards: {
          '03_symbols': { [shard]: { status: 'failed', error: { code: 'E_TASK_FAILED', message: 'x' } } },
        },
      });
      // Computed here: the path's hash (path_hash) or the first byte of the content's sha256 (an older store).
      const shardOfFile = (f: (typeof SAMPLE_FILES)[number]) =>
        strategy === 'path_hash'
          ? pathShardOracle(f.path, 16)
          : (crypto.createHash('sha256').update(f.content).digest()[0]! % 16).toString(16).padStart(2, '0');
      const c = SAMPLE_FILES.find((f) => f.path === 'src/c.ts')!;
      expect(shard).toBe(shardOfFile(c));
      const expected = SAMPLE_FILES.filter((f) => shardOfFile(f) === shard).map((f) => f.path);
      const [failed] = queryErrors(store, `b-${strategy}`).failed_shards;
      expect(failed?.files?.sort()).toEqual(expected.sort());
    },
  );

  it('inspects one file across tasks', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const result = inspectFile(store, 'b1', 'src/a.ts');
    expect(result.file.lang_hint).toBe('typescript');
    expect(result.tasks.map((t) => [t.task_id, t.counts])).toEqual([
      ['01_parse', { ast: 1 }],
      ['02_analyze', { metric: 2 }],
      ['03_symbols', { edge: 2, symbol: 1 }],
      ['04_lint', { diagnostic: 3 }],
    ]);
    expect(inspectFile(store, 'b1', 'readme.md').path).toBe('README.md');
    expect(codeOf(() => inspectFile(store, 'b1', 'nope.ts'))).toBe('E_NOT_FOUND');
  });
});

describe('log independence', () => {
  it('answers identically after every events.jsonl is deleted', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const ask = () =>
      JSON.stringify([
        queryOutputs(store, 'b1'),
        queryStats(store, 'b1'),
        queryErrors(store, 'b1'),
        countOutputs(store, 'b1'),
      ]);
    const before = ask();
    const removed = removeEvents(tmp.dir);
    expect(removed).toBeGreaterThan(0);
    expect(ask()).toBe(before);
  });
});

function removeEvents(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name === 'events.jsonl') {
      fs.rmSync(`${entry.parentPath}/${entry.name}`);
      n += 1;
    }
  }
  return n;
}
