import type ts from 'typescript';
import { sha256OfCanonical } from '../../../util/hash';
import { findEmittingSource } from './built-output';
import { contributesToGlobalScope } from './global-scope';
import { digestInstalledCompiler, digestInstalledState } from './installed-state';
import { isJavaScriptFilePath, isScriptFilePath, joinRel, parentDirOf } from './paths';
import { createProjectConfigs, type ProjectConfig, withOwnCaches } from './project-config';
import { type AutomaticTypes, resolveAutomaticTypes, resolveFileImports } from './resolve-imports';
import { scanImports } from './scan-imports';
import { findStronglyConnectedComponents } from './scc';
import { typeClosureScheme } from './scheme';
import { createSnapshotFs, type DiskObservations, type SnapshotFs } from './snapshot-fs';

export interface ClosureSourceFile {
  /** Canonical POSIX path relative to the analysed root, e.g. `src/a.ts`. */
  path: string;
  /** Hex sha256 of the content. */
  object: string;
  /** Content (UTF-8); called lazily, only for files whose imports must be read. */
  text(): string;
}

export interface TypeClosureInput {
  /**
   * Absolute directory the paths are relative to (used only to read things outside the file
   * list, e.g. node_modules/<pkg>/package.json or a tsconfig `extends` into node_modules).
   */
  rootDir: string;
  /** Every file of the snapshot (not only TS/JS): tsconfig*.json, jsconfig.json, lockfiles, package.json are found among them. */
  files: readonly ClosureSourceFile[];
}

export interface TypeClosure {
  /** Closure digest (hex sha256) of a TS/JS file of the input, undefined for other files. */
  digestOf(path: string): string | undefined;
  /**
   * The files in the file's closure (itself included; files read from disk by their portable
   * path, `../lib/src/a.ts`), sorted; for explain-miss ("which dependency changed").
   */
  closureOf(path: string): string[];
  /** What every TS/JS file's digest shares: global-scope files, tsconfig chain, lockfile digests, for explaining. */
  describe(path: string): { tsconfig: string[]; globals: string[]; lockfiles: string[]; external: string[] };
  /** What the build read and probed on disk: a stored table of digests holds while this does. */
  diskObservations(): DiskObservations;
}

interface FileNode {
  readonly path: string;
  readonly object: string;
  successors: number[];
  facts: readonly string[];
  external: readonly string[];
  /** Its own imports reach node_modules (or a bare name nothing resolves). */
  reachesInstalled: boolean;
}

const NO_STRINGS: readonly string[] = [];

/** Names the synthetic node of a workspace package: no snapshot path starts with `//`. */
const PACKAGE_NODE_PREFIX = '//package:';
/**
 * Names the node of a file read from disk rather than the snapshot (outside the root, or a
 * build output inside it): `//disk:<project config>\0<portable path>`. NUL is the one
 * character no path holds, so the two parts never run into each other.
 */
const DISK_NODE_PREFIX = '//disk:';

/**
 * Digests each TS/JS file of a snapshot by everything a type-aware lint of it can see: its
 * import closure (a Merkle digest over strongly connected components, so a change reaches
 * exactly its transitive importers), the files that declare globals, the tsconfig chain, and
 * the installed packages where anything reaches node_modules. Pure apart from reading
 * node_modules (and configs outside the root) from disk; synchronous; never throws on a
 * malformed tsconfig.
 *
 * @param input the analysed root and every file of the snapshot
 * @returns lookups by snapshot path
 */
export function buildTypeClosure(input: TypeClosureInput): TypeClosure {
  // Sorted first so that nothing below (node ids, duplicate paths) depends on input order.
  const files = [...input.files].sort(
    (a, b) => compareStrings(a.path, b.path) || compareStrings(a.object, b.object),
  );
  const fs = createSnapshotFs(input.rootDir, files);
  const configs = createProjectConfigs(
    fs,
    files.map((f) => f.path),
  );
  const installed = digestInstalledState(files, fs);
  const compiler = digestInstalledCompiler(fs);

  const nodes: FileNode[] = [];
  const ids = new Map<string, number>();
  const idOf = (path: string): number => {
    let id = ids.get(path);
    if (id === undefined) {
      id = nodes.length;
      ids.set(path, id);
      nodes.push({
        path,
        object: fs.objectOf(path)!,
        successors: [],
        facts: NO_STRINGS,
        external: NO_STRINGS,
        reachesInstalled: false,
      });
    }
    return id;
  };
  const scripts = [...new Set(files.map((f) => f.path))].filter((p) => isScriptFilePath(p) && fs.has(p));
  for (const path of scripts) idOf(path);

  const packageJsonOf = createNearestPackageJson(fs);
  // Build output is made from its package's sources, which the snapshot does hold: an import
  // that lands on a workspace package's dist depends on the source file it was emitted from,
  // or, when the package's tsconfig does not say which, on every script of the package (and,
  // through them, on their closures). A node per package keeps that to one edge per importer.
  const sourceNodeOf = (builtOutput: string): number | undefined => {
    const manifest = packageJsonOf(parentDirOf(builtOutput));
    if (manifest === undefined) return undefined;
    const source = findEmittingSource(builtOutput, configs.configFor(manifest), fs);
    if (source !== undefined) return ids.get(source);
    const dir = parentDirOf(manifest);
    const key = PACKAGE_NODE_PREFIX + dir;
    let id = ids.get(key);
    if (id === undefined) {
      id = nodes.length;
      ids.set(key, id);
      nodes.push({
        path: key,
        object: fs.objectOf(manifest)!,
        successors: scripts.filter((p) => dir === '' || p.startsWith(`${dir}/`)).map((p) => ids.get(p)!),
        // The package's own tsconfig shapes what its build emits.
        facts: [`tsconfig:${configs.chainFor(manifest).digest}`],
        external: NO_STRINGS,
        reachesInstalled: false,
      });
    }
    return id;
  };
  // Files off the snapshot that the tree's imports reach (a monorepo's other packages, a
  // workspace package's build output, type roots outside the root): a node per file and per
  // project that reached it, since the importing program resolves them with its own options;
  // digested by their bytes on disk, the imports of scripts among them followed in turn.
  const diskFiles: { id: number; abs: string; project: ProjectConfig }[] = [];
  const diskNodeOf = (abs: string, project: ProjectConfig): number | undefined => {
    const key = `${DISK_NODE_PREFIX}${project.path ?? ''}\0${fs.paths.toPortable(abs)}`;
    let id = ids.get(key);
    if (id === undefined) {
      const digest = fs.diskDigestOf(abs);
      if (digest === undefined) return undefined;
      id = nodes.length;
      ids.set(key, id);
      nodes.push({
        path: key,
        object: digest,
        successors: [],
        facts: NO_STRINGS,
        external: NO_STRINGS,
        reachesInstalled: false,
      });
      // Anything else (a JSON module) is a leaf: no imports, and no global declarations.
      if (isScriptFilePath(abs)) diskFiles.push({ id, abs, project });
    }
    return id;
  };
  const globals: string[] = [];
  const linkNode = (
    id: number,
    abs: string,
    text: string,
    project: ProjectConfig,
    manifest: string[],
    resolution?: { project: ProjectConfig; host: ts.ModuleResolutionHost },
  ) => {
    const imports = resolveFileImports(
      abs,
      scanImports(abs, text),
      resolution?.project ?? project,
      fs,
      resolution?.host,
    );
    const node = nodes[id]!;
    node.successors = imports.edges.map(idOf);
    const addSuccessor = (s: number | undefined) => {
      if (s !== undefined && !node.successors.includes(s)) node.successors.push(s);
    };
    // Build output stands for its sources, and also for itself: what the program reads is the
    // emitted file and whatever it re-exports, which a stale or hand-edited dist can differ in.
    for (const output of imports.builtOutputs) {
      addSuccessor(sourceNodeOf(output));
      addSuccessor(diskNodeOf(fs.paths.toAbsolute(output), project));
    }
    for (const file of imports.outside) addSuccessor(diskNodeOf(file, project));
    node.external = imports.external;
    if (imports.external.length > 0) {
      node.reachesInstalled = true;
      // The importing package's manifest says which dependency (and version range) it means.
      node.facts = [...imports.facts, `installed:${installed.digest}`, ...manifest].sort();
    } else {
      node.facts = imports.facts;
    }
    // A JS script is global only in a program that admits JS at all.
    if ((!isJavaScriptFilePath(abs) || project.allowJs) && contributesToGlobalScope(abs, text)) {
      globals.push(node.path);
    }
  };
  const projectOfScript = new Map<string, ProjectConfig>();
  for (const path of scripts) {
    const project = configs.configFor(path);
    projectOfScript.set(path, project);
    const manifest = packageJsonOf(parentDirOf(path));
    linkNode(ids.get(path)!, fs.paths.toAbsolute(path), fs.textOf(path), project, [
      ...(manifest ? [`package:${manifest}#${fs.objectOf(manifest)}`] : []),
    ]);
  }
  // A project's automatic types that land off the snapshot join the graph like imports do,
  // before the walk below follows their own imports.
  const automaticTypes = new Map<ProjectConfig, AutomaticTypes & { nodes: readonly number[] }>();
  const automaticTypesOf = (project: ProjectConfig) => {
    let types = automaticTypes.get(project);
    if (!types) {
      const resolved = resolveAutomaticTypes(project, fs);
      const typeNodes = resolved.onDisk.map((abs) => diskNodeOf(abs, project));
      types = { ...resolved, nodes: typeNodes.filter((id) => id !== undefined) };
      automaticTypes.set(project, types);
    }
    return types;
  };
  for (const project of projectOfScript.values()) automaticTypesOf(project);
  // A build output inside the root imports its neighbours in the output directory, which the
  // snapshot lacks as it lacks the file itself: those are resolved on disk.
  const builtOutputResolutions = new Map<
    ProjectConfig,
    { project: ProjectConfig; host: ts.ModuleResolutionHost }
  >();
  const builtOutputResolutionOf = (project: ProjectConfig) => {
    let resolution = builtOutputResolutions.get(project);
    if (!resolution) {
      resolution = { project: withOwnCaches(project, fs), host: fs.builtOutputHost };
      builtOutputResolutions.set(project, resolution);
    }
    return resolution;
  };
  // Grows while it is walked: a disk file's imports may reach further disk files.
  for (let i = 0; i < diskFiles.length; i++) {
    const { id, abs, project } = diskFiles[i]!;
    const inRoot = fs.paths.toRelative(abs) !== undefined;
    linkNode(
      id,
      abs,
      fs.diskTextOf(abs) ?? '',
      project,
      diskManifestOf(abs, fs),
      inRoot ? builtOutputResolutionOf(project) : undefined,
    );
  }

  const graph = digestComponents(nodes);
  // In-root scripts come sorted already; disk nodes join in walk order.
  globals.sort();
  const globalsDigest = sha256OfCanonical(globals.map((g) => [g, graph.digestOfNode(ids.get(g)!)]));
  const globalsReachInstalled = globals.some((g) => graph.reachesInstalled(ids.get(g)!));

  const digests = new Map<string, string>();
  for (const path of scripts) {
    const id = ids.get(path)!;
    const types = automaticTypesOf(projectOfScript.get(path)!);
    // Labelled parts, so that a stored preimage can say which input changed.
    digests.set(
      path,
      sha256OfCanonical({
        scheme: typeClosureScheme(),
        path,
        closure: graph.digestOfNode(id),
        globals: globalsDigest,
        tsconfig: configs.chainFor(path).digest,
        automaticTypes: automaticTypesPart(types, installed.digest, graph.digestOfNode),
        compiler: compiler.digest ?? null,
      }),
    );
  }

  const closureIds = (path: string): number[] => {
    const start = ids.get(path);
    if (start === undefined || !digests.has(path)) return [];
    const types = automaticTypesOf(projectOfScript.get(path)!).nodes;
    return collectReachable(nodes, [start, ...globals.map((g) => ids.get(g)!), ...types]);
  };

  return {
    digestOf: (path) => digests.get(path),
    diskObservations: () => fs.diskObservations(),
    closureOf: (path) =>
      [
        ...new Set(
          closureIds(path)
            .map((id) => nodes[id]!.path)
            .filter((p) => !p.startsWith(PACKAGE_NODE_PREFIX))
            .map(displayPathOf),
        ),
      ].sort(),
    describe: (path) => {
      const project = projectOfScript.get(path);
      if (!project) return { tsconfig: [], globals: [], lockfiles: [], external: [] };
      const types = automaticTypesOf(project).external;
      const reached = closureIds(path);
      const external = new Set<string>(types);
      for (const id of reached) for (const name of nodes[id]!.external) external.add(name);
      if (compiler.label) external.add(compiler.label);
      const dependsOnInstalled =
        types.length > 0 || globalsReachInstalled || graph.reachesInstalled(ids.get(path)!);
      return {
        tsconfig: [...configs.chainFor(path).files],
        globals: [...new Set(globals.map(displayPathOf))],
        lockfiles: dependsOnInstalled ? [...installed.files] : [],
        external: [...external].sort(),
      };
    },
  };
}

/**
 * One pass in Tarjan's output order: a component's digest covers its members (path, object,
 * facts) and the digests of the components it imports, so it changes exactly when something
 * in its closure does, and files of one cycle share it.
 */
function digestComponents(nodes: readonly FileNode[]) {
  const { components, componentOf } = findStronglyConnectedComponents(nodes.map((n) => n.successors));
  const digests: string[] = [];
  const installed: boolean[] = [];
  for (let c = 0; c < components.length; c++) {
    const members = components[c]!.map((id) => nodes[id]!).sort((a, b) => compareStrings(a.path, b.path));
    const deps = new Set<string>();
    let reaches = false;
    for (const member of members) {
      reaches ||= member.reachesInstalled;
      for (const s of member.successors) {
        const target = componentOf[s]!;
        if (target === c) continue;
        deps.add(digests[target]!);
        reaches ||= installed[target]!;
      }
    }
    installed.push(reaches);
    digests.push(
      sha256OfCanonical({
        members: members.map((m) => [m.path, m.object, m.facts]),
        imports: [...deps].sort(),
      }),
    );
  }
  return {
    digestOfNode: (id: number) => digests[componentOf[id]!]!,
    reachesInstalled: (id: number) => installed[componentOf[id]!]!,
  };
}

function collectReachable(nodes: readonly FileNode[], starts: readonly number[]): number[] {
  const seen = new Set<number>(starts);
  const queue = [...seen];
  for (let i = 0; i < queue.length; i++) {
    for (const s of nodes[queue[i]!]!.successors) {
      if (!seen.has(s)) {
        seen.add(s);
        queue.push(s);
      }
    }
  }
  return queue;
}

/**
 * What a file's project includes without an import: installed `@types` stand for the install
 * state, types on disk for their own closures. Unchanged from before disk types were modelled
 * when a project has none, so that such trees keep their digests.
 */
function automaticTypesPart(
  types: AutomaticTypes & { nodes: readonly number[] },
  installedDigest: string,
  digestOfNode: (id: number) => string,
): unknown[] | null {
  const installedPart = types.external.length > 0 ? [installedDigest, types.facts] : null;
  if (types.nodes.length === 0) return installedPart;
  return [installedPart ?? types.facts, types.nodes.map(digestOfNode).sort()];
}

/** A node's name as a person reads it: a file read from disk by its portable path. */
function displayPathOf(key: string): string {
  return key.startsWith(DISK_NODE_PREFIX) ? key.slice(key.indexOf('\0') + 1) : key;
}

/** The manifest fact of a file read from disk: its nearest package.json on disk, if any. */
function diskManifestOf(abs: string, fs: SnapshotFs): string[] {
  // Down to `/package.json`: the slash at index 0 is the last one tried.
  for (let end = abs.lastIndexOf('/'); end >= 0; end = end > 0 ? abs.lastIndexOf('/', end - 1) : -1) {
    const manifest = `${abs.slice(0, end)}/package.json`;
    const digest = fs.diskDigestOf(manifest);
    if (digest !== undefined) return [`package:${fs.paths.toPortable(manifest)}#${digest}`];
  }
  return [];
}

/** The nearest package.json in the snapshot, from a directory up, memoised per directory. */
function createNearestPackageJson(fs: { has(rel: string): boolean }) {
  const memo = new Map<string, string | undefined>();
  const find = (dir: string): string | undefined => {
    if (memo.has(dir)) return memo.get(dir);
    const candidate = joinRel(dir, 'package.json');
    const found = fs.has(candidate) ? candidate : dir === '' ? undefined : find(parentDirOf(dir));
    memo.set(dir, found);
    return found;
  };
  return find;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
