import ts from 'typescript';
import { sha256OfCanonical } from '../../../util/hash';
import { isInNodeModules, joinRel, parentDirOf, selfAndAncestorDirs } from './paths';
import type { SnapshotFs } from './snapshot-fs';

/** The compiler options a file is resolved with, and the caches that belong to them. */
export interface ProjectConfig {
  /** Portable path of the config file; undefined when no config applies and defaults do. */
  readonly path: string | undefined;
  readonly options: ts.CompilerOptions;
  readonly allowJs: boolean;
  /**
   * node16, nodenext and bundler resolve `import` and `require` differently (export
   * conditions, extension rules): a file is resolved in both modes there.
   */
  readonly modeSensitive: boolean;
  readonly moduleCache: ts.ModuleResolutionCache;
  readonly typeCache: ts.TypeReferenceDirectiveResolutionCache;
}

/** Every config file whose bytes can change a file's lint result, with one digest over them. */
export interface ConfigChain {
  readonly files: readonly string[];
  readonly digest: string;
}

export interface ProjectConfigs {
  configFor(rel: string): ProjectConfig;
  chainFor(rel: string): ConfigChain;
}

/**
 * typescript-eslint's default project when no tsconfig applies: what a bundler-era project
 * without a config most plausibly means, with JS allowed because nothing excludes it.
 */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  resolveJsonModule: true,
  jsx: ts.JsxEmit.Preserve,
};

const CONFIG_FILE = /(^|\/)(tsconfig(\.[^/]*)?\.json|jsconfig\.json)$/;

interface ParsedConfig {
  options: ts.CompilerOptions;
  /** Portable path -> content digest of every file the parse read (itself, `extends`). */
  reads: Map<string, string>;
  /** Absolute paths of the configs named by `references`. */
  references: string[];
}

/**
 * Which config applies mirrors tsserver (and so typescript-eslint's project service): the
 * nearest tsconfig.json, else jsconfig.json, in the file's directory or an ancestor, up past
 * the analysed root on disk when nothing inside it applies (one package of a monorepo that
 * relies on the workspace's tsconfig).
 */
export function createProjectConfigs(fs: SnapshotFs, snapshotPaths: readonly string[]): ProjectConfigs {
  const configsByDir = new Map<string, string[]>();
  for (const p of snapshotPaths) {
    if (!CONFIG_FILE.test(p) || isInNodeModules(p)) continue;
    const dir = parentDirOf(p);
    const list = configsByDir.get(dir) ?? [];
    list.push(p);
    configsByDir.set(dir, list);
  }
  for (const list of configsByDir.values()) list.sort();

  const parsed = new Map<string, ParsedConfig>();
  const parseAt = (abs: string): ParsedConfig => {
    let result = parsed.get(abs);
    if (!result) {
      result = parseConfigFile(fs, abs);
      parsed.set(abs, result);
    }
    return result;
  };

  // Found once, on first need, through the config host: its probes and its read are disk
  // observations, so a stored table stops holding when that config changes or one appears.
  let aboveRoot: { portable: string; abs: string } | undefined | null = null;
  const configAboveRoot = () => {
    if (aboveRoot === null) {
      const abs = findConfigAbove(
        fs.paths.root,
        fs.createConfigHost(() => {}),
      );
      aboveRoot = abs === undefined ? undefined : { portable: fs.paths.toPortable(abs), abs };
    }
    return aboveRoot;
  };
  /**
   * Absolute path of a config as nearestConfigOf names it. Never searches itself: a tree with
   * configs of its own must not depend on what lies above it.
   */
  const absoluteOf = (config: string): string =>
    aboveRoot && config === aboveRoot.portable ? aboveRoot.abs : fs.paths.toAbsolute(config);

  const nearestByDir = new Map<string, string | undefined>();
  /** The config of a directory: a snapshot path, or the portable path of one above the root. */
  const nearestConfigOf = (dir: string): string | undefined => {
    if (nearestByDir.has(dir)) return nearestByDir.get(dir);
    const names = configsByDir.get(dir);
    let found: string | undefined;
    if (names?.includes(joinRel(dir, 'tsconfig.json'))) found = joinRel(dir, 'tsconfig.json');
    else if (names?.includes(joinRel(dir, 'jsconfig.json'))) found = joinRel(dir, 'jsconfig.json');
    else if (dir !== '') found = nearestConfigOf(parentDirOf(dir));
    else found = configAboveRoot()?.portable;
    nearestByDir.set(dir, found);
    return found;
  };

  const projects = new Map<string, ProjectConfig>();
  const projectOf = (config: string | undefined): ProjectConfig => {
    const key = config ?? '';
    let project = projects.get(key);
    if (!project) {
      const options = config === undefined ? DEFAULT_OPTIONS : parseAt(absoluteOf(config)).options;
      project = createProject(fs, config, options);
      projects.set(key, project);
    }
    return project;
  };

  const chains = new Map<string, ConfigChain>();
  const chainOfDir = (dir: string): ConfigChain => {
    let chain = chains.get(dir);
    if (!chain) {
      const entries = new Map<string, string>();
      const nearest = nearestConfigOf(dir);
      if (nearest !== undefined) collectWithReferences(absoluteOf(nearest), parseAt, entries);
      // Every other tsconfig*.json on the way up, `extends` included: typescript-eslint may be
      // pointed at any of them (`project: './tsconfig.eslint.json'`), or tsserver may fall back
      // to an ancestor that includes the file. Their references are not followed: a solution
      // config at the root would otherwise tie every package to every other one.
      for (const d of selfAndAncestorDirs(dir)) {
        for (const rel of configsByDir.get(d) ?? []) {
          for (const [p, digest] of parseAt(fs.paths.toAbsolute(rel)).reads) entries.set(p, digest);
        }
      }
      const files = [...entries.keys()].sort();
      chain = { files, digest: sha256OfCanonical(files.map((f) => [f, entries.get(f)])) };
      chains.set(dir, chain);
    }
    return chain;
  };

  return {
    configFor: (rel) => projectOf(nearestConfigOf(parentDirOf(rel))),
    chainFor: (rel) => chainOfDir(parentDirOf(rel)),
  };
}

/** tsserver's search above the root: tsconfig.json, else jsconfig.json, nearest directory first. */
function findConfigAbove(root: string, host: ts.ParseConfigHost): string | undefined {
  for (let dir = root; dir !== parentOfAbsolute(dir); ) {
    dir = parentOfAbsolute(dir);
    const base = dir.endsWith('/') ? dir : `${dir}/`;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      if (host.fileExists(base + name)) return base + name;
    }
  }
  return undefined;
}

/** `/a/b` -> `/a`, `/a` -> `/`, `/` -> `/` (and `C:/a` -> `C:/`). */
function parentOfAbsolute(dir: string): string {
  const slash = dir.lastIndexOf('/');
  if (slash < 0 || slash === dir.length - 1) return dir;
  return slash === 0 || dir[slash - 1] === ':' ? dir.slice(0, slash + 1) : dir.slice(0, slash);
}

function collectWithReferences(
  abs: string,
  parseAt: (abs: string) => ParsedConfig,
  entries: Map<string, string>,
): void {
  const seen = new Set<string>([abs]);
  const queue = [abs];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    const config = parseAt(next);
    for (const [p, digest] of config.reads) entries.set(p, digest);
    for (const ref of config.references) {
      if (!seen.has(ref)) {
        seen.add(ref);
        queue.push(ref);
      }
    }
  }
}

/**
 * A config that does not parse still counts by its bytes (recorded by the host as it is
 * read) and leaves the file with the defaults: a broken tsconfig must never fail the batch.
 */
function parseConfigFile(fs: SnapshotFs, abs: string): ParsedConfig {
  const reads = new Map<string, string>();
  const host = fs.createConfigHost((p, digest) => reads.set(p, digest));
  const fallback = (): ParsedConfig => ({
    options: { ...DEFAULT_OPTIONS, configFilePath: abs },
    reads,
    references: [],
  });
  const text = host.readFile(abs);
  if (text === undefined) return fallback();
  const { config, error } = ts.parseConfigFileTextToJson(abs, text);
  if (error || config === null || typeof config !== 'object' || Array.isArray(config)) return fallback();
  try {
    const result = ts.parseJsonConfigFileContent(
      config,
      host,
      abs.slice(0, abs.lastIndexOf('/')),
      undefined,
      abs,
    );
    return {
      options: result.options,
      reads,
      references: (result.projectReferences ?? []).map((r) => ts.resolveProjectReferencePath(r)),
    };
  } catch {
    return fallback();
  }
}

/**
 * The project again with caches of its own: for resolving through another host, whose answers
 * must not reach the project's caches (which hold results for directories, not for hosts).
 */
export function withOwnCaches(project: ProjectConfig, fs: SnapshotFs): ProjectConfig {
  return createProject(fs, project.path, project.options);
}

function createProject(fs: SnapshotFs, path: string | undefined, options: ts.CompilerOptions): ProjectConfig {
  const moduleCache = ts.createModuleResolutionCache(fs.paths.root, (s) => s, options);
  return {
    path,
    options,
    // TypeScript's own rule: checkJs implies allowJs unless allowJs says otherwise.
    allowJs: options.allowJs ?? options.checkJs === true,
    modeSensitive: isModeSensitive(options),
    moduleCache,
    typeCache: ts.createTypeReferenceDirectiveResolutionCache(
      fs.paths.root,
      (s) => s,
      options,
      moduleCache.getPackageJsonInfoCache(),
    ),
  };
}

function isModeSensitive(options: ts.CompilerOptions): boolean {
  const resolution = options.moduleResolution;
  if (resolution !== undefined) {
    return (
      resolution === ts.ModuleResolutionKind.Node16 ||
      resolution === ts.ModuleResolutionKind.NodeNext ||
      resolution === ts.ModuleResolutionKind.Bundler
    );
  }
  // Without moduleResolution, `module` decides it (node16..nodenext, or preserve -> bundler).
  const module = options.module;
  return (
    module !== undefined &&
    ((module >= ts.ModuleKind.Node16 && module <= ts.ModuleKind.NodeNext) ||
      module === ts.ModuleKind.Preserve)
  );
}
