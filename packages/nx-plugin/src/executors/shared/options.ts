import path from 'node:path';
import type { PipelineName } from '@codebatch/core';
import { DEFAULT_CONFIG_FILE, DEFAULT_REPORT_ROOT, DEFAULT_STORE_DIR } from '../../shared/defaults';
import { stripUndefined } from '../../shared/strip-undefined';
import { type CodebatchTaskName, TASK_PIPELINE } from '../../shared/tasks';

export type OutputFormat = 'text' | 'json' | 'sarif';
/** The least severe diagnostic that fails the target; `none` never fails on diagnostics. */
export type FailLevel = 'error' | 'warning' | 'info' | 'hint' | 'none';

/**
 * Options of both executors, as Nx passes them (schema.json defaults applied by Nx; the same
 * defaults are applied here so direct calls and tests behave alike). Paths are relative to the
 * workspace root, or absolute; `reportDir` may use {projectRoot}, {projectName}, {targetName}.
 */
export interface CodebatchExecutorOptions {
  storeDir?: string;
  configFile?: string;
  pipeline?: PipelineName;
  /** `run` only: one task (its pipeline is derived); wins over `pipeline`. */
  task?: CodebatchTaskName;
  failLevel?: FailLevel;
  /** Fail when there are more warnings than this; -1 means no limit. */
  maxWarnings?: number;
  outputFormat?: OutputFormat;
  reportDir?: string;
  exclude?: string[];
  gitignore?: boolean;
  force?: boolean;
}

export type ExecutorDefaults = Required<Omit<CodebatchExecutorOptions, 'task'>>;

const COMMON_DEFAULTS: Omit<ExecutorDefaults, 'pipeline'> = {
  storeDir: DEFAULT_STORE_DIR,
  configFile: DEFAULT_CONFIG_FILE,
  failLevel: 'error',
  maxWarnings: -1,
  outputFormat: 'text',
  reportDir: `{workspaceRoot}/${DEFAULT_REPORT_ROOT}/{projectRoot}/{targetName}`,
  exclude: [],
  gitignore: true,
  force: false,
};

/** Defaults of `@codebatch/nx:lint` (kept equal to lint/schema.json by a test). */
export const LINT_DEFAULTS: ExecutorDefaults = { ...COMMON_DEFAULTS, pipeline: 'lint' };
/** Defaults of `@codebatch/nx:run` (kept equal to run/schema.json by a test). */
export const RUN_DEFAULTS: ExecutorDefaults = { ...COMMON_DEFAULTS, pipeline: 'full' };

/** Where the target runs: the Nx facts the executor needs, nothing more. */
export interface TargetContext {
  workspaceRoot: string;
  projectName: string;
  /** Workspace-relative, POSIX (`apps/app`, or `.` for a root project). */
  projectRoot: string;
  targetName: string;
  /** Roots of every project, to keep nested projects' files out of an enclosing one. */
  allProjectRoots: readonly string[];
}

export interface ResolvedOptions extends Omit<ExecutorDefaults, 'storeDir' | 'reportDir' | 'configFile'> {
  /** `run` only: the one task the target stands for (its diagnostics are the ones reported). */
  task?: CodebatchTaskName;
  storeDir: string;
  reportDir: string;
  /** The workspace config file as configured (absolute); may not exist. */
  configFile: string;
}

function interpolate(value: string, target: TargetContext): string {
  return value
    .replace(/^\{workspaceRoot\}\/?/, '')
    .replace(/\{projectRoot\}/g, target.projectRoot)
    .replace(/\{projectName\}/g, target.projectName)
    .replace(/\{targetName\}/g, target.targetName);
}

/**
 * Applies defaults, resolves tokens and paths against the workspace root, and derives the
 * pipeline from `task` when one is given.
 */
export function resolveOptions(
  options: CodebatchExecutorOptions,
  defaults: ExecutorDefaults,
  target: TargetContext,
): ResolvedOptions {
  const merged = { ...defaults, ...stripUndefined(options) };
  const abs = (p: string) => path.resolve(target.workspaceRoot, interpolate(p, target));
  return {
    ...merged,
    pipeline: options.task ? TASK_PIPELINE[options.task] : merged.pipeline,
    storeDir: abs(merged.storeDir),
    reportDir: abs(merged.reportDir),
    configFile: abs(merged.configFile),
  };
}
