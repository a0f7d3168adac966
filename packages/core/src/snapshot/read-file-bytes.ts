import fs from 'node:fs';

// O_NOFOLLOW: a file swapped for a symlink after the walk is refused, not followed out of the
// tree. O_NONBLOCK: one swapped for a FIFO cannot hang the snapshot (no effect on regular files).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Largest file a snapshot reads. Files are hashed and handed to tasks as one buffer, and Node
 * reads at most 2 GiB - 1 bytes per call (a 2-4 GiB file used to come back empty and be stored
 * as the empty object); a single file past 1 GiB is not source to analyse. Larger files are
 * skipped with a warning by the caller, never stored truncated.
 */
export const MAX_FILE_BYTES = 2 ** 30;

/**
 * Reads whole files into one reused buffer: measured faster than readFileSync, which allocates
 * per file and fstat()s what the walk already lstat()ed. The returned view is only valid until
 * the next `read` call.
 */
export class FileBytesReader {
  private buffer = Buffer.allocUnsafe(1 << 20);

  /**
   * Reads up to `expectedSize + 1` bytes. The extra byte tells a file that grew since it was
   * stat'ed from one that did not, without following an ever-growing file to its end; the
   * caller compares the length with `expectedSize` and refuses any mismatch.
   *
   * @param expectedSize the size lstat reported; at most MAX_FILE_BYTES.
   * @returns a view of the bytes read; a length other than `expectedSize` means the file changed.
   */
  read(file: string, expectedSize: number): Buffer {
    if (expectedSize > MAX_FILE_BYTES) throw new RangeError(`${file} is larger than ${MAX_FILE_BYTES} bytes`);
    const want = expectedSize + 1;
    if (this.buffer.length < want) this.buffer = Buffer.allocUnsafe(growTo(want));
    const fd = fs.openSync(file, OPEN_FLAGS);
    try {
      let filled = 0;
      while (filled < want) {
        const n = fs.readSync(fd, this.buffer, filled, want - filled, null);
        if (n === 0) break;
        filled += n;
      }
      return this.buffer.subarray(0, filled);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function growTo(n: number): number {
  return Math.max(1 << 20, 2 ** Math.ceil(Math.log2(n)));
}
