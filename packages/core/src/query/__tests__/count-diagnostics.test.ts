import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readShardState } from '../../batch/shard-state';
import { runBatch } from '../../run/run-batch';
import { verifyBatch } from '../../run/verify-batch';
import type { Severity } from '../../schemas/output-record';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, type Store } from '../../store/store';
import { buildBatchFixture } from '../../test-support/build-batch-fixture';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { verifyStore } from '../../verify/verify-store';
import { loadDiagnostics } from '../batch-facts';
import { loadBatchView, resolveTaskIds } from '../batch-view';
import {
  prefetchShardDiagnostics,
  provenIndexes,
  scanDiagnosticsAtLeast,
  shardDiagnosticsKey,
} from '../count-diagnostics';
import { emptySeverityCounts } from '../query-diagnostics';
import { SAMPLE_FILES } from './sample-batch';
import { TRAP_SOURCES, trapRegistry } from './severity-traps';

describe('diagnostics counted without being held (scanDiagnosticsAtLeast)', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());
  const paths = SAMPLE_FILES.map((f) => f.path);
  const fixture = buildBatchFixture({
    storeDir: `${tmp.dir}/store`,
    batchId: 'b1',
    snapshotId: 's1',
    files: SAMPLE_FILES,
    tasks: {
      '01_parse': paths.map((path) => ({ path, kind: 'ast', format: 'json' })),
      '04_lint': [
        ...paths.map((path) => ({ path, kind: 'diagnostic', severity: 'warning', code: 'L002', line: 1 })),
        { path: 'src/a.ts', kind: 'diagnostic', severity: 'error', code: 'L001', line: 2 },
        { path: 'src/b.py', kind: 'diagnostic', severity: 'info', code: 'L003', line: 1 },
        { path: 'src/c.ts', kind: 'diagnostic', code: 'X', message: 'no severity: reports as a warning' },
        // Nested fields that look like the marks: only a parse can tell.
        {
          path: 'src/c.ts',
          kind: 'metric',
          metric: 'm',
          value: 1,
          data: { kind: 'diagnostic', severity: 'error' },
        },
        {
          path: 'src/c.ts',
          kind: 'diagnostic',
          severity: 'hint',
          code: 'Y',
          message: 'says "severity":"error" in its text',
          related: { severity: 'error' },
        },
      ],
    },
  });

  it('counts per severity exactly as parsing every record does', () => {
    const view = loadBatchView(fixture.store, 'b1');
    const tasks = resolveTaskIds(view, undefined);
    const expected = emptySeverityCounts();
    for (const d of loadDiagnostics(view, tasks, { useIndex: false }))
      if (d.severity) expected[d.severity] += 1;
    expect(expected).toEqual({ error: 1, warning: 4, info: 1, hint: 1 });
    // For the count only the three lines a substring cannot settle are parsed (nested kind, nested
    // severity, no severity), and at `error` only the three lines holding "error" for the
    // records: 6 parses for 14 record lines.
    const parse = jest.spyOn(JSON, 'parse');
    const { counts } = scanDiagnosticsAtLeast(view, tasks, 'error');
    // Records parsed, whether a line alone or adjacent lines together as one array.
    const recordParses = parse.mock.calls.reduce((n, [text], i) => {
      if (!String(text).includes('"kind"')) return n;
      const value = parse.mock.results[i]!.value;
      return n + (Array.isArray(value) ? value.length : 1);
    }, 0);
    parse.mockRestore();
    expect(counts).toEqual(expected);
    expect(recordParses).toBe(6);
  });

  it('loads only the diagnostics at or above a severity, in canonical order', () => {
    const view = loadBatchView(fixture.store, 'b1');
    const tasks = resolveTaskIds(view, undefined);
    const all = loadDiagnostics(view, tasks, { useIndex: false });
    const rank = { hint: 0, info: 1, warning: 2, error: 3 } as const;
    for (const min of ['error', 'warning', 'info', 'hint'] as const) {
      expect(scanDiagnosticsAtLeast(view, tasks, min).records).toEqual(
        all.filter((d) => rank[d.severity ?? 'warning'] >= rank[min]),
      );
    }
    expect(scanDiagnosticsAtLeast(view, tasks, 'error').records.map((d) => d.code)).toEqual(['L001']);
  });

  it('takes a shard scanned ahead only while its state holds the bytes it was scanned under, at the same min', () => {
    const view = loadBatchView(fixture.store, 'b1');
    const tasks = resolveTaskIds(view, undefined);
    const whole = scanDiagnosticsAtLeast(view, tasks, 'hint');
    const [shardId] = fs.readdirSync(fixture.store.layout.shardsDir('b1', '04_lint'));
    const ahead = prefetchShardDiagnostics(view, '04_lint', shardId!, 'hint')!;
    const prefetched = new Map([[shardDiagnosticsKey('04_lint', shardId!), ahead]]);
    expect(scanDiagnosticsAtLeast(view, tasks, 'hint', { prefetched })).toEqual(whole);

    // What was scanned ahead is what the report holds: a marked copy shows it was taken.
    const marked = { ...ahead, records: ahead.records.map((r) => ({ ...r, message: 'taken ahead' })) };
    const taken = scanDiagnosticsAtLeast(view, tasks, 'hint', {
      prefetched: new Map([[shardDiagnosticsKey('04_lint', shardId!), marked]]),
    });
    expect(taken.records.filter((r) => r.message === 'taken ahead').length).toBe(ahead.records.length);
    expect(ahead.records.length).toBeGreaterThan(0);

    // Another state (a retried shard) or another threshold: read again.
    for (const stale of [
      { ...marked, stateBytes: Buffer.concat([marked.stateBytes, Buffer.from(' ')]) },
      { ...marked, min: 'error' as const },
    ]) {
      const again = scanDiagnosticsAtLeast(view, tasks, 'hint', {
        prefetched: new Map([[shardDiagnosticsKey('04_lint', shardId!), stale]]),
      });
      expect(again).toEqual(whole);
    }
  });
});

/** Shards whose state records diagnostic_counts (an engine run) are counted from them. */
describe('scanDiagnosticsAtLeast with counts stored in the shard states', () => {
  const registry = trapRegistry();
  const batchId = 'b1';
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;

  beforeAll(async () => {
    tmp = makeTempDir();
    const src = path.join(tmp.dir, 'src');
    writeTree(src, TRAP_SOURCES);
    store = initStore(path.join(tmp.dir, 'store')).store;
    const snapshotId = (await createSnapshot(store, src, {})).record.snapshot_id;
    initBatch(store, { snapshotId, pipeline: 'lint', shards: 8, registry, id: batchId });
    await runBatch(store, { batchId, registry });
  });
  afterAll(() => tmp.cleanup());

  const scan = (min: Severity, options?: Parameters<typeof scanDiagnosticsAtLeast>[3]) => {
    const view = loadBatchView(store, batchId);
    return scanDiagnosticsAtLeast(view, resolveTaskIds(view, undefined), min, options);
  };
  const stateFiles = () =>
    ['01_parse', '04_lint'].flatMap((taskId) =>
      fs
        .readdirSync(store.layout.shardsDir(batchId, taskId))
        .map((s) => store.layout.stateFile(batchId, taskId, s)),
    );
  /** Runs `body` with every state's diagnostic_counts removed (a store from before them), then restores them. */
  const withoutStoredCounts = <T>(body: () => T): T => {
    const saved = stateFiles().map((f) => [f, fs.readFileSync(f)] as const);
    try {
      for (const [f, bytes] of saved) {
        const { diagnostic_counts: _dropped, ...older } = JSON.parse(bytes.toString('utf8'));
        fs.writeFileSync(f, JSON.stringify(older));
      }
      return body();
    } finally {
      for (const [f, bytes] of saved) fs.writeFileSync(f, bytes);
    }
  };
  /** Lint shards by whether their index holds an error. */
  const lintShards = (withErrors: boolean) =>
    fs
      .readdirSync(store.layout.shardsDir(batchId, '04_lint'))
      .filter(
        (s) => readShardState(store, batchId, '04_lint', s).diagnostic_counts!.error > 0 === withErrors,
      );

  it('gives the records and counts that counting the indexes gives', () => {
    const severities = ['error', 'warning', 'info', 'hint'] as const;
    const withCounts = severities.map((min) => scan(min));
    const fromIndexes = withoutStoredCounts(() => severities.map((min) => scan(min)));
    expect(withCounts).toEqual(fromIndexes);
    expect(withCounts[0]!.records.map((r) => r.code)).toEqual(['E1', 'E1', 'E1']);
    // Diagnostics without a severity are shown from `warning` on but counted under no severity.
    expect(withCounts[1]!.records.filter((r) => r.code === 'N1')).toHaveLength(16);
    expect(withCounts[0]!.counts).toEqual({ error: 3, warning: 32, info: 0, hint: 16 });
  });

  it('never opens the index of a shard with nothing at or above min once the run proved it', async () => {
    expect(lintShards(false).length).toBeGreaterThan(0);
    expect(lintShards(true).length).toBeGreaterThan(0);
    const expected = scan('error');
    // What the done-batch check of `check` proves: every index of the batch, hashed.
    const proven = provenIndexes((await verifyBatch(store, { batchId, registry })).results);
    const open = jest.spyOn(fs, 'openSync');
    try {
      expect(scan('error', { proven })).toEqual(expected);
      const opened = open.mock.calls
        .map(([file]) => String(file))
        .filter((f) => f.endsWith('outputs.index.jsonl'));
      expect(opened.sort()).toEqual(
        lintShards(true)
          .map((s) => store.layout.outputsFile(batchId, '04_lint', s))
          .sort(),
      );
    } finally {
      open.mockRestore();
    }
  });

  it('still checks an unproven index against its digest (a damaged index fails the report)', () => {
    const quiet = store.layout.outputsFile(batchId, '04_lint', lintShards(false)[0]!);
    const original = fs.readFileSync(quiet);
    try {
      fs.writeFileSync(quiet, 'not an index\n');
      expect(() => scan('error')).toThrow(/does not match the digest/);
    } finally {
      fs.writeFileSync(quiet, original);
    }
  });

  it('counts the index when the stored counts name another digest (left by an older engine re-running it)', () => {
    const file = store.layout.stateFile(batchId, '04_lint', lintShards(true)[0]!);
    const original = fs.readFileSync(file);
    const expected = scan('error');
    try {
      const state = JSON.parse(original.toString('utf8'));
      const stale = { ...state.diagnostic_counts, error: 0, outputs_digest: `sha256:${'f'.repeat(64)}` };
      fs.writeFileSync(file, JSON.stringify({ ...state, diagnostic_counts: stale }));
      expect(scan('error')).toEqual(expected);
      expect(verifyStore(store).problems).toEqual([]);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('fails, rather than answer, when a read index disagrees with its stored counts', () => {
    const file = store.layout.stateFile(batchId, '04_lint', lintShards(true)[0]!);
    const original = fs.readFileSync(file);
    try {
      const state = JSON.parse(original.toString('utf8'));
      fs.writeFileSync(
        file,
        JSON.stringify({ ...state, diagnostic_counts: { ...state.diagnostic_counts, error: 7 } }),
      );
      expect(() => scan('error')).toThrow(
        expect.objectContaining({ code: 'E_INDEX_CORRUPT', message: expect.stringMatching(/recorded 7/) }),
      );
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
