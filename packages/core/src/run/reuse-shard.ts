import { readBatchRecord } from '../batch/read-batch';
import { readShardState } from '../batch/shard-state';
import { countInBytes, storedCounts, storedKindCounts } from '../query/diagnostic-counts';
import type { DiagnosticCounts, OutputsRef } from '../schemas/state-record';
import type { EnvelopeIdSet } from '../store/index-envelope';
import { rememberIndexDigest } from '../store/read-index-file';
import { countLines, countLinesWithIds } from '../store/restamp-index';
import type { Store } from '../store/store';
import { SCHEMA_VERSION } from '../version';
import { readCommittedIndex } from './committed-outputs';

export interface BundleLocation {
  batch_id: string;
  task_id: string;
  shard_id: string;
}

export interface ReusedOutputs {
  /** What the reusing shard's state names instead of a copy of the records. */
  ref: OutputsRef;
  /** The referenced index bytes, with `ref.from`'s ids (for later tasks of the chain). */
  bytes: Buffer;
  /** sha256 of `bytes`, bare hex: the reusing shard's outputs_digest. */
  outputsDigest: string;
  resultDigest: string;
  count: number;
  /** Diagnostics per severity: the records are the source's, so its counts. */
  diagnostics: DiagnosticCounts;
  /** Records per kind, when the source's state holds them for this index. */
  kinds?: Record<string, number>;
  /** Run manifest of the source shard run, if it recorded one. */
  sourceManifest?: string;
  /** The source state's outputs_digest: what its manifest's outputs must name to describe it. */
  sourceOutputsDigest?: string;
}

/**
 * Takes the outputs of a done shard with the same input bundle for this shard, by reference:
 * the source's index becomes an object (a hard link, not a copy) that this shard's state names,
 * and readers re-stamp its lines with this shard's ids. Used only after verifying that the
 * source is what its state claims: status done with this bundle hash, index bytes matching
 * outputs_digest, and every referenced object present. Anything less and we execute instead (a
 * reused result is never trusted blindly, and a failed run is never reused). A source that is
 * itself a reference passes on its object: references are never chained.
 */
export function reuseShardOutputs(
  store: Store,
  source: BundleLocation,
  bundleHash: string,
  target: { snapshot_id: string },
): ReusedOutputs | undefined {
  let state: ReturnType<typeof readShardState>;
  try {
    state = readShardState(store, source.batch_id, source.task_id, source.shard_id);
  } catch {
    return undefined;
  }
  if (state.bundle_hash !== bundleHash || !state.result_digest) return undefined;
  const stored = readCommittedIndex(store, source, state, { checkObjects: true });
  if (!stored) return undefined;
  let from: EnvelopeIdSet | undefined = stored.from;
  if (!from) {
    try {
      const snapshotId = readBatchRecord(store, source.batch_id).snapshot_id;
      from = { schema_version: SCHEMA_VERSION, snapshot_id: snapshotId, ...source };
    } catch {
      return undefined;
    }
  }
  // Every reader re-stamps each line's id prefix: bytes without it on every line are executed
  // again rather than referenced and found unreadable later. An index becomes an object only
  // after passing this check, so bytes that are an object already (a source that is itself a
  // reference, or one an earlier run referenced: their digest was just checked) are only
  // counted. At 30k files the check was 0.12 s of a one-file run.
  const objectExists = stored.from !== undefined || store.objects.hasObject(stored.hex);
  const count = objectExists ? countLines(stored.bytes) : countLinesWithIds(stored.bytes, from);
  if (count === undefined) return undefined;
  if (!stored.from) {
    // Linked, written, or found with these very bytes (its inode, or re-hashed): either way the
    // object now holds `stored.hex`. Readers of this run (its verify step, the report) read it
    // next: spare them a hash.
    store.objects.linkObject(stored.hex, stored.file, stored.identity, stored.bytes);
    // The same bytes as the index whose objects were just found present: so are they for it.
    // A hard link also changed the source's ctime: its entry is taken again as it now stats.
    rememberIndexDigest(store.objects.objectPath(stored.hex), stored.hex, { objectsPresent: true });
    rememberIndexDigest(stored.file, stored.hex, { objectsPresent: true });
  }
  const kinds = storedKindCounts(state);
  return {
    ref: { object: `sha256:${stored.hex}`, from, snapshot_id: target.snapshot_id },
    bytes: stored.bytes,
    outputsDigest: stored.hex,
    resultDigest: state.result_digest,
    count,
    diagnostics: storedCounts(state) ?? countInBytes(stored.bytes),
    ...(kinds ? { kinds } : {}),
    ...(state.manifest ? { sourceManifest: state.manifest } : {}),
    ...(state.outputs_digest ? { sourceOutputsDigest: state.outputs_digest } : {}),
  };
}
