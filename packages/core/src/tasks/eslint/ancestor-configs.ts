import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../util/hash';
import {
  ESLINT_FILE_NAMES,
  isEslintConfigFile,
  isLockfile,
  LOCKFILE_NAMES,
  SCRIPT_EXTENSIONS,
  walkRelativeImports,
} from './config-files';

const NAMES = [...ESLINT_FILE_NAMES, ...LOCKFILE_NAMES];

/**
 * ESLint looks for its config in the directories above the one it lints (an Nx project is
 * linted with the workspace root's eslint.config.mjs), and package managers keep the lockfile
 * at the workspace root. Those files are outside the snapshot, so they are read from disk:
 * every ESLint config, ignore file and lockfile in an ancestor of `root`, with the files the
 * configs import relatively, as `absolute path -> sha256`.
 */
export function digestAncestorConfigs(root: string): Record<string, string> {
  const found = new Map<string, string>();
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    for (const name of NAMES) {
      const file = path.join(dir, name);
      const digest = digestFile(file);
      if (digest) found.set(file, digest);
    }
    if (path.dirname(dir) === dir) break;
  }
  const configs = [...found.keys()].filter((file) => !isLockfile(file));
  for (const file of walkOnDisk(configs)) if (!found.has(file)) found.set(file, digestFile(file)!);
  return sortedEntries(found);
}

/** Files outside the snapshot that config files inside it import (`../shared/eslint-base.js`). */
export function digestOutsideImports(
  root: string,
  configFiles: readonly string[],
  readText: (p: string) => string,
): Record<string, string> {
  const outside = walkRelativeImports(
    configFiles,
    (from, spec) => {
      const target = resolveOnDisk(path.join(root, path.dirname(from)), spec);
      return target && path.relative(root, target).startsWith('..') ? target : undefined;
    },
    (rel) => {
      try {
        return readText(rel);
      } catch {
        return undefined;
      }
    },
  ).filter((file) => path.isAbsolute(file));
  const found = new Map<string, string>();
  for (const file of walkOnDisk(outside)) found.set(file, digestFile(file)!);
  return sortedEntries(found);
}

/** Whether ESLint would find a config in an ancestor of `root` (for `"eslint": "auto"`). */
export function hasAncestorEslintConfig(root: string): boolean {
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    for (const name of NAMES)
      if (isEslintConfigFile(name) && name !== '.eslintignore' && isFile(path.join(dir, name))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * The files that ESLint config files import through literal relative specifiers, transitively,
 * as workspace-relative POSIX paths, sorted: what a cache keyed on the configs must hash too
 * (the Nx plugin's target inputs). The configs given are left out (the caller lists them
 * already), and so are files outside the workspace, which Nx cannot hash. `texts` caches file
 * contents by absolute path: a caller asking for many projects passes one map so that each file
 * is read once.
 */
export function findConfigImportsOnDisk(
  workspaceRoot: string,
  configFiles: readonly string[],
  texts: Map<string, string | undefined> = new Map(),
): string[] {
  const starts = configFiles.map((f) => path.resolve(workspaceRoot, f));
  const given = new Set(starts);
  const read = (file: string) => {
    if (!texts.has(file)) texts.set(file, readText(file));
    return texts.get(file);
  };
  const out: string[] = [];
  for (const file of walkOnDisk(starts, read)) {
    const rel = path.relative(workspaceRoot, file);
    if (given.has(file) || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) continue;
    out.push(rel.split(path.sep).join('/'));
  }
  return out.sort();
}

/** Files on disk reached from `starts` through relative imports, starts included. */
function walkOnDisk(
  starts: readonly string[],
  read: (file: string) => string | undefined = readText,
): string[] {
  return walkRelativeImports(starts, (from, spec) => resolveOnDisk(path.dirname(from), spec), read);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function sortedEntries(found: Map<string, string>): Record<string, string> {
  return Object.fromEntries([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function resolveOnDisk(dir: string, spec: string): string | undefined {
  const base = path.resolve(dir, spec);
  return SCRIPT_EXTENSIONS.map((ext) => base + ext).find(isFile);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function digestFile(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    // A config or lockfile is a regular file of sane size; anything else is not read.
    if (!stat.isFile() || stat.size > 64 * 1024 * 1024) return undefined;
    return sha256Hex(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}
