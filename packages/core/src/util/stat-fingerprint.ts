import type fs from 'node:fs';

/**
 * What a stat says of a file that, unchanged on a later stat, means the same bytes: the stat
 * cache's key of a source file and the index digest cache's key of a shard index (object-store's
 * FileIdentity, without ctime, only checks that a hard link is the inode that was hashed). Both
 * add a rule for times too close to the read to trust (util/time.ts, RACY_WINDOW_MS).
 */
export interface StatFingerprint {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

export function fingerprintOf(stat: fs.Stats): StatFingerprint {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, dev: stat.dev };
}

export function sameFingerprint(a: StatFingerprint, b: StatFingerprint): boolean {
  return (
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino &&
    a.dev === b.dev
  );
}

/**
 * The racy rule's test (git's "racily clean"): the file's mtime and ctime are both before
 * `markMs`, the moment its bytes were read less RACY_WINDOW_MS (util/time.ts). A file changed
 * within a clock tick of that read may hold other bytes than the ones read.
 */
export function changedBefore(stat: Pick<StatFingerprint, 'mtimeMs' | 'ctimeMs'>, markMs: number): boolean {
  return stat.mtimeMs < markMs && stat.ctimeMs < markMs;
}
