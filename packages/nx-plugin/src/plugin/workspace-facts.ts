import fs from 'node:fs';
import path from 'node:path';
import { ENGINE_PACKAGES } from '../shared/defaults';
import { isEslintPackage, isTypeInformationPackage } from '../shared/eslint-facts';

/**
 * Reads a small JSON file, memoized by (size, mtime): the Nx daemon recomputes the graph on
 * every file change, and most of the files we look at have not changed since last time.
 * Returns undefined when the file does not exist; throws on invalid JSON.
 */
const jsonCache = new Map<string, { size: number; mtimeMs: number; value: unknown }>();
export function readJsonCached(file: string): unknown {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  const hit = jsonCache.get(file);
  if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return hit.value;
  const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  jsonCache.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, value });
  return value;
}

/** Package-manager workspace globs from the root package.json (npm, yarn, bun). */
export function readWorkspaceGlobs(workspaceRoot: string): string[] {
  let pkg: unknown;
  try {
    pkg = readJsonCached(path.join(workspaceRoot, 'package.json'));
  } catch {
    return [];
  }
  const ws = (pkg as { workspaces?: unknown } | undefined)?.workspaces;
  const list = Array.isArray(ws) ? ws : (ws as { packages?: unknown } | undefined)?.packages;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

function globToRegExp(glob: string): RegExp {
  const normalized = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < normalized.length; i++) {
    const c = normalized[i]!;
    if (c === '*' && normalized[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when `dir` is a package of the workspace globs (`!pattern` entries exclude). */
export function matchesWorkspaceGlobs(dir: string, globs: readonly string[]): boolean {
  let matched = false;
  for (const g of globs) {
    if (g.startsWith('!')) {
      if (globToRegExp(g.slice(1)).test(dir)) return false;
    } else if (globToRegExp(g).test(dir)) matched = true;
  }
  return matched;
}

/** Finds an installed package's directory (real path), or undefined when it is not installed. */
export type ResolvePackageDir = (name: string, workspaceRoot: string) => string | undefined;

export const resolvePackageDir: ResolvePackageDir = (name, workspaceRoot) => {
  try {
    const manifest = require.resolve(`${name}/package.json`, { paths: [workspaceRoot, __dirname] });
    return fs.realpathSync(path.dirname(manifest));
  } catch {
    return undefined;
  }
};

/**
 * The inputs that make a new engine or plugin version a cache miss. Installed packages are
 * external nodes: `{externalDependencies}` hashes their lockfile versions. A package linked
 * from inside the workspace (this repository dogfooding itself, npm/yarn workspaces) is a
 * project, not an external node, and Nx rejects it there: hash its files instead. A package
 * that is not installed is left out (naming it is a hard error in Nx).
 */
export function engineInputs(
  workspaceRoot: string,
  resolve: ResolvePackageDir = resolvePackageDir,
): unknown[] {
  const external: string[] = [];
  const local: string[] = [];
  const root = fs.existsSync(workspaceRoot) ? fs.realpathSync(workspaceRoot) : workspaceRoot;
  for (const name of ENGINE_PACKAGES) {
    const dir = resolve(name, workspaceRoot);
    if (!dir) continue;
    const rel = path.relative(root, dir).split(path.sep).join('/');
    const insideWorkspace = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    if (insideWorkspace && !rel.split('/').includes('node_modules'))
      local.push(`{workspaceRoot}/${rel}/**/*`);
    else external.push(name);
  }
  return [...local, ...(external.length > 0 ? [{ externalDependencies: external }] : [])];
}

/**
 * The root package.json's dependencies and devDependencies, by name, less those it links from
 * the workspace (`workspace:`, `link:`, `portal:`): Nx makes those projects, not external nodes.
 */
function rootDependencyNames(workspaceRoot: string): string[] {
  let pkg: unknown;
  try {
    pkg = readJsonCached(path.join(workspaceRoot, 'package.json'));
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const deps = (pkg as Record<string, unknown> | undefined)?.[field];
    if (!deps || typeof deps !== 'object') continue;
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec === 'string' && /^(workspace|link|portal):/.test(spec)) continue;
      names.add(name);
    }
  }
  return [...names];
}

/** An installed package whose real location is a folder of the workspace (an npm workspace link). */
function isLinkedFromWorkspace(workspaceRoot: string, name: string): boolean {
  try {
    const root = fs.realpathSync(workspaceRoot);
    const rel = path.relative(root, fs.realpathSync(path.join(workspaceRoot, 'node_modules', name)));
    return (
      rel !== '' &&
      !rel.startsWith('..') &&
      !path.isAbsolute(rel) &&
      !rel.split(path.sep).includes('node_modules')
    );
  } catch {
    return false;
  }
}

function readTextIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether Nx will know a package as an external node. Nx builds those from the lockfile and
 * fails the whole graph on an `externalDependencies` name it does not know, so a package the
 * lockfile does not list is left out; without a readable lockfile, an installed package counts.
 */
export function makeIsLocked(workspaceRoot: string): (name: string) => boolean {
  let npm: unknown;
  try {
    npm = readJsonCached(path.join(workspaceRoot, 'package-lock.json'));
  } catch {
    npm = undefined;
  }
  if (npm && typeof npm === 'object') {
    const { packages, dependencies } = npm as { packages?: object; dependencies?: object };
    // lockfileVersion 2 and 3 list `node_modules/<name>`; version 1 only `dependencies`.
    return (name) => {
      const entry = packages
        ? (packages as Record<string, { link?: boolean }>)[`node_modules/${name}`]
        : (dependencies as Record<string, object> | undefined)?.[name];
      return entry !== undefined && (entry as { link?: boolean }).link !== true;
    };
  }
  const text =
    readTextIfPresent(path.join(workspaceRoot, 'pnpm-lock.yaml')) ??
    readTextIfPresent(path.join(workspaceRoot, 'yarn.lock'));
  if (text !== undefined) {
    // A package entry starts a line or follows whitespace: pnpm `  eslint@9.1.0:`,
    // `'@eslint/js@9.1.0':`, `/eslint@9.1.0:` (v6), `/eslint/9.1.0:` (v5); yarn `eslint@^9:`,
    // `"@eslint/js@^9", "@eslint/js@^9.1":`. `@other/eslint@1` does not name `eslint`.
    return (name) =>
      new RegExp(`(^|\\s)['"]?/?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[@/]\\S`, 'm').test(text);
  }
  return (name) => fs.existsSync(path.join(workspaceRoot, 'node_modules', name, 'package.json'));
}

/**
 * The ESLint packages of the workspace (eslint, its plugins, configs and parsers; see
 * isEslintPackage) and the packages type-aware rules read (the compiler and `@types`; see
 * isTypeInformationPackage) that the root package.json names and Nx knows, sorted: the
 * `externalDependencies` of a target that runs ESLint, as @nx/eslint's inferred lint targets
 * have them, so a new plugin or compiler version is a cache miss.
 */
export function eslintExternalDependencies(workspaceRoot: string): string[] {
  const candidates = rootDependencyNames(workspaceRoot).filter(
    (name) => isEslintPackage(name) || isTypeInformationPackage(name),
  );
  if (candidates.length === 0) return [];
  const isLocked = makeIsLocked(workspaceRoot);
  return candidates.filter((name) => isLocked(name) && !isLinkedFromWorkspace(workspaceRoot, name)).sort();
}
