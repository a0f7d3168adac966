import { compileGlob } from '../util/glob-match';

/**
 * `--include` / `--exclude` globs (picomatch syntax, matched by util/glob-match.ts in linear
 * time: a glob from a committed config file must not be able to stall a snapshot) over
 * canonical paths. A glob matches a file
 * when it matches the file's path or the path of any directory above it, so `--exclude dist`,
 * `--exclude 'dist/**'` and `--include src` all mean the obvious thing. Globs without a `/` match
 * the base name at any depth (`--exclude '*.min.js'`, `--exclude node_modules`). Dotfiles are
 * matched like any other name. With no include globs every file is included; exclude wins over
 * include.
 */
export interface PathFilter {
  /** Normalized, sorted, de-duplicated globs: the form recorded in snapshot.json and hashed. */
  include: string[];
  exclude: string[];
  excludes(canonicalPath: string): boolean;
  /** undefined when there are no include globs (everything is included). */
  includes: ((canonicalPath: string) => boolean) | undefined;
}

export function createPathFilter(
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): PathFilter {
  const inc = normalizeGlobs(include);
  const exc = normalizeGlobs(exclude);
  const excludeMatch = compileGlobs(exc);
  const includeMatch = compileGlobs(inc);
  return {
    include: inc,
    exclude: exc,
    excludes: excludeMatch ?? (() => false),
    includes: includeMatch,
  };
}

/**
 * One matcher for a glob list. Slash-less globs test the base name.
 * @throws CodebatchError E_CONFIG_INVALID for a glob the matcher refuses (`!(...)`, a brace
 * expansion into too many globs), with a hint
 */
function compileGlobs(globs: readonly string[]): ((p: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const full = globs.filter((g) => g.includes('/')).map((g) => compileGlob(g));
  const base = globs.filter((g) => !g.includes('/')).map((g) => compileGlob(g));
  return (p) => {
    if (full.some((m) => m(p))) return true;
    if (base.length === 0) return false;
    const name = p.slice(p.lastIndexOf('/') + 1);
    return base.some((m) => m(name));
  };
}

/** `./src/**` and `src/**` are the same glob; order and duplicates carry no meaning. */
export function normalizeGlobs(globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const g of globs) {
    let s = g.trim();
    while (s.startsWith('./')) s = s.slice(2);
    if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
    if (s !== '') out.add(s);
  }
  return [...out].sort();
}
