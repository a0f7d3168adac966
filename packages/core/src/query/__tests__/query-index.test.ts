import fs from 'node:fs';
import type { Store } from '../../store/store';
import { makeTempDir } from '../../test-support/temp-dir';
import { buildQueryIndex } from '../accel/build-query-index';
import { queryIndexFile } from '../accel/query-index-file';
import { countOutputs } from '../count-outputs';
import { queryDiagnostics } from '../query-diagnostics';
import { queryErrors } from '../query-errors';
import { queryFiles, queryTop } from '../query-files';
import { queryOutputs } from '../query-outputs';
import { queryStats } from '../query-stats';
import { buildSampleBatch, sampleTasks } from './sample-batch';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => {
  jest.restoreAllMocks();
  tmp.cleanup();
});

function askAll(store: Store, useIndex: boolean): string {
  const o = { useIndex };
  return JSON.stringify([
    queryOutputs(store, 'b1', { kind: 'diagnostic', ...o }),
    queryDiagnostics(store, 'b1', { severity: 'warning', ...o }),
    queryDiagnostics(store, 'b1', { task: '04_lint', path: 'src/**', ...o }),
    ...['kind', 'severity', 'code', 'lang', 'task'].map((groupBy) =>
      queryStats(store, 'b1', { groupBy, ...o }),
    ),
    queryStats(store, 'b1', { task: '03_symbols', ...o }),
    queryFiles(store, 'b1', o),
    queryTop(store, 'b1', o),
    queryErrors(store, 'b1', o),
    countOutputs(store, 'b1', o),
  ]);
}

/** Rewrites the header's totals so that answers from the index are recognisable. */
function tamperCounts(store: Store): void {
  const file = queryIndexFile(store, 'b1');
  const [header, ...rest] = fs.readFileSync(file, 'utf8').split('\n');
  const parsed = JSON.parse(header!);
  parsed.totals = parsed.totals.map((t: unknown[]) => [...t.slice(0, 5), 1000]);
  fs.writeFileSync(file, [JSON.stringify(parsed), ...rest].join('\n'));
}

describe('query acceleration index', () => {
  it('gives byte-identical answers with and without the index', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const scanned = askAll(store, false);
    const built = buildQueryIndex(store, 'b1');
    expect(built).toMatchObject({ records: 21, diagnostics: 5 });
    expect(fs.existsSync(queryIndexFile(store, 'b1'))).toBe(true);
    expect(askAll(store, true)).toBe(scanned);
    fs.rmSync(store.layout.indexesDir, { recursive: true });
    expect(askAll(store, true)).toBe(scanned);
  });

  it('keeps diagnostics without a known severity, in the same order as a scan', () => {
    const tasks = sampleTasks();
    tasks['04_lint']!.push(
      { path: 'src/c.ts', kind: 'diagnostic', code: 'X1', message: 'no severity', line: 1, col: 1 },
      {
        path: 'src/c.ts',
        kind: 'diagnostic',
        severity: 'hint',
        code: 'X2',
        message: 'hint',
        line: 1,
        col: 1,
      },
    );
    const { store } = buildSampleBatch(tmp.dir, { tasks });
    const scanned = askAll(store, false);
    expect(queryDiagnostics(store, 'b1', { useIndex: false }).total).toBe(7);
    buildQueryIndex(store, 'b1');
    expect(askAll(store, true)).toBe(scanned);
  });

  it('is used when fresh', () => {
    const { store } = buildSampleBatch(tmp.dir);
    buildQueryIndex(store, 'b1');
    tamperCounts(store);
    const fromIndex = countOutputs(store, 'b1').total;
    expect(fromIndex % 1000).toBe(0);
    expect(fromIndex).toBeGreaterThan(1000);
    expect(countOutputs(store, 'b1', { useIndex: false }).total).toBe(21);
  });

  it('is ignored once any shard is re-committed after the build', () => {
    const fx = buildSampleBatch(tmp.dir);
    const { store } = fx;
    buildQueryIndex(store, 'b1');
    tamperCounts(store);
    const shard = fx.shardOfPath('src/c.ts');
    // A re-run: the runner replaces the outputs index, then the state (new attempt).
    const outputs = store.layout.outputsFile('b1', '02_analyze', shard);
    const text = fs.readFileSync(outputs, 'utf8');
    fs.rmSync(outputs);
    fs.writeFileSync(outputs, text);
    const stateFile = store.layout.stateFile('b1', '02_analyze', shard);
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    fs.writeFileSync(stateFile, JSON.stringify({ ...state, attempt: 2 }));
    expect(countOutputs(store, 'b1').total).toBe(21);
  });

  it('answers what was committed when an outputs file alone is edited (same state), and a scan refuses the edit', () => {
    const fx = buildSampleBatch(tmp.dir);
    const { store } = fx;
    const committed = JSON.stringify(queryDiagnostics(store, 'b1', { useIndex: false }));
    buildQueryIndex(store, 'b1');
    const outputs = store.layout.outputsFile('b1', '04_lint', fx.shardOfPath('src/b.py'));
    const lines = fs
      .readFileSync(outputs, 'utf8')
      .split('\n')
      .filter((l) => l && !l.includes('src/b.py'));
    const tmpFile = `${outputs}.tmp`;
    fs.writeFileSync(tmpFile, lines.map((l) => `${l}\n`).join(''));
    fs.renameSync(tmpFile, outputs);
    // The index was built from outputs verified against the digest the (unchanged) state
    // records, so its answer is the committed one; the edited bytes reach no answer: a scan
    // refuses them with E_INDEX_CORRUPT (and `verify` reports state_mismatch).
    expect(JSON.stringify(queryDiagnostics(store, 'b1'))).toBe(committed);
    expect(() => queryDiagnostics(store, 'b1', { useIndex: false })).toThrow(
      expect.objectContaining({ code: 'E_INDEX_CORRUPT' }),
    );
  });

  it('is ignored when a shard is replaced with outputs whose stat identity collides (digests, not stat data)', () => {
    const fx = buildSampleBatch(tmp.dir);
    const { store } = fx;
    const shard = fx.shardOfPath('src/a.ts');
    const stateFile = store.layout.stateFile('b1', '04_lint', shard);
    const outputs = store.layout.outputsFile('b1', '04_lint', shard);
    // A done state written without outputs_digest (older stores): only the outputs bytes
    // themselves can say what the index was built from.
    const { outputs_digest: _dropped, ...state } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    fs.writeFileSync(stateFile, JSON.stringify(state));
    const stateBytes = fs.readFileSync(stateFile);
    buildQueryIndex(store, 'b1');
    tamperCounts(store);
    const built = fs.statSync(outputs);
    const builtBig = fs.statSync(outputs, { bigint: true });
    // Replace both files: outputs rewritten in place with the same size (same inode), the same
    // state bytes, mtimes restored. ctime cannot be set from user space, so the stat below
    // reports the build-time identity, as a filesystem with coarse ctimes or a restore would.
    const text = fs.readFileSync(outputs, 'utf8');
    const edited = text.replace("unused import 'x'", "unused import 'z'");
    expect(edited.length).toBe(text.length);
    expect(edited).not.toBe(text);
    fs.writeFileSync(outputs, edited);
    fs.writeFileSync(stateFile, stateBytes);
    fs.utimesSync(outputs, built.atime, built.mtime);
    const realStat = fs.statSync;
    jest
      .spyOn(fs, 'statSync')
      .mockImplementation(((file: fs.PathLike, options?: fs.StatSyncOptions) =>
        String(file) === outputs
          ? options?.bigint
            ? builtBig
            : built
          : realStat(file, options)) as typeof fs.statSync);
    expect(countOutputs(store, 'b1').total).toBe(21); // not the tampered index's totals
    const messages = queryDiagnostics(store, 'b1', { severity: 'warning' }).records.map((d) => d.message);
    expect(messages).toContain("unused import 'z'");
    expect(messages).not.toContain("unused import 'x'");
    expect(askAll(store, true)).toBe(askAll(store, false));
  });

  it('falls back to a scan when the index is damaged', () => {
    const { store } = buildSampleBatch(tmp.dir);
    const scanned = askAll(store, false);
    buildQueryIndex(store, 'b1');
    const file = queryIndexFile(store, 'b1');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, -20));
    expect(askAll(store, true)).toBe(scanned);
    fs.writeFileSync(file, 'not json\n');
    expect(askAll(store, true)).toBe(scanned);
  });

  it('holds several batches side by side', () => {
    buildSampleBatch(tmp.dir, { batchId: 'b1' });
    const { store } = buildSampleBatch(tmp.dir, { batchId: 'b2' });
    buildQueryIndex(store, 'b1');
    buildQueryIndex(store, 'b2');
    expect(fs.readdirSync(`${store.layout.indexesDir}/query`).sort()).toEqual(['b1.jsonl', 'b2.jsonl']);
  });
});
