import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { SnapshotWarning } from '../schemas/snapshot-record';
import { type IgnoreLevel, isIgnored, loadIgnoreLevel } from './gitignore';
import type { PathFilter } from './path-filter';

export interface WalkOptions {
  gitignore: boolean;
  filter: PathFilter;
  /** Absolute directories never entered (the store, when it lives inside the source tree). */
  skipDirs?: readonly string[];
}

export interface WalkResult {
  /**
   * Canonical paths (SPEC 5.3: entry names joined with `/`) of the regular files kept, in no
   * particular order (the caller sorts once).
   */
  files: string[];
  warnings: SnapshotWarning[];
}

interface PendingDir {
  abs: string;
  rel: string;
  levels: readonly IgnoreLevel[];
  /** An include glob matched this directory or one above it: everything below is included. */
  included: boolean;
}

/**
 * Lists the regular files under `root` that the filters keep. Symlinks are never followed (a
 * snapshot must not reach outside its tree, and link cycles cannot hang it); they, special files,
 * unreadable directories and names that are not valid UTF-8 become warnings, not failures.
 * `.git` is always skipped. Iterative, so directory depth is bounded by memory, not the stack.
 */
export function walkTree(root: string, options: WalkOptions): WalkResult {
  const files: string[] = [];
  const warnings: SnapshotWarning[] = [];
  const skip = new Set(options.skipDirs ?? []);
  const { filter } = options;
  const stack: PendingDir[] = [{ abs: root, rel: '', levels: [], included: filter.includes === undefined }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir.abs, { withFileTypes: true });
    } catch (error) {
      warnings.push(unreadable(dir.rel || '.', error));
      continue;
    }
    const invalid = findInvalidNames(dir.abs, entries);
    let levels = dir.levels;
    // A .gitignore the rules loader refused already has its warning; the entry needs no second.
    let refusedRules = false;
    if (options.gitignore) {
      const hasGitignore = entries.some((e) => e.name === '.gitignore' && !e.isDirectory());
      const isRepoRoot = dir.rel === '' && entries.some((e) => e.name === '.git');
      if (hasGitignore || isRepoRoot) {
        const before = warnings.length;
        const level = loadIgnoreLevel(dir.abs, dir.rel, hasGitignore, isRepoRoot, warnings);
        refusedRules = warnings.slice(before).some((w) => w.path.endsWith('.gitignore'));
        if (level) levels = [...levels, level];
      }
    }
    for (const entry of entries) {
      const name = entry.name;
      if (name === '.git') continue;
      const rel = dir.rel === '' ? name : `${dir.rel}/${name}`;
      const abs = `${dir.abs}${path.sep}${name}`;
      if (invalid?.has(name)) {
        warnings.push({ code: 'invalid_name', path: rel, message: 'file name is not valid UTF-8; skipped' });
        continue;
      }
      const kind = entryKind(entry, abs);
      if (refusedRules && name === '.gitignore' && kind !== 'file') continue;
      const isDir = kind === 'directory';
      if (options.gitignore && levels.length > 0 && isIgnored(levels, rel, isDir)) continue;
      if (filter.excludes(rel)) continue;
      if (isDir) {
        if (skip.has(abs)) continue;
        const included = dir.included || (filter.includes?.(rel) ?? true);
        stack.push({ abs, rel, levels, included });
      } else if (kind === 'file') {
        if (dir.included || filter.includes!(rel)) files.push(rel);
      } else if (kind === 'symlink') {
        warnings.push({ code: 'symlink_skipped', path: rel, message: 'symbolic link not followed; skipped' });
      } else if (kind === 'other') {
        warnings.push({
          code: 'special_file_skipped',
          path: rel,
          message: 'not a regular file (FIFO, socket or device); skipped',
        });
      } else if (kind === 'gone') {
        warnings.push({
          code: 'unreadable',
          path: rel,
          message: 'vanished while the tree was read; skipped',
        });
      } else {
        warnings.push({ code: 'unreadable', path: rel, message: `cannot stat (${kind.errno}); skipped` });
      }
    }
  }
  return { files, warnings };
}

type EntryKind = 'directory' | 'file' | 'symlink' | 'other' | 'gone' | { errno: string };

function entryKind(entry: fs.Dirent, abs: string): EntryKind {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice())
    return 'other';
  // DT_UNKNOWN (some network and overlay filesystems): ask lstat.
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    // EACCES in a directory that can be listed but not traversed (mode r--): a warning.
    return { errno: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
  if (!stat) return 'gone';
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  return stat.isSymbolicLink() ? 'symlink' : 'other';
}

/**
 * Node decodes names as UTF-8, replacing invalid bytes with U+FFFD, and such a lossy name cannot
 * be opened again. Only when a name shows U+FFFD is the directory re-read as raw bytes to tell a
 * genuinely invalid name from one that really contains U+FFFD.
 */
function findInvalidNames(dir: string, entries: readonly fs.Dirent[]): Set<string> | undefined {
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return undefined;
  const invalid = new Set<string>();
  try {
    for (const raw of fs.readdirSync(dir, { encoding: 'buffer' })) {
      if (!isUtf8(raw)) invalid.add(raw.toString('utf8'));
    }
  } catch {
    // The directory vanished between the two reads; its entries will fail individually.
  }
  return invalid;
}

function unreadable(rel: string, error: unknown): SnapshotWarning {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return { code: 'unreadable', path: rel, message: `cannot read directory (${code}); skipped` };
}
