import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

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

/** Reads `<dir>/.gitignore` (plus `.git/info/exclude` at the root); undefined when none apply. */
export function loadIgnoreLevel(
  absDir: string,
  base: string,
  hasGitignore: boolean,
  isRepoRoot: boolean,
): IgnoreLevel | undefined {
  let rules = '';
  if (isRepoRoot) rules += readOptional(path.join(absDir, '.git', 'info', 'exclude'));
  if (hasGitignore) rules += `\n${readOptional(path.join(absDir, '.gitignore'))}`;
  if (rules.trim() === '') return undefined;
  return { base, matcher: ignore({ ignorecase: false }).add(rules) };
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

function readOptional(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // Absent or unreadable ignore files mean "no rules": the walk still reports what it sees.
    return '';
  }
}
