import fs from 'node:fs';
import path from 'node:path';
import { RACY_WINDOW_MS } from '../util/time';
import { writeFileAtomic } from './atomic-write';
import { adoptIndexDigests, type KnownIndexDigest, knownIndexDigests } from './read-index-file';
import type { Store } from './store';

/**
 * The sha256 of the store's index files that a run on this machine took, kept for the next run
 * in `<store>/indexes/index-digests.json`: a warm run verifies every shard index it skips or
 * reuses, and at 30k files that was 300 MB hashed, a quarter of an unchanged `check`.
 * Acceleration only: deleting it changes no result, and a damaged one is ignored.
 *
 * It must never vouch for bytes it did not hash. An entry counts only while the file's inode,
 * device, size, mtime and ctime are all as they were, and only when mtime and ctime are older
 * than the saving run's start less RACY_WINDOW_MS: the stat cache's rule (stat-cache.ts), so an
 * edit in place within the clock tick of the hashing is never missed. Indexes are replaced by
 * rename, never written in place, so an index the engine rewrote is a new inode. A restored
 * store (the Actions cache, a copy) has new inodes and ctimes, so every byte of it is hashed
 * again: nothing a cache restore brings in is vouched for by this file, even by a crafted one
 * (no file's ctime can be set, and the saving run's start is capped by this file's own ctime).
 */
const FILE_NAME = 'index-digests.json';
const SCHEMA_NAME = 'codebatch.index_digests';
const VERSION = 1;
/** Entries kept: a batch's shard indexes, with room for a few batches of a large tree. */
const MAX_ENTRIES = 4096;

type StoredEntry = [
  file: string,
  ino: number,
  dev: number,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  hex: string,
];

interface StoredFile {
  schema_name: string;
  version: number;
  racy_before_ms: number;
  entries: StoredEntry[];
}

function cacheFile(store: Store): string {
  return path.join(store.layout.indexesDir, FILE_NAME);
}

/** Makes the digests a previous run saved known to this process. Returns how many were taken. */
export function loadIndexDigests(store: Store): number {
  const file = cacheFile(store);
  let stored: StoredFile;
  let ctimeMs: number;
  try {
    ctimeMs = fs.statSync(file).ctimeMs;
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredFile;
  } catch {
    return 0;
  }
  if (stored?.schema_name !== SCHEMA_NAME || stored.version !== VERSION || !Array.isArray(stored.entries))
    return 0;
  if (typeof stored.racy_before_ms !== 'number') return 0;
  const racyBefore = Math.min(stored.racy_before_ms, ctimeMs - RACY_WINDOW_MS);
  const root = store.layout.root;
  const taken: KnownIndexDigest[] = [];
  for (const e of stored.entries) {
    if (!isStoredEntry(e)) return 0;
    const [rel, ino, dev, size, mtimeMs, entryCtimeMs, hex] = e;
    if (!(mtimeMs < racyBefore && entryCtimeMs < racyBefore)) continue;
    taken.push({ file: path.join(root, rel), ino, dev, size, mtimeMs, ctimeMs: entryCtimeMs, hex });
  }
  adoptIndexDigests(taken);
  return taken.length;
}

/**
 * Saves what this process knows of the store's index files, for the next run. `startedAtMs` is
 * the wall clock before this run read or wrote any index: files changed since are left out.
 * Writes nothing when the entries are those already saved.
 */
export function saveIndexDigests(store: Store, startedAtMs: number): void {
  const racyBefore = startedAtMs - RACY_WINDOW_MS;
  const root = store.layout.root;
  const entries: StoredEntry[] = [];
  for (const d of knownIndexDigests()) {
    if (!(d.mtimeMs < racyBefore && d.ctimeMs < racyBefore)) continue;
    const rel = path.relative(root, d.file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    entries.push([rel, d.ino, d.dev, d.size, d.mtimeMs, d.ctimeMs, d.hex]);
    if (entries.length >= MAX_ENTRIES) break;
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const file = cacheFile(store);
  const previous = readEntriesText(file);
  const text = JSON.stringify(entries);
  if (previous === text) return;
  const body: StoredFile = {
    schema_name: SCHEMA_NAME,
    version: VERSION,
    racy_before_ms: racyBefore,
    entries,
  };
  try {
    fs.mkdirSync(store.layout.indexesDir, { recursive: true });
    writeFileAtomic(file, `${JSON.stringify(body)}\n`);
  } catch {
    // An acceleration index: failing to write it must not fail a finished run.
  }
}

function readEntriesText(file: string): string | undefined {
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredFile;
    return JSON.stringify(stored.entries);
  } catch {
    return undefined;
  }
}

function isStoredEntry(e: unknown): e is StoredEntry {
  return (
    Array.isArray(e) &&
    e.length === 7 &&
    typeof e[0] === 'string' &&
    !path.isAbsolute(e[0]) &&
    !e[0].split(/[\\/]/).includes('..') &&
    e.slice(1, 6).every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    typeof e[6] === 'string' &&
    /^[a-f0-9]{64}$/.test(e[6])
  );
}
