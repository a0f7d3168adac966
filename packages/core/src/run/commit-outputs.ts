import { createHash } from 'node:crypto';
import type { TaskOutput } from '../schemas/output-record';
import { writeFileAtomic } from '../store/atomic-write';
import { type EnvelopeIds, envelopeIdsPrefix } from '../store/index-envelope';
import { rememberIndexDigest } from '../store/read-index-file';

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
 * Serialises task outputs as index lines. The envelope is written as a fixed prefix and the
 * task's own fields follow it, so each record is stringified once; the semantic digest
 * hashes exactly those task-owned bytes, which do not depend on batch, snapshot or time.
 */
export function serializeOutputs(outputs: readonly TaskOutput[], ids: EnvelopeIds): SerializedOutputs {
  const prefix = `${envelopeIdsPrefix(ids)}"ts":${JSON.stringify(ids.ts)},`;
  const semantic = createHash('sha256');
  const parts: string[] = [];
  for (const output of outputs) {
    const body = JSON.stringify(output);
    semantic.update(body);
    semantic.update('\n');
    parts.push(prefix, body.slice(1), '\n');
  }
  const text = parts.join('');
  return {
    text,
    outputsDigest: createHash('sha256').update(text).digest('hex'),
    resultDigest: semantic.digest('hex'),
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
