import fs from 'node:fs';
import type ts from 'typescript';
import { sha256Hex } from '../../../util/hash';
import { createRootPaths, isInNodeModules, parentDirOf, type RootPaths } from './paths';

export interface SnapshotFile {
  path: string;
  object: string;
  text(): string;
}

/** Reports one file a config parse read: its portable path and content digest. */
export type ReadRecorder = (portablePath: string, digest: string) => void;

/**
 * What a build saw of the disk, so that a stored result can be re-checked against it: each
 * answer keyed by absolute path. A stat is `f` (file), `d` (directory), `o` (other) or `-`
 * (absent); a read is the content digest.
 */
export interface DiskObservations {
  stats: Record<string, string>;
  reads: Record<string, string>;
  reals: Record<string, string>;
  dirs: Record<string, string[]>;
}

/**
 * The file system TypeScript sees while we resolve: the snapshot for the analysed tree, the
 * disk for node_modules (the snapshot leaves it out; the lockfiles stand for it in digests)
 * and for files outside the root (a monorepo's other packages, which the caller digests by
 * their content), so that a resolution can only land on something a digest covers.
 */
export interface SnapshotFs {
  readonly paths: RootPaths;
  has(rel: string): boolean;
  objectOf(rel: string): string | undefined;
  /** The snapshot file's text, read once. */
  textOf(rel: string): string;
  /** Digest of a file on disk, undefined when absent: for what resolution finds off-snapshot. */
  diskDigestOf(abs: string): string | undefined;
  /** Text of a file on disk, undefined when absent. */
  diskTextOf(abs: string): string | undefined;
  /** Everything read or probed on disk so far. */
  diskObservations(): DiskObservations;
  readonly resolutionHost: ts.ModuleResolutionHost;
  /**
   * The same, except that a path inside the root that the snapshot lacks is looked up on disk:
   * for what a build output in the tree imports, which lies beside it in its output directory
   * (git-ignored, so never in the snapshot). Every such probe is a disk observation.
   */
  readonly builtOutputHost: ts.ModuleResolutionHost;
  /**
   * Config parsing may also read outside the root (`extends: "../../tsconfig.base.json"`): a
   * config read is always recorded with its digest, so reading it from disk stays sound.
   */
  createConfigHost(record: ReadRecorder): ts.ParseConfigHost;
}

type Source = 'snapshot' | 'disk';

export function createSnapshotFs(rootDir: string, files: readonly SnapshotFile[]): SnapshotFs {
  const paths = createRootPaths(rootDir);
  const byPath = new Map<string, SnapshotFile>();
  const children = new Map<string, Set<string>>();
  for (const file of files) {
    if (isInNodeModules(file.path)) continue;
    byPath.set(file.path, file);
    // Walks up only until a directory already known: its ancestors list it already.
    let child = file.path;
    let dir = parentDirOf(child);
    for (;;) {
      let names = children.get(dir);
      const known = names !== undefined;
      if (!names) {
        names = new Set();
        children.set(dir, names);
      }
      names.add(dir === '' ? child : child.slice(dir.length + 1));
      if (known || dir === '') break;
      child = dir;
      dir = parentDirOf(dir);
    }
  }
  const texts = new Map<string, string>();
  const disk = createDiskCache();

  const textOf = (rel: string): string => {
    let text = texts.get(rel);
    if (text === undefined) {
      const file = byPath.get(rel);
      text = file ? file.text() : '';
      texts.set(rel, text);
    }
    return text;
  };

  const sourceOf = (abs: string): { source: Source; rel?: string } => {
    const rel = paths.toRelative(abs);
    if (rel !== undefined && !isInNodeModules(rel)) return { source: 'snapshot', rel };
    return { source: 'disk' };
  };

  const makeHost = (record?: ReadRecorder, diskBehindSnapshot = false) => ({
    useCaseSensitiveFileNames: true,
    getCurrentDirectory: () => paths.root,
    fileExists(abs: string): boolean {
      const { source, rel } = sourceOf(abs);
      if (source === 'snapshot') return byPath.has(rel!) || (diskBehindSnapshot && disk.isFile(abs));
      return source === 'disk' && disk.isFile(abs);
    },
    directoryExists(abs: string): boolean {
      const { source, rel } = sourceOf(abs);
      if (source === 'snapshot') return children.has(rel!) || (diskBehindSnapshot && disk.isDirectory(abs));
      return source === 'disk' && disk.isDirectory(abs);
    },
    readFile(abs: string): string | undefined {
      const { source, rel } = sourceOf(abs);
      let text: string | undefined;
      let digest: string | undefined;
      if (source === 'snapshot' && diskBehindSnapshot && !byPath.has(rel!)) {
        text = disk.read(abs);
      } else if (source === 'snapshot') {
        const file = byPath.get(rel!);
        if (file) {
          text = textOf(rel!);
          digest = file.object;
        }
      } else if (source === 'disk') {
        text = disk.read(abs);
        if (text !== undefined && record) digest = disk.digest(abs);
      }
      if (record && digest !== undefined) record(paths.toPortable(abs), digest);
      return text;
    },
    getDirectories(abs: string): string[] {
      const { source, rel } = sourceOf(abs);
      if (source === 'snapshot') {
        const names = children.get(rel!);
        if (!names) return [];
        // A name is a directory when it has children of its own.
        return [...names].filter((n) => children.has(rel === '' ? n : `${rel}/${n}`)).sort();
      }
      return source === 'disk' ? disk.directories(abs) : [];
    },
    realpath(abs: string): string {
      // Only node_modules holds links worth following: workspace packages linked back into
      // the tree, whose sources must become edges rather than opaque externals.
      return sourceOf(abs).source === 'disk' ? disk.realpath(abs) : abs;
    },
  });

  return {
    paths,
    has: (rel) => byPath.has(rel),
    objectOf: (rel) => byPath.get(rel)?.object,
    textOf,
    diskDigestOf: (abs) => disk.digest(abs),
    diskTextOf: (abs) => disk.read(abs),
    diskObservations: () => disk.observations(),
    resolutionHost: makeHost(),
    builtOutputHost: makeHost(undefined, true),
    createConfigHost: (record) => ({ ...makeHost(record), readDirectory: () => [] }),
  };
}

/**
 * Resolution probes the same node_modules paths over and over (every importer of `react`
 * walks the same ancestors): each answer is read from disk once per build, and kept, so that
 * the build can say what it saw.
 */
function createDiskCache() {
  const stats = new Map<string, fs.Stats | undefined>();
  const reads = new Map<string, string | undefined>();
  const digests = new Map<string, string>();
  const reals = new Map<string, string>();
  const dirLists = new Map<string, string[]>();
  const stat = (p: string): fs.Stats | undefined => {
    if (!stats.has(p)) stats.set(p, statOnDisk(p));
    return stats.get(p);
  };
  const read = (p: string): string | undefined => {
    if (!reads.has(p)) reads.set(p, stat(p)?.isFile() ? readOnDisk(p) : undefined);
    return reads.get(p);
  };
  const digest = (p: string): string | undefined => {
    let hex = digests.get(p);
    if (hex === undefined) {
      const text = read(p);
      if (text === undefined) return undefined;
      hex = sha256Hex(text);
      digests.set(p, hex);
    }
    return hex;
  };
  return {
    isFile: (p: string) => stat(p)?.isFile() ?? false,
    isDirectory: (p: string) => stat(p)?.isDirectory() ?? false,
    read,
    digest,
    realpath(p: string): string {
      let real = reals.get(p);
      if (real === undefined) {
        real = realpathOnDisk(p);
        reals.set(p, real);
      }
      return real;
    },
    directories(p: string): string[] {
      let list = dirLists.get(p);
      if (!list) {
        list = directoriesOnDisk(p);
        dirLists.set(p, list);
      }
      return list;
    },
    observations(): DiskObservations {
      const out: DiskObservations = { stats: {}, reads: {}, reals: {}, dirs: {} };
      for (const p of [...stats.keys()].sort()) out.stats[p] = kindOf(stats.get(p));
      for (const p of [...reads.keys()].sort()) {
        const hex = digest(p);
        if (hex !== undefined) out.reads[p] = hex;
      }
      for (const p of [...reals.keys()].sort()) out.reals[p] = reals.get(p)!;
      for (const p of [...dirLists.keys()].sort()) out.dirs[p] = dirLists.get(p)!;
      return out;
    },
  };
}

/**
 * Whether a value read back from the store has the shape of DiskObservations: anything else
 * (a truncated or hand-edited table) is treated as absent rather than trusted or thrown on.
 */
export function isDiskObservations(value: unknown): value is DiskObservations {
  if (!isRecord(value)) return false;
  const { stats, reads, reals, dirs } = value;
  return (
    isRecordOf(stats, isString) &&
    isRecordOf(reads, isString) &&
    isRecordOf(reals, isString) &&
    isRecordOf(dirs, (names) => Array.isArray(names) && names.every(isString))
  );
}

export function isRecordOf(value: unknown, isEntry: (entry: unknown) => boolean): boolean {
  return isRecord(value) && Object.values(value).every(isEntry);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/**
 * Whether the disk still answers as it did when `observed` was taken: every probe, read, link
 * and listing the same. A stored closure is reused only then, since a rebuilt build output or
 * an `npm install` changes what a type-aware lint sees without touching the snapshot.
 */
export function diskObservationsHold(observed: DiskObservations): boolean {
  for (const [p, kind] of Object.entries(observed.stats)) if (kindOf(statOnDisk(p)) !== kind) return false;
  for (const [p, digest] of Object.entries(observed.reads)) {
    const text = readOnDisk(p);
    if (text === undefined || sha256Hex(text) !== digest) return false;
  }
  for (const [p, real] of Object.entries(observed.reals)) if (realpathOnDisk(p) !== real) return false;
  for (const [p, names] of Object.entries(observed.dirs)) {
    const now = directoriesOnDisk(p);
    if (now.length !== names.length || now.some((n, i) => n !== names[i])) return false;
  }
  return true;
}

function kindOf(s: fs.Stats | undefined): string {
  return s === undefined ? '-' : s.isFile() ? 'f' : s.isDirectory() ? 'd' : 'o';
}

function statOnDisk(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    // ENOTDIR (a probe through a file), EACCES: absent, as far as resolution is concerned.
    return undefined;
  }
}

function readOnDisk(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

function realpathOnDisk(p: string): string {
  try {
    return fs.realpathSync.native(p).replace(/\\/g, '/');
  } catch {
    return p;
  }
}

function directoriesOnDisk(p: string): string[] {
  try {
    return (
      fs
        .readdirSync(p, { withFileTypes: true })
        // pnpm links @types entries: a symlink counts when it points at a directory.
        .filter((e) => e.isDirectory() || (e.isSymbolicLink() && statOnDisk(`${p}/${e.name}`)?.isDirectory()))
        .map((e) => e.name)
        .sort()
    );
  } catch {
    return [];
  }
}
