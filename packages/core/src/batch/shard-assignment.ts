import crypto from 'node:crypto';
import { CodebatchError } from '../errors/codebatch-error';
import type { TaskRecord } from '../schemas/batch-record';
import { parseObjectRef, sha256Hex } from '../util/hash';

export type ShardStrategy = TaskRecord['sharding']['strategy'];

/**
 * What new batches record. A file's shard then depends on its path alone, so an edit never
 * moves a file: the shard it sits in is the only one whose bundle changes.
 */
export const PLANNED_SHARD_STRATEGY: ShardStrategy = 'path_hash';

/** A task's sharding as task.json records it. */
export interface RecordedSharding {
  strategy: ShardStrategy;
  shard_count: number;
  shard_ids?: readonly string[];
}

/** A files-index entry: its snapshot path and its object reference (`sha256:<hex>`). */
export interface ShardedFile {
  path: string;
  object: string;
}

/**
 * Shard of a file under the sharding its batch recorded: a pure function of the file, stable
 * across executions (SPEC 8.1).
 *
 * - path_hash: first byte of sha256(path as UTF-8) mod shard_count.
 * - hash_prefix: first byte of the content hash mod shard_count. Batches planned before
 *   path_hash keep it, so resuming, querying or explaining them finds files where they ran.
 * - single: every file in the one shard recorded.
 * - round_robin (and single naming several shards): never planned by this engine; runs have
 *   always placed their files by content hash, and still do.
 */
export function shardOf(sharding: RecordedSharding, file: ShardedFile): string {
  if (sharding.strategy === 'path_hash') return formatShardId(pathByte(file.path) % sharding.shard_count);
  if (sharding.strategy === 'single' && sharding.shard_ids?.length === 1) return sharding.shard_ids[0]!;
  return byteShard(contentHex(file), sharding.shard_count);
}

/**
 * Whether shardOf says where the producer of the records put each file. A round_robin batch
 * written elsewhere, or a single one naming several shards, depends on more than the file,
 * so readers say "unknown" rather than guess.
 */
export function isFileFunction(sharding: RecordedSharding): boolean {
  if (sharding.strategy === 'single') return sharding.shard_ids?.length === 1;
  return sharding.strategy !== 'round_robin';
}

export function allShardIds(shardCount: number): string[] {
  return Array.from({ length: shardCount }, (_, i) => formatShardId(i));
}

// A run partitions the same paths more than once (plan, verify, run): the first byte of each
// path's sha256 is kept for the process. One-shot crypto.hash (Node 20.12+) has less per-call
// overhead than createHash, which is most of the cost for strings this short.
const pathBytes = new Map<string, number>();
const MAX_PATH_BYTES = 1 << 20;
const hashOnce = (crypto as { hash?: (alg: string, data: string, enc: 'buffer') => Buffer }).hash;

function pathByte(p: string): number {
  let byte = pathBytes.get(p);
  if (byte === undefined) {
    byte = hashOnce ? hashOnce('sha256', p, 'buffer')[0]! : Number.parseInt(sha256Hex(p).slice(0, 2), 16);
    if (pathBytes.size >= MAX_PATH_BYTES) pathBytes.clear();
    pathBytes.set(p, byte);
  }
  return byte;
}

function byteShard(hex: string, shardCount: number): string {
  return formatShardId(Number.parseInt(hex.slice(0, 2), 16) % shardCount);
}

function formatShardId(index: number): string {
  return index.toString(16).padStart(2, '0');
}

function contentHex(file: ShardedFile): string {
  const hex = parseObjectRef(file.object);
  if (hex === undefined) {
    throw new CodebatchError(
      'E_RECORD_INVALID',
      `${file.path}: object ${file.object} is not a sha256 reference`,
      {
        details: { path: file.path, object: file.object },
      },
    );
  }
  return hex;
}
