import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../store/atomic-write';
import { type EnvelopeIds, envelopeIdsPrefix } from '../store/index-envelope';
import { rememberIndexDigest } from '../store/read-index-file';
import { digestRecordTexts } from './record-text';

export interface SerializedOutputs {
  /** outputs.index.jsonl bytes. */
  text: string;
  /** sha256 hex of `text`: integrity of the committed index. */
  outputsDigest: string;
  /** sha256 hex of the records without envelope: what downstream bundles depend on. */
  resultDigest: string;
  count: number;
}

/**
 * Serialises task outputs (their texts, see record-text.ts) as index lines. The envelope is
 * written as a fixed prefix and the task's own fields follow it, so a record is stringified
 * once, when the task returns it; the semantic digest hashes exactly those task-owned bytes,
 * which do not depend on batch, snapshot or time.
 */
export function serializeOutputs(outputs: readonly { tail: string }[], ids: EnvelopeIds): SerializedOutputs {
  const prefix = `${envelopeIdsPrefix(ids)}"ts":${JSON.stringify(ids.ts)},`;
  const parts: string[] = [];
  for (const { tail } of outputs) parts.push(prefix, tail, '\n');
  const text = parts.join('');
  return {
    text,
    outputsDigest: createHash('sha256').update(text).digest('hex'),
    // The digest later tasks' file keys take of one file's records, over the whole shard.
    resultDigest: digestRecordTexts(outputs),
    count: outputs.length,
  };
}

/**
 * Atomic replace: a re-run never appends duplicates, and a crash leaves the old index whole.
 * `hex` (the sha256 of `data`, which the caller has) spares this process hashing it again.
 */
export function commitOutputsFile(file: string, data: string | Uint8Array, hex: string): void {
  writeFileAtomic(file, data);
  rememberIndexDigest(file, hex);
}
