import { CodebatchError } from '../errors/codebatch-error';
import type { OutputsRef, ShardState } from '../schemas/state-record';
import { parseObjectRef } from '../util/hash';
import type { EnvelopeIdSet } from './index-envelope';
import { type IndexFileRead, readIndexDigest, readIndexFile } from './read-index-file';
import { restampIndex } from './restamp-index';
import type { Store } from './store';

/**
 * The one reader of a shard's stored outputs index. A shard holds its records either in its own
 * outputs.index.jsonl or, when it reused another shard's (state.outputs_ref), in an object
 * that keeps that shard's index as it was written. Every reader (queries, verify, the runner,
 * provenance, merge, gc) goes through here, so none reads a reference's stub as records.
 */

export interface StoredOutputs extends IndexFileRead {
  /** The file the bytes came from: the shard's own index, or the object it references. */
  file: string;
  /** The envelope ids the stored lines carry, when they are not the shard's own (a reference). */
  from?: EnvelopeIdSet;
}

/**
 * The reference a state's records are read through, or undefined when they are in the shard's
 * own index. A reference counts only while it names the state's outputs_digest: an engine from
 * before references that re-runs a reused shard keeps `outputs_ref` in the state it spreads, but
 * writes a new index and its digest, and that index is then the shard's records.
 */
export function outputsRefOf(
  state: Pick<ShardState, 'outputs_ref' | 'outputs_digest'> | undefined,
): OutputsRef | undefined {
  const ref = state?.outputs_ref;
  return ref && ref.object === state.outputs_digest ? ref : undefined;
}

type RefState = Pick<ShardState, 'outputs_ref' | 'outputs_digest'>;

export interface ShardLocation {
  batch_id: string;
  task_id: string;
  shard_id: string;
}

/**
 * A shard's stored index bytes with their sha256 (what state.outputs_digest names), or
 * undefined when there is no such file. The bytes of a reference are the referenced shard's,
 * with its ids: callers that strip the envelope use them as they are; readers that answer with
 * records call restampStoredOutputs.
 */
export function readStoredOutputs(
  store: Store,
  location: ShardLocation,
  state: RefState | undefined,
): StoredOutputs | undefined {
  const file = storedOutputsFile(store, location, state);
  const read = file === undefined ? undefined : readIndexFile(file);
  if (!read || file === undefined) return undefined;
  const from = outputsRefOf(state)?.from;
  return { ...read, file, ...(from ? { from } : {}) };
}

/** readStoredOutputs for a caller that needs only the digest (hashed only if not known yet). */
export function readStoredOutputsDigest(
  store: Store,
  location: ShardLocation,
  state: RefState | undefined,
): { hex: string; file: string } | undefined {
  const file = storedOutputsFile(store, location, state);
  if (file === undefined) return undefined;
  const hex = readIndexDigest(file);
  return hex === undefined ? undefined : { hex, file };
}

/** The file a shard's stored index is read from: its own index, or the object a reused shard references. */
export function storedOutputsFile(
  store: Store,
  location: ShardLocation,
  state: RefState | undefined,
): string | undefined {
  const ref = outputsRefOf(state);
  if (!ref) return store.layout.outputsFile(location.batch_id, location.task_id, location.shard_id);
  const hex = parseObjectRef(ref.object);
  return hex === undefined ? undefined : store.objects.objectPath(hex);
}

/**
 * The records of `stored` as this shard's own: a reference's lines re-stamped with the shard's
 * ids (in place: the bytes were read for this call). E_INDEX_CORRUPT when a line does not carry
 * the ids the reference says it does; call only after the digest check.
 */
export function restampStoredOutputs(
  stored: Pick<StoredOutputs, 'bytes' | 'file'>,
  state: ShardState,
): Buffer {
  const ref = state.outputs_ref;
  if (!ref) return stored.bytes;
  const restamped = restampIndex(stored.bytes, ref.from, ownIds(ref, state), { inPlace: true });
  if (!restamped) {
    throw new CodebatchError(
      'E_INDEX_CORRUPT',
      `${stored.file}: the records shard ${state.task_id}/${state.shard_id} of ${state.batch_id} reuses do not carry the ids its state names`,
      {
        hints: ['Re-run the affected shard with --force to rewrite its index, or run `codebatch verify`.'],
        details: {
          file: stored.file,
          batch_id: state.batch_id,
          task_id: state.task_id,
          shard_id: state.shard_id,
        },
      },
    );
  }
  return restamped.bytes;
}

/** The ids a referencing shard's records carry. */
export function ownIds(
  ref: OutputsRef,
  state: Pick<ShardState, 'batch_id' | 'task_id' | 'shard_id'>,
): EnvelopeIdSet {
  // The lines keep their schema_version: re-stamping changes where they are, not what they are.
  return {
    ...(ref.from.schema_version !== undefined ? { schema_version: ref.from.schema_version } : {}),
    snapshot_id: ref.snapshot_id,
    batch_id: state.batch_id,
    task_id: state.task_id,
    shard_id: state.shard_id,
  };
}

/**
 * What a referencing shard keeps in its own outputs.index.jsonl: one line that is not a record.
 * An engine from before references reads the file, finds that it does not hash to the state's
 * outputs_digest, and fails with E_INDEX_CORRUPT, where a missing file would read as a shard
 * without outputs.
 */
export function outputsRefStub(ref: OutputsRef): string {
  return `${JSON.stringify({
    codebatch_outputs_ref: ref.object,
    note: 'this shard reuses the records of the object named here, re-stamped with its own ids; read it with a codebatch that knows state.outputs_ref',
  })}\n`;
}
