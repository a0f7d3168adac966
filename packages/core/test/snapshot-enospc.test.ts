import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../src/store/store';
import { makeTempDir, writeTree } from '../src/test-support/temp-dir';
import { verifyStore } from '../src/verify/verify-store';
import { cli } from './cli-harness';

/**
 * A real full disk during a snapshot: the store lives on a 1 MiB tmpfs and the tree holds more.
 * The snapshot fails with E_DISK_FULL and a hint, never a stack trace, and every object that was
 * installed is whole (verify passes); after room is made, the same snapshot completes.
 * Skipped where mounting a tmpfs is not allowed (no root, or a container without the right).
 */
function tryMountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('snapshot on a full disk (real tmpfs)', () => {
  const tmp = makeTempDir();
  const mountPoint = path.join(tmp.dir, 'small');
  fs.mkdirSync(mountPoint);
  const mounted = tryMountTmpfs(mountPoint, '1m');
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
    tmp.cleanup();
  });

  (mounted ? it : it.skip)(
    'fails with E_DISK_FULL, installs no partial object, and completes once there is room',
    async () => {
      const src = path.join(tmp.dir, 'src');
      const files: Record<string, string> = {};
      // 40 files of 64 KiB with distinct content: 2.5 MiB, more than the 1 MiB disk.
      for (let i = 0; i < 40; i += 1)
        files[`f${i}.txt`] = `${i}\n`.padEnd(64 * 1024, String.fromCharCode(97 + (i % 26)));
      writeTree(src, files);
      const store = path.join(mountPoint, 'store');
      const r = await cli(['snapshot', src, '--store', store]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error\[E_DISK_FULL\]/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // Whatever was installed before the disk filled up is whole.
      const report = verifyStore(openStore(store));
      expect(report.problems.filter((p) => p.kind === 'object_corrupt')).toEqual([]);
      expect(fs.readdirSync(path.join(store, 'snapshots')).length).toBe(0);
      // Room made (the disk grows): the same snapshot now completes and verifies.
      execFileSync('mount', ['-o', 'remount,size=8m', mountPoint]);
      const again = await cli(['snapshot', src, '--store', store]);
      expect(again.code).toBe(0);
      expect(verifyStore(openStore(store)).ok).toBe(true);
    },
  );
});
