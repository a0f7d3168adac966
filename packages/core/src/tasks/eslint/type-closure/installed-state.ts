import { sha256OfCanonical } from '../../../util/hash';
import { isLockfile, LOCKFILE_NAMES } from '../config-files';
import { isInNodeModules } from './paths';
import type { SnapshotFile, SnapshotFs } from './snapshot-fs';

/** Lockfiles at any depth of the tree: what they pin is what node_modules holds. */

/**
 * Package managers' own record of what is really installed, which can differ from the
 * lockfile (an `npm install` without saving, a stale checkout). Read from disk.
 */
const INSTALL_RECORDS = [
  'node_modules/.package-lock.json',
  'node_modules/.pnpm/lock.yaml',
  'node_modules/.yarn-state.yml',
];

/** One digest for everything that stands for node_modules in a closure digest. */
export interface InstalledState {
  /** Portable paths of the lockfiles and install records that exist, sorted. */
  readonly files: readonly string[];
  readonly digest: string;
}

/**
 * Resolution looks for node_modules in the root and every ancestor (the analysed root may be
 * one package of a workspace), so the install records are looked for there too, and above
 * the root, where the snapshot cannot hold them, the lockfiles as well.
 */
export function digestInstalledState(files: readonly SnapshotFile[], fs: SnapshotFs): InstalledState {
  const entries: [string, string][] = [];
  for (const file of files) {
    if (isLockfile(file.path) && !isInNodeModules(file.path)) entries.push([file.path, file.object]);
  }
  for (const dir of rootAndAncestors(fs.paths.root)) {
    const names = dir === fs.paths.root ? INSTALL_RECORDS : [...INSTALL_RECORDS, ...LOCKFILE_NAMES];
    for (const name of names) {
      const abs = `${dir === '/' ? '' : dir}/${name}`;
      const digest = fs.diskDigestOf(abs);
      if (digest !== undefined) entries.push([fs.paths.toPortable(abs), digest]);
    }
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { files: entries.map((e) => e[0]), digest: sha256OfCanonical(entries) };
}

/** The compiler typescript-eslint will load, as found from the root the way Node looks. */
export interface InstalledCompiler {
  /** `typescript@5.9.3`, or undefined when none is installed. */
  readonly label: string | undefined;
  readonly digest: string | undefined;
}

/**
 * Every type-aware result depends on the compiler's own lib.d.ts files, which no import
 * reaches and which change with the installed typescript version, whatever imports a file has.
 */
export function digestInstalledCompiler(fs: SnapshotFs): InstalledCompiler {
  for (const dir of rootAndAncestors(fs.paths.root)) {
    const manifest = `${dir === '/' ? '' : dir}/node_modules/typescript/package.json`;
    const digest = fs.diskDigestOf(manifest);
    if (digest !== undefined) {
      const version = fs.resolutionHost.readFile(manifest)?.match(/"version"\s*:\s*"([^"]+)"/)?.[1];
      return { label: `compiler:typescript@${version ?? 'unknown'}`, digest };
    }
  }
  return { label: undefined, digest: undefined };
}

/** `/a/b` -> `/a/b`, `/a`, `/`. */
function rootAndAncestors(root: string): string[] {
  const dirs = [root];
  for (let dir = root; dir.includes('/') && dir !== '/'; ) {
    dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
    dirs.push(dir);
  }
  return dirs;
}
