/**
 * The single clock of the engine. CODEBATCH_FIXED_TIME pins it, so golden tests and
 * determinism checks can compare whole files byte for byte.
 */
export function nowIso(): string {
  const fixed = process.env.CODEBATCH_FIXED_TIME;
  return fixed ? new Date(fixed).toISOString() : new Date().toISOString();
}

/**
 * How long before a run's start a file's mtime and ctime must be for a cache keyed by them (the
 * snapshot's stat cache, the store's index digests) to trust that it has not changed since it
 * was hashed: git's "racily clean" rule made conservative. A file modified during or after that
 * run gets a timestamp at or after the start, less at most the filesystem's timestamp granularity
 * (1-2 s on FAT/HFS+/ext3) and the kernel's coarse-clock lag.
 */
export const RACY_WINDOW_MS = 2000;
