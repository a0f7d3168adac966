import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { OutputRecord } from '../schemas/output-record';
import { parseJsonl } from '../store/jsonl';
import type { Store } from '../store/store';
import { sha256Hex } from '../util/hash';
import { readShardState } from './shard-state';

export interface BundleLocation {
  batch_id: string;
  task_id: string;
  shard_id: string;
}

export interface ReusedOutputs {
  text: string;
  outputsDigest: string;
  resultDigest: string;
  count: number;
  records(): OutputRecord[];
}

const OBJECT_REF = /"object":"sha256:([a-f0-9]{64})"/g;

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
  let bytes: Buffer;
  let sourceSnapshot: string;
  try {
    state = readShardState(store, source.batch_id, source.task_id, source.shard_id);
    if (
      state.status !== 'done' ||
      state.bundle_hash !== bundleHash ||
      !state.outputs_digest ||
      !state.result_digest
    )
      return undefined;
    bytes = fs.readFileSync(store.layout.outputsFile(source.batch_id, source.task_id, source.shard_id));
    if (`sha256:${sha256Hex(bytes)}` !== state.outputs_digest) return undefined;
    const batch = JSON.parse(fs.readFileSync(store.layout.batchFile(source.batch_id), 'utf8')) as {
      snapshot_id: string;
    };
    sourceSnapshot = batch.snapshot_id;
  } catch {
    return undefined;
  }
  let text = bytes.toString('utf8');
  for (const match of text.matchAll(OBJECT_REF)) {
    if (!store.objects.hasObject(match[1]!)) return undefined;
  }
  // Ids match ^[a-zA-Z0-9_-]+$ and the envelope is written by serializeOutputs with no
  // whitespace, so these literal replacements touch exactly the envelope fields.
  text = replaceField(text, 'snapshot_id', sourceSnapshot, target.snapshot_id);
  text = replaceField(text, 'batch_id', source.batch_id, target.batch_id);
  text = replaceField(text, 'task_id', source.task_id, target.task_id);
  text = replaceField(text, 'shard_id', source.shard_id, target.shard_id);
  const count = countLines(text);
  return {
    text,
    outputsDigest: createHash('sha256').update(text).digest('hex'),
    resultDigest: state.result_digest,
    count,
    records: () => parseJsonl<OutputRecord>(text).records,
  };
}

function replaceField(text: string, field: string, from: string, to: string): string {
  if (from === to) return text;
  return text.split(`"${field}":${JSON.stringify(from)},`).join(`"${field}":${JSON.stringify(to)},`);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
