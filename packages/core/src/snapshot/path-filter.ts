import picomatch from 'picomatch';

/**
 * `--include` / `--exclude` globs (picomatch syntax) over canonical paths. A glob matches a file
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
 * One matcher for a glob list. Slash-less globs test the base name. Done here rather than with
 * picomatch's `basename` option, which (4.0) also breaks globs that do contain a slash.
 */
function compileGlobs(globs: readonly string[]): ((p: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const options = { dot: true };
  const withSlash = globs.filter((g) => g.includes('/'));
  const bare = globs.filter((g) => !g.includes('/'));
  const full = withSlash.length > 0 ? picomatch(withSlash, options) : undefined;
  const base = bare.length > 0 ? picomatch(bare, options) : undefined;
  return (p) => (full?.(p) ?? false) || (base?.(p.slice(p.lastIndexOf('/') + 1)) ?? false);
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
