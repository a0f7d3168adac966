import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../util/hash';
import {
  isEslintConfigFile,
  isLockfile,
  LOCKFILE_NAMES,
  RELATIVE_IMPORT,
  SCRIPT_EXTENSIONS,
} from './config-files';

const NAMES = [
  ...['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `eslint.config.${ext}`),
  ...['', '.js', '.cjs', '.yaml', '.yml', '.json'].map((ext) => `.eslintrc${ext}`),
  '.eslintignore',
  ...LOCKFILE_NAMES,
];

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
  for (const file of [...found.keys()]) if (!isLockfile(file)) addImports(file, found);
  return Object.fromEntries([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Files outside the snapshot that config files inside it import (`../shared/eslint-base.js`). */
export function digestOutsideImports(
  root: string,
  configFiles: readonly string[],
  readText: (p: string) => string,
): Record<string, string> {
  const found = new Map<string, string>();
  for (const rel of configFiles) {
    let text: string;
    try {
      text = readText(rel);
    } catch {
      continue;
    }
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const target = resolveOnDisk(path.join(root, path.dirname(rel)), m[2]!);
      if (target && path.relative(root, target).startsWith('..') && !found.has(target)) {
        found.set(target, digestFile(target)!);
        addImports(target, found);
      }
    }
  }
  return Object.fromEntries([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether ESLint would find a config in an ancestor of `root` (for `"eslint": "auto"`). */
export function hasAncestorEslintConfig(root: string): boolean {
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    for (const name of NAMES)
      if (isEslintConfigFile(name) && name !== '.eslintignore' && isFile(path.join(dir, name))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

function addImports(file: string, found: Map<string, string>): void {
  const queue = [file];
  while (queue.length > 0) {
    const from = queue.pop()!;
    let text: string;
    try {
      text = fs.readFileSync(from, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const target = resolveOnDisk(path.dirname(from), m[2]!);
      if (target && !found.has(target)) {
        found.set(target, digestFile(target)!);
        queue.push(target);
      }
    }
  }
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
