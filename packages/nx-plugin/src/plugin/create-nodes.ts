import path from 'node:path';
import {
  type CreateNodes,
  type CreateNodesContext,
  type CreateNodesResult,
  createNodesFromFiles,
  type TargetConfiguration,
} from '@nx/devkit';
import { DEFAULT_CONFIG_FILE, PLUGIN_NAME } from '../shared/defaults';
import { type CodebatchTaskName, TASK_DEPENDS_ON } from '../shared/tasks';
import { type CodebatchPluginOptions, type NormalizedPluginOptions, normalizePluginOptions } from './options';
import {
  engineInputs,
  matchesWorkspaceGlobs,
  type ResolvePackageDir,
  readJsonCached,
  readWorkspaceGlobs,
  resolvePackageDir,
} from './workspace-facts';

const CONFIG_BASENAME = path.basename(DEFAULT_CONFIG_FILE);

/**
 * Files that mark a project (project.json; package.json when it is a workspace package or has
 * an `nx` key) and project-level codebatch configs. Matching the configs here, too, lets us see
 * which projects have one from the file list alone, without probing the disk per project.
 */
export const PROJECT_FILE_GLOB = `**/{project.json,package.json,${CONFIG_BASENAME}}`;

const DESCRIPTIONS: Record<CodebatchTaskName, string> = {
  parse: 'Parse the project files with codebatch (ASTs and syntax diagnostics); unchanged files are reused.',
  analyze: 'Compute per-file metrics with codebatch; unchanged files are reused.',
  symbols: 'Index symbols and import edges with codebatch; unchanged files are reused.',
  lint: 'Lint the project files with codebatch; only changed files are re-executed.',
};

/** What every project of one graph computation shares: read once, not once per project. */
interface WorkspaceFacts {
  workspaceGlobs: string[];
  workspaceExcludes: string[];
  engineInputs: unknown[];
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

function readExcludesLeniently(file: string): string[] {
  try {
    return excludesToInputs(readJsonCached(file));
  } catch {
    return [];
  }
}

/**
 * The inferred targets of one project: one per exposed task, cacheable, with the project's
 * files, the codebatch config and the engine's version as inputs, its report folder as
 * outputs, and dependsOn edges as in the engine's plan (lint, analyze, symbols after parse).
 */
export function buildTargets(
  options: NormalizedPluginOptions,
  excludeInputs: readonly string[],
  engine: readonly unknown[],
): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  for (const task of options.tasks) {
    const name = options.targetNames[task];
    const dependsOn = TASK_DEPENDS_ON[task]
      .filter((t) => options.tasks.includes(t))
      .map((t) => options.targetNames[t]);
    const target: TargetConfiguration = {
      executor: `${PLUGIN_NAME}:${task === 'lint' ? 'lint' : 'run'}`,
      cache: true,
      inputs: [
        '{projectRoot}/**/*',
        ...excludeInputs,
        `{workspaceRoot}/${options.configFile}`,
        ...(engine as TargetConfiguration['inputs'] & unknown[]),
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
        description: DESCRIPTIONS[task],
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
  if (base === CONFIG_BASENAME) return {};
  const sibling = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  // project.json and package.json side by side are one project: let project.json speak for it.
  if (base === 'package.json' && allFiles.has(sibling('project.json'))) return {};
  if (base === 'package.json' && !isProjectPackageJson(file, dir, facts, context.workspaceRoot)) return {};

  const projectConfig = sibling(CONFIG_BASENAME);
  const excludes =
    dir !== '.' && allFiles.has(projectConfig)
      ? readExcludesLeniently(path.join(context.workspaceRoot, projectConfig))
      : facts.workspaceExcludes;
  return { projects: { [dir]: { targets: buildTargets(options, excludes, facts.engineInputs) } } };
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
    const facts: WorkspaceFacts = {
      workspaceGlobs: readWorkspaceGlobs(context.workspaceRoot),
      workspaceExcludes: readExcludesLeniently(path.join(context.workspaceRoot, options.configFile)),
      engineInputs: engineInputs(context.workspaceRoot, resolve),
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
