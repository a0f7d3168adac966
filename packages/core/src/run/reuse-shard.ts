import { readBatchRecord } from '../batch/read-batch';
import { readShardState } from '../batch/shard-state';
import { countInBytes, storedCounts } from '../query/diagnostic-counts';
import type { DiagnosticCounts } from '../schemas/state-record';
import type { Store } from '../store/store';
import { sha256Hex } from '../util/hash';
import { readCommittedIndex } from './committed-outputs';
import { restampIndex } from './restamp-index';

export interface BundleLocation {
  batch_id: string;
  task_id: string;
  shard_id: string;
}

export interface ReusedOutputs {
  bytes: Buffer;
  outputsDigest: string;
  resultDigest: string;
  count: number;
  /** Diagnostics per severity: a restamp changes ids only, so the source's. */
  diagnostics: DiagnosticCounts;
  /** Records per kind, when the source run's manifest gives them. */
  byKind?: Record<string, number>;
  /** Run manifest of the source shard run, if it recorded one. */
  sourceManifest?: string;
  /** The source state's outputs_digest: what its manifest's outputs must name to describe it. */
  sourceOutputsDigest?: string;
}

/**
 * Copies the outputs of a done shard with the same input bundle into this shard, with this
 * batch's ids. Used only after verifying that the source is what its state claims: status
 * done with this bundle hash, index bytes matching outputs_digest, and every referenced
 * object present. Anything less and we execute instead (a reused result is never trusted
 * blindly, and a failed run is never reused).
 */
export function reuseShardOutputs(
  store: Store,
  source: BundleLocation,
  bundleHash: string,
  target: { snapshot_id: string; batch_id: string; task_id: string; shard_id: string },
): ReusedOutputs | undefined {
  let state: ReturnType<typeof readShardState>;
  let sourceSnapshot: string;
  try {
    state = readShardState(store, source.batch_id, source.task_id, source.shard_id);
    sourceSnapshot = readBatchRecord(store, source.batch_id).snapshot_id;
  } catch {
    return undefined;
  }
  if (state.bundle_hash !== bundleHash || !state.result_digest) return undefined;
  const bytes = readCommittedIndex(store, source, state, { checkObjects: true });
  if (!bytes) return undefined;
  // A source committed before counts were recorded is counted from the bytes just verified
  // (before they are re-stamped where they lie: ids hold no severity, but order keeps it plain).
  const diagnostics = storedCounts(state) ?? countInBytes(bytes);
  // The bytes were read for this call alone: re-stamped in place when the ids keep their length.
  const restamped = restampIndex(bytes, { snapshot_id: sourceSnapshot, ...source }, target, {
    inPlace: true,
  });
  if (!restamped) return undefined;
  const out = restamped.bytes;
  return {
    bytes: out,
    outputsDigest: sha256Hex(out),
    resultDigest: state.result_digest,
    count: restamped.count,
    diagnostics,
    ...(state.manifest ? { sourceManifest: state.manifest } : {}),
    ...(state.outputs_digest ? { sourceOutputsDigest: state.outputs_digest } : {}),
  };
}
