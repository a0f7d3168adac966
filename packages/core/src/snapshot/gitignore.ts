import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { SnapshotWarning } from '../schemas/snapshot-record';
import { readSmallFile, SMALL_FILE_MAX_BYTES } from './read-small-file';

/**
 * .gitignore semantics for the snapshot walk. Honoured: every `.gitignore` inside the source
 * directory (nested ones apply to their own subtree and take precedence over their parents, as in
 * git) and `.git/info/exclude` when the source directory is itself a repository root. Not
 * honoured: `.gitignore` files above the source directory and the user's global excludes file, so
 * the same tree yields the same snapshot wherever it is checked out. Matching is case-sensitive
 * everywhere (git's default on Linux), again so a snapshot does not depend on the host.
 */
export interface IgnoreLevel {
  /** Canonical path of the directory holding the rules ('' for the source root). */
  base: string;
  matcher: Ignore;
}

/**
 * Reads `<dir>/.gitignore` (plus `.git/info/exclude` at the root); undefined when none apply.
 * Both files come from the analysed tree, so each is read only when it is a regular file of sane
 * size (read-small-file.ts); a refused file contributes no rules and one warning in `warnings`.
 * `.gitignore` symlinks are not followed (git does not follow them either since 2.32).
 */
export function loadIgnoreLevel(
  absDir: string,
  base: string,
  hasGitignore: boolean,
  isRepoRoot: boolean,
  warnings: SnapshotWarning[],
): IgnoreLevel | undefined {
  let rules = '';
  if (isRepoRoot) {
    const rel = base === '' ? '.git/info/exclude' : `${base}/.git/info/exclude`;
    rules += readRules(path.join(absDir, '.git', 'info', 'exclude'), rel, true, warnings);
  }
  if (hasGitignore) {
    const rel = base === '' ? '.gitignore' : `${base}/.gitignore`;
    rules += `\n${readRules(path.join(absDir, '.gitignore'), rel, false, warnings)}`;
  }
  // Comments and blank lines alone (the `info/exclude` git init writes) match nothing: no
  // matcher, instead of one asked about every path of the tree (20-30 ms at 8.8k files).
  if (!hasRule(rules)) return undefined;
  return { base, matcher: ignore({ ignorecase: false }).add(rules) };
}

/** Whether any line is a pattern: not blank once trailing whitespace is cut, not a comment. */
function hasRule(rules: string): boolean {
  for (const line of rules.split('\n')) {
    const trimmed = line.replace(/\s+$/, '');
    if (trimmed !== '' && !trimmed.startsWith('#')) return true;
  }
  return false;
}

/**
 * Decides one entry against the levels that apply to it (outermost first). The deepest level
 * with a matching rule wins, and within a level the last matching rule wins (`ignore` handles
 * that), which is git's precedence. Ignored directories are never entered, so a negation cannot
 * re-include a file under an excluded directory: git behaves the same way.
 */
export function isIgnored(
  levels: readonly IgnoreLevel[],
  canonicalPath: string,
  isDirectory: boolean,
): boolean {
  for (let i = levels.length - 1; i >= 0; i -= 1) {
    const level = levels[i]!;
    const rel = level.base === '' ? canonicalPath : canonicalPath.slice(level.base.length + 1);
    const result = level.matcher.test(isDirectory ? `${rel}/` : rel);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

function readRules(file: string, rel: string, followSymlinks: boolean, warnings: SnapshotWarning[]): string {
  const result = readSmallFile(file, { followSymlinks });
  if (result.ok) return result.text;
  // Absent ignore files mean "no rules"; refused ones too, but the snapshot says so.
  if (result.reason === 'absent') return '';
  const unapplied = 'its ignore rules were not applied';
  if (result.reason === 'symlink') {
    warnings.push({
      code: 'symlink_skipped',
      path: rel,
      message: `symbolic link not followed; ${unapplied}`,
    });
  } else if (result.reason === 'special') {
    warnings.push({
      code: 'special_file_skipped',
      path: rel,
      message: `not a regular file (FIFO, socket or device); ${unapplied}`,
    });
  } else if (result.reason === 'too_large') {
    warnings.push({
      code: 'unreadable',
      path: rel,
      message: `larger than ${SMALL_FILE_MAX_BYTES / 1024 / 1024} MiB; ${unapplied}`,
    });
  } else {
    warnings.push({
      code: 'unreadable',
      path: rel,
      message: `cannot read file (${result.errno ?? 'error'}); ${unapplied}`,
    });
  }
  return '';
}
