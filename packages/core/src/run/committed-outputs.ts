import type { ShardState } from '../schemas/state-record';
import { CHUNKED_SUFFIX } from '../store/chunking';
import { everyObjectField } from '../store/object-fields';
import { markObjectsPresent } from '../store/read-index-file';
import { readStoredOutputs, type StoredOutputs } from '../store/shard-outputs';
import type { Store } from '../store/store';
import { verifiesReads } from '../util/read-verification';

/**
 * The stored outputs index of a done shard, or undefined unless its bytes hash to the state's
 * outputs_digest (and, with `checkObjects`, every object the records reference is in the
 * store). The one check behind skipping a done shard, reusing another batch's shard, and
 * taking a file's records from the memo: none of them trusts an index it has not verified.
 * A reused shard's bytes carry the ids of the shard they were written for (`from`): these
 * callers strip or replace the envelope, so nothing is re-stamped here.
 */
export function readCommittedIndex(
  store: Store,
  location: { batch_id: string; task_id: string; shard_id: string },
  state: ShardState,
  options: { checkObjects?: boolean } = {},
): StoredOutputs | undefined {
  if (state.status !== 'done' || !state.outputs_digest) return undefined;
  let read: StoredOutputs | undefined;
  try {
    read = readStoredOutputs(store, location, state);
  } catch {
    return undefined;
  }
  if (!read || `sha256:${read.hex}` !== state.outputs_digest) return undefined;
  if (options.checkObjects && !read.objectsPresent) {
    if (!referencedObjectsExist(store, read.bytes)) return undefined;
    markObjectsPresent(read.file, read);
  }
  return read;
}

const NEWLINE = 0x0a;

/**
 * Scans index bytes for object references (no parse) and checks each is present; a reference
 * on a record whose format is chunked names a chunk manifest, whose chunks must be present too
 * (a result is only reusable when everything it references, transitively, can be read back).
 */
function referencedObjectsExist(store: Store, bytes: Buffer): boolean {
  return everyObjectField(bytes, (hex, at) => {
    if (!store.objects.hasObject(hex)) return false;
    const lineEnd = bytes.indexOf(NEWLINE, at);
    const line = bytes.toString(
      'utf8',
      bytes.lastIndexOf(NEWLINE, at) + 1,
      lineEnd === -1 ? bytes.length : lineEnd,
    );
    return !(line.includes(CHUNKED_FORMAT_MARK) && verifiesReads() && !chunksExist(store, hex));
  });
}

const CHUNKED_FORMAT_MARK = `${CHUNKED_SUFFIX}"`;

function chunksExist(store: Store, manifestHex: string): boolean {
  try {
    const manifest = JSON.parse(store.objects.readObjectVerified(manifestHex).toString('utf8')) as {
      chunks?: { object?: unknown }[];
    };
    if (!Array.isArray(manifest.chunks)) return false;
    return manifest.chunks.every(
      (c) => typeof c.object === 'string' && store.objects.hasObject(c.object.replace(/^sha256:/, '')),
    );
  } catch {
    return false;
  }
}
