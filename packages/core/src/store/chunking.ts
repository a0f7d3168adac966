import { CodebatchError } from '../errors/codebatch-error';
import { type ChunkManifest, chunkManifestSchema } from '../schemas/chunk-manifest';
import { canonicalJson } from '../util/canonical-json';
import { parseObjectRef, toObjectRef } from '../util/hash';
import { verifiesReads } from '../util/read-verification';
import { PRODUCER, SCHEMA_VERSION } from '../version';
import type { ObjectStore } from './object-store';

/** SPEC 10 threshold default, as the reference: 16 MiB. Configurable per store and in tests. */
export const DEFAULT_CHUNK_THRESHOLD = 16 * 1024 * 1024;
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
export const CHUNKED_SUFFIX = '+chunks';

export interface ChunkingOptions {
  threshold: number;
  chunkSize: number;
}

/**
 * A text output up to this many UTF-8 bytes is kept in its record (`inline`) instead of becoming
 * an object. Objects are one file (and mostly one new directory) each: of the benchmark corpus's
 * 7.6k ASTs, 79% are at most 4 KB (7.9 MB together, the median 1.3 KB), and kept inline they made
 * a cold run take 8% less CPU and its store hold 4.1k fewer files (docs/ast-format.md).
 */
export const INLINE_OUTPUT_MAX_BYTES = 4096;

/** Where a stored output is: an object (`object`, a chunk manifest's when chunked) or inline. */
export type StoredOutputRef = { format: string } & ({ object: string } | { inline: string });

/** `json+chunks` marks a record whose object is a chunk manifest (the reference's spelling). */
export function isChunkedFormat(format: unknown): boolean {
  return typeof format === 'string' && format.endsWith(CHUNKED_SUFFIX);
}

/**
 * Stores an output. With `mayInline`, UTF-8 text of at most INLINE_OUTPUT_MAX_BYTES stays in the
 * record (`inline`); above the threshold it is split into fixed-size chunks plus a manifest
 * object (SPEC 10.2), and the record then references the manifest. Chunk boundaries are a pure
 * function of the bytes, so identical outputs chunk identically and deduplicate.
 */
export function writeOutputObject(
  objects: ObjectStore,
  kind: string,
  format: string,
  data: string | Uint8Array,
  options: ChunkingOptions = { threshold: DEFAULT_CHUNK_THRESHOLD, chunkSize: DEFAULT_CHUNK_SIZE },
  mayInline = false,
): StoredOutputRef {
  const bytes =
    typeof data === 'string'
      ? Buffer.from(data, 'utf8')
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Never above the chunking threshold (SPEC 10.1: larger outputs are chunked). Bytes are kept
  // only when they are UTF-8 that decodes and encodes back to themselves.
  if (mayInline && bytes.length <= Math.min(INLINE_OUTPUT_MAX_BYTES, options.threshold)) {
    const text = typeof data === 'string' ? data : bytes.toString('utf8');
    if (typeof data === 'string' || Buffer.from(text, 'utf8').equals(bytes)) return { inline: text, format };
  }
  if (bytes.length <= options.threshold) return { object: toObjectRef(objects.writeObject(bytes)), format };
  const chunks: ChunkManifest['chunks'] = [];
  for (let offset = 0, index = 0; offset < bytes.length; offset += options.chunkSize, index += 1) {
    const part = bytes.subarray(offset, Math.min(offset + options.chunkSize, bytes.length));
    chunks.push({ object: toObjectRef(objects.writeObject(part)), size: part.length, index });
  }
  const manifest: ChunkManifest = {
    schema_name: 'codebatch.chunk_manifest',
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    kind,
    format,
    chunks,
    total_bytes: bytes.length,
    chunk_size: options.chunkSize,
  };
  return {
    object: toObjectRef(objects.writeObject(canonicalJson(manifest))),
    format: `${format}${CHUNKED_SUFFIX}`,
  };
}

/**
 * Reads a stored output: inline (`inline`), or an object, reassembling (and length-checking)
 * chunked ones. Every object read (the manifest and each chunk) is checked against its digest:
 * an upstream AST a task loads, or an object a query shows, is never a damaged copy.
 */
export function readOutputObject(
  objects: ObjectStore,
  ref: { object?: string; format?: string; inline?: string },
): Buffer {
  // An inline output is in the record, whose index line was checked against its digest.
  if (typeof ref.inline === 'string' && ref.object === undefined) return Buffer.from(ref.inline, 'utf8');
  const hex = ref.object ? parseObjectRef(ref.object) : undefined;
  if (!hex)
    throw new CodebatchError('E_RECORD_INVALID', `output record has no valid object reference`, {
      details: { ref },
    });
  const read = (h: string) => (verifiesReads() ? objects.readObjectVerified(h) : objects.readObject(h));
  const bytes = read(hex);
  if (!isChunkedFormat(ref.format)) return bytes;
  const parsed = chunkManifestSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  if (!parsed.success) {
    throw new CodebatchError('E_OBJECT_CORRUPT', `chunk manifest ${ref.object} is invalid`, {
      details: { object: ref.object },
    });
  }
  const parts = [...parsed.data.chunks]
    .sort((a, b) => a.index - b.index)
    .map((c) => read(parseObjectRef(c.object)!));
  const whole = Buffer.concat(parts);
  if (whole.length !== parsed.data.total_bytes) {
    throw new CodebatchError(
      'E_OBJECT_CORRUPT',
      `chunked output ${ref.object} reassembles to ${whole.length} bytes, manifest says ${parsed.data.total_bytes}`,
    );
  }
  return whole;
}
