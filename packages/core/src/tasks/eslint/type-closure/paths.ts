import path from 'node:path';

/**
 * TypeScript hands its hosts absolute, forward-slash paths; spelling the root the same way
 * lets every host answer with a prefix test instead of a path library call per probe.
 */
function normalizeRootDir(rootDir: string): string {
  const abs = path.resolve(rootDir).replace(/\\/g, '/');
  return abs.length > 1 && abs.endsWith('/') ? abs.slice(0, -1) : abs;
}

export interface RootPaths {
  readonly root: string;
  /** `a/b.ts` -> `<root>/a/b.ts`; `''` is the root itself. */
  toAbsolute(rel: string): string;
  /** The path relative to the root, or undefined when it lies outside. */
  toRelative(abs: string): string | undefined;
  /** Relative to the root even when outside (`../x`): a portable name for digests. */
  toPortable(abs: string): string;
}

export function createRootPaths(rootDir: string): RootPaths {
  const root = normalizeRootDir(rootDir);
  const prefix = root === '/' ? '/' : `${root}/`;
  return {
    root,
    toAbsolute: (rel) => (rel === '' ? root : prefix + rel),
    toRelative: (abs) => {
      const p = abs.replace(/\\/g, '/');
      if (p === root) return '';
      return p.startsWith(prefix) ? p.slice(prefix.length) : undefined;
    },
    toPortable: (abs) => {
      const p = abs.replace(/\\/g, '/');
      if (p === root) return '';
      return p.startsWith(prefix) ? p.slice(prefix.length) : path.posix.relative(root, p);
    },
  };
}

const NODE_MODULES_SEGMENT = /(^|\/)node_modules(\/|$)/;

export function isInNodeModules(p: string): boolean {
  return NODE_MODULES_SEGMENT.test(p);
}

/** `src/a/b.ts` -> `src/a`; a root-level file -> `''`. */
export function parentDirOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** The directory itself, then each ancestor up to the root (`''`), nearest first. */
export function selfAndAncestorDirs(dir: string): string[] {
  const dirs = [dir];
  for (let d = dir; d !== ''; ) {
    d = parentDirOf(d);
    dirs.push(d);
  }
  return dirs;
}

export function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

const SCRIPT_FILE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
const JAVASCRIPT_FILE = /\.(?:js|jsx|mjs|cjs)$/i;

/** Files TypeScript can put in a program: the ones that get a closure digest. */
export function isScriptFilePath(p: string): boolean {
  return SCRIPT_FILE.test(p);
}

export function isJavaScriptFilePath(p: string): boolean {
  return JAVASCRIPT_FILE.test(p);
}
