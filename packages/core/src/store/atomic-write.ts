import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { toCodebatchError } from '../errors/codebatch-error';

let counter = 0;

/** Unique within the machine: pid + thread + counter, so concurrent writers never share a temp. */
export function tempName(base: string): string {
  counter += 1;
  return `${base}.${process.pid}.${threadId}.${counter}.tmp`;
}

/**
 * Replace `file` atomically: readers see the old bytes or the new bytes, never a mix, and a
 * crash at any point leaves the old file intact (the temp is in the same directory, so the
 * rename cannot cross filesystems). Without fsync this holds against process death, which is
 * what `kill -9`, OOM and cancelled CI jobs do; `durable` adds fsync for power loss.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { durable?: boolean } = {},
): void {
  const tmp = tempName(file);
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeFileSync(fd, data);
      if (options.durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the temp may never have been created; nothing to clean
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !fs.existsSync(path.dirname(file))) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, data, options);
      return;
    }
    throw toCodebatchError(error, `writing ${file}`);
  }
}

/** Create `file` only if absent. Returns false when it already existed (first writer wins). */
export function writeFileExclusive(file: string, data: string | Uint8Array): boolean {
  const tmp = tempName(file);
  try {
    fs.writeFileSync(tmp, data, { flag: 'wx' });
    // link() fails with EEXIST instead of replacing: exactly-once creation without a lock.
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw toCodebatchError(error, `writing ${file}`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
