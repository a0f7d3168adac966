import path from 'node:path';
import { ESLINT_FILE_NAMES, findConfigImportsOnDisk } from '@codebatch/core';
import {
  type CreateNodes,
  type CreateNodesContext,
  type CreateNodesResult,
  createNodesFromFiles,
  type TargetConfiguration,
} from '@nx/devkit';
import { DEFAULT_CONFIG_FILE, PLUGIN_NAME } from '../shared/defaults';
import {
  type EslintSetting,
  eslintFilesFor,
  eslintSettingOf,
  selfAndAncestors,
} from '../shared/eslint-facts';
import {
  type CodebatchTaskName,
  ESLINT_TASK,
  TASK_DEPENDS_ON,
  TASK_DESCRIPTIONS,
  targetRunsEslint,
} from '../shared/tasks';
import { type CodebatchPluginOptions, type NormalizedPluginOptions, normalizePluginOptions } from './options';
import {
  engineInputs,
  eslintExternalDependencies,
  matchesWorkspaceGlobs,
  type ResolvePackageDir,
  readJsonCached,
  readWorkspaceGlobs,
  resolvePackageDir,
} from './workspace-facts';

const CONFIG_BASENAME = path.basename(DEFAULT_CONFIG_FILE);
const ESLINT_BASENAMES: ReadonlySet<string> = new Set(ESLINT_FILE_NAMES);

/**
 * Files that mark a project (project.json; package.json when it is a workspace package or has
 * an `nx` key), project-level codebatch configs and ESLint's config and ignore files. Matching
 * the configs here, too, lets us see which projects have one, and which folders ESLint covers,
 * from the file list alone, and makes Nx recompute the targets when one appears or goes.
 */
export const PROJECT_FILE_GLOB = `**/{project.json,package.json,${CONFIG_BASENAME},${ESLINT_FILE_NAMES.join(',')}}`;

/** What every project of one graph computation shares: read once, not once per project. */
interface WorkspaceFacts {
  workspaceGlobs: string[];
  /** The workspace codebatch config, parsed leniently (undefined when missing or broken). */
  workspaceConfig: unknown;
  engineInputs: unknown[];
  /** Every ESLint config and ignore file of the workspace (workspace-relative). */
  eslintFiles: string[];
  /** The workspace's ESLint packages Nx knows; read on first need. */
  eslintPackages: () => string[];
  /** What ESLint config files import (findConfigImportsOnDisk), each file read once per call. */
  configImports: (configs: readonly string[]) => readonly string[];
}

/** What one project's targets are built from. */
export interface ProjectFacts {
  /** The codebatch config's excludes, as input negations. */
  excludeInputs: readonly string[];
  /** The engine's version inputs. */
  engineInputs: readonly unknown[];
  eslint: {
    /** `eslint` of the project's codebatch config (its own, else the workspace's). */
    setting: EslintSetting;
    /** An ESLint config in the project root or a folder above it. */
    covered: boolean;
    /** An ESLint config in a folder below the project root (the engine's `auto` finds it). */
    nested: boolean;
    /** ESLint config and ignore files there, workspace-relative. */
    files: readonly string[];
    /** Files that the ESLint configs above and inside the project import, workspace-relative. */
    imports: readonly string[];
    /** `externalDependencies` names: eslint and the plugins and configs Nx knows. */
    packages: readonly string[];
  };
}

/**
 * A config's excludes as Nx input negations. The engine's exclude semantics (gitignore-like or
 * glob) can only match more than the same glob in Nx, so Nx never skips a file the engine reads
 * (which could replay a stale result); at worst it hashes a few extra files. A `!` re-include
 * would break that, so a list with one is not used at all. Invalid configs contribute nothing:
 * the graph stays intact and the executor reports the config error when the target runs.
 */
export function excludesToInputs(config: unknown): string[] {
  const exclude = (config as { exclude?: unknown } | undefined)?.exclude;
  if (!Array.isArray(exclude) || !exclude.every((e) => typeof e === 'string' && e.trim() !== '')) return [];
  if (exclude.some((e: string) => e.trim().startsWith('!'))) return [];
  return exclude.map((e: string) => `!{projectRoot}/${e.trim().replace(/^\.?\//, '')}`);
}

function readConfigLeniently(file: string): unknown {
  try {
    return readJsonCached(file);
  } catch {
    return undefined;
  }
}

/**
 * Whether a task's target runs the workspace's ESLint in this project: the eslint task where
 * ESLint covers the project or a config below its root (or the config says `"eslint": true`);
 * a target whose pipeline plans ESLint conditionally (codebatch-lint) under the `eslint`
 * setting, `auto` meaning "covered, or a config below the root". The executor and the engine
 * decide the same way (the engine's `auto`, see docs/eslint.md).
 */
export function targetUsesEslint(task: CodebatchTaskName, eslint: ProjectFacts['eslint']): boolean {
  if (!targetRunsEslint(task)) return false;
  const found = eslint.covered || eslint.nested;
  if (task === ESLINT_TASK) return found || eslint.setting === true;
  return eslint.setting === true || (eslint.setting === 'auto' && found);
}

/**
 * The files of every project this one depends on, as @nx/eslint's lint targets have them:
 * typescript-eslint's type-aware rules read the types of what a file imports, and an Nx
 * workspace imports its libraries from their sources (tsconfig paths, workspace packages).
 * A named input rather than a `^{projectRoot}/...` fileset: Nx 21 reads every `^` input as a
 * named one, and `default` is defined in every workspace (Nx's own default: the project's files).
 */
const DEPENDENCY_INPUT = '^default';

/**
 * The tsconfig files in the folders above the project, where its tsconfig's `extends` usually
 * points (`../../tsconfig.base.json`), as globs: the type-aware rules read their compiler
 * options, and a glob needs no look at the disk. The project's own are among its files.
 */
function tsconfigInputs(projectRoot: string): string[] {
  return selfAndAncestors(projectRoot)
    .slice(1)
    .reverse()
    .map((dir) => (dir === '.' ? '{workspaceRoot}/tsconfig*.json' : `{workspaceRoot}/${dir}/tsconfig*.json`));
}

/**
 * What ESLint reads besides the project's files: its config and ignore files in the project
 * root and the folders above it, the files those configs import from outside the project, the
 * tsconfig files above it and the files of the projects it depends on (for type-aware rules),
 * and the versions of eslint and its plugins and configs.
 */
function eslintInputs(eslint: ProjectFacts['eslint'], projectRoot: string): unknown[] {
  const files = eslint.files.map((f) =>
    path.posix.dirname(f) === projectRoot
      ? `{projectRoot}/${path.posix.basename(f)}`
      : `{workspaceRoot}/${f}`,
  );
  // Every one, those inside the project too: a project's fileset leaves out the files of the
  // projects nested in it (a root project's `tools/eslint-rules` project), and a duplicate of
  // `{projectRoot}/**/*` costs nothing.
  const imports = eslint.imports.map((f) => `{workspaceRoot}/${f}`);
  return [
    ...files,
    ...imports,
    ...tsconfigInputs(projectRoot),
    DEPENDENCY_INPUT,
    ...(eslint.packages.length > 0 ? [{ externalDependencies: [...eslint.packages] }] : []),
  ];
}

/**
 * The inferred targets of one project: one per exposed task, cacheable, with the project's
 * files, the codebatch config and the engine's version as inputs (plus ESLint's configs and
 * packages for a target that runs it), its report folder as outputs, and dependsOn edges as
 * in the engine's plan (lint, analyze, symbols after parse). The eslint task's target exists
 * only where an ESLint config covers the project or sits inside it: elsewhere it could only fail.
 */
export function buildTargets(
  options: NormalizedPluginOptions,
  project: ProjectFacts,
  projectRoot = '.',
): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  for (const task of options.tasks) {
    const usesEslint = targetUsesEslint(task, project.eslint);
    if (task === ESLINT_TASK && !usesEslint) continue;
    const name = options.targetNames[task];
    const dependsOn = TASK_DEPENDS_ON[task]
      .filter((t) => options.tasks.includes(t))
      .map((t) => options.targetNames[t]);
    const target: TargetConfiguration = {
      executor: `${PLUGIN_NAME}:${task === 'lint' ? 'lint' : 'run'}`,
      cache: true,
      inputs: [
        '{projectRoot}/**/*',
        ...project.excludeInputs,
        `{workspaceRoot}/${options.configFile}`,
        ...(project.engineInputs as TargetConfiguration['inputs'] & unknown[]),
        ...((usesEslint ? eslintInputs(project.eslint, projectRoot) : []) as TargetConfiguration['inputs'] &
          unknown[]),
      ],
      outputs: ['{options.reportDir}'],
      options: {
        ...(task === 'lint' ? {} : { task }),
        storeDir: options.storeDir,
        configFile: options.configFile,
        reportDir: `{workspaceRoot}/${options.reportDir}/{projectRoot}/${name}`,
      },
      metadata: {
        technologies: ['codebatch'],
        description: TASK_DESCRIPTIONS[task],
      },
    };
    if (dependsOn.length > 0) target.dependsOn = dependsOn;
    targets[name] = target;
  }
  return targets;
}

function isProjectPackageJson(
  file: string,
  dir: string,
  facts: WorkspaceFacts,
  workspaceRoot: string,
): boolean {
  if (dir !== '.' && matchesWorkspaceGlobs(dir, facts.workspaceGlobs)) return true;
  // Outside the workspace globs only a package.json with an `nx` key is a project for Nx.
  const pkg = readJsonCached(path.join(workspaceRoot, file));
  return typeof pkg === 'object' && pkg !== null && 'nx' in pkg;
}

function createNodesForFile(
  file: string,
  options: NormalizedPluginOptions,
  context: CreateNodesContext,
  facts: WorkspaceFacts,
  allFiles: ReadonlySet<string>,
): CreateNodesResult {
  const base = path.posix.basename(file);
  const dir = path.posix.dirname(file);
  if (base === CONFIG_BASENAME || ESLINT_BASENAMES.has(base)) return {};
  const sibling = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  // project.json and package.json side by side are one project: let project.json speak for it.
  if (base === 'package.json' && allFiles.has(sibling('project.json'))) return {};
  if (base === 'package.json' && !isProjectPackageJson(file, dir, facts, context.workspaceRoot)) return {};

  const projectConfig = sibling(CONFIG_BASENAME);
  const config =
    dir !== '.' && allFiles.has(projectConfig)
      ? readConfigLeniently(path.join(context.workspaceRoot, projectConfig))
      : facts.workspaceConfig;
  const setting = eslintSettingOf(config);
  const { files, configs, covered, nested } = eslintFilesFor(dir, facts.eslintFiles);
  const mayUseEslint = setting === true || covered || nested;
  const project: ProjectFacts = {
    excludeInputs: excludesToInputs(config),
    engineInputs: facts.engineInputs,
    eslint: {
      setting,
      covered,
      nested,
      files,
      imports: mayUseEslint ? facts.configImports(configs) : [],
      packages: mayUseEslint ? facts.eslintPackages() : [],
    },
  };
  return { projects: { [dir]: { targets: buildTargets(options, project, dir) } } };
}

/**
 * Builds the createNodes function; `resolve` is injectable so tests can say where the engine
 * packages are installed.
 */
export function makeCreateNodesFunction(resolve: ResolvePackageDir = resolvePackageDir) {
  return async (
    configFiles: readonly string[],
    rawOptions: CodebatchPluginOptions | undefined,
    context: CreateNodesContext,
  ) => {
    const options = normalizePluginOptions(rawOptions);
    let eslintPackages: string[] | undefined;
    // Most projects share their configs (the root one): one walk per set, one read per file.
    const texts = new Map<string, string | undefined>();
    const importsByConfigs = new Map<string, readonly string[]>();
    const facts: WorkspaceFacts = {
      workspaceGlobs: readWorkspaceGlobs(context.workspaceRoot),
      workspaceConfig: readConfigLeniently(path.join(context.workspaceRoot, options.configFile)),
      engineInputs: engineInputs(context.workspaceRoot, resolve),
      eslintFiles: configFiles.filter((f) => ESLINT_BASENAMES.has(path.posix.basename(f))),
      eslintPackages: () => {
        eslintPackages ??= eslintExternalDependencies(context.workspaceRoot);
        return eslintPackages;
      },
      configImports: (configs) => {
        const key = configs.join('\n');
        let found = importsByConfigs.get(key);
        if (!found) {
          found = configs.length > 0 ? findConfigImportsOnDisk(context.workspaceRoot, configs, texts) : [];
          importsByConfigs.set(key, found);
        }
        return found;
      },
    };
    const allFiles = new Set(configFiles);
    // One project's unreadable package.json is reported for that file; the others still get targets.
    return createNodesFromFiles(
      (file, _options, ctx) => createNodesForFile(file, options, ctx, facts, allFiles),
      configFiles,
      rawOptions,
      context,
    );
  };
}

/**
 * The inference tuple. Nx 21 reads `createNodesV2`, Nx 22+ prefers `createNodes`; both names
 * are exported bound to this one tuple (src/index.ts).
 */
export const createNodes: CreateNodes<CodebatchPluginOptions> = [
  PROJECT_FILE_GLOB,
  makeCreateNodesFunction(),
];
