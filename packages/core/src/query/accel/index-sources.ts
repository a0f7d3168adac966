import { sha256Hex, toObjectRef } from '../../util/hash';
import type { BatchView } from '../batch-view';
import { isShardVisible, listShards, readOutputsBytes, type ShardEntry } from '../shard-scan';

/**
 * What an acceleration index was built from: every shard of every planned task with the digest
 * of its state.json bytes and, for visible shards, the digest of its committed outputs.
 *
 * Freshness rule: an index answers only when the sources recomputed now equal the stored ones
 * exactly. Only digests take part, never file identity (inode, size, times): stat data can
 * collide (inode reuse, coarse or restored timestamps, a store restored from a cache), digests
 * cannot. Re-running a shard rewrites state.json (attempt, completed_at, outputs_digest); a new
 * shard directory or plan change changes the list. So any commit after the build makes the
 * index stale, and a stale index is ignored, never trusted.
 */
export interface IndexSources {
  batch_id: string;
  snapshot_id: string;
  task_ids: string[];
  shards: ShardSource[];
}

/** [task_id, shard_id, status, sha256 of state.json or null, `sha256:` of the outputs or null] */
export type ShardSource = [string, string, string, string | null, string | null];

/**
 * @throws CodebatchError when a shard's state is invalid or its outputs cannot be read; readers
 *   of the index treat that as "not fresh" and scan, which reports the damage.
 */
export function computeIndexSources(view: BatchView): IndexSources {
  const shards: ShardSource[] = [];
  for (const taskId of view.taskIds) {
    for (const entry of listShards(view, taskId)) {
      const stateDigest = entry.stateBytes ? sha256Hex(entry.stateBytes) : null;
      const outputs = isShardVisible(entry) ? outputsDigest(entry) : null;
      shards.push([taskId, entry.shardId, entry.status, stateDigest, outputs]);
    }
  }
  return { batch_id: view.batchId, snapshot_id: view.batch.snapshot_id, task_ids: [...view.taskIds], shards };
}

/**
 * The state's outputs_digest when it has one: it is covered by the state digest beside it, and
 * a scan refuses outputs that do not match it, so it costs no read. A done state written
 * without one (older stores) gets the digest of the outputs bytes themselves.
 */
function outputsDigest(entry: ShardEntry): string {
  if (entry.state?.outputs_digest) return entry.state.outputs_digest;
  return toObjectRef(readOutputsBytes(entry).hex);
}
