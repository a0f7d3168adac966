import fs from 'node:fs';

/** Cap for ignore files and small .git files: far above any real one, far below harm. */
export const SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024;

export type SmallFileResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'absent' | 'symlink' | 'special' | 'too_large' | 'unreadable'; errno?: string };

/**
 * Reads a small text file that the analysed tree controls (.gitignore, .git/HEAD, ...). Only a
 * regular file of at most `maxBytes` is read: a FIFO would block the open forever and a link to
 * /dev/zero would never reach end of file. The type is checked before opening (so a device is
 * never opened) and again on the descriptor (the path may be swapped in between); O_NONBLOCK
 * keeps a FIFO swapped in at that moment from blocking the open. Never throws.
 */
export function readSmallFile(
  file: string,
  options: { followSymlinks: boolean; maxBytes?: number },
): SmallFileResult {
  const maxBytes = options.maxBytes ?? SMALL_FILE_MAX_BYTES;
  let fd: number | undefined;
  try {
    const stat = options.followSymlinks ? fs.statSync(file) : fs.lstatSync(file);
    const refused = refuse(stat, maxBytes);
    if (refused) return refused;
    const flags =
      fs.constants.O_RDONLY |
      (fs.constants.O_NONBLOCK ?? 0) |
      (options.followSymlinks ? 0 : (fs.constants.O_NOFOLLOW ?? 0));
    fd = fs.openSync(file, flags);
    const refusedFd = refuse(fs.fstatSync(fd), maxBytes);
    if (refusedFd) return refusedFd;
    // The descriptor is a regular file, so the read ends at its end of file. One that grew past
    // the cap since fstat is refused all the same (UTF-16 length never exceeds the byte count).
    const text = fs.readFileSync(fd, 'utf8');
    if (text.length > maxBytes) return { ok: false, reason: 'too_large' };
    return { ok: true, text };
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return { ok: false, reason: 'absent' };
    // ELOOP: O_NOFOLLOW met a symlink swapped in after lstat.
    if (errno === 'ELOOP') return { ok: false, reason: 'symlink' };
    return { ok: false, reason: 'unreadable', ...(errno ? { errno } : {}) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function refuse(stat: fs.Stats, maxBytes: number): SmallFileResult | undefined {
  if (stat.isSymbolicLink()) return { ok: false, reason: 'symlink' };
  if (!stat.isFile()) return { ok: false, reason: stat.isDirectory() ? 'absent' : 'special' };
  if (stat.size > maxBytes) return { ok: false, reason: 'too_large' };
  return undefined;
}

/** The text when the file was read, undefined for every refusal (callers that need no reason). */
export function readSmallText(file: string, maxBytes?: number): string | undefined {
  const result = readSmallFile(file, { followSymlinks: true, ...(maxBytes ? { maxBytes } : {}) });
  return result.ok ? result.text : undefined;
}
