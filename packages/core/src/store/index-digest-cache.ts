import fs from 'node:fs';
import path from 'node:path';
import { changedBefore } from '../util/stat-fingerprint';
import { RACY_WINDOW_MS } from '../util/time';
import { writeFileAtomic } from './atomic-write';
import { isStoreRelativePath } from './layout';
import { adoptIndexDigests, type KnownIndexDigest, knownIndexDigests } from './read-index-file';
import type { Store } from './store';

/**
 * The sha256 of the store's index files that a run on this machine took, kept for the next run
 * in `<store>/indexes/index-digests.json`: a warm run verifies every shard index it skips or
 * reuses, and at 30k files that was 300 MB hashed, a quarter of an unchanged `check`.
 * Acceleration only: deleting it changes no result, and a damaged one is ignored.
 *
 * It must never vouch for bytes it did not hash. Only digests a process computed from the bytes
 * are saved (never a writer's record of what it wrote), and only when the file's mtime and ctime
 * were older than the moment the bytes were read less RACY_WINDOW_MS: the stat cache's rule
 * (git's "racily clean"), so an edit in place within the clock tick of the hashing is never
 * missed. An entry then counts only while the file's inode, device, size, mtime and ctime are all
 * as they were. Indexes are replaced by rename, never written in place, so an index the engine
 * rewrote is a new inode. No program can set a ctime, so a store restored from the Actions cache
 * or copied has ctimes (and inodes) no entry holds, and every byte it brings in is hashed again,
 * whatever this file says.
 *
 * Only the main thread's digests are kept: shard chains run in worker threads hash on their own.
 */
const FILE_NAME = 'index-digests.json';
const SCHEMA_NAME = 'codebatch.index_digests';
const VERSION = 3;
/** Entries kept: those this run read first, then older ones it did not need. */
const MAX_ENTRIES = 2048;

type StoredEntry = [
  file: string,
  ino: number,
  dev: number,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  hex: string,
  hashedAtMs: number,
  /** 1: every object the index references was in the store (read-index-file.ts, markObjectsPresent). */
  objectsPresent: 0 | 1,
];

interface StoredFile {
  schema_name: string;
  version: number;
  entries: StoredEntry[];
}

function cacheFile(store: Store): string {
  return path.join(store.layout.indexesDir, FILE_NAME);
}

/** Makes the digests a previous run saved known to this process. Returns how many were taken. */
export function loadIndexDigests(store: Store): number {
  let stored: StoredFile;
  try {
    stored = JSON.parse(fs.readFileSync(cacheFile(store), 'utf8')) as StoredFile;
  } catch {
    return 0;
  }
  if (stored?.schema_name !== SCHEMA_NAME || stored.version !== VERSION || !Array.isArray(stored.entries))
    return 0;
  const root = store.layout.root;
  const taken: KnownIndexDigest[] = [];
  for (const e of stored.entries) {
    if (!isStoredEntry(e)) return 0;
    const [rel, ino, dev, size, mtimeMs, ctimeMs, hex, hashedAtMs, objectsPresent] = e;
    if (!isRacyClean(mtimeMs, ctimeMs, hashedAtMs)) continue;
    taken.push({
      file: path.join(root, rel),
      ino,
      dev,
      size,
      mtimeMs,
      ctimeMs,
      hex,
      hashedAtMs,
      used: false,
      ...(objectsPresent === 1 ? { objectsPresent: true } : {}),
    });
  }
  adoptIndexDigests(taken);
  return taken.length;
}

/**
 * Saves the digests this process hashed, or took from the cache, of the store's files, for the
 * next run: those it read first, then those it did not need, up to MAX_ENTRIES. Writes nothing
 * when they are the entries already saved.
 */
export function saveIndexDigests(store: Store): void {
  const root = store.layout.root;
  const candidates = knownIndexDigests()
    .filter((d) => isRacyClean(d.mtimeMs, d.ctimeMs, d.hashedAtMs))
    .sort((a, b) => Number(b.used) - Number(a.used));
  const entries: StoredEntry[] = [];
  for (const d of candidates) {
    const rel = path.relative(root, d.file);
    if (!isStoreRelativePath(rel)) continue;
    entries.push([
      rel,
      d.ino,
      d.dev,
      d.size,
      d.mtimeMs,
      d.ctimeMs,
      d.hex,
      d.hashedAtMs,
      d.objectsPresent ? 1 : 0,
    ]);
    if (entries.length >= MAX_ENTRIES) break;
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const file = cacheFile(store);
  const text = `${JSON.stringify({ schema_name: SCHEMA_NAME, version: VERSION, entries } satisfies StoredFile)}\n`;
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch {
    // none yet
  }
  try {
    fs.mkdirSync(store.layout.indexesDir, { recursive: true });
    writeFileAtomic(file, text);
  } catch {
    // An acceleration index: failing to write it must not fail a finished run.
  }
}

/** The file had not changed for RACY_WINDOW_MS when its bytes were read. */
function isRacyClean(mtimeMs: number, ctimeMs: number, hashedAtMs: number): boolean {
  return changedBefore({ mtimeMs, ctimeMs }, hashedAtMs - RACY_WINDOW_MS);
}

function isStoredEntry(e: unknown): e is StoredEntry {
  return (
    Array.isArray(e) &&
    e.length === 9 &&
    typeof e[0] === 'string' &&
    isStoreRelativePath(e[0]) &&
    [1, 2, 3, 4, 5, 7].every((i) => typeof e[i] === 'number' && Number.isFinite(e[i])) &&
    typeof e[6] === 'string' &&
    /^[a-f0-9]{64}$/.test(e[6]) &&
    (e[8] === 0 || e[8] === 1)
  );
}
