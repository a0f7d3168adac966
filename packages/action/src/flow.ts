import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { selectForAnnotation, toCheckAnnotation } from './annotations';
import { computeCacheKeys, computeConfigDigest, computeSliceKeys } from './cache-keys';
import { type ChangedLines, parseUnifiedDiff } from './changed-lines';
import { ChecksApiError, ChecksClient, publishCheckRun } from './checks-client';
import { countBySeverity, type Diagnostic, describeFailures, shouldFail } from './diagnostics';
import type { Engine } from './engine';
import { ActionInputError } from './errors';
import { type RunContext, readRunContext } from './github-context';
import type { ActionsHost } from './host';
import { type ActionInputs, parseInputs } from './inputs';
import { buildSummaryMarkdown } from './summary';
import { diagnosticToCommand, limitNote } from './workflow-commands';

const execFileAsync = promisify(execFile);

export interface ActionDeps {
  host: ActionsHost;
  env: NodeJS.ProcessEnv;
  loadEngine: () => Promise<Engine>;
  readFile: (file: string) => string;
}

/** Batches a pruned store keeps, with this run's and its base's (bounds the cache entry). */
export const KEEP_RECENT_BATCHES = 2;

/**
 * Batches a store may hold before a run prunes it down to KEEP_RECENT_BATCHES. Until then a run
 * skips the sweep of every object (0.5 s of a pull-request run on 8.8k files): a completed run
 * leaves nothing unreferenced, and the extra batches of a warm run are its few re-executed files.
 */
export const PRUNE_ABOVE_BATCHES = 4;

/**
 * The batch id every slice of a matrix uses (and the merge job expects): one per commit, config
 * and slice count, so the slices' stores merge into one batch and a re-run job resumes it.
 */
export function sliceBatchId(sha: string, configDigest: string, total: number): string {
  return `gh-${sha.slice(0, 12)}-${configDigest}-of${total}`;
}

/** Wall-clock time per phase, logged at the end (`codebatch timings {...}`) for benchmarks. */
class PhaseTimer {
  readonly phases: Record<string, number> = {};
  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.phases[name] = Math.round((this.phases[name] ?? 0) + performance.now() - t0);
    }
  }
}

/**
 * restore -> analyze (all shards, a slice, or merge the slices) -> diff against the base
 * batch -> annotate -> SARIF + summary -> prune -> save. Input errors fail the step before
 * anything else happens; cache and Checks API trouble only warn.
 */
export async function runAction(deps: ActionDeps): Promise<void> {
  const { host } = deps;
  const timer = new PhaseTimer();
  try {
    const inputs = parseInputs(host.getInput);
    if (inputs.githubToken) host.setSecret(inputs.githubToken);
    const ctx = readRunContext(deps.env, deps.readFile);
    const paths = resolvePaths(inputs, ctx);
    for (const [input, file] of [
      ['sarif-file', paths.sarifFile],
      ['provenance-file', paths.provenanceFile],
    ] as const) {
      if (file && isInside(file, paths.sourceDir))
        host.warning(
          `${input}: ${file} is inside the analysed directory, so the next snapshot reads it; ` +
            'give a relative path (it is resolved under RUNNER_TEMP) or exclude the file.',
        );
    }
    const configBytes = readConfig(inputs, paths.configFile);
    const { digest, preimage } = computeConfigDigest({ pipeline: inputs.pipeline, configBytes });
    host.debug(`config digest ${digest} from:\n${preimage}`);
    const keyParts = {
      prefix: inputs.cacheKeyPrefix,
      runnerOs: ctx.runnerOs,
      configDigest: digest,
      branch: ctx.branch,
      baseBranch: ctx.baseBranch,
      defaultBranch: ctx.defaultBranch,
      sha: ctx.sha,
    };
    const keys = computeCacheKeys({ ...keyParts, slice: inputs.shard });

    // The cache path string is part of the cache version: always the input as written.
    const cachePaths = [inputs.storePath];
    let sliceDirs: string[] | undefined;
    let matchedKey: string | undefined;
    const batchIdOfSlices =
      inputs.shard || inputs.mergeSlices
        ? sliceBatchId(ctx.sha, digest, inputs.shard?.total ?? inputs.mergeSlices!)
        : undefined;
    if (inputs.mode === 'merge') {
      sliceDirs = await timer.time('restore', () =>
        host.group('Restore the slices', () =>
          restoreSlices(
            host,
            cachePaths,
            paths.storeDir,
            computeSliceKeys(keyParts, inputs.mergeSlices!),
            ctx.runnerTemp,
          ),
        ),
      );
    }
    if (!sliceDirs) {
      matchedKey = await timer.time('restore', () =>
        host.group('Restore the store', () =>
          restoreStore(host, cachePaths, keys.primaryKey, keys.restoreKeys),
        ),
      );
    }

    const engine = await deps.loadEngine();
    const analyzeStarted = performance.now();
    let firstShardAt: number | undefined;
    const result = await host.group(
      inputs.mode === 'merge' && sliceDirs ? 'Merge the slices' : 'Analyze',
      async () => {
        if (sliceDirs) {
          return timer.time('merge', async () => {
            await engine.mergeStores(paths.storeDir, sliceDirs, batchIdOfSlices!);
            host.info(`merged ${sliceDirs.length} slices into batch ${batchIdOfSlices}`);
            return engine.readBatchResult(paths.storeDir, batchIdOfSlices!);
          });
        }
        // metadata.git_sha is what findBatchForCommit matches when a later pull request
        // looks for the batch of its base commit.
        return timer.time('analyze', () =>
          engine.analyze({
            storeDir: paths.storeDir,
            sourceDir: paths.sourceDir,
            include: inputs.paths.length > 0 ? inputs.paths : undefined,
            exclude: inputs.exclude.length > 0 ? inputs.exclude : undefined,
            pipeline: inputs.pipeline,
            configPath: paths.configFile,
            shardSlice: inputs.shard,
            batchId: inputs.shard ? batchIdOfSlices : undefined,
            metadata: { git_sha: ctx.sha },
            onProgress: (event) => {
              if (event.type !== 'snapshot') firstShardAt ??= performance.now();
              if (event.type === 'task') host.info(`task ${event.taskId}: ${event.status}`);
            },
          }),
        );
      },
    );
    if (timer.phases.analyze !== undefined && firstShardAt !== undefined) {
      // Snapshot and planning end where the first shard reports; the rest is running shards.
      timer.phases.snapshot = Math.round(firstShardAt - analyzeStarted);
      timer.phases.run = timer.phases.analyze - timer.phases.snapshot;
    }
    host.info(
      `batch ${result.batchId}: ${result.files} files, ${result.taskFiles.executed} file tasks executed, ${result.taskFiles.reused} reused`,
    );
    // Why shards failed (e.g. E_ESLINT_NOT_FOUND when the workspace's dependencies are not installed).
    for (const line of describeFailures(result.failures)) host.error(line);
    host.setOutput('batch-id', result.batchId);
    host.setOutput('cache-hit', matchedKey ?? '');
    for (const [severity, count] of Object.entries(result.counts)) host.setOutput(`${severity}s`, count);

    // A matrix slice holds part of the batch: the merge job compares, annotates and reports.
    const isSlice = inputs.mode === 'run' && inputs.shard !== undefined;
    let failed = false;
    if (!isSlice) {
      const diagnostics = result.diagnostics as Diagnostic[];
      let baseBatchId: string | undefined;
      let added: Diagnostic[] | undefined;
      if (ctx.baseSha) {
        baseBatchId = await engine.findBatchForCommit(paths.storeDir, ctx.baseSha, inputs.pipeline);
        if (baseBatchId) {
          added = await timer.time(
            'compare',
            async () => (await engine.diffBatches(paths.storeDir, baseBatchId!, result.batchId)).added,
          );
          host.info(
            `compared with batch ${baseBatchId} of the base commit ${ctx.baseSha}: ${added.length} new diagnostics`,
          );
        } else
          host.info(
            `No batch for the base commit ${ctx.baseSha} in the restored store: every diagnostic counts as new.`,
          );
      }
      const newDiagnostics = added ?? diagnostics;
      host.setOutput('new-diagnostics', newDiagnostics.length);
      const changedLines =
        inputs.annotate === 'changed-lines' ? await readChangedLines(host, ctx) : undefined;
      const selection = selectForAnnotation({
        mode: inputs.annotate,
        all: diagnostics,
        added,
        changedLines,
        pathPrefix: paths.pathPrefix,
      });
      failed = shouldFail(inputs.failOn, countBySeverity(newDiagnostics));

      const summaryInput = {
        title: `codebatch: ${inputs.pipeline}`,
        batchId: result.batchId,
        baseBatchId,
        stats: `${result.files} files · ${result.taskFiles.executed} executed · ${result.taskFiles.reused} reused`,
        counts: result.counts,
        diagnostics,
        newProblems: newDiagnostics,
        pathPrefix: paths.pathPrefix,
        notes: [selection.note],
      };
      if (inputs.annotate !== 'none') {
        await timer.time('annotate', () =>
          host.group('Annotate', () =>
            annotate(host, inputs, ctx, selection.diagnostics, paths.pathPrefix, summaryInput, failed),
          ),
        );
      }
      if (paths.sarifFile) {
        const { results } = await timer.time('sarif', () =>
          engine.writeSarif(diagnostics, paths.sarifFile!, {
            pathPrefix: paths.pathPrefix,
            category: `codebatch/${inputs.pipeline}`,
          }),
        );
        host.info(`SARIF: ${results} results in ${paths.sarifFile}`);
        host.setOutput('sarif-file', paths.sarifFile);
      }
      if (paths.provenanceFile) {
        await timer.time('provenance', () =>
          writeProvenance(host, engine, paths.storeDir, result.batchId, paths.provenanceFile!),
        );
      }
      await appendSummary(host, buildSummaryMarkdown(summaryInput));
      if (inputs.saveCache) {
        // Keeps this batch, its base and the newest few; the memo follows what stays.
        const pruned = await timer.time('prune', () =>
          engine.pruneStore(paths.storeDir, {
            keepBatchIds: [result.batchId, ...(baseBatchId ? [baseBatchId] : [])],
            keepBatches: KEEP_RECENT_BATCHES,
            pruneAbove: PRUNE_ABOVE_BATCHES,
          }),
        );
        host.info(
          pruned.skipped
            ? `pruned nothing: ${PRUNE_ABOVE_BATCHES} batches or fewer (a later run over that collects)`
            : `pruned the store: ${pruned.removedBatches} old batches, ${pruned.removedBytes} bytes`,
        );
      }
    } else {
      await appendSummary(
        host,
        `## codebatch: slice ${inputs.shard!.index + 1} of ${inputs.shard!.total}\n\nbatch \`${result.batchId}\`: ${result.files} files, ` +
          `${result.shards.executed} shards executed, ${result.shards.reused} reused. The merge job reports the results.\n`,
      );
    }

    if (inputs.saveCache)
      await timer.time('save', () =>
        host.group('Save the store', () => saveStore(host, cachePaths, keys.primaryKey, matchedKey)),
      );
    host.info(`codebatch timings ${JSON.stringify(timer.phases)}`);
    if (result.status === 'failed')
      host.setFailed(`codebatch: some tasks failed in batch ${result.batchId}; see the log above`);
    else if (failed) host.setFailed(`codebatch: new problems at or above fail-on: ${inputs.failOn}`);
  } catch (error) {
    if (error instanceof ActionInputError) host.setFailed(error.message);
    else host.setFailed(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}

interface ResolvedPaths {
  sourceDir: string;
  storeDir: string;
  configFile?: string;
  sarifFile?: string;
  provenanceFile?: string;
  /** sourceDir relative to the repository root, with '/' ('' at the root). */
  pathPrefix: string;
}

function resolvePaths(inputs: ActionInputs, ctx: RunContext): ResolvedPaths {
  const sourceDir = path.resolve(ctx.workspace, inputs.workingDirectory);
  const issues: string[] = [];
  if (!fs.existsSync(sourceDir) || !fs.statSync(sourceDir).isDirectory()) {
    issues.push(`working-directory: ${inputs.workingDirectory} is not a directory in the workspace`);
  }
  const configFile = inputs.configFile ? path.resolve(ctx.workspace, inputs.configFile) : undefined;
  if (configFile && !fs.existsSync(configFile))
    issues.push(`config-file: ${inputs.configFile} does not exist in the workspace`);
  if (issues.length > 0) throw new ActionInputError(issues);
  return {
    sourceDir,
    storeDir: path.resolve(ctx.workspace, inputs.storePath),
    configFile,
    // Under RUNNER_TEMP, never the workspace: a report written into the analysed tree would be
    // part of the next snapshot (a later step or job on the same checkout), changing its id and
    // re-running every task whose shard it lands in.
    sarifFile: inputs.sarifFile ? path.resolve(ctx.runnerTemp, inputs.sarifFile) : undefined,
    provenanceFile: inputs.provenanceFile ? path.resolve(ctx.runnerTemp, inputs.provenanceFile) : undefined,
    pathPrefix: path.relative(ctx.workspace, sourceDir).split(path.sep).join('/'),
  };
}

/** Whether `file` lies in `dir` (or is it). */
function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The config's bytes (for the cache key); a file that is not JSON fails fast. */
function readConfig(inputs: ActionInputs, configFile: string | undefined): Buffer | undefined {
  if (!configFile) return undefined;
  const bytes = fs.readFileSync(configFile);
  try {
    JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ActionInputError([
      `config-file: ${inputs.configFile} is not valid JSON (${(error as Error).message})`,
    ]);
  }
  return bytes;
}

async function restoreStore(
  host: ActionsHost,
  cachePaths: string[],
  primaryKey: string,
  restoreKeys: string[],
): Promise<string | undefined> {
  if (!host.isCacheAvailable()) {
    host.warning(
      'The Actions cache service is not available to this job: running cold, and the store will not be saved.',
    );
    return undefined;
  }
  host.info(`primary key: ${primaryKey}`);
  host.info(`restore keys:\n  ${restoreKeys.join('\n  ')}`);
  try {
    // restoreCache warns and returns undefined on service trouble; it throws only on invalid keys.
    const matched = await host.restoreCache(cachePaths, primaryKey, restoreKeys);
    host.info(matched ? `restored the store from ${matched}` : 'no cache entry matched: cold run');
    return matched;
  } catch (error) {
    host.warning(`Restoring the store failed (${(error as Error).message}): cold run.`);
    return undefined;
  }
}

/**
 * Restores each slice's entry into the store path (the path is part of the cache version, so
 * it must be the same string the slice saved) and moves it aside. Returns undefined when a
 * slice is missing: the caller then restores the usual way and analyses everything itself.
 */
async function restoreSlices(
  host: ActionsHost,
  cachePaths: string[],
  storeDir: string,
  sliceKeys: string[],
  runnerTemp: string,
): Promise<string[] | undefined> {
  if (!host.isCacheAvailable()) {
    host.warning(
      'The Actions cache service is not available: cannot restore the slices, analysing everything in this job.',
    );
    return undefined;
  }
  const dirs: string[] = [];
  for (const [index, key] of sliceKeys.entries()) {
    fs.rmSync(storeDir, { recursive: true, force: true });
    let matched: string | undefined;
    try {
      matched = await host.restoreCache(cachePaths, key, []);
    } catch (error) {
      host.warning(`Restoring slice ${index} failed (${(error as Error).message}).`);
    }
    if (matched !== key) {
      host.warning(
        `Slice ${index} (${key}) is not in the cache: analysing everything in this job instead of merging.`,
      );
      fs.rmSync(storeDir, { recursive: true, force: true });
      return undefined;
    }
    const dir = path.join(runnerTemp, 'codebatch-slices', String(index));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    moveDir(storeDir, dir);
    dirs.push(dir);
    host.info(`slice ${index}: restored ${key}`);
  }
  return dirs;
}

/** rename(), or copy + remove when RUNNER_TEMP is on another filesystem than the workspace. */
function moveDir(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    fs.cpSync(from, to, { recursive: true });
    fs.rmSync(from, { recursive: true, force: true });
  }
}

async function saveStore(
  host: ActionsHost,
  cachePaths: string[],
  primaryKey: string,
  matchedKey: string | undefined,
): Promise<void> {
  if (matchedKey === primaryKey) {
    host.info(`The store was restored from ${primaryKey} itself; entries are immutable, nothing to save.`);
    return;
  }
  if (!host.isCacheAvailable()) return;
  try {
    const id = await host.saveCache(cachePaths, primaryKey);
    if (id === -1)
      host.warning(
        `The store was not saved under ${primaryKey} (see the message above); the next run starts colder.`,
      );
    else host.info(`saved the store under ${primaryKey}`);
  } catch (error) {
    host.warning(`Saving the store failed (${(error as Error).message}).`);
  }
}

/** Lines changed between the base and the analysed commit; undefined (with a warning) if git cannot tell. */
async function readChangedLines(host: ActionsHost, ctx: RunContext): Promise<ChangedLines | undefined> {
  if (!ctx.baseSha) {
    host.warning(
      'annotate: changed-lines needs a base commit (a pull request or a push with `before`); annotating every new diagnostic.',
    );
    return undefined;
  }
  try {
    const { stdout } = await execFileAsync(
      'git',
      ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-renames', ctx.baseSha, ctx.sha, '--'],
      { cwd: ctx.workspace, maxBuffer: 256 * 1024 * 1024 },
    );
    return parseUnifiedDiff(stdout);
  } catch (error) {
    host.warning(
      `git diff ${ctx.baseSha} ${ctx.sha} failed (${(error as Error).message.split('\n')[0]}); fetch both commits ` +
        '(actions/checkout with fetch-depth: 0) for changed-lines. Annotating every new diagnostic.',
    );
    return undefined;
  }
}

async function annotate(
  host: ActionsHost,
  inputs: ActionInputs,
  ctx: RunContext,
  selected: Diagnostic[],
  pathPrefix: string,
  summaryInput: Parameters<typeof buildSummaryMarkdown>[0],
  failed: boolean,
): Promise<void> {
  if (inputs.githubToken) {
    const client = new ChecksClient({
      apiUrl: ctx.apiUrl,
      token: inputs.githubToken,
      owner: ctx.owner,
      repo: ctx.repo,
    });
    try {
      const run = await publishCheckRun(client, {
        name: inputs.checkName,
        headSha: ctx.headSha,
        title: `${selected.length} ${selected.length === 1 ? 'problem' : 'problems'} to look at`,
        summary: buildSummaryMarkdown(summaryInput, 65535),
        conclusion: failed ? 'failure' : 'success',
        annotations: selected.map((d) => toCheckAnnotation(d, pathPrefix)),
      });
      host.info(
        `check run ${run.id} on ${ctx.headSha}: ${selected.length} annotations in ${run.requests} requests`,
      );
      return;
    } catch (error) {
      if (error instanceof ChecksApiError && error.forbidden) {
        host.info(
          'The token cannot write check runs (403, as for a pull request from a fork): using workflow commands.',
        );
      } else {
        host.warning(`Creating the check run failed (${(error as Error).message}): using workflow commands.`);
      }
    }
  }
  for (const d of selected) host.writeLine(diagnosticToCommand(d, pathPrefix));
  const note = limitNote(selected);
  if (note) host.info(note);
}

/**
 * Writes the batch's in-toto statement and sets the `provenance-file` output, which a later
 * step passes to GitHub's artifact attestation. Like the cache, it is an extra: a failure
 * warns and leaves the output empty (so an `if:`-guarded attest step is skipped), it never
 * fails the analysis.
 */
async function writeProvenance(
  host: ActionsHost,
  engine: Engine,
  storeDir: string,
  batchId: string,
  file: string,
): Promise<void> {
  try {
    const { subjects } = await engine.writeProvenance(storeDir, batchId, file);
    host.info(`in-toto statement: ${subjects} subjects in ${file}`);
    host.setOutput('provenance-file', file);
  } catch (error) {
    host.warning(`Writing the in-toto statement failed (${(error as Error).message}).`);
  }
}

async function appendSummary(host: ActionsHost, markdown: string): Promise<void> {
  try {
    await host.appendSummary(markdown);
  } catch (error) {
    host.warning(`Writing the job summary failed: ${(error as Error).message}`);
  }
}
