import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSmallText } from './read-small-file';

export interface GitInfo {
  /** The commit HEAD points at (40 or 64 hex), when the source is inside a git checkout. */
  git_ref?: string;
  /**
   * true when `git status` reports anything (modified, staged, deleted or untracked and not
   * ignored) under the source directory; absent when git is not installed or fails. Computed
   * without the repository's own config (see readDirtyFlag).
   */
  git_dirty?: boolean;
}

const COMMIT = /^[a-f0-9]{40}([a-f0-9]{24})?$/;

/** packed-refs grows with tags and branches; a large monorepo's stays well under this. */
const PACKED_REFS_MAX_BYTES = 256 * 1024 * 1024;

/**
 * git facts for snapshot.json. HEAD is resolved by reading .git files directly (no process, a
 * handful of small reads, worktrees and packed refs included); only the dirty flag needs git
 * itself (see readDirtyFlag for how that runs nothing the analysed repository configured).
 * Never throws: a repository that cannot be read simply yields fewer facts.
 */
export function readGitInfo(
  sourceAbs: string,
  options: { dirty?: boolean; knownDirty?: boolean } = {},
): GitInfo {
  const repo = findRepo(sourceAbs);
  if (!repo) return {};
  const ref = resolveHead(repo.gitDir);
  if (!ref) return {};
  const info: GitInfo = { git_ref: ref };
  if (options.dirty !== false) {
    const dirty = options.knownDirty ?? readDirtyFlag(sourceAbs, repo, ref);
    if (dirty !== undefined) info.git_dirty = dirty;
  }
  return info;
}

export interface Repo {
  /** The directory holding `.git`. */
  workTree: string;
  gitDir: string;
}

export function findRepo(start: string): Repo | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit, { throwIfNoEntry: false });
    } catch {
      return undefined; // EACCES and the like: no git facts rather than a failed snapshot
    }
    if (stat?.isDirectory()) return { workTree: dir, gitDir: dotGit };
    if (stat?.isFile()) {
      // A linked worktree or submodule: `.git` is a file `gitdir: <path>`.
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(readSmallText(dotGit) ?? '');
      return match ? { workTree: dir, gitDir: path.resolve(dir, match[1]!) } : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function commonDirOf(gitDir: string): string {
  const commonRel = readSmallText(path.join(gitDir, 'commondir'))?.trim();
  return commonRel ? path.resolve(gitDir, commonRel) : gitDir;
}

export function resolveHead(gitDir: string): string | undefined {
  const head = readSmallText(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (COMMIT.test(head)) return head;
  const match = /^ref:\s*(\S+)$/.exec(head);
  if (!match) return undefined;
  const refName = match[1]!;
  const commonDir = commonDirOf(gitDir);
  for (const dir of new Set([gitDir, commonDir])) {
    const loose = readSmallText(path.join(dir, refName))?.trim();
    if (loose && COMMIT.test(loose)) return loose;
  }
  const packed = readSmallText(path.join(commonDir, 'packed-refs'), PACKED_REFS_MAX_BYTES) ?? '';
  for (const line of packed.split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (name === refName && sha && COMMIT.test(sha)) return sha;
  }
  return undefined; // an unborn branch: no commit yet
}

/**
 * `git status` honours the repository's own config, and that config can run commands:
 * core.fsmonitor, clean filters (filter.<driver>.clean/process, applied to files whose stat data
 * changed), lazy fetches in partial clones (core.sshCommand). The analysed tree is untrusted,
 * .git/config included, so git runs against a scratch GIT_DIR whose config we write: only the
 * repository's index, objects, HEAD commit and info/exclude are used, plus a few plain-valued
 * core settings (file mode, case) that change what counts as modified. System and global config
 * are the host's and stay in effect, except that hooks and fsmonitor are switched off.
 * GIT_OPTIONAL_LOCKS=0 keeps status from taking index.lock or rewriting the index.
 */
function readDirtyFlag(sourceAbs: string, repo: Repo, head: string): boolean | undefined {
  const out = withScratchGit(repo, head, sourceAbs, (git) => git(statusArgs('.')));
  return out === undefined ? undefined : out.length > 0;
}

/**
 * `git status` of `spec`, as both the dirty flag and the snapshot's clean blobs (git-clean-blobs.ts)
 * ask it: the snapshot then needs no second status for git_dirty.
 */
export function statusArgs(spec: string): string[] {
  return ['status', '--porcelain', '-z', '--no-renames', '--ignore-submodules=dirty', '--', spec];
}

/** One git command in a scratch GIT_DIR: its stdout, or undefined when it fails. */
export type ScratchGit = (args: readonly string[], input?: Buffer) => Buffer | undefined;

/**
 * Calls `use` with a runner of git commands, one after another, against one scratch GIT_DIR (see
 * readDirtyFlag: the repository's index and objects, none of its config but plain core settings),
 * in `cwd`; a command built from another's output needs no second scratch directory and config
 * read. Undefined when git is missing, the scratch directory cannot be made or `use` throws.
 */
export function withScratchGit<T>(
  repo: Repo,
  head: string,
  cwd: string,
  use: (git: ScratchGit) => T | undefined,
): T | undefined {
  let scratch: string | undefined;
  try {
    const commonDir = commonDirOf(repo.gitDir);
    const env = gitEnv();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-git-'));
    fs.mkdirSync(path.join(scratch, 'refs'));
    fs.mkdirSync(path.join(scratch, 'info'));
    fs.writeFileSync(path.join(scratch, 'HEAD'), `${head}\n`);
    fs.writeFileSync(path.join(scratch, 'config'), scratchConfig(commonDir, head, env));
    const exclude = readSmallText(path.join(commonDir, 'info', 'exclude'));
    if (exclude !== undefined) fs.writeFileSync(path.join(scratch, 'info', 'exclude'), exclude);
    const gitDir = scratch;
    return use((args, input) => {
      const result = spawnSync(
        'git',
        ['-c', 'core.fsmonitor=', '-c', `core.hooksPath=${os.devNull}`, ...args],
        {
          cwd,
          env: {
            ...env,
            GIT_DIR: gitDir,
            GIT_WORK_TREE: repo.workTree,
            GIT_INDEX_FILE: path.join(repo.gitDir, 'index'),
            GIT_OBJECT_DIRECTORY: path.join(commonDir, 'objects'),
          },
          input,
          stdio: [input ? 'pipe' : 'ignore', 'pipe', 'ignore'],
          timeout: 30_000,
          maxBuffer: 256 * 1024 * 1024,
        },
      );
      return result.error || result.status !== 0 ? undefined : result.stdout;
    });
  } catch {
    return undefined;
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Settings that decide what status calls modified; copied only when their value is a plain word. */
const COPIED_CORE_KEYS =
  /^core\.(filemode|ignorecase|precomposeunicode|symlinks|autocrlf|eol|trustctime|checkstat)$/;
const PLAIN_VALUE = /^[A-Za-z0-9_-]{1,32}$/;

function scratchConfig(commonDir: string, head: string, env: NodeJS.ProcessEnv): string {
  const sha256 = head.length === 64;
  let config = `[core]\n\trepositoryformatversion = ${sha256 ? 1 : 0}\n\tbare = false\n`;
  // `git config --file` only parses (no includes, nothing run); -z keeps odd keys unambiguous.
  const listed = spawnSync('git', ['config', '--file', path.join(commonDir, 'config'), '-z', '--list'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 10_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (!listed.error && listed.status === 0) {
    for (const item of listed.stdout.toString('utf8').split('\0')) {
      const newline = item.indexOf('\n');
      const key = newline < 0 ? item : item.slice(0, newline);
      const value = newline < 0 ? 'true' : item.slice(newline + 1);
      if (COPIED_CORE_KEYS.test(key) && PLAIN_VALUE.test(value)) {
        config += `\t${key.slice('core.'.length)} = ${value}\n`;
      }
    }
  }
  if (sha256) config += '[extensions]\n\tobjectformat = sha256\n';
  return config;
}

/**
 * The caller's environment without variables that point git at another repository (set, for
 * instance, when codebatch itself runs from a git hook).
 */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!REPO_LOCATING_VARS.has(key)) env[key] = value;
  }
  return { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1' };
}

const REPO_LOCATING_VARS = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_CONFIG',
]);
