import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { deriveBatchStatus } from '../../batch/status';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { verifyStore } from '../../verify/verify-store';
import { runBatch } from '../run-batch';

const registry = createTestRegistry();
const tree = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`f${i}.ts`, `function f${i}() {}\nBAD\n`]),
);

/**
 * A full disk and a read-only store, simulated by failing every exclusive create (how the
 * store makes every new file) with the errno the kernel would give. Root ignores file modes,
 * so a chmod-based read-only store cannot be tested here.
 */
describe.each([
  ['full disk', 'ENOSPC', 'E_DISK_FULL'],
  ['read-only store', 'EROFS', 'E_STORE_READ_ONLY'],
])('%s', (_name, errno, code) => {
  it(`fails with ${code}, keeps completed shards, and a later run completes the batch`, async () => {
    const tmp = makeTempDir();
    try {
      writeTree(path.join(tmp.dir, 'src'), tree);
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const snap = createSnapshot(store, path.join(tmp.dir, 'src'), {});
      const batchId = initBatch(store, {
        snapshotId: snap.record.snapshot_id,
        pipeline: 'full',
        shards: 8,
        registry,
      }).batch.batch_id;
      const first = await runBatch(store, { batchId, registry, maxShards: 2 });
      const doneBefore = first.results
        .filter((r) => r.outcome === 'executed')
        .map((r) => `${r.taskId}/${r.shardId}`);
      expect(doneBefore.length).toBe(8);

      const realOpen = fs.openSync;
      const spy = jest.spyOn(fs, 'openSync').mockImplementation(((
        file: fs.PathLike,
        flags?: fs.OpenMode,
        mode?: fs.Mode,
      ) => {
        if (flags === 'wx') throw Object.assign(new Error(`${errno}: simulated`), { code: errno });
        return realOpen(file, flags, mode);
      }) as typeof fs.openSync);
      try {
        await expect(runBatch(store, { batchId, registry })).rejects.toMatchObject({ code });
      } finally {
        spy.mockRestore();
      }
      // Nothing completed was lost: the shards done before the fault are still done and verify.
      const status = deriveBatchStatus(store, batchId);
      expect(status.tasks.reduce((n, t) => n + t.shards.done, 0)).toBeGreaterThanOrEqual(8);
      expect(verifyStore(store).problems).toEqual([]);

      const resumed = await runBatch(store, { batchId, registry });
      expect(resumed.counts.failed).toBe(0);
      expect(deriveBatchStatus(store, batchId).status).toBe('done');
      expect(verifyStore(store).problems).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });
});
