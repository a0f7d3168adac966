import { createHash } from 'node:crypto';
import { readBatchRecord } from '../batch/read-batch';
import type { OutputRecord } from '../schemas/output-record';
import { parseJsonl } from '../store/jsonl';
import type { Store } from '../store/store';
import { readCommittedIndex } from './committed-outputs';
import { readShardState } from './shard-state';

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
  /** Run manifest of the source shard run, if it recorded one. */
  sourceManifest?: string;
  records(): OutputRecord[];
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
  // Ids match ^[a-zA-Z0-9_-]+$ and serializeOutputs writes the envelope without whitespace, so
  // these literal patterns touch exactly the envelope fields. Bytes, not strings: a reused
  // batch copies tens of megabytes, and generated ids of one kind share a length, so most
  // replacements are in-place patches of a copy.
  let out: Buffer = Buffer.from(bytes);
  out = replaceField(out, 'snapshot_id', sourceSnapshot, target.snapshot_id);
  out = replaceField(out, 'batch_id', source.batch_id, target.batch_id);
  out = replaceField(out, 'task_id', source.task_id, target.task_id);
  out = replaceField(out, 'shard_id', source.shard_id, target.shard_id);
  return {
    bytes: out,
    outputsDigest: createHash('sha256').update(out).digest('hex'),
    resultDigest: state.result_digest,
    count: countLines(out),
    ...(state.manifest ? { sourceManifest: state.manifest } : {}),
    records: () => parseJsonl<OutputRecord>(out.toString('utf8')).records,
  };
}

function replaceField(buf: Buffer, field: string, from: string, to: string): Buffer {
  if (from === to) return buf;
  const pattern = Buffer.from(`"${field}":${JSON.stringify(from)},`);
  const replacement = Buffer.from(`"${field}":${JSON.stringify(to)},`);
  if (pattern.length === replacement.length) {
    for (let i = buf.indexOf(pattern); i !== -1; i = buf.indexOf(pattern, i + pattern.length))
      replacement.copy(buf, i);
    return buf;
  }
  const parts: Buffer[] = [];
  let last = 0;
  for (let i = buf.indexOf(pattern); i !== -1; i = buf.indexOf(pattern, i + pattern.length)) {
    parts.push(buf.subarray(last, i), replacement);
    last = i + pattern.length;
  }
  parts.push(buf.subarray(last));
  return Buffer.concat(parts);
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n += 1;
  return n;
}
