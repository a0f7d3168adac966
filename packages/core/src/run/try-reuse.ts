import type { ShardState } from '../schemas/state-record';
import { keepUpstreamIndex } from './chain-scope';
import { commitOutputsFile } from './commit-outputs';
import { reuseShardOutputs } from './reuse-shard';
import { markShardReused, type ShardAttempt } from './shard-attempt';

/**
 * Settles a shard with the outputs of another done shard whose input bundle is the same (the
 * memo knows where), verified and restamped with this batch's ids. Undefined when there is
 * no such shard or it does not verify: the caller then executes.
 */
export function tryReuse(
  a: ShardAttempt,
  state: ShardState,
  outputsFile: string,
): { outputs: number } | undefined {
  const { ctx, scope, taskId } = a;
  const bundleHash = a.provenance.bundle.hash;
  const found = ctx.memos.get(taskId)!.lookupBundle(bundleHash);
  if (!found) return undefined;
  const from = { batch_id: found.batch_id, task_id: taskId, shard_id: found.shard_id };
  if (from.batch_id === ctx.batch.batch_id && from.shard_id === scope.shardId) return undefined;
  const reused = reuseShardOutputs(ctx.store, from, bundleHash, {
    snapshot_id: ctx.batch.snapshot_id,
    batch_id: ctx.batch.batch_id,
    task_id: taskId,
    shard_id: scope.shardId,
  });
  if (!reused) return undefined;
  commitOutputsFile(outputsFile, reused.bytes);
  markShardReused(a, state, {
    from,
    outputs: reused,
    files: scope.members.length,
    byKind: () => reused.byKind ?? countKindsInIndex(reused.bytes),
  });
  keepUpstreamIndex(scope, taskId, reused.bytes);
  return { outputs: reused.count };
}

const KIND_MARK = Buffer.from('"kind":"');

/** Records per kind in a committed index, without parsing it (kinds are plain identifiers). */
function countKindsInIndex(bytes: Buffer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = bytes.indexOf(KIND_MARK); i !== -1; i = bytes.indexOf(KIND_MARK, i + 1)) {
    const start = i + KIND_MARK.length;
    const end = bytes.indexOf(34, start);
    const kind = bytes.toString('latin1', start, end);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
