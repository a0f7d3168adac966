import { readBatchRecord, readPlan, readTaskRecord } from '../batch/read-batch';
import { shardOf } from '../batch/shard-assignment';
import { readShardState } from '../batch/shard-state';
import { buildInputBundle, type InputBundlePreimage } from '../run/input-bundle';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { readFilesIndex } from '../snapshot/read-snapshot';
import { DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_THRESHOLD } from '../store/chunking';
import type { Store } from '../store/store';

export interface ReconstructedPreimage {
  hash: string;
  preimage: InputBundlePreimage;
  /**
   * true when the rebuilt hash equals state.json's bundle_hash: the preimage is then exactly
   * the one the runner hashed. false means something we cannot see from the store differed
   * (engine version, runtime major, salt), or the shard never completed.
   */
  exact: boolean;
  /** Upstream shards read, with their committed manifests when recorded. */
  upstream: { task_id: string; shard_id: string; result_digest: string; manifest?: string }[];
}

/**
 * Rebuilds a shard's input-bundle preimage from the store alone (batch.json, task.json,
 * plan.json, the snapshot's files index and the upstream shard states) with this engine's
 * constants. Lets `explain-miss` and the exports work for shard runs that have no recorded
 * manifest (runs made before manifests existed, or a deleted manifest object).
 */
export function reconstructPreimage(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
  cache: { files?: Map<string, FilesIndexRecord[]> } = {},
): ReconstructedPreimage {
  const batch = readBatchRecord(store, batchId);
  const task = readTaskRecord(store, batchId, taskId);
  const plan = readPlan(store, batchId);
  // Members as the batch was planned: by path, or by content in batches made before path_hash.
  const sharding = { ...task.sharding, shard_count: batch.shard_count ?? task.sharding.shard_count };
  let files = cache.files?.get(batch.snapshot_id);
  if (!files) {
    files = readFilesIndex(store, batch.snapshot_id);
    cache.files?.set(batch.snapshot_id, files);
  }
  const members: [string, string][] = files
    .filter((f) => shardOf(sharding, f) === shardId)
    .map((f) => [f.path, f.object]);
  const deps = plan.tasks.find((t) => t.task_id === taskId)?.depends_on ?? [];
  const upstream = deps.map((dep) => {
    const s = readShardState(store, batchId, dep, shardId, { missingAsReady: true });
    return {
      task_id: dep,
      shard_id: shardId,
      result_digest: s.result_digest ?? '',
      ...(s.manifest ? { manifest: s.manifest } : {}),
    };
  });
  const bundle = buildInputBundle({
    taskId,
    type: task.type,
    version: task.task_version,
    configDigest: task.config_digest,
    chunking: {
      threshold: batch.chunking?.threshold ?? DEFAULT_CHUNK_THRESHOLD,
      chunk_size: batch.chunking?.chunk_size ?? DEFAULT_CHUNK_SIZE,
    },
    seedBase: batch.seed,
    members,
    upstream: upstream.map((u) => ({ task_id: u.task_id, result_digest: u.result_digest })),
  });
  const state = readShardState(store, batchId, taskId, shardId, { missingAsReady: true });
  return { hash: bundle.hash, preimage: bundle.preimage, exact: state.bundle_hash === bundle.hash, upstream };
}
