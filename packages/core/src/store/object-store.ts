import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';
import { sha256Hex } from '../util/hash';
import { tempName } from './atomic-write';
import type { StoreLayout } from './layout';

export type ObjectStatus = 'ok' | 'missing' | 'corrupt';

/** What fstat said of a file whose bytes were read: enough to tell it from a replacement. */
export interface FileIdentity {
  ino: number;
  dev: number;
  size: number;
  mtimeMs: number;
}

/** The same inode, unchanged in size and mtime: the bytes hashed through `a` are `b`'s. */
export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Content-addressed, add-only objects at objects/sha256/<aa>/<bb>/<hex> (SPEC 4).
 *
 * Invariant: a file at an object's final path is complete. It is only ever created by rename()
 * of a fully written temp, so existence alone proves the write finished (against process
 * death; `durable` adds fsync for power loss). Two processes writing the same object race
 * harmlessly: both renames install identical bytes.
 */
export class ObjectStore {
  private readonly knownDirs = new Set<string>();

  constructor(
    private readonly layout: StoreLayout,
    private readonly options: { durable?: boolean } = {},
  ) {}

  objectPath(hex: string): string {
    return this.layout.objectPath(hex);
  }

  hasObject(hex: string): boolean {
    return fs.existsSync(this.layout.objectPath(hex));
  }

  /** Hashes and stores `data`; returns the hex digest. */
  writeObject(data: string | Uint8Array): string {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const hex = sha256Hex(bytes);
    this.writeObjectWithDigest(hex, bytes);
    return hex;
  }

  /**
   * For callers that already hashed the bytes (the snapshotter): the digest is trusted. Returns
   * false when the object was there already; its times are then refreshed (refreshTimes), as
   * linkObject does, because the caller is about to name it in a new record: gc's grace period
   * must cover it until that record is written, however old the object is (a run manifest's
   * member list that its source batch wrote a week ago, an AST of a file seen before).
   */
  writeObjectWithDigest(hex: string, bytes: Uint8Array): boolean {
    const finalPath = this.layout.objectPath(hex);
    // A directory this call had to create cannot hold the object yet: skip the lookup (on a
    // cold snapshot that is most objects, and each lookup is a syscall on a slow path).
    if (!this.ensureDir(path.dirname(finalPath))) {
      try {
        const stat = fs.statSync(finalPath, { throwIfNoEntry: false });
        if (stat) {
          refreshTimes(finalPath, stat.mtimeMs);
          return false;
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Removed meanwhile (gc): written below like any missing object.
      }
    }
    this.install(hex, bytes, finalPath);
    return true;
  }

  /**
   * Adds `file`, whose bytes (read through a descriptor that fstat saw as `identity`) hashed to
   * `hex`, as that object without copying them: a hard link, renamed into place like any
   * object. A reused shard's index becomes an object this way (100 MB at 30k files, where
   * copying was most of a one-file run). The link is checked to be the very inode that was
   * hashed, unchanged (size and mtime): the file may have been replaced by rename since (a
   * forced re-run of its shard), and then `bytes` are written instead, as they are where links
   * are not supported. Indexes are only ever replaced by rename, never written in place, so the
   * linked inode keeps the bytes that were hashed. Its times are set to now (an object already
   * present has them refreshed), so gc's grace period covers it until a state names it.
   * Returns `present` when the object was there already with the right bytes.
   */
  linkObject(
    hex: string,
    file: string,
    identity: FileIdentity,
    bytes: Uint8Array,
  ): 'linked' | 'written' | 'present' {
    const finalPath = this.layout.objectPath(hex);
    const now = new Date();
    if (!this.ensureDir(path.dirname(finalPath)) && fs.existsSync(finalPath)) {
      // Every run after the first that reuses one source (the memo names the shard that executed),
      // or empty indexes: the bytes there are checked unless they are the very inode hashed, and
      // damaged ones are replaced with these.
      try {
        const stat = fs.statSync(finalPath);
        const same = stat.ino === identity.ino && stat.dev === identity.dev;
        if (same || this.verifyObject(hex) === 'ok') {
          refreshTimes(finalPath, stat.mtimeMs);
          return 'present';
        }
        this.install(hex, bytes, finalPath);
        return 'written';
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Removed meanwhile (gc): made below like any missing object.
      }
    }
    const tmp = path.join(this.layout.tmpDir, tempName(hex));
    let linked = false;
    try {
      linkTemp(file, tmp, this.layout.tmpDir);
      const stat = fs.lstatSync(tmp);
      if (sameIdentity(stat, identity)) {
        fs.utimesSync(tmp, now, now);
        this.renameIntoPlace(tmp, finalPath);
        linked = true;
      }
    } catch {
      // Falls back to writing the bytes.
    } finally {
      // Also after a rename: renaming a link over another name of the same inode (two processes
      // linking one source) succeeds without removing it.
      fs.rmSync(tmp, { force: true });
    }
    if (linked) return 'linked';
    this.install(hex, bytes, finalPath);
    return 'written';
  }

  /** Writes a temp file in full, then renames it into place: an object is whole or absent. */
  private install(hex: string, bytes: Uint8Array, finalPath: string): void {
    const tmp = path.join(this.layout.tmpDir, tempName(hex));
    try {
      const fd = openTemp(tmp, this.layout.tmpDir);
      try {
        writeFully(fd, bytes, hex);
        if (this.options.durable) fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.renameIntoPlace(tmp, finalPath);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw toCodebatchError(error, `writing object ${hex}`);
    }
  }

  /** Makes sure `dir` exists; returns true when this call created it. */
  private ensureDir(dir: string): boolean {
    if (this.knownDirs.has(dir)) return false;
    const created = fs.mkdirSync(dir, { recursive: true }) !== undefined;
    this.knownDirs.add(dir);
    return created;
  }

  private renameIntoPlace(tmp: string, finalPath: string): void {
    const dir = path.dirname(finalPath);
    this.ensureDir(dir);
    try {
      fs.renameSync(tmp, finalPath);
    } catch (error) {
      // Another process (gc) may have removed the directory between mkdir and rename.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(tmp, finalPath);
    }
  }

  readObject(hex: string): Buffer {
    try {
      return fs.readFileSync(this.layout.objectPath(hex));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CodebatchError('E_OBJECT_NOT_FOUND', `object sha256:${hex} is missing from the store`, {
          hints: ['Run `codebatch verify` to list every missing or corrupt object.'],
          details: { object: `sha256:${hex}` },
        });
      }
      throw toCodebatchError(error, `reading object ${hex}`);
    }
  }

  /** Reads and re-hashes; throws E_OBJECT_CORRUPT when the bytes do not match their name. */
  readObjectVerified(hex: string): Buffer {
    const bytes = this.readObject(hex);
    if (sha256Hex(bytes) !== hex) {
      throw new CodebatchError(
        'E_OBJECT_CORRUPT',
        `object sha256:${hex} is corrupt (content does not match its hash)`,
        {
          hints: [
            'Run `codebatch verify` for the full list; re-running the affected snapshot or shard rewrites it.',
          ],
          details: { object: `sha256:${hex}` },
        },
      );
    }
    return bytes;
  }

  verifyObject(hex: string): ObjectStatus {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.layout.objectPath(hex));
    } catch {
      return 'missing';
    }
    return sha256Hex(bytes) === hex ? 'ok' : 'corrupt';
  }

  /**
   * Replaces a corrupt object with good bytes. rename() over the bad file is atomic, so a
   * concurrent reader sees either the old (corrupt, detectable) or the repaired bytes.
   */
  repairObject(hex: string, bytes: Uint8Array): void {
    if (sha256Hex(bytes) !== hex)
      throw new CodebatchError('E_OBJECT_CORRUPT', `repair bytes do not hash to ${hex}`);
    this.install(hex, bytes, this.layout.objectPath(hex));
  }

  /** Every object digest present, in sorted order. Skips temp and metadata files. */
  *listObjects(): Generator<string> {
    const base = path.join(this.layout.objectsDir, 'sha256');
    for (const aa of sortedDir(base)) {
      for (const bb of sortedDir(path.join(base, aa))) {
        for (const name of sortedDir(path.join(base, aa, bb))) {
          if (/^[a-f0-9]{64}$/.test(name)) yield name;
        }
      }
    }
  }
}

/**
 * An object refreshed this recently is left as it is: gc's grace period (an hour unless told
 * otherwise) still covers it for all but these minutes, far longer than the caller takes to
 * write the record naming it.
 */
const REFRESH_AFTER_MS = 5 * 60_000;

/**
 * Sets an object's times to now, so that gc's grace period covers it until the record about to
 * name it is written, unless it was refreshed within REFRESH_AFTER_MS. Each refresh changes the
 * file's ctime, which the index digest cache keys on: a reused shard's index object touched on
 * every run was hashed again on every run (15 MB, about 15 ms of a one-file `check` on the
 * 8.8k-file corpus).
 */
function refreshTimes(file: string, mtimeMs: number): void {
  const now = Date.now();
  if (now - mtimeMs < REFRESH_AFTER_MS && mtimeMs <= now) return;
  const date = new Date(now);
  fs.utimesSync(file, date, date);
}

function openTemp(tmp: string, tmpDir: string): number {
  try {
    return fs.openSync(tmp, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fs.mkdirSync(tmpDir, { recursive: true });
    return fs.openSync(tmp, 'wx');
  }
}

function linkTemp(file: string, tmp: string, tmpDir: string): void {
  try {
    fs.linkSync(file, tmp);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(file)) throw error;
    fs.mkdirSync(tmpDir, { recursive: true });
    fs.linkSync(file, tmp);
  }
}

function sortedDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * fs.writeSync may write fewer bytes than asked (a full disk, a signal): keep writing the rest,
 * and treat a write that makes no progress as a full disk, so a truncated object is never
 * renamed into place.
 */
export function writeFully(fd: number, bytes: Uint8Array, what: string): void {
  let offset = 0;
  while (offset < bytes.length) {
    const written = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) {
      throw new CodebatchError(
        'E_DISK_FULL',
        `short write of object ${what}: ${offset} of ${bytes.length} bytes`,
        {
          hints: ['Free disk space, then run again; nothing partial was installed.'],
        },
      );
    }
    offset += written;
  }
}
