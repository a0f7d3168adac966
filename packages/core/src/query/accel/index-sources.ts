import fs from 'node:fs';
import { sha256Hex } from '../../util/hash';
import type { BatchView } from '../batch-view';
import { isShardVisible, listShards } from '../shard-scan';

/**
 * What an acceleration index was built from: every shard of every planned task with a digest
 * of its state.json bytes and, for visible shards, the identity of its outputs index file.
 *
 * Freshness rule: an index answers only when the sources recomputed now equal the stored ones
 * exactly. Re-running a shard rewrites state.json (attempt, completed_at, outputs_digest) and
 * replaces outputs.index.jsonl by rename, which changes its inode and ctime (ctime cannot be set
 * from user space); a new shard directory or plan change changes the list. So any commit after
 * the build makes the index stale, and a stale index is ignored, never trusted.
 */
export interface IndexSources {
  batch_id: string;
  snapshot_id: string;
  task_ids: string[];
  shards: ShardSource[];
}

/** [task_id, shard_id, status, sha256 of state.json or null, outputs file identity or null] */
export type ShardSource = [string, string, string, string | null, string | null];

export function computeIndexSources(view: BatchView): IndexSources {
  const shards: ShardSource[] = [];
  for (const taskId of view.taskIds) {
    for (const entry of listShards(view, taskId)) {
      const stateDigest = entry.stateBytes ? sha256Hex(entry.stateBytes) : null;
      const outputs = isShardVisible(entry) ? fileIdentity(entry.outputsFile) : null;
      shards.push([taskId, entry.shardId, entry.status, stateDigest, outputs]);
    }
  }
  return { batch_id: view.batchId, snapshot_id: view.batch.snapshot_id, task_ids: [...view.taskIds], shards };
}

function fileIdentity(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `ino=${s.ino};size=${s.size};mtime=${s.mtimeNs};ctime=${s.ctimeNs}`;
  } catch {
    return 'absent';
  }
}
