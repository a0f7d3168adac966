import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';
import type { SnapshotRecord } from '../schemas/snapshot-record';
import { tempName, writeFileAtomic } from '../store/atomic-write';
import type { Store } from '../store/store';
import { stableJsonPretty } from '../util/canonical-json';
import { sha256Hex, toObjectRef } from '../util/hash';
import { FILES_INDEX_FILE, SNAPSHOT_FILE, tryReadSnapshotRecord } from './read-snapshot';

/**
 * Installs snapshots/<id>/ all at once. Both files are written (atomically, files.index.jsonl
 * first) into a staging directory under tmp/, which is then renamed into place. rename() of a
 * directory onto an existing non-empty one fails, so:
 *   - a crash leaves at most a staging directory in tmp/, never a half snapshot;
 *   - of two processes publishing the same id, exactly one wins and the other sees its result,
 *     so a published snapshot is never rewritten (SPEC invariant 2: created_at stays put).
 * When the id already exists, its content decides: identical index digest -> reused; different
 * -> E_SNAPSHOT_EXISTS.
 */
export function publishSnapshot(
  store: Store,
  record: SnapshotRecord,
  indexBytes: Uint8Array,
): { record: SnapshotRecord; reused: boolean } {
  const id = record.snapshot_id;
  const finalDir = store.layout.snapshotDir(id);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = tryReadSnapshotRecord(store, id);
    if (existing) return { record: compareExisting(store, existing, record), reused: true };
    const staging = path.join(store.layout.tmpDir, tempName(`snapshot-${id}`));
    try {
      fs.mkdirSync(staging, { recursive: true });
      writeFileAtomic(path.join(staging, FILES_INDEX_FILE), indexBytes);
      writeFileAtomic(path.join(staging, SNAPSHOT_FILE), stableJsonPretty(record));
      fs.mkdirSync(path.dirname(finalDir), { recursive: true });
      fs.renameSync(staging, finalDir);
      return { record, reused: false };
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno !== 'ENOTEMPTY' && errno !== 'EEXIST')
        throw toCodebatchError(error, `writing snapshot ${id}`);
      // Taken meanwhile by a concurrent writer (loop: compare with it), or debris without
      // snapshot.json that no complete snapshot can have left: clear it and retry.
      if (!tryReadSnapshotRecord(store, id)) fs.rmSync(finalDir, { recursive: true, force: true });
    }
  }
  throw new CodebatchError('E_LOCKED', `could not publish snapshot ${id}: its directory keeps changing`, {
    hints: ['Another process is writing the same snapshot id; retry when it has finished.'],
  });
}

function compareExisting(store: Store, existing: SnapshotRecord, wanted: SnapshotRecord): SnapshotRecord {
  const existingDigest = existing.files_index_digest ?? digestOfIndexFile(store, existing.snapshot_id);
  if (existingDigest === wanted.files_index_digest) return existing;
  throw new CodebatchError(
    'E_SNAPSHOT_EXISTS',
    `snapshot ${existing.snapshot_id} already exists with different content`,
    {
      hints: ['Snapshots are immutable. Choose another --id, or omit --id to get a content-derived id.'],
      details: {
        snapshot_id: existing.snapshot_id,
        existing: existingDigest,
        new: wanted.files_index_digest,
      },
    },
  );
}

function digestOfIndexFile(store: Store, id: string): string | undefined {
  try {
    return toObjectRef(sha256Hex(fs.readFileSync(store.layout.filesIndexFile(id))));
  } catch {
    return undefined;
  }
}
