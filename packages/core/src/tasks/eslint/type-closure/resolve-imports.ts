import path from 'node:path';
import ts from 'typescript';
import { isInNodeModules } from './paths';
import type { ProjectConfig } from './project-config';
import type { ImportScan } from './scan-imports';
import type { SnapshotFs } from './snapshot-fs';

/** Where one file's imports lead, as folded into its component digest. */
export interface FileImports {
  /** Snapshot files it depends on directly, sorted. */
  readonly edges: readonly string[];
  /**
   * Sorted, labelled facts: each specifier with where it resolved (`=src/b.ts`,
   * `ext:node_modules/x/index.d.ts@x@1.2.0`, `ext?` for a bare name nothing resolves, `?` for
   * a relative one), the file's module format, its `lib` references. A resolution that changes
   * (a file added where an import now lands) changes a fact, so nothing else about the
   * directory needs hashing: the digest is recomputed from the whole file list every build.
   */
  readonly facts: readonly string[];
  /** Names that resolved outside the snapshot (or nowhere, if bare): for explaining. */
  readonly external: readonly string[];
  /**
   * Files inside the root but outside the snapshot that resolution reached through a
   * node_modules link: a workspace package's build output, sorted.
   */
  readonly builtOutputs: readonly string[];
  /**
   * Absolute paths of files outside the root and outside node_modules that it depends on
   * directly (another package of the monorepo, by tsconfig paths or a workspace link), sorted.
   */
  readonly outside: readonly string[];
}

type Outcome = { edge?: string; external?: string; builtOutput?: string; outside?: string; fact: string };

const MODES: readonly [ts.ResolutionMode, string][] = [
  [ts.ModuleKind.ESNext, 'import'],
  [ts.ModuleKind.CommonJS, 'require'],
];

/**
 * Resolves with the file's own project options, the way its program would, except that mode
 * is not read from each import's syntax (that needs a full parse): where modes matter every
 * specifier is resolved both ways and both outcomes count, which can only widen the key.
 */
export function resolveFileImports(
  abs: string,
  scan: ImportScan,
  project: ProjectConfig,
  fs: SnapshotFs,
  host: ts.ModuleResolutionHost = fs.resolutionHost,
): FileImports {
  const { options } = project;
  const edges = new Set<string>();
  const external = new Set<string>();
  const builtOutputs = new Set<string>();
  const outside = new Set<string>();
  const facts: string[] = [];
  const modes: readonly [ts.ResolutionMode, string][] = project.modeSensitive ? MODES : [[undefined, '']];

  const record = (label: string, perMode: Outcome[], name: string) => {
    for (const o of perMode) {
      if (o.edge !== undefined) edges.add(o.edge);
      if (o.external !== undefined) external.add(name);
      if (o.builtOutput !== undefined) builtOutputs.add(o.builtOutput);
      if (o.outside !== undefined) outside.add(o.outside);
    }
    const distinct = [...new Set(perMode.map((o) => o.fact))];
    if (distinct.length === 1) facts.push(`${label}>${distinct[0]}`);
    else for (const [i, o] of perMode.entries()) facts.push(`${label}|${modes[i]![1]}>${o.fact}`);
  };

  const format = ts.getImpliedNodeFormatForFile(
    abs,
    project.moduleCache.getPackageJsonInfoCache(),
    host,
    options,
  );
  facts.push(
    `format:${format === ts.ModuleKind.ESNext ? 'esm' : format === ts.ModuleKind.CommonJS ? 'cjs' : '-'}`,
  );

  for (const spec of scan.modules) {
    const perMode = modes.map(([mode]) => {
      const { resolvedModule } = ts.resolveModuleName(
        spec,
        abs,
        options,
        host,
        project.moduleCache,
        undefined,
        mode,
      );
      return outcomeOf(fs, spec, resolvedModule?.resolvedFileName, resolvedModule?.packageId);
    });
    record(`import:${spec}`, perMode, spec);
  }
  for (const name of scan.typeReferences) {
    const perMode = modes.map(([mode]) => {
      const { resolvedTypeReferenceDirective: r } = ts.resolveTypeReferenceDirective(
        name,
        abs,
        options,
        host,
        undefined,
        project.typeCache,
        mode,
      );
      // A type reference is a package name even when unresolved: never a relative miss.
      return outcomeOf(fs, name, r?.resolvedFileName, r?.packageId, true);
    });
    record(`types:${name}`, perMode, `types:${name}`);
  }
  for (const ref of scan.referencePaths) {
    record(`ref:${ref}`, [resolveReferencePath(fs, host, abs, ref)], ref);
  }
  for (const lib of scan.libReferences) facts.push(`lib:${lib}`);

  return {
    edges: [...edges].sort(),
    facts: facts.sort(),
    external: [...external].sort(),
    builtOutputs: [...builtOutputs].sort(),
    outside: [...outside].sort(),
  };
}

/** The installed type packages a project includes without any import. */
export interface AutomaticTypes {
  /** `types:node`, ...: the ones resolved outside the snapshot, sorted. */
  readonly external: readonly string[];
  /** Where each resolved, with package versions where known. */
  readonly facts: readonly string[];
  /**
   * Absolute paths of the ones that landed on disk outside the snapshot and outside
   * node_modules (`typeRoots: ["../../typings"]`, a git-ignored generated typing): the caller
   * digests them by content, since no lockfile stands for them.
   */
  readonly onDisk: readonly string[];
}

/**
 * The `@types` packages a project includes without any import (`types`, or everything under
 * the type roots): when one is installed rather than in the snapshot, every file of the
 * project depends on what is installed.
 */
export function resolveAutomaticTypes(project: ProjectConfig, fs: SnapshotFs): AutomaticTypes {
  const host = fs.resolutionHost;
  const configPath = project.options.configFilePath;
  const dir =
    typeof configPath === 'string' ? configPath.slice(0, configPath.lastIndexOf('/')) : fs.paths.root;
  // TypeScript resolves automatic type directives from this pseudo file in the config's directory.
  const containing = `${dir}/__inferred type names__.ts`;
  const external: string[] = [];
  const facts: string[] = [];
  const onDisk: string[] = [];
  for (const name of ts.getAutomaticTypeDirectiveNames(project.options, host)) {
    const { resolvedTypeReferenceDirective: r } = ts.resolveTypeReferenceDirective(
      name,
      containing,
      project.options,
      host,
      undefined,
      project.typeCache,
    );
    const outcome = outcomeOf(fs, name, r?.resolvedFileName, r?.packageId, true);
    if (outcome.edge !== undefined) continue;
    facts.push(`types:${name}>${outcome.fact}`);
    if (outcome.builtOutput !== undefined) onDisk.push(fs.paths.toAbsolute(outcome.builtOutput));
    if (outcome.outside !== undefined) onDisk.push(outcome.outside);
    else external.push(`types:${name}`);
  }
  return { external: external.sort(), facts: facts.sort(), onDisk: onDisk.sort() };
}

function outcomeOf(
  fs: SnapshotFs,
  spec: string,
  resolvedAbs: string | undefined,
  packageId: ts.PackageId | undefined,
  alwaysExternal = false,
): Outcome {
  if (resolvedAbs === undefined) {
    return alwaysExternal || !ts.isExternalModuleNameRelative(spec)
      ? { external: spec, fact: 'ext?' }
      : { fact: '?' };
  }
  const rel = fs.paths.toRelative(resolvedAbs);
  if (rel !== undefined && !isInNodeModules(rel)) {
    if (fs.has(rel)) return { edge: rel, fact: `=${rel}` };
    // Reached through a node_modules link into the tree but absent from the snapshot (a
    // workspace package's build output): its bytes on disk stand for the build's state, and
    // the caller ties it to the package's sources.
    return {
      external: spec,
      builtOutput: rel,
      fact: `ext:${rel}#${fs.diskDigestOf(resolvedAbs) ?? 'absent'}`,
    };
  }
  if (rel === undefined && !isInNodeModules(resolvedAbs)) {
    // Outside the root and not installed: what a linted file's program really reads there (a
    // sibling package's sources or build output) counts by content, through the caller.
    return { outside: resolvedAbs, fact: `=${fs.paths.toPortable(resolvedAbs)}` };
  }
  const id = packageId ? `@${packageId.name}@${packageId.version}` : '';
  return { external: spec, fact: `ext:${fs.paths.toPortable(resolvedAbs)}${id}` };
}

/** `/// <reference path>`: relative to the file, extensions tried the way the compiler does. */
function resolveReferencePath(
  fs: SnapshotFs,
  host: ts.ModuleResolutionHost,
  abs: string,
  ref: string,
): Outcome {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(abs), ref.replace(/\\/g, '/')));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.d.ts`]) {
    if (host.fileExists(candidate)) return outcomeOf(fs, ref, candidate, undefined);
  }
  return { fact: '?' };
}
