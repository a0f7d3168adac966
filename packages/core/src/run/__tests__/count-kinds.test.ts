import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readShardState } from '../../batch/shard-state';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, openStore } from '../../store/store';
import { readShardRecords } from '../../test-support/read-shard-records';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
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
   * state is pointed at a planted manifest claiming `{ ast: 999 }`. Returns b's by_kind.
   */
  async function reusedByKind(plantedDigest: (real: string) => string): Promise<Record<string, number>> {
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
    fs.writeFileSync(
      store.layout.stateFile('a', '01_parse', '00'),
      JSON.stringify({ ...source, manifest: ref }),
    );
    batch('b');
    const summary = await runBatch(store, { batchId: 'b', registry });
    expect(summary.results.map((r) => r.outcome)).toEqual(['reused']);
    const manifest = readManifest(store, readShardState(store, 'b', '01_parse', '00').manifest!);
    return manifest.kind === 'shard_run' ? manifest.outputs!.by_kind : {};
  }

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
