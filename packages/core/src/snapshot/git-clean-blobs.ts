import fs from 'node:fs';
import path from 'node:path';
import { commonDirOf, findRepo, resolveHead, type ScratchGit, statusArgs, withScratchGit } from './git-info';

/**
 * The git blob id of every file under `sourceAbs` whose working-tree bytes are exactly that
 * blob's bytes, by git's own account; undefined outside a git checkout or when git fails.
 *
 * A fresh checkout (a CI runner with a restored store) has no usable stat cache: every mtime
 * and inode is new, so every file would be read and hashed again. Git already knows each
 * tracked file's content by blob id, and `git status` has verified the checkout against its
 * index; the store keeps blob id -> sha256 from earlier snapshots (git-blob-map.ts), so such
 * files need no read at all. That is sound only while a file's bytes are the blob's bytes, so
 * a file counts only when
 *   - it is tracked, at stage 0, a regular file (mode 100644 or 100755), with neither
 *     assume-unchanged nor skip-worktree set (git would not look at it: `ls-files -v` tag H);
 *   - `git status` does not list it (no content or stat change against the index);
 *   - no checkout conversion can apply: its text, eol, filter, ident and working-tree-encoding
 *     attributes are all unspecified (`git check-attr`, every attributes source), core.autocrlf
 *     is not true, and the repository has no info/attributes file (the scratch GIT_DIR that
 *     keeps the repository's config from running anything does not see that file).
 * The caller also requires the file's size to equal the size recorded with the digest.
 */
export interface CleanBlobIds {
  /** Source-relative path -> blob id. */
  blobs: Map<string, string>;
  /** Whether `git status` listed anything under the source (GitInfo.git_dirty, for free). */
  dirty: boolean;
}

export function readCleanBlobIds(sourceAbs: string): CleanBlobIds | undefined {
  const repo = findRepo(sourceAbs);
  if (!repo) return undefined;
  const head = resolveHead(repo.gitDir);
  if (!head) return undefined;
  if (fs.existsSync(path.join(commonDirOf(repo.gitDir), 'info', 'attributes'))) return undefined;
  // git_dirty's status runs from the source directory; this one from the work tree root with
  // the source as pathspec: the same files.
  const prefix = path.relative(repo.workTree, sourceAbs).split(path.sep).join('/');
  if (prefix.startsWith('..')) return undefined;
  const spec = prefix === '' ? '.' : prefix;
  return withScratchGit(repo, head, repo.workTree, (git) => cleanBlobIds(git, spec, prefix));
}

function cleanBlobIds(git: ScratchGit, spec: string, prefix: string): CleanBlobIds | undefined {
  // Raw, not --type=bool: `input` (convert on commit only, common) is not a boolean.
  const autocrlf = git(['config', '--get', '--default=false', 'core.autocrlf']);
  const status = git(statusArgs(spec));
  const stage = status && git(['ls-files', '-s', '-v', '-z', '--full-name', '--', spec]);
  if (!autocrlf || !status || !stage) return undefined;
  const dirty = status.length > 0;
  if (CONVERTS_ON_CHECKOUT.has(autocrlf.toString('utf8').trim().toLowerCase()))
    return { blobs: new Map(), dirty };
  const changed = changedPaths(status);
  const candidates = new Map<string, string>();
  for (const entry of stage.toString('utf8').split('\0')) {
    // "<tag> <mode> <blob> <stage>\t<path>"
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [tag, mode, blob, stageNo] = entry.slice(0, tab).split(' ');
    const file = entry.slice(tab + 1);
    if (tag !== 'H' || stageNo !== '0' || (mode !== '100644' && mode !== '100755') || !blob) continue;
    if (changed.has(file)) continue;
    candidates.set(file, blob);
  }
  if (candidates.size === 0) return { blobs: new Map(), dirty };
  // --all lists only the attributes a path has (set, unset or a value), not the unspecified
  // ones: a repository without attributes answers with nothing, where naming the five gave
  // 2.5 MB for the 8.8k-file corpus to read back (30-50 ms of a CI snapshot, against 14).
  const attrs = git(
    ['check-attr', '-z', '--stdin', '--all'],
    Buffer.from(`${[...candidates.keys()].join('\0')}\0`, 'utf8'),
  );
  if (!attrs) return undefined;
  const converted = pathsWithAttributes(attrs);
  const out = new Map<string, string>();
  const strip = prefix === '' ? 0 : prefix.length + 1;
  for (const [file, blob] of candidates) {
    if (converted.has(file)) continue;
    out.set(file.slice(strip), blob);
  }
  return { blobs: out, dirty };
}

/** core.autocrlf values git reads as true: CRLF written on checkout. */
const CONVERTS_ON_CHECKOUT = new Set(['true', 'yes', 'on', '1']);

/** Paths `git status --porcelain -z --no-renames` lists (any change at all). */
function changedPaths(status: Buffer): Set<string> {
  const out = new Set<string>();
  for (const entry of status.toString('utf8').split('\0')) if (entry.length > 3) out.add(entry.slice(3));
  return out;
}

/** Attributes through which a checkout may write other bytes than the blob's. */
const CONVERTING_ATTRIBUTES = new Set(['text', 'eol', 'filter', 'ident', 'working-tree-encoding']);

/** Paths with any converting attribute other than `unspecified` (`check-attr -z` triples). */
function pathsWithAttributes(output: Buffer): Set<string> {
  const parts = output.toString('utf8').split('\0');
  const out = new Set<string>();
  for (let i = 0; i + 2 < parts.length; i += 3)
    if (CONVERTING_ATTRIBUTES.has(parts[i + 1]!) && parts[i + 2] !== 'unspecified') out.add(parts[i]!);
  return out;
}
