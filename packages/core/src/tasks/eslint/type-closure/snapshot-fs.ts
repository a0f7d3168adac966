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
 * The file system TypeScript sees while we resolve: the snapshot for the analysed tree, the
 * disk for node_modules (the snapshot leaves it out; the lockfiles stand for it in digests),
 * and nothing elsewhere, so that a resolution can only land on something a digest covers.
 */
export interface SnapshotFs {
  readonly paths: RootPaths;
  has(rel: string): boolean;
  objectOf(rel: string): string | undefined;
  /** The snapshot file's text, read once. */
  textOf(rel: string): string;
  /** Digest of a file on disk, undefined when absent: for what resolution finds off-snapshot. */
  diskDigestOf(abs: string): string | undefined;
  readonly resolutionHost: ts.ModuleResolutionHost;
  /**
   * Config parsing may also read outside the root (`extends: "../../tsconfig.base.json"`): a
   * config read is always recorded with its digest, so reading it from disk stays sound.
   */
  createConfigHost(record: ReadRecorder): ts.ParseConfigHost;
}

type Source = 'snapshot' | 'disk' | 'none';

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

  const sourceOf = (abs: string, outside: Source): { source: Source; rel?: string } => {
    const rel = paths.toRelative(abs);
    if (rel !== undefined && !isInNodeModules(rel)) return { source: 'snapshot', rel };
    if (isInNodeModules(abs)) return { source: 'disk' };
    return { source: outside };
  };

  const makeHost = (outside: Source, record?: ReadRecorder) => ({
    useCaseSensitiveFileNames: true,
    getCurrentDirectory: () => paths.root,
    fileExists(abs: string): boolean {
      const { source, rel } = sourceOf(abs, outside);
      if (source === 'snapshot') return byPath.has(rel!);
      return source === 'disk' && disk.isFile(abs);
    },
    directoryExists(abs: string): boolean {
      const { source, rel } = sourceOf(abs, outside);
      if (source === 'snapshot') return children.has(rel!);
      return source === 'disk' && disk.isDirectory(abs);
    },
    readFile(abs: string): string | undefined {
      const { source, rel } = sourceOf(abs, outside);
      let text: string | undefined;
      let digest: string | undefined;
      if (source === 'snapshot') {
        const file = byPath.get(rel!);
        if (file) {
          text = textOf(rel!);
          digest = file.object;
        }
      } else if (source === 'disk') {
        text = disk.read(abs);
        if (text !== undefined && record) digest = sha256Hex(text);
      }
      if (record && digest !== undefined) record(paths.toPortable(abs), digest);
      return text;
    },
    getDirectories(abs: string): string[] {
      const { source, rel } = sourceOf(abs, outside);
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
      return sourceOf(abs, outside).source === 'disk' ? disk.realpath(abs) : abs;
    },
  });

  return {
    paths,
    has: (rel) => byPath.has(rel),
    objectOf: (rel) => byPath.get(rel)?.object,
    textOf,
    diskDigestOf: (abs) => {
      const text = disk.read(abs);
      return text === undefined ? undefined : sha256Hex(text);
    },
    resolutionHost: makeHost('none'),
    createConfigHost: (record) => ({ ...makeHost('disk', record), readDirectory: () => [] }),
  };
}

/**
 * Resolution probes the same node_modules paths over and over (every importer of `react`
 * walks the same ancestors): each answer is read from disk once per build.
 */
function createDiskCache() {
  const stats = new Map<string, fs.Stats | undefined>();
  const reads = new Map<string, string | undefined>();
  const reals = new Map<string, string>();
  const dirLists = new Map<string, string[]>();
  const stat = (p: string): fs.Stats | undefined => {
    if (!stats.has(p)) {
      let s: fs.Stats | undefined;
      try {
        s = fs.statSync(p, { throwIfNoEntry: false });
      } catch {
        // ENOTDIR (a probe through a file), EACCES: absent, as far as resolution is concerned.
        s = undefined;
      }
      stats.set(p, s);
    }
    return stats.get(p);
  };
  return {
    isFile: (p: string) => stat(p)?.isFile() ?? false,
    isDirectory: (p: string) => stat(p)?.isDirectory() ?? false,
    read(p: string): string | undefined {
      if (!reads.has(p)) {
        let text: string | undefined;
        try {
          text = stat(p)?.isFile() ? fs.readFileSync(p, 'utf8') : undefined;
        } catch {
          text = undefined;
        }
        reads.set(p, text);
      }
      return reads.get(p);
    },
    realpath(p: string): string {
      let real = reals.get(p);
      if (real === undefined) {
        try {
          real = fs.realpathSync.native(p).replace(/\\/g, '/');
        } catch {
          real = p;
        }
        reals.set(p, real);
      }
      return real;
    },
    directories(p: string): string[] {
      let list = dirLists.get(p);
      if (!list) {
        try {
          list = fs
            .readdirSync(p, { withFileTypes: true })
            // pnpm links @types entries: a symlink counts when it points at a directory.
            .filter((e) => e.isDirectory() || (e.isSymbolicLink() && stat(`${p}/${e.name}`)?.isDirectory()))
            .map((e) => e.name)
            .sort();
        } catch {
          list = [];
        }
        dirLists.set(p, list);
      }
      return list;
    },
  };
}
