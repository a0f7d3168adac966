import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readShardState } from '../../batch/shard-state';
import { fullCount, TRAP_SOURCES, trapRegistry } from '../../query/__tests__/severity-traps';
import { storedCounts } from '../../query/diagnostic-counts';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, type Store } from '../../store/store';
import { readShardRecords } from '../../test-support/read-shard-records';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { runBatch } from '../run-batch';

/** A shard's state records its diagnostics per severity, whichever way its outputs were committed. */
describe('diagnostic_counts in a done state', () => {
  const registry = trapRegistry();
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let snapshotId: string;

  beforeAll(async () => {
    tmp = makeTempDir();
    const src = path.join(tmp.dir, 'src');
    writeTree(src, TRAP_SOURCES);
    store = initStore(path.join(tmp.dir, 'store')).store;
    snapshotId = (await createSnapshot(store, src, {})).record.snapshot_id;
  });
  afterAll(() => tmp.cleanup());

  const runNew = async (id: string) => {
    initBatch(store, { snapshotId, pipeline: 'lint', shards: 8, registry, id });
    return runBatch(store, { batchId: id, registry, manifests: true });
  };

  /** The distinct outcomes of the batch's lint shards. */
  const outcomesOf = (summary: Awaited<ReturnType<typeof runBatch>>) => [
    ...new Set(summary.results.filter((r) => r.taskId === '04_lint').map((r) => r.outcome)),
  ];

  /**
   * Every done shard of the batch: its state's counts (which must name the digest of the index
   * beside them: storedCounts is undefined otherwise), and a full parse of its index.
   */
  const countsOf = (batchId: string) =>
    fs.readdirSync(store.layout.shardsDir(batchId, '04_lint')).map((shardId) => {
      const records = readShardRecords(store, batchId, '04_lint', shardId);
      return {
        shardId,
        stored: storedCounts(readShardState(store, batchId, '04_lint', shardId)),
        parsed: fullCount(Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''))),
      };
    });

  it('equal a full parse of the index, for executed and for reused shards', async () => {
    const executed = await runNew('b1');
    expect(outcomesOf(executed)).toEqual(['executed']);
    const first = countsOf('b1');
    for (const c of first) expect(c.stored).toEqual(c.parsed);
    // The traps are there: diagnostics without a severity, errors in some shards only.
    expect(first.some((c) => c.parsed.none > 0 && c.parsed.error === 0)).toBe(true);
    expect(first.some((c) => c.parsed.error > 0)).toBe(true);

    const reused = await runNew('b2');
    expect(outcomesOf(reused)).toEqual(['reused']);
    const second = countsOf('b2');
    expect(second).toEqual(first);
    for (const c of second) expect(c.stored).toEqual(c.parsed);
  });

  it('are counted from the bytes when the reused source recorded none (a store from before them)', async () => {
    for (const shardId of fs.readdirSync(store.layout.shardsDir('b1', '04_lint'))) {
      const file = store.layout.stateFile('b1', '04_lint', shardId);
      const { diagnostic_counts: _dropped, ...older } = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(file, JSON.stringify(older));
    }
    const reused = await runNew('b3');
    const fromB1 = reused.results.filter((r) => r.taskId === '04_lint');
    expect(outcomesOf(reused)).toEqual(['reused']);
    for (const r of fromB1)
      expect(readShardState(store, 'b3', '04_lint', r.shardId).reused_from?.batch_id).toBe('b1');
    for (const c of countsOf('b3')) expect(c.stored).toEqual(c.parsed);
  });
});
