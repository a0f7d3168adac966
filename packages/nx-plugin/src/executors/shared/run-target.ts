import fs from 'node:fs';
import path from 'node:path';
import {
  type AnalyzeOptions,
  type AnalyzeResult,
  formatDiagnosticsText,
  formatErrorHuman,
  formatSummaryLine,
  isCodebatchError,
  summaryFromResult,
} from '@codebatch/core';
import { DEFAULT_CONFIG_FILE } from '../../shared/defaults';
import { type CodebatchTaskName, TASK_ENGINE_IDS } from '../../shared/tasks';
import { ancestorIgnoreExcludes } from './ancestor-ignores';
import { eslintSettingFor } from './eslint-plan';
import { evaluateOutcome, plural } from './evaluate-outcome';
import type { ResolvedOptions, TargetContext } from './options';
import { buildJsonReport, removeReportFiles, writeReportFiles } from './report-files';

/** The engine entry point; injected so tests can drive reporting with constructed results. */
export type AnalyzeFn = (options: AnalyzeOptions) => Promise<AnalyzeResult>;

export interface TargetRunOutput {
  success: boolean;
  /** What goes to stdout: the report (text, or the JSON/SARIF document). */
  stdout: string;
  /** Why the target failed, and engine errors. */
  stderr: string;
  result?: AnalyzeResult;
}

/** POSIX path of `child` relative to `parent`, or undefined when it is not inside. */
function relativeInside(parent: string, child: string): string | undefined {
  const rel = path.relative(parent, child);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/**
 * Excludes the engine must add so a project's snapshot holds only files Nx counts as the
 * project's: nested projects' roots (a root project must not re-lint every package), the store
 * and report folders when they sit inside the project, and (with `gitignore`) what the ignore
 * files above the project root ignore (see ancestor-ignores.ts).
 */
export function implicitExcludes(options: ResolvedOptions, target: TargetContext): string[] {
  const sourceDir = path.resolve(target.workspaceRoot, target.projectRoot);
  const dirs = [options.storeDir, options.reportDir];
  for (const root of target.allProjectRoots) {
    if (root !== target.projectRoot) dirs.push(path.resolve(target.workspaceRoot, root));
  }
  const excludes = new Set<string>();
  for (const dir of dirs) {
    const rel = relativeInside(sourceDir, dir);
    if (rel) excludes.add(`${rel}/**`);
  }
  if (options.gitignore) {
    for (const glob of ancestorIgnoreExcludes(target.workspaceRoot, target.projectRoot)) excludes.add(glob);
  }
  return [...excludes].sort();
}

/**
 * A project's own codebatch.config.json wins over the workspace one; with neither, the
 * engine's defaults apply (the config file is optional).
 */
export function resolveConfigPath(options: ResolvedOptions, target: TargetContext): string | undefined {
  const projectConfig = path.resolve(
    target.workspaceRoot,
    target.projectRoot,
    path.basename(DEFAULT_CONFIG_FILE),
  );
  if (fs.existsSync(projectConfig)) return projectConfig;
  return fs.existsSync(options.configFile) ? options.configFile : undefined;
}

export function engineOptions(options: ResolvedOptions, target: TargetContext): AnalyzeOptions {
  return {
    storeDir: options.storeDir,
    sourceDir: path.resolve(target.workspaceRoot, target.projectRoot),
    pipeline: options.pipeline,
    configPath: resolveConfigPath(options, target),
    exclude: [...options.exclude, ...implicitExcludes(options, target)],
    gitignore: options.gitignore,
    force: options.force,
    // A project re-run over an unchanged tree (--skip-nx-cache, a CI runner with a restored
    // store but no Nx cache) reports its verified done batch rather than re-stamping every
    // record into a new one, as `codebatch check` does; --force still makes a new batch.
    reuseDoneBatch: !options.force,
  };
}

/**
 * A task target whose pipeline runs more than the task (`symbols` runs `full`: the engine has
 * no parse+symbols pipeline) reports only the diagnostics of the task and of what it reads,
 * so codebatch-symbols does not fail on lint findings. Counts follow the kept diagnostics.
 */
export function restrictToTask(result: AnalyzeResult, task: CodebatchTaskName | undefined): AnalyzeResult {
  if (!task) return result;
  const ids = TASK_ENGINE_IDS[task];
  const diagnostics = result.diagnostics.filter((d) => ids.includes(d.task_id));
  if (diagnostics.length === result.diagnostics.length) return result;
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) if (d.severity) counts[d.severity] += 1;
  return { ...result, diagnostics, counts };
}

/**
 * Runs one codebatch target: engine call, report files, terminal output, pass/fail. Prints
 * nothing itself, so the single executor and the batch implementation share it.
 */
export async function runTarget(
  options: ResolvedOptions,
  target: TargetContext,
  engine: AnalyzeFn,
  color: boolean,
): Promise<TargetRunOutput> {
  let result: AnalyzeResult;
  try {
    const eslint = eslintSettingFor(options.task);
    const engineOpts = { ...engineOptions(options, target), ...(eslint === undefined ? {} : { eslint }) };
    result = restrictToTask(await engine(engineOpts), options.task);
  } catch (error) {
    // A stale report from an earlier run must not be mistaken for this run's.
    removeReportFiles(options.reportDir);
    if (isCodebatchError(error)) return { success: false, stdout: '', stderr: formatErrorHuman(error) };
    throw error;
  }

  const outcome = evaluateOutcome(result, options);
  const report = buildJsonReport(result, outcome, target);
  const written = writeReportFiles(options.reportDir, report, result, target);

  let stdout: string;
  if (options.outputFormat === 'json') stdout = `${JSON.stringify(report, null, 2)}\n`;
  else if (options.outputFormat === 'sarif') stdout = written.sarifText;
  else {
    const text = formatDiagnosticsText(result.diagnostics, { color, pathPrefix: target.projectRoot });
    const relReport = path.relative(target.workspaceRoot, options.reportDir).split(path.sep).join('/');
    stdout =
      (text ? `${text}\n` : '') +
      formatSummaryLine(summaryFromResult(result), { color }) +
      `batch ${result.batchId}, report in ${relReport}\n`;
  }
  const stderr =
    formatFailures(result.failures) +
    (outcome.success
      ? ''
      : `${target.projectName}:${target.targetName} failed: ${outcome.reasons.join('; ')}\n`);
  return { success: outcome.success, stdout, stderr, result };
}

/**
 * Why shards failed (ESLint not installed, an ESLint config that does not load, a corrupt
 * object), one line per distinct error: every shard of a task usually fails the same way.
 */
export function formatFailures(failures: readonly AnalyzeResult['failures'][number][]): string {
  const groups = new Map<string, { taskId: string; code: string; message: string; shards: number }>();
  for (const f of failures) {
    const key = `${f.taskId}\0${f.code}\0${f.message}`;
    const group = groups.get(key) ?? { ...f, shards: 0 };
    group.shards += 1;
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => `${g.taskId} failed in ${plural(g.shards, 'shard')}: error[${g.code}]: ${g.message}\n`)
    .join('');
}

/** Colour when the stream is a terminal, unless NO_COLOR; FORCE_COLOR forces it either way. */
export function shouldUseColor(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}
