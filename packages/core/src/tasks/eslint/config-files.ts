import path from 'node:path';

/** Flat config file names ESLint 9 and 10 look for. */
const FLAT_CONFIG = /(^|\/)eslint\.config\.(js|mjs|cjs|ts|mts|cts)$/;
/** eslintrc files (ESLint 8, or ESLint 9 with ESLINT_USE_FLAT_CONFIG=false). */
const RC_CONFIG = /(^|\/)\.eslintrc(\.(js|cjs|yaml|yml|json))?$/;
const IGNORE_FILE = /(^|\/)\.eslintignore$/;
/** What a package manager records as installed: plugin and parser versions come from here. */
export const LOCKFILE_NAMES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
] as const;
const LOCKFILE = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$/;

export function isFlatConfigFile(p: string): boolean {
  return FLAT_CONFIG.test(p);
}

export function isRcConfigFile(p: string): boolean {
  return RC_CONFIG.test(p);
}

export function isEslintConfigFile(p: string): boolean {
  return FLAT_CONFIG.test(p) || RC_CONFIG.test(p) || IGNORE_FILE.test(p);
}

export function isLockfile(p: string): boolean {
  return LOCKFILE.test(p);
}

/** Does the tree configure ESLint? (`auto` plans the ESLint task only then.) */
export function hasEslintConfig(files: readonly { path: string }[]): boolean {
  return files.some((f) => FLAT_CONFIG.test(f.path) || RC_CONFIG.test(f.path));
}

/** Literal relative specifiers of import, import(), require() and export-from, in group 2. */
export const RELATIVE_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+)\1/g;
/** What a config's extensionless specifier may name, in the order Node and bundlers try. */
export const SCRIPT_EXTENSIONS = [
  '',
  '.js',
  '.mjs',
  '.cjs',
  '.ts',
  '.mts',
  '.cts',
  '.json',
  '/index.js',
  '/index.mjs',
];

/**
 * The tree's files a config file reads through relative imports (a local plugin, shared
 * settings), transitively: found by a textual scan, which is enough because config files
 * import their neighbours with literal specifiers. Packages from node_modules are covered by
 * the lockfiles instead.
 */
export function findConfigImports(
  configPaths: readonly string[],
  exists: (p: string) => boolean,
  readText: (p: string) => string,
): string[] {
  const seen = new Set<string>(configPaths);
  const queue = [...configPaths];
  while (queue.length > 0) {
    const from = queue.pop()!;
    let text: string;
    try {
      text = readText(from);
    } catch {
      continue;
    }
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), m[2]!));
      if (base.startsWith('../')) continue;
      const hit = SCRIPT_EXTENSIONS.map((ext) => base + ext).find(exists);
      if (hit && !seen.has(hit)) {
        seen.add(hit);
        queue.push(hit);
      }
    }
  }
  return [...seen].sort();
}
