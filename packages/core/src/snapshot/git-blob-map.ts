import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write';
import type { Store } from '../store/store';

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

export interface BlobEntry {
  hex: string;
  size: number;
  text: boolean;
}

type StoredEntry = [blob: string, hex: string, size: number, text: 0 | 1];

function mapFile(store: Store): string {
  return path.join(store.layout.indexesDir, 'git-blobs.json');
}

export function loadGitBlobMap(store: Store): Map<string, BlobEntry> {
  const out = new Map<string, BlobEntry>();
  let stored: { schema_name?: unknown; version?: unknown; entries?: unknown };
  try {
    stored = JSON.parse(fs.readFileSync(mapFile(store), 'utf8'));
  } catch {
    return out;
  }
  if (stored?.schema_name !== SCHEMA_NAME || stored.version !== VERSION || !Array.isArray(stored.entries))
    return out;
  for (const e of stored.entries as unknown[]) {
    if (!isStoredEntry(e)) return new Map();
    out.set(e[0], { hex: e[1], size: e[2], text: e[3] === 1 });
  }
  return out;
}

/** Adds `fresh` (this snapshot's clean files) to the map; the oldest entries go past the cap. */
export function saveGitBlobMap(
  store: Store,
  previous: Map<string, BlobEntry>,
  fresh: Map<string, BlobEntry>,
): void {
  let changed = false;
  for (const [blob, e] of fresh) {
    const old = previous.get(blob);
    if (!old || old.hex !== e.hex || old.size !== e.size || old.text !== e.text) changed = true;
  }
  if (!changed) return;
  const merged = new Map(previous);
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
    JSON.stringify({ schema_name: SCHEMA_NAME, version: VERSION, entries: kept }),
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
