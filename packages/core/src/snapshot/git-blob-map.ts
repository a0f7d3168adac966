import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write';
import { isValidId } from '../store/layout';
import { everyObjectField } from '../store/object-fields';
import type { Store } from '../store/store';
import { sha256Hex, toObjectRef } from '../util/hash';
import { tryReadSnapshotRecord } from './read-snapshot';

/**
 * `<store>/indexes/git-blobs.json`: git blob id -> the sha256 object, size and text flag that
 * snapshots found for those bytes. With readCleanBlobIds it lets a fresh checkout of a known
 * commit be snapshotted without reading the files git vouches for (see git-clean-blobs.ts).
 * Acceleration only (SPEC invariant 6): deleting it changes no output, a damaged one is
 * ignored, and an entry is used only when its object is in the store with the recorded size
 * and the file's size agrees. Like the memo, it is trusted for integrity, not authenticity.
 */
const SCHEMA_NAME = 'codebatch.git_blob_map';
const VERSION = 1;
/** Entries kept: about 100 bytes each, so the file stays a few tens of MB at most. */
const MAX_ENTRIES = 500_000;
const BLOB_ID = /^[a-f0-9]{40}([a-f0-9]{24})?$/;
const HEX64 = /^[a-f0-9]{64}$/;
const OBJECT_REF = /^sha256:[a-f0-9]{64}$/;

export interface BlobEntry {
  hex: string;
  size: number;
  text: boolean;
}

type StoredEntry = [blob: string, hex: string, size: number, text: 0 | 1];

function mapFile(store: Store): string {
  return path.join(store.layout.indexesDir, 'git-blobs.json');
}

/**
 * The map's entries, and the snapshot it was last saved with (`anchor`): while that snapshot is
 * kept, every object its files index names is in the store (gc keeps them), so an entry naming
 * one of those needs no lookup (objectsOfKeptSnapshot).
 */
export interface GitBlobMap {
  entries: Map<string, BlobEntry>;
  anchor?: SnapshotAnchor;
}

export interface SnapshotAnchor {
  id: string;
  filesIndexDigest: string;
}

export function loadGitBlobMap(store: Store): GitBlobMap {
  const out = new Map<string, BlobEntry>();
  let stored: { schema_name?: unknown; version?: unknown; entries?: unknown; snapshot?: unknown };
  try {
    stored = JSON.parse(fs.readFileSync(mapFile(store), 'utf8'));
  } catch {
    return { entries: out };
  }
  if (stored?.schema_name !== SCHEMA_NAME || stored.version !== VERSION || !Array.isArray(stored.entries))
    return { entries: out };
  for (const e of stored.entries as unknown[]) {
    if (!isStoredEntry(e)) return { entries: new Map() };
    out.set(e[0], { hex: e[1], size: e[2], text: e[3] === 1 });
  }
  const snap = stored.snapshot as { id?: unknown; files_index_digest?: unknown } | undefined;
  // Checked as ids are: the anchor names a path under snapshots/, never one outside the store.
  const anchor =
    typeof snap?.id === 'string' &&
    isValidId(snap.id) &&
    typeof snap.files_index_digest === 'string' &&
    OBJECT_REF.test(snap.files_index_digest)
      ? { id: snap.id, filesIndexDigest: snap.files_index_digest }
      : undefined;
  return anchor ? { entries: out, anchor } : { entries: out };
}

/**
 * Adds `fresh` (this snapshot's clean files) to the map; the oldest entries go past the cap. The
 * map is written when an entry is new or differs, or its anchor is no longer kept (`anchorKept`
 * false): it then names `snapshot`, the snapshot just published.
 */
export function saveGitBlobMap(
  store: Store,
  previous: GitBlobMap,
  fresh: Map<string, BlobEntry>,
  snapshot: SnapshotAnchor,
  anchorKept: boolean,
): void {
  let changed = !anchorKept;
  for (const [blob, e] of fresh) {
    const old = previous.entries.get(blob);
    if (!old || old.hex !== e.hex || old.size !== e.size || old.text !== e.text) changed = true;
  }
  if (!changed) return;
  const merged = new Map(previous.entries);
  // Re-inserted at the end, so the ones this snapshot used are the last to be dropped.
  for (const [blob, e] of fresh) {
    merged.delete(blob);
    merged.set(blob, e);
  }
  const entries: StoredEntry[] = [];
  for (const [blob, e] of merged) entries.push([blob, e.hex, e.size, e.text ? 1 : 0]);
  const kept = entries.slice(Math.max(0, entries.length - MAX_ENTRIES));
  writeFileAtomic(
    mapFile(store),
    JSON.stringify({
      schema_name: SCHEMA_NAME,
      version: VERSION,
      snapshot: { id: snapshot.id, files_index_digest: snapshot.filesIndexDigest },
      entries: kept,
    }),
  );
}

function isStoredEntry(e: unknown): e is StoredEntry {
  return (
    Array.isArray(e) &&
    e.length === 4 &&
    typeof e[0] === 'string' &&
    BLOB_ID.test(e[0]) &&
    typeof e[1] === 'string' &&
    HEX64.test(e[1]) &&
    Number.isInteger(e[2]) &&
    e[2] >= 0 &&
    (e[3] === 0 || e[3] === 1)
  );
}

/**
 * The objects `anchor`'s files index names, when that snapshot is still kept (its record names
 * the same files index digest, and the index bytes hash to it); else undefined. gc keeps every
 * object of a kept snapshot, so each of these is in the store: a fresh checkout's snapshot takes
 * them from the map without a lookup each (8.8k lookups were 50-80 ms of a CI run's snapshot). An
 * object removed by hand while its snapshot is kept is not noticed here, as with the stat cache
 * (`verify` reports it); one gc pruned belongs to no kept snapshot, and is looked up.
 */
export function objectsOfKeptSnapshot(
  store: Store,
  anchor: SnapshotAnchor | undefined,
): Set<string> | undefined {
  if (!anchor) return undefined;
  try {
    if (tryReadSnapshotRecord(store, anchor.id)?.files_index_digest !== anchor.filesIndexDigest)
      return undefined;
    const bytes = fs.readFileSync(store.layout.filesIndexFile(anchor.id));
    if (toObjectRef(sha256Hex(bytes)) !== anchor.filesIndexDigest) return undefined;
    const hexes = new Set<string>();
    everyObjectField(bytes, (hex) => {
      hexes.add(hex);
      return true;
    });
    return hexes;
  } catch {
    return undefined; // an unreadable record or index: look each object up
  }
}
