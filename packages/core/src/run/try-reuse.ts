import type { ShardState } from '../schemas/state-record';
import { writeFileAtomic } from '../store/atomic-write';
import { outputsRefStub } from '../store/shard-outputs';
import type { Store } from '../store/store';
import { parseObjectRef } from '../util/hash';
import { keepUpstreamIndex } from './chain-scope';
import { reuseShardOutputs } from './reuse-shard';
import { markShardReused, type ShardAttempt } from './shard-attempt';

/**
 * Settles a shard with the outputs of another done shard whose input bundle is the same (the
 * memo knows where), verified, by reference (store/shard-outputs.ts). Undefined when there is
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
  const reused = reuseShardOutputs(ctx.store, from, bundleHash, { snapshot_id: ctx.batch.snapshot_id });
  if (!reused) return undefined;
  markShardReused(a, state, {
    from,
    outputs: reused,
    files: scope.members.length,
    byKind: () =>
      reused.kinds ??
      kindsFromManifest(ctx.store, reused.sourceManifest, reused.sourceOutputsDigest) ??
      countKindsInIndex(reused.bytes),
  });
  // After the state, which alone says where the records are: a crash between the two leaves a
  // done state with a reference, whatever the old index beside it holds.
  writeFileAtomic(outputsFile, outputsRefStub(reused.ref));
  keepUpstreamIndex(scope, taskId, reused.bytes);
  return { outputs: reused.count, outputsDigest: `sha256:${reused.outputsDigest}` };
}

/**
 * The source run's records per kind, from its manifest, when that manifest describes exactly
 * the index reused (the object is checked against its name, and its outputs_digest must be the
 * source state's). At 30k files the parse shards' indexes are about 47 MB each: scanning them
 * for kinds took 0.65 s of a one-file run, reading the manifests a few milliseconds.
 */
function kindsFromManifest(
  store: Store,
  manifest: string | undefined,
  outputsDigest: string | undefined,
): Record<string, number> | undefined {
  const hex = manifest === undefined ? undefined : parseObjectRef(manifest);
  if (hex === undefined || outputsDigest === undefined) return undefined;
  try {
    const parsed = JSON.parse(store.objects.readObjectVerified(hex).toString('utf8')) as {
      kind?: unknown;
      outputs?: { outputs_digest?: unknown; by_kind?: unknown };
    };
    const byKind = parsed.outputs?.by_kind;
    if (parsed.kind !== 'shard_run' || parsed.outputs?.outputs_digest !== outputsDigest) return undefined;
    if (byKind === null || typeof byKind !== 'object' || Array.isArray(byKind)) return undefined;
    const counts = Object.entries(byKind as Record<string, unknown>);
    if (!counts.every(([, n]) => Number.isInteger(n) && (n as number) >= 0)) return undefined;
    return Object.fromEntries(counts) as Record<string, number>;
  } catch {
    return undefined;
  }
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
