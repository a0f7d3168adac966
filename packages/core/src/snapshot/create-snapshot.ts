import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError } from '../errors/codebatch-error';
import {
  type FilesIndexRecord,
  type SnapshotRecord,
  type SnapshotWarning,
  snapshotRecordSchema,
} from '../schemas/snapshot-record';
import { assertValidId } from '../store/layout';
import type { Store } from '../store/store';
import { sha256Hex, toObjectRef } from '../util/hash';
import { fingerprintOf, type StatFingerprint } from '../util/stat-fingerprint';
import { nowIso } from '../util/time';
import { PRODUCER, SCHEMA_VERSION } from '../version';
import { compareUtf8, sortPathsUtf8, toPathKey } from './canonical-path';
import { isProbablyText } from './detect-binary';
import { type BlobEntry, loadGitBlobMap, objectsOfKeptSnapshot, saveGitBlobMap } from './git-blob-map';
import { readCleanBlobIds } from './git-clean-blobs';
import { readGitInfo } from './git-info';
import { langHint } from './lang-hint';
import { createPathFilter } from './path-filter';
import { publishSnapshot } from './publish-snapshot';
import { FileBytesReader, MAX_FILE_BYTES } from './read-file-bytes';
import { rememberFilesIndex, tryReadSnapshotRecord } from './read-snapshot';
import { deriveSnapshotId, type SnapshotFilters } from './snapshot-id';
import {
  holdsFingerprint,
  loadStatCache,
  lookupStatCache,
  type StatCache,
  type StatCacheEntry,
  saveStatCache,
} from './stat-cache';
import { walkTree } from './walk-tree';

export interface SnapshotProgress {
  /** Files examined so far (of those the walk kept). */
  files: number;
  hashed: number;
  cached: number;
}

export interface CreateSnapshotOptions {
  /** Explicit snapshot id; default: derived from the content and filters (see snapshot-id.ts). */
  id?: string;
  /** Globs (picomatch syntax) over canonical paths (see path-filter.ts). */
  include?: string[];
  exclude?: string[];
  /** Honour .gitignore files (default true). `.git/` is skipped either way. */
  gitignore?: boolean;
  onProgress?: (progress: SnapshotProgress) => void;
  /**
   * Called once, at the first file that differs from what the stat cache holds (new, or another
   * size, time or inode), with the number of files in the tree: the tree has likely changed, and
   * a caller can start what a change needs (analyze warms a worker) while the snapshot goes on.
   * A file the cache holds as it is, but too recent to trust (the racy rule), is read again
   * without a call: that is the run after an edit, with the same bytes most of the time.
   */
  onChangedFile?: (files: number) => void;
  /** Record source.git_ref and source.git_dirty (default true; the dirty flag costs two short git processes). */
  git?: boolean;
  /** Use and refresh the stat cache under indexes/ (default true). */
  statCache?: boolean;
  /** Internal: false re-checks every cached entry's object before trusting it. */
  deferObjectChecks?: boolean;
  /** Wall clock in ms. Tests move it forward so that just-written files count as old. */
  now?: () => number;
}

export interface SnapshotStats {
  files: number;
  bytes: number;
  /** Files read and hashed this run. */
  hashed: number;
  /** Files whose digest came from the stat cache. */
  cached: number;
  /** Files whose digest came from their git blob id (a fresh checkout; see git-clean-blobs.ts). */
  fromGit: number;
  durationMs: number;
}

export interface SnapshotResult {
  record: SnapshotRecord;
  files: FilesIndexRecord[];
  /** true when a snapshot with this id and identical content already existed (nothing written). */
  reused: boolean;
  /** Paths the stat cache did not vouch for (read, or looked up in git): the likely changes. */
  unvouched: string[];
  stats: SnapshotStats;
}

const PROGRESS_EVERY = 512;
/**
 * Below this many stat-cache misses the files are simply read: asking git costs a few tens of
 * milliseconds (three short processes), more than reading a few dozen files.
 */
const GIT_LOOKUP_MIN_MISSES = 64;

/**
 * Freezes `sourceDir` into `store`: every kept file's bytes become an object, and
 * snapshots/<id>/ receives files.index.jsonl (one canonical-JSON line per file, sorted by the
 * UTF-8 bytes of the path, no timestamps) and snapshot.json. Same tree + same filters gives the
 * same id and byte-identical index. Problems with single files become warnings in snapshot.json.
 *
 * Synchronous on purpose: on this workload (thousands of small files) sync fs calls measured
 * faster than fs.promises at any concurrency, because per-file cost is syscalls, not waiting.
 *
 * @throws CodebatchError E_INVALID_ID, E_SOURCE_NOT_FOUND, E_SNAPSHOT_EXISTS (explicit id already
 *   used for different content), and store write errors.
 */
export function createSnapshot(
  store: Store,
  sourceDir: string,
  options: CreateSnapshotOptions = {},
): SnapshotResult {
  const started = performance.now();
  // Validate the id before touching anything, so `--id ../../x` writes nothing anywhere.
  if (options.id !== undefined) assertValidId(options.id, 'snapshot');
  const sourceAbs = resolveSourceDir(sourceDir);
  const filter = createPathFilter(options.include, options.exclude);
  const filters: SnapshotFilters = {
    include: filter.include,
    exclude: filter.exclude,
    gitignore: options.gitignore !== false,
  };
  const now = options.now ?? Date.now;
  const startedAtMs = now();

  // Built with path.sep so the same string works on Windows; canonical paths always use `/`.
  const toAbs =
    path.sep === '/' ? (p: string) => `${sourceAbs}/${p}` : (p: string) => path.join(sourceAbs, p);
  const useCache = options.statCache !== false;
  const cache: StatCache = useCache
    ? loadStatCache(store, sourceAbs)
    : { racyBeforeMs: 0, entries: new Map(), recent: [] };
  // The files read last time are most likely the ones being edited: a change there is seen
  // before the walk (the caller warms a worker sooner), and the walk below stats them again.
  let changeSeen = false;
  if (options.onChangedFile) {
    for (const rel of cache.recent) {
      if (!holdsFingerprint(cache, rel, fingerprintOfPath(toAbs(rel)))) {
        changeSeen = true;
        options.onChangedFile(cache.entries.size);
        break;
      }
    }
  }

  const walk = walkTree(sourceAbs, { gitignore: filters.gitignore, filter, skipDirs: storeDirs(store) });
  const paths = sortPathsUtf8(walk.files);
  const warnings = walk.warnings;
  const nextCache = new Map<string, StatCacheEntry>();
  // Cache hits are trusted without looking up their objects first: if the resulting snapshot
  // already exists, its objects are there (objects are add-only and gc keeps those of every
  // snapshot it keeps); only a new snapshot has its cached objects checked, below. Saves one
  // syscall per file on an unchanged tree.
  const deferObjectChecks = options.deferObjectChecks !== false;
  const trustedHexes: string[] = [];
  const hasObject = deferObjectChecks
    ? (hex: string) => {
        trustedHexes.push(hex);
        return true;
      }
    : (hex: string) => store.objects.hasObject(hex);
  const reader = new FileBytesReader();
  const files: FilesIndexRecord[] = [];
  let hashed = 0;
  let cached = 0;
  let fromGit = 0;
  let bytes = 0;
  let index = '';

  // First pass: stat every file and take what the stat cache vouches for. Files it does not
  // are read in the second pass, unless git vouches for their content (a fresh checkout).
  const known: (StatCacheEntry | undefined)[] = new Array(paths.length).fill(undefined);
  const misses: { i: number; fingerprint: StatFingerprint }[] = [];
  for (let i = 0; i < paths.length; i += 1) {
    const rel = paths[i]!;
    const abs = toAbs(rel);
    if (options.onProgress && i % PROGRESS_EVERY === 0) options.onProgress({ files: i, hashed, cached });
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(abs, { throwIfNoEntry: false });
    } catch (error) {
      // EACCES from a directory that can be listed but not traversed: the source tree's
      // problem, so a warning; left to propagate it would read as a read-only store.
      warnings.push(unreadableFile(rel, error));
      continue;
    }
    if (!stat?.isFile()) {
      warnings.push({
        code: 'unreadable',
        path: rel,
        message: 'changed or vanished while the tree was read; skipped',
      });
      continue;
    }
    if (stat.size > MAX_FILE_BYTES) {
      warnings.push({
        code: 'unreadable',
        path: rel,
        message: `file is too large to read whole (${stat.size} bytes, limit ${MAX_FILE_BYTES}); skipped`,
      });
      continue;
    }
    const fingerprint = fingerprintOf(stat);
    const entry = lookupStatCache(cache, rel, fingerprint, hasObject);
    if (entry) {
      cached += 1;
      known[i] = entry;
    } else {
      misses.push({ i, fingerprint });
      if (!changeSeen && !holdsFingerprint(cache, rel, fingerprint)) {
        changeSeen = true;
        options.onChangedFile?.(paths.length);
      }
    }
  }

  const unvouched = misses.map(({ i }) => paths[i]!);
  const git =
    misses.length >= GIT_LOOKUP_MIN_MISSES && options.git !== false ? readCleanBlobIds(sourceAbs) : undefined;
  const blobMap = git ? loadGitBlobMap(store) : undefined;
  const anchored = blobMap ? objectsOfKeptSnapshot(store, blobMap.anchor) : undefined;
  for (const { i, fingerprint } of misses) {
    const rel = paths[i]!;
    const size = fingerprint.size;
    const vouched = git && blobMap ? blobMap.entries.get(git.blobs.get(rel) ?? '') : undefined;
    // Present: objects are installed whole by rename, so presence proves the bytes (a stat for
    // the size took 80 ms of a fresh checkout's 8.8k files). An object of the map's kept anchor
    // snapshot is there; any other is looked up now, not deferred like a stat cache hit: the map
    // outlives the snapshots gc removes, so it may name a pruned object.
    if (
      vouched &&
      vouched.size === size &&
      (anchored?.has(vouched.hex) || store.objects.hasObject(vouched.hex))
    ) {
      known[i] = { ...fingerprint, hex: vouched.hex, text: vouched.text };
      fromGit += 1;
      continue;
    }
    let content: Buffer;
    try {
      content = reader.read(toAbs(rel), size);
    } catch (error) {
      warnings.push(unreadableFile(rel, error));
      continue;
    }
    if (content.length !== size) {
      // Fewer bytes than lstat said (truncated meanwhile, or a short read) or more (still being
      // written): what was read may be a mix of two versions, so nothing of it is stored.
      warnings.push({
        code: 'unreadable',
        path: rel,
        message: `size changed while reading (${size} bytes at stat, ${content.length > size ? 'more' : content.length} read); skipped`,
      });
      continue;
    }
    const hex = sha256Hex(content);
    known[i] = { ...fingerprint, hex, text: isProbablyText(content) };
    store.objects.writeObjectWithDigest(hex, content);
    hashed += 1;
  }

  const cleanBlobs = new Map<string, BlobEntry>();
  for (let i = 0; i < paths.length; i += 1) {
    const entry = known[i];
    if (!entry) continue;
    const rel = paths[i]!;
    nextCache.set(rel, entry);
    const record = toFilesIndexRecord(rel, entry.hex, entry.size, entry.text);
    files.push(record);
    index += `${JSON.stringify(record)}\n`;
    bytes += entry.size;
    if (git) {
      const blob = git.blobs.get(rel);
      if (blob) cleanBlobs.set(blob, { hex: entry.hex, size: entry.size, text: entry.text });
    }
  }
  options.onProgress?.({ files: paths.length, hashed, cached });
  warnings.push(...findCaseCollisions(files));
  warnings.sort((a, b) => compareUtf8(a.path, b.path) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const indexBytes = Buffer.from(index, 'utf8');
  const filesIndexDigest = toObjectRef(sha256Hex(indexBytes));
  const snapshotId = options.id ?? deriveSnapshotId(filesIndexDigest, filters);
  const existing = tryReadSnapshotRecord(store, snapshotId);
  const exists = existing?.files_index_digest === filesIndexDigest;
  if (trustedHexes.length > 0 && !exists && !cacheSnapshotKept(store, cache)) {
    // A cached entry whose object is gone (a pruned store): take the careful path for all.
    if (trustedHexes.some((hex) => !store.objects.hasObject(hex))) {
      return createSnapshot(store, sourceDir, { ...options, deferObjectChecks: false });
    }
  }
  const record = snapshotRecordSchema.parse({
    schema_name: 'codebatch.snapshot',
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    snapshot_id: snapshotId,
    created_at: nowIso(),
    source: {
      type: 'directory',
      path: sourceAbs,
      // An existing snapshot is kept with the facts of its first publication (publishSnapshot),
      // so asking git again (a `git status` of the tree) would be wasted on every unchanged run.
      ...(options.git === false || exists ? {} : readGitInfo(sourceAbs, { knownDirty: git?.dirty })),
    },
    file_count: files.length,
    total_bytes: bytes,
    files_index_digest: filesIndexDigest,
    filters,
    warnings,
  } satisfies SnapshotRecord);
  const published = publishSnapshot(store, record, indexBytes);
  // The planner and the runner of this process read this very index next: hand them these records.
  rememberFilesIndex(filesIndexDigest, files);
  if (useCache && (hashed > 0 || fromGit > 0 || nextCache.size !== cache.entries.size)) {
    try {
      saveStatCache(
        store,
        sourceAbs,
        nextCache,
        startedAtMs,
        { id: published.record.snapshot_id, filesIndexDigest },
        unvouched,
      );
    } catch {
      // The cache only saves time; failing to refresh it must not fail a finished snapshot.
    }
  }
  if (blobMap && cleanBlobs.size > 0) {
    try {
      saveGitBlobMap(
        store,
        blobMap,
        cleanBlobs,
        { id: published.record.snapshot_id, filesIndexDigest },
        anchored !== undefined,
      );
    } catch {
      // As above: an acceleration index.
    }
  }
  return {
    record: published.record,
    files,
    reused: published.reused,
    unvouched,
    stats: {
      files: files.length,
      bytes,
      hashed,
      cached,
      fromGit,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/** A file's stat fingerprint, or one that matches no entry when it cannot be stat'ed. */
function fingerprintOfPath(abs: string): StatFingerprint {
  try {
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (st) return fingerprintOf(st);
  } catch {
    // As if gone: the walk below says what it is.
  }
  return { size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1, dev: -1 };
}

/** The snapshot the stat cache was saved with is still in the store: its objects are too. */
function cacheSnapshotKept(store: Store, cache: StatCache): boolean {
  const snap = cache.snapshot;
  if (snap === undefined) return false;
  try {
    return tryReadSnapshotRecord(store, snap.id)?.files_index_digest === snap.filesIndexDigest;
  } catch {
    return false; // a damaged cache's id, or an unreadable record: look the objects up
  }
}

/**
 * Keys are inserted in sorted order, so JSON.stringify emits canonical JSON (util/canonical-json)
 * without the cost of sorting keys per line; a test pins the equivalence.
 */
function toFilesIndexRecord(p: string, hex: string, size: number, text: boolean): FilesIndexRecord {
  const lang = langHint(p);
  const object = toObjectRef(hex);
  const pathKey = toPathKey(p);
  return lang === undefined
    ? { object, path: p, path_key: pathKey, schema_version: SCHEMA_VERSION, size, text }
    : { lang_hint: lang, object, path: p, path_key: pathKey, schema_version: SCHEMA_VERSION, size, text };
}

/**
 * The store's root as given and as resolved: the walk sees real paths (the source is resolved),
 * so a store inside the source reached through a symlink must be matched by its real path too.
 */
function storeDirs(store: Store): string[] {
  const dirs = [store.layout.root];
  try {
    const real = fs.realpathSync(store.layout.root);
    if (real !== store.layout.root) dirs.push(real);
  } catch {
    // No store directory to resolve: nothing of it can be in the tree either.
  }
  return dirs;
}

function resolveSourceDir(sourceDir: string): string {
  const abs = path.resolve(sourceDir);
  let real: string;
  try {
    // realpath: the stat cache is keyed by the source directory, whichever symlink led to it.
    real = fs.realpathSync(abs);
  } catch {
    throw sourceNotFound(sourceDir, abs);
  }
  if (!fs.statSync(real).isDirectory()) throw sourceNotFound(sourceDir, abs, 'is not a directory');
  return real;
}

function sourceNotFound(input: string, abs: string, what = 'does not exist'): CodebatchError {
  return new CodebatchError('E_SOURCE_NOT_FOUND', `source directory ${abs} ${what}`, {
    hints: ['Pass the directory to snapshot, e.g. `codebatch snapshot .`.'],
    details: { source: input },
  });
}

function unreadableFile(p: string, error: unknown): SnapshotWarning {
  const errno = (error as NodeJS.ErrnoException).code ?? 'error';
  return { code: 'unreadable', path: p, message: `cannot read file (${errno}); skipped` };
}

/** Paths that differ only in case or Unicode normalization: one warning per extra path. */
function findCaseCollisions(files: readonly FilesIndexRecord[]): SnapshotWarning[] {
  const first = new Map<string, string>();
  const out: SnapshotWarning[] = [];
  for (const f of files) {
    const seen = first.get(f.path_key);
    if (seen === undefined) first.set(f.path_key, f.path);
    else out.push({ code: 'case_collision', path: f.path, message: `same path_key as ${seen}`, other: seen });
  }
  return out;
}
