import path from 'node:path';

/** Flat config files ESLint 9 and 10 look for: `eslint.config.<ext>`. */
const FLAT_EXTENSIONS = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'];
/** eslintrc files (ESLint 8, or ESLint 9 with ESLINT_USE_FLAT_CONFIG=false): `.eslintrc[.<ext>]`. */
const RC_EXTENSIONS = ['js', 'cjs', 'yaml', 'yml', 'json'];

/**
 * Every file name ESLint reads its configuration from (flat config, eslintrc, .eslintignore):
 * the one list the engine (ancestor configs) and the Nx plugin (its createNodes glob) spell out.
 */
export const ESLINT_FILE_NAMES: readonly string[] = [
  ...FLAT_EXTENSIONS.map((ext) => `eslint.config.${ext}`),
  '.eslintrc',
  ...RC_EXTENSIONS.map((ext) => `.eslintrc.${ext}`),
  '.eslintignore',
];

const FLAT_CONFIG = new RegExp(`(^|/)eslint\\.config\\.(${FLAT_EXTENSIONS.join('|')})$`);
const RC_CONFIG = new RegExp(`(^|/)\\.eslintrc(\\.(${RC_EXTENSIONS.join('|')}))?$`);
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
const LOCKFILES: ReadonlySet<string> = new Set(LOCKFILE_NAMES);

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
  return LOCKFILES.has(p.slice(p.lastIndexOf('/') + 1));
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
 * Every file reached from `starts` through literal relative imports, transitively, starts
 * included, sorted. Config files import their neighbours with literal specifiers, so a textual
 * scan is enough; packages from node_modules are covered by the lockfiles instead. `resolve`
 * maps (importing file, specifier) to a file or undefined; `read` gives a file's text or
 * undefined. One walk for files of the snapshot and for files on disk.
 */
export function walkRelativeImports(
  starts: readonly string[],
  resolve: (from: string, spec: string) => string | undefined,
  read: (file: string) => string | undefined,
): string[] {
  const seen = new Set<string>(starts);
  const queue = [...starts];
  while (queue.length > 0) {
    const from = queue.pop()!;
    const text = read(from);
    if (text === undefined) continue;
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const hit = resolve(from, m[2]!);
      if (hit !== undefined && !seen.has(hit)) {
        seen.add(hit);
        queue.push(hit);
      }
    }
  }
  return [...seen].sort();
}

/** The snapshot's files that its config files read through relative imports, transitively. */
export function findConfigImports(
  configPaths: readonly string[],
  exists: (p: string) => boolean,
  readText: (p: string) => string,
): string[] {
  return walkRelativeImports(
    configPaths,
    (from, spec) => {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      return base.startsWith('../') ? undefined : SCRIPT_EXTENSIONS.map((ext) => base + ext).find(exists);
    },
    (file) => {
      try {
        return readText(file);
      } catch {
        return undefined;
      }
    },
  );
}
