import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write';
import type { Store } from '../store/store';
import { sha256Hex } from '../util/hash';
import { changedBefore, type StatFingerprint, sameFingerprint } from '../util/stat-fingerprint';
import { RACY_WINDOW_MS } from '../util/time';

/**
 * The snapshot stat cache: `<store>/indexes/stat-cache/<sha256 of the source dir>.json` maps a
 * path and its stat fingerprint to the object digest and text flag found when it was last read,
 * so re-snapshotting an unchanged tree stats files instead of reading them. Acceleration only
 * (SPEC invariant 6): deleting it changes no output, and a damaged one is ignored.
 *
 * It must never yield a wrong digest. An entry is trusted only when
 *   - size, mtime, ctime, inode and device all equal the file's current lstat,
 *   - mtime and ctime are strictly older than `racy_before_ms`, and
 *   - the object is present in the store.
 * `racy_before_ms` is the wall clock when the writing run *started* reading files, minus
 * RACY_WINDOW_MS. That is git's "racily clean" rule made conservative: a file modified during or
 * after that run gets a timestamp at or after the start, less at most the filesystem's timestamp
 * granularity (1-2 s on FAT/HFS+/ext3) and the kernel's coarse-clock lag, so its stale entry is
 * never trusted, even when the edit kept the size and the mtime was restored. ctime is checked
 * too because no user tool can restore it. Cost of the margin: files touched within 2 s before a
 * snapshot are re-hashed by the next one only.
 */
export { RACY_WINDOW_MS };

const SCHEMA_NAME = 'codebatch.stat_cache';
const CACHE_VERSION = 1;
const HEX64 = /^[a-f0-9]{64}$/;
/** More files read than this is a checkout or a cold run, not an edit: no recent list. */
const RECENT_MAX = 64;

export interface StatCacheEntry extends StatFingerprint {
  hex: string;
  text: boolean;
}

export interface StatCache {
  racyBeforeMs: number;
  entries: Map<string, StatCacheEntry>;
  /**
   * The snapshot whose files index held every entry when the cache was saved. While it is in
   * the store, so is every entry's object (gc keeps the objects of the snapshots it keeps), and
   * a new snapshot need not look each one up (50 ms of a one-file run on 8.8k files).
   */
  snapshot?: { id: string; filesIndexDigest: string };
  /**
   * The files the saving run had to read, when they were few: the ones being edited. The next
   * snapshot stats them before it walks the tree, so that a caller learns of an edit there
   * (createSnapshot's onChangedFile) 50-100 ms sooner. Order only; every file is stat'ed anyway.
   */
  recent: string[];
}

/** On disk: one array per entry keeps the file small and JSON.parse fast (about 100 bytes/file). */
type StoredEntry = [
  path: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  dev: number,
  hex: string,
  text: 0 | 1,
];

interface StoredCache {
  schema_name: typeof SCHEMA_NAME;
  version: typeof CACHE_VERSION;
  source: string;
  racy_before_ms: number;
  /** Optional: caches written before it was added have none, and are checked object by object. */
  snapshot?: { id: string; files_index_digest: string };
  recent?: string[];
  entries: StoredEntry[];
}

export function statCacheFile(store: Store, sourceAbs: string): string {
  return path.join(store.layout.indexesDir, 'stat-cache', `${sha256Hex(sourceAbs)}.json`);
}

/** Loads the cache for `sourceAbs`; an empty cache when it is missing, foreign or damaged. */
export function loadStatCache(store: Store, sourceAbs: string): StatCache {
  const empty: StatCache = { racyBeforeMs: Number.NEGATIVE_INFINITY, entries: new Map(), recent: [] };
  let stored: StoredCache;
  try {
    stored = JSON.parse(fs.readFileSync(statCacheFile(store, sourceAbs), 'utf8')) as StoredCache;
  } catch {
    return empty;
  }
  if (
    stored?.schema_name !== SCHEMA_NAME ||
    stored.version !== CACHE_VERSION ||
    stored.source !== sourceAbs ||
    typeof stored.racy_before_ms !== 'number' ||
    !Array.isArray(stored.entries)
  ) {
    return empty;
  }
  const entries = new Map<string, StatCacheEntry>();
  for (const e of stored.entries) {
    if (!isStoredEntry(e)) return empty;
    entries.set(e[0], {
      size: e[1],
      mtimeMs: e[2],
      ctimeMs: e[3],
      ino: e[4],
      dev: e[5],
      hex: e[6],
      text: e[7] === 1,
    });
  }
  const snap = stored.snapshot;
  const snapshot =
    snap && typeof snap.id === 'string' && typeof snap.files_index_digest === 'string'
      ? { id: snap.id, filesIndexDigest: snap.files_index_digest }
      : undefined;
  const recent =
    Array.isArray(stored.recent) && stored.recent.length <= RECENT_MAX
      ? stored.recent.filter((p): p is string => typeof p === 'string')
      : [];
  return { racyBeforeMs: stored.racy_before_ms, entries, recent, ...(snapshot ? { snapshot } : {}) };
}

/** The cached entry for `canonicalPath` when it may be trusted (see the module comment). */
export function lookupStatCache(
  cache: StatCache,
  canonicalPath: string,
  stat: StatFingerprint,
  hasObject: (hex: string) => boolean,
): StatCacheEntry | undefined {
  const e = heldEntry(cache, canonicalPath, stat);
  if (!e || !changedBefore(e, cache.racyBeforeMs)) return undefined;
  return hasObject(e.hex) ? e : undefined;
}

function heldEntry(
  cache: StatCache,
  canonicalPath: string,
  stat: StatFingerprint,
): StatCacheEntry | undefined {
  const e = cache.entries.get(canonicalPath);
  return e !== undefined && sameFingerprint(e, stat) ? e : undefined;
}

/**
 * The cache holds this very fingerprint for the path, trusted or not: a miss for which this is
 * true is only too recent to trust (the racy rule), and most likely unchanged.
 */
export function holdsFingerprint(cache: StatCache, canonicalPath: string, stat: StatFingerprint): boolean {
  return heldEntry(cache, canonicalPath, stat) !== undefined;
}

/**
 * Replaces the cache with this run's entries (files no longer in the tree drop out).
 * `startedAtMs` is the wall clock taken before the first file was stat'ed or read; `snapshot`
 * is the published snapshot whose files index holds exactly these entries.
 */
export function saveStatCache(
  store: Store,
  sourceAbs: string,
  entries: Map<string, StatCacheEntry>,
  startedAtMs: number,
  snapshot?: { id: string; filesIndexDigest: string },
  read: readonly string[] = [],
): void {
  const stored: StoredCache = {
    schema_name: SCHEMA_NAME,
    version: CACHE_VERSION,
    source: sourceAbs,
    racy_before_ms: startedAtMs - RACY_WINDOW_MS,
    ...(snapshot ? { snapshot: { id: snapshot.id, files_index_digest: snapshot.filesIndexDigest } } : {}),
    ...(read.length > 0 && read.length <= RECENT_MAX ? { recent: [...read] } : {}),
    entries: [],
  };
  for (const [p, e] of entries)
    stored.entries.push([p, e.size, e.mtimeMs, e.ctimeMs, e.ino, e.dev, e.hex, e.text ? 1 : 0]);
  writeFileAtomic(statCacheFile(store, sourceAbs), JSON.stringify(stored));
}

function isStoredEntry(e: unknown): e is StoredEntry {
  return (
    Array.isArray(e) &&
    e.length === 8 &&
    typeof e[0] === 'string' &&
    typeof e[1] === 'number' &&
    typeof e[2] === 'number' &&
    typeof e[3] === 'number' &&
    typeof e[4] === 'number' &&
    typeof e[5] === 'number' &&
    typeof e[6] === 'string' &&
    HEX64.test(e[6]) &&
    (e[7] === 0 || e[7] === 1)
  );
}
