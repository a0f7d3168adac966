import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTempDir } from '../../test-support/temp-dir';
import { isShardLocked, tryLockShard } from '../shard-lock';

/** Read here, not through shard-lock.ts, so the test does not trust the code it checks. */
function procStart(pid: number): string {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19]!;
}
const hasProc = fs.existsSync('/proc/self/stat') && fs.existsSync('/proc/sys/kernel/random/boot_id');
const bootId = () => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('shard lock ownership', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let sleeper: ChildProcess | undefined;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => {
    sleeper?.kill('SIGKILL');
    sleeper = undefined;
    tmp.cleanup();
  });

  const writeLock = (owner: Record<string, unknown>) =>
    fs.writeFileSync(
      path.join(tmp.dir, '.lock'),
      JSON.stringify({ host: os.hostname(), since: new Date().toISOString(), ...owner }),
    );
  const startSleeper = async () => {
    sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper!.once('spawn', resolve));
    return sleeper.pid!;
  };

  (hasProc ? it : it.skip)('records the pid start time and boot id; our own live lock is not taken', () => {
    const lock = tryLockShard(tmp.dir);
    expect(lock).toBeDefined();
    const owner = JSON.parse(fs.readFileSync(path.join(tmp.dir, '.lock'), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, pid_start: procStart(process.pid), boot_id: bootId() });
    expect(tryLockShard(tmp.dir)).toBeUndefined();
    expect(isShardLocked(tmp.dir)).toBe(true);
    lock!.release();
  });

  (hasProc ? it : it.skip)('our own pid with another start time (a restarted container) is stale', () => {
    writeLock({ pid: process.pid, pid_start: '1', boot_id: bootId() });
    expect(isShardLocked(tmp.dir)).toBe(false);
    const lock = tryLockShard(tmp.dir);
    expect(lock).toBeDefined();
    expect(JSON.parse(fs.readFileSync(path.join(tmp.dir, '.lock'), 'utf8')).pid_start).toBe(
      procStart(process.pid),
    );
    lock!.release();
  });

  (hasProc ? it : it.skip)(
    'a live unrelated process that got a recycled pid does not hold the lock',
    async () => {
      const pid = await startSleeper();
      writeLock({ pid, pid_start: String(Number(procStart(pid)) - 1), boot_id: bootId() });
      expect(isShardLocked(tmp.dir)).toBe(false);
      expect(tryLockShard(tmp.dir)).toBeDefined();
    },
  );

  (hasProc ? it : it.skip)('a live process with the recorded start time keeps its lock', async () => {
    const pid = await startSleeper();
    writeLock({ pid, pid_start: procStart(pid), boot_id: bootId() });
    expect(isShardLocked(tmp.dir)).toBe(true);
    expect(tryLockShard(tmp.dir)).toBeUndefined();
  });

  (hasProc ? it : it.skip)('a lock from another boot is stale even if its pid is alive', async () => {
    const pid = await startSleeper();
    writeLock({ pid, pid_start: procStart(pid), boot_id: '00000000-0000-0000-0000-000000000000' });
    expect(tryLockShard(tmp.dir)).toBeDefined();
  });

  it('an old lock file without start time is judged by pid alone, as before', async () => {
    const pid = await startSleeper();
    writeLock({ pid });
    expect(tryLockShard(tmp.dir)).toBeUndefined();
    const exited = new Promise((resolve) => sleeper!.once('exit', resolve));
    sleeper!.kill('SIGKILL');
    await exited;
    expect(tryLockShard(tmp.dir)).toBeDefined();
  });
});
