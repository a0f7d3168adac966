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
): { outputs: number; outputsDigest: string } | undefined {
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
    byKind: () => countKindsInIndex(reused.bytes),
  });
  keepUpstreamIndex(scope, taskId, reused.bytes);
  return { outputs: reused.count, outputsDigest: `sha256:${reused.outputsDigest}` };
}

const KIND_MARK = Buffer.from('"kind":"');
const NEWLINE = 0x0a;

/**
 * Records per kind in a committed index. Every record has a top-level `kind` written as
 * `"kind":"..."` (JSON.stringify, no spaces), so a line holding that mark once has it at the
 * top level and is counted without a parse; only a line with a nested `kind` as well is parsed.
 * Cheaper than reading the source run's manifest back, and needs no trust in it.
 */
export function countKindsInIndex(bytes: Buffer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const first = bytes.indexOf(KIND_MARK, start);
    let kind: string | undefined;
    if (first !== -1 && first < end) {
      const second = bytes.indexOf(KIND_MARK, first + KIND_MARK.length);
      if (second === -1 || second >= end) {
        const from = first + KIND_MARK.length;
        kind = bytes.toString('utf8', from, bytes.indexOf(34, from));
      } else {
        kind = (JSON.parse(bytes.toString('utf8', start, end)) as { kind: string }).kind;
      }
    }
    if (kind !== undefined) counts[kind] = (counts[kind] ?? 0) + 1;
    start = end + 1;
  }
  return counts;
}
