import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toCodebatchError } from '../errors/codebatch-error';

export interface ShardLock {
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/**
 * Exclusive right to execute one shard, so two processes running the same batch never
 * execute a shard twice at once. The lock file lives in the shard's own directory (SPEC 8.4:
 * a shard writes only there). A lock whose owner died (same host, pid gone) is stale and is
 * broken; a lock from another host is trusted until it is older than `staleMs`.
 */
export function tryLockShard(shardDir: string, staleMs = 6 * 60 * 60 * 1000): ShardLock | undefined {
  const file = path.join(shardDir, '.lock');
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx' });
      return {
        release: () => {
          try {
            fs.rmSync(file, { force: true });
          } catch {
            // a lock left behind is stale once this process exits, and is broken then
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw toCodebatchError(error, `locking ${shardDir}`);
      if (!isStale(file, staleMs)) return undefined;
      // Two breakers may race here; rm + exclusive create means at most one of them wins.
      fs.rmSync(file, { force: true });
    }
  }
  return undefined;
}

/** Whether a live process (on this host) holds the shard's lock. */
export function isShardLocked(shardDir: string, staleMs = 6 * 60 * 60 * 1000): boolean {
  const file = path.join(shardDir, '.lock');
  return fs.existsSync(file) && !isStale(file, staleMs);
}

function isStale(file: string, staleMs: number): boolean {
  let owner: LockOwner;
  try {
    owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    // Unreadable or half-written: treat as stale only once it is clearly old.
    try {
      return Date.now() - fs.statSync(file).mtimeMs > 10_000;
    } catch {
      return true;
    }
  }
  if (owner.host === os.hostname()) {
    if (owner.pid === process.pid) return false;
    try {
      process.kill(owner.pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return Date.now() - Date.parse(owner.since) > staleMs;
}
