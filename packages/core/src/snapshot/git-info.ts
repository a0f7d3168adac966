import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface GitInfo {
  /** The commit HEAD points at (40 or 64 hex), when the source is inside a git checkout. */
  git_ref?: string;
  /**
   * true when `git status` reports anything (modified, staged, deleted or untracked and not
   * ignored) under the source directory; absent when git is not installed or fails.
   */
  git_dirty?: boolean;
}

const COMMIT = /^[a-f0-9]{40}([a-f0-9]{24})?$/;

/**
 * git facts for snapshot.json. HEAD is resolved by reading .git files directly (no process, a
 * handful of small reads, worktrees and packed refs included); only the dirty flag needs git
 * itself, and that is one `git status` limited to the source directory. GIT_OPTIONAL_LOCKS=0
 * keeps that call from taking index.lock, which would disturb a concurrent git command.
 */
export function readGitInfo(sourceAbs: string, options: { dirty?: boolean } = {}): GitInfo {
  const gitDir = findGitDir(sourceAbs);
  if (!gitDir) return {};
  const ref = resolveHead(gitDir);
  if (!ref) return {};
  const info: GitInfo = { git_ref: ref };
  if (options.dirty !== false) {
    const dirty = readDirtyFlag(sourceAbs);
    if (dirty !== undefined) info.git_dirty = dirty;
  }
  return info;
}

function findGitDir(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    const stat = fs.statSync(dotGit, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return dotGit;
    if (stat?.isFile()) {
      // A linked worktree or submodule: `.git` is a file `gitdir: <path>`.
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '');
      return match ? path.resolve(dir, match[1]!) : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function resolveHead(gitDir: string): string | undefined {
  const head = readText(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (COMMIT.test(head)) return head;
  const match = /^ref:\s*(\S+)$/.exec(head);
  if (!match) return undefined;
  const refName = match[1]!;
  const commonRel = readText(path.join(gitDir, 'commondir'))?.trim();
  const commonDir = commonRel ? path.resolve(gitDir, commonRel) : gitDir;
  for (const dir of new Set([gitDir, commonDir])) {
    const loose = readText(path.join(dir, refName))?.trim();
    if (loose && COMMIT.test(loose)) return loose;
  }
  const packed = readText(path.join(commonDir, 'packed-refs')) ?? '';
  for (const line of packed.split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (name === refName && sha && COMMIT.test(sha)) return sha;
  }
  return undefined; // an unborn branch: no commit yet
}

function readDirtyFlag(sourceAbs: string): boolean | undefined {
  const result = spawnSync('git', ['status', '--porcelain', '-z', '--ignore-submodules=dirty', '--', '.'], {
    cwd: sourceAbs,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.length > 0;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
