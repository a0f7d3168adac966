import fs from 'node:fs';
import { sha256Hex } from '../util/hash';
import { fingerprintOf, type StatFingerprint, sameFingerprint } from '../util/stat-fingerprint';
import { type FileIdentity, sameIdentity } from './object-store';

/**
 * Digests of index files this process has already hashed, keyed by the file's identity at
 * read time. Reporting a done batch reads every shard's outputs index twice (once to prove the
 * shard may be skipped, once to answer the query): for a full-pipeline batch that is 100 MB
 * hashed twice. Indexes are replaced only by rename (a new inode) and never written in place,
 * so an unchanged (inode, size, mtime, ctime) is the same bytes; the key is taken with fstat
 * on the descriptor the bytes are read from, so a rename between stat and read cannot pair one
 * file's stat with another's bytes.
 */
/** What fstat says of an index file: equal on a later read means the same bytes (see above). */
type IndexIdentity = StatFingerprint;

interface Known extends IndexIdentity {
  hex: string;
  /**
   * Wall clock before the bytes were read and hashed by this process or, for an entry taken from
   * index-digest-cache.ts, by the one that saved it; absent for a digest recorded by the writer
   * (rememberIndexDigest), which is never saved for another process.
   */
  hashedAtMs?: number;
  /** Read or hashed by this process: saved before the entries a run took but did not need. */
  used: boolean;
  /** Every object the index references was found in the store (markObjectsPresent). */
  objectsPresent?: boolean;
}
const known = new Map<string, Known>();
const MAX_KNOWN = 4096;

/** Oldest first out: a full map no longer forgets everything at once. */
function setKnown(file: string, entry: Known): void {
  known.delete(file);
  if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value!);
  known.set(file, entry);
}

export interface IndexFileRead {
  bytes: Buffer;
  /** sha256 of `bytes`, bare hex. */
  hex: string;
  /** The file the bytes were read from, as fstat saw it: a later link can prove it is the same. */
  identity: FileIdentity;
  /** This file, as it is, was found with every object it references in the store (markObjectsPresent). */
  objectsPresent: boolean;
}

/** Reads a whole index file with its sha256; undefined when it does not exist. */
export function readIndexFile(file: string): IndexFileRead | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const hashedAtMs = Date.now();
    const stat = fs.fstatSync(fd);
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = fs.readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    const whole = read === bytes.length ? bytes : bytes.subarray(0, read);
    const identity = { ino: stat.ino, dev: stat.dev, size: stat.size, mtimeMs: stat.mtimeMs };
    // A short read (the file shrank while being read) is hashed, and never remembered.
    const seen = read === stat.size ? known.get(file) : undefined;
    if (seen && sameFingerprint(seen, stat)) {
      seen.used = true;
      return { bytes: whole, hex: seen.hex, identity, objectsPresent: seen.objectsPresent === true };
    }
    const hex = sha256Hex(whole);
    if (read === stat.size) setKnown(file, { ...fingerprintOf(stat), hex, hashedAtMs, used: true });
    return { bytes: whole, hex, identity, objectsPresent: false };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The sha256 of an index file, read only when this process has not hashed it as it now is:
 * the verify step after each shard re-hashes what the run just committed or reused.
 */
export function readIndexDigest(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const seen = known.get(file);
  if (seen && sameFingerprint(seen, stat)) {
    seen.used = true;
    return seen.hex;
  }
  return readIndexFile(file)?.hex;
}

/**
 * Records the digest of an index this process has just written (atomically: renamed into
 * place), so that reading it back in this process (the verify step, the report) reads it
 * without hashing it again. Taken after the rename, which sets the ctime the key holds; no
 * other process writes the file meanwhile, since only the holder of a shard's lock commits it.
 */
export function rememberIndexDigest(
  file: string,
  hex: string,
  options: { objectsPresent?: boolean } = {},
): void {
  try {
    const stat = fs.statSync(file);
    // Told again of a file this process hashed (or took from the cache), unchanged since: what
    // was known of it stays. Dropping its hashedAtMs would keep it from being saved, and every
    // later process would hash it and look up its objects again (a reuse is told of its source
    // index after linking it, though a link to an object already present leaves it as it was).
    const prior = known.get(file);
    const same = prior !== undefined && prior.hex === hex && sameFingerprint(prior, stat);
    setKnown(file, {
      ...fingerprintOf(stat),
      hex,
      used: true,
      ...(same && prior.hashedAtMs !== undefined ? { hashedAtMs: prior.hashedAtMs } : {}),
      ...(options.objectsPresent || (same && prior.objectsPresent) ? { objectsPresent: true } : {}),
    });
  } catch {
    // A later read hashes it.
  }
}

/**
 * Records that every object the index `file` references was found in the store, while the file
 * is as `read` found it. It stays so: an index is never rewritten in place, and gc keeps every
 * object an index of a kept batch references; only a hand deletion (which `verify` reports) can
 * take one away. The next reuse of this index then looks up none of them (a one-file `check`
 * looked up every AST of 30 parse shards, 20 ms).
 */
export function markObjectsPresent(file: string, read: Pick<IndexFileRead, 'hex' | 'identity'>): void {
  const seen = known.get(file);
  if (seen && seen.hex === read.hex && sameIdentity(seen, read.identity)) seen.objectsPresent = true;
}

/** A digest a process hashed, with the identity the file had and when (index-digest-cache.ts). */
export interface KnownIndexDigest extends IndexIdentity {
  file: string;
  hex: string;
  hashedAtMs: number;
  /** Read by this process (false: taken from the cache and not needed since). */
  used: boolean;
  objectsPresent?: boolean;
}

/** The digests of whole files that a process hashed (a writer's own record is left out). */
export function knownIndexDigests(): KnownIndexDigest[] {
  const out: KnownIndexDigest[] = [];
  for (const [file, entry] of known) {
    const { hashedAtMs } = entry;
    if (hashedAtMs !== undefined) out.push({ ...entry, file, hashedAtMs });
  }
  return out;
}

/**
 * Takes digests another process of this machine hashed (index-digest-cache.ts checked their
 * age), at most half the map: this run's own reads must not push each other out.
 */
export function adoptIndexDigests(entries: readonly KnownIndexDigest[]): void {
  for (const { file, ...entry } of entries.slice(0, MAX_KNOWN / 2)) {
    if (!known.has(file)) setKnown(file, { ...entry, used: false });
  }
}

/** Forgets every digest (tests: a new process). */
export function forgetIndexDigests(): void {
  known.clear();
}
