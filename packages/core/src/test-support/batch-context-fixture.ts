import path from 'node:path';
import { initBatch } from '../batch/init-batch';
import { type BatchRecords, readBatchRecords } from '../batch/read-batch';
import { type BatchRunContext, loadBatchRunContext } from '../run/batch-context';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { createSnapshot } from '../snapshot/create-snapshot';
import { readFilesIndex } from '../snapshot/read-snapshot';
import { initStore, type Store } from '../store/store';
import { writeTree } from './temp-dir';
import { createTestRegistry } from './test-registry';

/**
 * A store under `dir` with a two-file snapshot and one planned batch `b1` (one shard, the
 * test registry), opened for running: what a test of the runner's parts needs to drive a shard
 * by hand.
 */
export async function openBatchContext(
  dir: string,
  pipeline: 'parse' | 'lint',
  options: { manifests?: boolean } = {},
): Promise<{ store: Store; ctx: BatchRunContext; records: BatchRecords; members: FilesIndexRecord[] }> {
  const src = path.join(dir, 'src');
  writeTree(src, { 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
  const { store } = initStore(path.join(dir, 'store'));
  const registry = createTestRegistry();
  const snap = await createSnapshot(store, src, {});
  initBatch(store, { snapshotId: snap.record.snapshot_id, pipeline, shards: 1, registry, id: 'b1' });
  const records = readBatchRecords(store, 'b1');
  const ctx = loadBatchRunContext(store, records, registry, {
    force: false,
    manifests: options.manifests ?? false,
  });
  return { store, ctx, records, members: readFilesIndex(store, snap.record.snapshot_id) };
}
