import fs from 'node:fs';
import type { ShardState } from '../schemas/state-record';
import type { Store } from '../store/store';
import { sha256Hex } from '../util/hash';

/**
 * The committed outputs index of a done shard, or undefined unless its bytes hash to the
 * state's outputs_digest (and, with `checkObjects`, every object the records reference is in
 * the store). The one check behind skipping a done shard, reusing another batch's shard, and
 * taking a file's records from the memo: none of them trusts an index it has not verified.
 */
export function readCommittedIndex(
  store: Store,
  location: { batch_id: string; task_id: string; shard_id: string },
  state: ShardState,
  options: { checkObjects?: boolean } = {},
): Buffer | undefined {
  if (state.status !== 'done' || !state.outputs_digest) return undefined;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(store.layout.outputsFile(location.batch_id, location.task_id, location.shard_id));
  } catch {
    return undefined;
  }
  if (`sha256:${sha256Hex(bytes)}` !== state.outputs_digest) return undefined;
  if (options.checkObjects && !referencedObjectsExist(store, bytes)) return undefined;
  return bytes;
}

const OBJECT_MARK = Buffer.from('"object":"sha256:');

/** Scans index bytes for object references (no parse) and checks each is present. */
function referencedObjectsExist(store: Store, bytes: Buffer): boolean {
  for (let i = bytes.indexOf(OBJECT_MARK); i !== -1; i = bytes.indexOf(OBJECT_MARK, i + 1)) {
    const start = i + OBJECT_MARK.length;
    if (!store.objects.hasObject(bytes.toString('latin1', start, start + 64))) return false;
  }
  return true;
}
