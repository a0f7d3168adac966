import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toCodebatchError } from '../errors/codebatch-error';

export interface ShardLock {
  release(): void;
}

/**
 * What a lock file holds. `pid_start` and `boot_id` (Linux) tell a pid's process apart from a
 * later one given the same pid: pids are recycled, and in a container every run is pid 1 or
 * close to it. Lock files written before these fields existed are judged by pid alone.
 */
interface LockOwner {
  pid: number;
  host: string;
  since: string;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
  pid_start?: string;
  /** /proc/sys/kernel/random/boot_id: a pid start time means nothing across a reboot. */
  boot_id?: string;
}

const DEFAULT_STALE_MS = 6 * 60 * 60 * 1000;

/**
 * Exclusive right to execute one shard, so two processes running the same batch never
 * execute a shard twice at once. The lock file lives in the shard's own directory (SPEC 8.4:
 * a shard writes only there). A lock whose owner died (same host, pid gone, or the pid now
 * belongs to a process started at another time or before a reboot) is stale and is broken; a
 * lock from another host is trusted until it is older than `staleMs`.
 */
export function tryLockShard(shardDir: string, staleMs = DEFAULT_STALE_MS): ShardLock | undefined {
  return tryLockFile(path.join(shardDir, '.lock'), staleMs);
}

/** The same exclusive lock on any file path (its directory must exist). */
export function tryLockFile(file: string, staleMs = DEFAULT_STALE_MS): ShardLock | undefined {
  const start = ownStart();
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
    ...(start ? { pid_start: start.pidStart, boot_id: start.bootId } : {}),
  };
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
        throw toCodebatchError(error, `locking ${file}`);
      if (!isStale(file, staleMs)) return undefined;
      // Two breakers may race here; rm + exclusive create means at most one of them wins.
      fs.rmSync(file, { force: true });
    }
  }
  return undefined;
}

/** Whether a live process (on this host) holds the shard's lock. */
export function isShardLocked(shardDir: string, staleMs = DEFAULT_STALE_MS): boolean {
  const file = path.join(shardDir, '.lock');
  return fs.existsSync(file) && !isStale(file, staleMs);
}

/**
 * Start time of process `pid` (field 22 of /proc/<pid>/stat), or undefined where there is no
 * procfs or the process is gone. Fields are counted after the last `)`: the command name in
 * field 2 may itself hold spaces and parentheses.
 */
function readProcessStart(pid: number): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const start = fields[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

let bootId: string | null | undefined;

/** This boot's id, or undefined where the kernel does not expose one; read once per process. */
function readBootId(): string | undefined {
  if (bootId === undefined) {
    try {
      bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId ?? undefined;
}

let own: { pidStart: string; bootId: string } | null | undefined;

/** Read once: this process's start time and boot id never change while it lives. */
function ownStart(): { pidStart: string; bootId: string } | undefined {
  if (own === undefined) {
    const pidStart = readProcessStart(process.pid);
    const bootId = readBootId();
    own = pidStart && bootId ? { pidStart, bootId } : null;
  }
  return own ?? undefined;
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
    // Another boot: every process of the one that wrote the lock is gone.
    const thisBoot = readBootId();
    if (owner.boot_id && thisBoot && owner.boot_id !== thisBoot) return true;
    if (owner.pid === process.pid) {
      // Our pid, but possibly an earlier process (a container restarted with the same pid).
      const start = ownStart()?.pidStart;
      return owner.pid_start !== undefined && start !== undefined && owner.pid_start !== start;
    }
    try {
      process.kill(owner.pid, 0);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
    // The pid is alive; it is the owner only if it started when the owner did (pids recycle).
    if (owner.pid_start === undefined) return false;
    const start = readProcessStart(owner.pid);
    return start !== undefined && start !== owner.pid_start;
  }
  return Date.now() - Date.parse(owner.since) > staleMs;
}
