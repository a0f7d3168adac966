import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readShardState } from '../../batch/shard-state';
import { countKinds } from '../../query/diagnostic-counts';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, openStore } from '../../store/store';
import { readShardRecords } from '../../test-support/read-shard-records';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { verifyStore } from '../../verify/verify-store';
import { runBatch } from '../run-batch';
import { readManifest } from '../shard-manifest';
import { countKindsInIndex } from '../try-reuse';

describe('countKindsInIndex', () => {
  it('counts top-level kinds, parsing only lines that also hold a nested kind', () => {
    const lines = [
      { batch_id: 'b', path: 'a.ts', kind: 'ast' },
      { batch_id: 'b', path: 'a.ts', kind: 'diagnostic', message: 'says "kind":"edge" in text' },
      { batch_id: 'b', data: { kind: 'symbol' }, path: 'a.ts', kind: 'metric' },
      { batch_id: 'b', path: 'b.ts', kind: 'ast' },
    ];
    const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    expect(countKindsInIndex(bytes)).toEqual({ ast: 2, diagnostic: 1, metric: 1 });
    expect(countKindsInIndex(Buffer.alloc(0))).toEqual({});
  });
});

describe("a reused shard's manifest counts per kind", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  /**
   * Batch a over a tree, then batch b over the same tree reuses a's one shard; before b runs, a's
   * state is pointed at a planted manifest claiming `{ ast: 999 }`, and loses its kind_counts
   * (a store from before them) unless `stateKinds` plants some. Returns b's by_kind.
   */
  async function reusedByKind(
    plantedDigest: (real: string) => string,
    stateKinds?: Record<string, number>,
  ): Promise<Record<string, number>> {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, { 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const registry = createTestRegistry();
    const snapshotId = (await createSnapshot(store, src, {})).record.snapshot_id;
    const batch = (id: string) =>
      initBatch(store, { snapshotId, pipeline: 'parse', shards: 1, registry, id });
    batch('a');
    await runBatch(store, { batchId: 'a', registry });
    const source = readShardState(store, 'a', '01_parse', '00');
    const planted = {
      kind: 'shard_run',
      outputs: { outputs_digest: plantedDigest(source.outputs_digest!), by_kind: { ast: 999 } },
    };
    const ref = `sha256:${store.objects.writeObject(JSON.stringify(planted))}`;
    const { kind_counts: _dropped, ...older } = source;
    fs.writeFileSync(
      store.layout.stateFile('a', '01_parse', '00'),
      JSON.stringify({
        ...older,
        manifest: ref,
        ...(stateKinds ? { kind_counts: { counts: stateKinds, outputs_digest: source.outputs_digest } } : {}),
      }),
    );
    batch('b');
    const summary = await runBatch(store, { batchId: 'b', registry });
    expect(summary.results.map((r) => r.outcome)).toEqual(['reused']);
    const manifest = readManifest(store, readShardState(store, 'b', '01_parse', '00').manifest!);
    return manifest.kind === 'shard_run' ? manifest.outputs!.by_kind : {};
  }

  it("takes them from the source's state, and records them in its own", async () => {
    expect(await reusedByKind((real) => real, { ast: 777 })).toEqual({ ast: 777 });
    const store = openStore(path.join(tmp.dir, 'store'));
    expect(readShardState(store, 'b', '01_parse', '00').kind_counts?.counts).toEqual({ ast: 777 });
  });

  it('are recorded by an executed shard as its records count them, and verify recounts them', async () => {
    const src = path.join(tmp.dir, 'src-executed');
    writeTree(src, { 'a.ts': 'export const a = 1;\n', 'b.py': 'x = 1\n' });
    const { store: fresh } = initStore(path.join(tmp.dir, 'store-executed'));
    const registry = createTestRegistry();
    const snapshotId = (await createSnapshot(fresh, src, {})).record.snapshot_id;
    initBatch(fresh, { snapshotId, pipeline: 'full', shards: 1, registry, id: 'x' });
    await runBatch(fresh, { batchId: 'x', registry });
    for (const task of fs.readdirSync(path.join(fresh.layout.batchDir('x'), 'tasks'))) {
      const executed = readShardState(fresh, 'x', task, '00');
      expect(executed.kind_counts).toEqual({
        counts: countKinds(readShardRecords(fresh, 'x', task, '00')),
        outputs_digest: executed.outputs_digest,
      });
    }
    expect(verifyStore(fresh).problems).toEqual([]);
    await reusedByKind((real) => real, { ast: 2 });
    const store = openStore(path.join(tmp.dir, 'store'));
    expect(verifyStore(store).problems).toEqual([]);
    const file = store.layout.stateFile('b', '01_parse', '00');
    const reused = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(
      file,
      JSON.stringify({ ...reused, kind_counts: { ...reused.kind_counts, counts: { ast: 1 } } }),
    );
    expect(verifyStore(store).problems.map((p) => `${p.kind} ${p.message}`)).toEqual([
      expect.stringMatching(/^state_mismatch kind_counts/),
    ]);
  });

  it("takes them from the source run's manifest when it describes the index reused", async () => {
    expect(await reusedByKind((real) => real)).toEqual({ ast: 999 });
  });

  it('counts the index when the source manifest names another index', async () => {
    const counted = await reusedByKind(() => `sha256:${'0'.repeat(64)}`);
    const store = openStore(path.join(tmp.dir, 'store'));
    expect(counted).toEqual(
      countKindsInIndex(
        Buffer.from(
          readShardRecords(store, 'b', '01_parse', '00')
            .map((r) => `${JSON.stringify(r)}\n`)
            .join(''),
        ),
      ),
    );
    expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
