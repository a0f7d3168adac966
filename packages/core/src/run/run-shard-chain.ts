import { CodebatchError, isCodebatchError, toCodebatchError } from '../errors/codebatch-error';
import {
  buildShardManifest,
  countOutputKinds,
  createStageTimer,
  type ShardManifestInput,
  writeShardManifest,
} from '../provenance/run-manifest';
import type { BatchRecord, PlanRecord, TaskRecord } from '../schemas/batch-record';
import { type TaskOutput, taskOutputSchema } from '../schemas/output-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { ShardState } from '../schemas/state-record';
import { type ChunkingOptions, readOutputObject, writeOutputObject } from '../store/chunking';
import { parseJsonl } from '../store/jsonl';
import type { Store } from '../store/store';
import type { FileRunResult, SnapshotView, TaskContext, TaskFile } from '../tasks/task-definition';
import type { TaskRegistry } from '../tasks/task-registry';
import { sha256OfCanonical } from '../util/hash';
import { nowIso } from '../util/time';
import { commitOutputsFile, serializeOutputs } from './commit-outputs';
import { readCommittedIndex } from './committed-outputs';
import { EventBuffer } from './events';
import { computeFileKey, digestRecords, type FileMemo, stripEnvelope } from './file-memo';
import { buildInputBundle, type InputBundlePreimage } from './input-bundle';
import { reuseShardOutputs } from './reuse-shard';
import { type ShardLock, tryLockShard } from './shard-lock';
import { readShardState, writeShardState } from './shard-state';
import { buildTaskFiles, groupByPath } from './task-files';

/**
 * `busy`: another process holds the shard. `deferred`: work must execute but this pass runs
 * with `canExecute: false` (the first, settle-only pass of a run). Neither is final; the
 * runner retries both.
 */
export type ShardOutcome = 'executed' | 'skipped' | 'reused' | 'failed' | 'blocked' | 'busy' | 'deferred';

export interface ShardRunResult {
  taskId: string;
  shardId: string;
  outcome: ShardOutcome;
  files: number;
  outputs: number;
  /** Files whose task ran in this shard run, and files whose records came from the memo or a reused shard. */
  filesExecuted: number;
  filesReused: number;
  durationMs: number;
  error?: { code: string; message: string };
}

export interface BatchRunContext {
  store: Store;
  registry: TaskRegistry;
  batch: BatchRecord;
  plan: PlanRecord;
  tasks: Map<string, TaskRecord>;
  force: boolean;
  chunking: ChunkingOptions;
  /** Per-file memo per task id (see file-memo.ts). */
  memos: Map<string, FileMemo>;
  /** Events of the chain being run; flushed when it ends. */
  events?: EventBuffer;
  /** false in the settle-only pass: skip and reuse, but defer anything that must execute. */
  canExecute?: boolean;
  /**
   * Only confirm that done shards still match their inputs (skip); defer everything else and
   * write nothing: a done batch is checked, never changed (see RunBatchOptions.verifyOnly).
   */
  skipOnly?: boolean;
  /** Write a run manifest per shard run (default true; `--no-provenance` turns it off). */
  manifests?: boolean;
  /** Shard lock of the chain being run, taken on first need and held to its end. */
  chainLock?: { lock: ShardLock | undefined; tried: boolean };
  /** The batch's snapshot, for tasks that look beyond their shard. */
  snapshot: SnapshotView;
  /** Each task's `environment` (see TaskDefinition), computed once per process. */
  environments: Map<string, Promise<Record<string, unknown> | undefined>>;
}

/** Code of the diagnostic recorded when a task throws on one file (a task bug, not bad input). */
export const TASK_CRASH_CODE = 'CB0001';

/**
 * Runs the given tasks (in dependency order) for one shard. The tasks of a chain share the
 * shard's files, so content is read once and an upstream's outputs stay in memory for its
 * dependents. Each task goes through the three stages of seed 000:
 *   analysis     the shard's members and the upstream shards it reads;
 *   compilation  their digests -> the input-bundle hash;
 *   processing   skip (same bundle already done here), reuse (done elsewhere, verified),
 *                or execute and commit.
 */
export async function runShardChain(
  ctx: BatchRunContext,
  shardId: string,
  members: readonly FilesIndexRecord[],
  taskIds: readonly string[],
): Promise<ShardRunResult[]> {
  const events = new EventBuffer();
  const chainLock = { lock: undefined as ShardLock | undefined, tried: false };
  const chainCtx: BatchRunContext = { ...ctx, events, chainLock };
  try {
    return await runChainTasks(chainCtx, shardId, members, taskIds);
  } finally {
    chainLock.lock?.release();
    events.flush();
    for (const memo of ctx.memos.values()) memo.flush();
  }
}

async function runChainTasks(
  ctx: BatchRunContext,
  shardId: string,
  members: readonly FilesIndexRecord[],
  taskIds: readonly string[],
): Promise<ShardRunResult[]> {
  const results: ShardRunResult[] = [];
  const upstreamByTask = new Map<string, Map<string, TaskOutput[]>>();
  const files = buildTaskFiles(ctx.store, members, upstreamByTask, () => ctx.snapshot.root);
  const memo = new Map<string, unknown>();
  const memberPairs: [string, string][] = members.map((m) => [m.path, m.object]);
  const blockedOrBusy = new Map<string, ShardOutcome>();

  for (const taskId of taskIds) {
    const started = Date.now();
    const task = ctx.tasks.get(taskId)!;
    const planTask = ctx.plan.tasks.find((t) => t.task_id === taskId)!;
    const finish = (
      outcome: ShardOutcome,
      outputs = 0,
      error?: { code: string; message: string },
      filesExecuted = 0,
    ) => {
      const filesReused =
        outcome === 'skipped' || outcome === 'reused'
          ? members.length
          : outcome === 'executed'
            ? members.length - filesExecuted
            : 0;
      const r: ShardRunResult = {
        taskId,
        shardId,
        outcome,
        files: members.length,
        outputs,
        filesExecuted,
        filesReused,
        durationMs: Date.now() - started,
        ...(error ? { error } : {}),
      };
      results.push(r);
      if (outcome === 'failed' || outcome === 'blocked' || outcome === 'busy' || outcome === 'deferred')
        blockedOrBusy.set(taskId, outcome);
      return r;
    };

    const timer = createStageTimer();
    const upstreamRefs: ShardManifestInput['upstream'] = [];
    // 1. analysis: upstream shards must be done; a failed or blocked one blocks this task.
    const upstreamDigests: { task_id: string; result_digest: string }[] = [];
    let blocker: ShardOutcome | undefined;
    for (const dep of planTask.depends_on) {
      const inChain = blockedOrBusy.get(dep);
      if (inChain) {
        blocker = inChain === 'busy' || inChain === 'deferred' ? inChain : 'blocked';
        break;
      }
      const depState = readShardState(ctx.store, ctx.batch.batch_id, dep, shardId, { missingAsReady: true });
      if (depState.status === 'failed') {
        blocker = 'blocked';
        break;
      }
      if (depState.status !== 'done' || !depState.result_digest) {
        throw new CodebatchError(
          'E_DEP_NOT_DONE',
          `task ${taskId} needs ${dep} to be done for shard ${shardId} (it is ${depState.status})`,
          {
            hints: [
              `Run \`codebatch run --batch ${ctx.batch.batch_id} --task ${dep}\` first, or run the whole batch.`,
            ],
            details: { task_id: taskId, depends_on: dep, shard_id: shardId, status: depState.status },
          },
        );
      }
      upstreamDigests.push({ task_id: dep, result_digest: depState.result_digest });
      upstreamRefs.push({
        task_id: dep,
        shard_id: shardId,
        result_digest: depState.result_digest,
        ...(depState.manifest ? { manifest: depState.manifest } : {}),
      });
    }
    if (blocker) {
      finish(blocker);
      continue;
    }
    timer.mark('analysis');

    // 2. compilation
    const environment = await taskEnvironment(ctx, task);
    const bundle = buildInputBundle({
      environment: withSeed(withShardInputs(ctx, task, members, environment), ctx.batch.seed),
      taskId,
      type: task.type,
      version: task.task_version,
      configDigest: task.config_digest,
      chunking: { threshold: ctx.chunking.threshold, chunk_size: ctx.chunking.chunkSize },
      members: memberPairs,
      upstream: upstreamDigests,
    });
    timer.mark('compilation');
    const provenance: ManifestContext = { bundle, timer, upstream: upstreamRefs };

    // 3. processing
    const outputsFile = ctx.store.layout.outputsFile(ctx.batch.batch_id, taskId, shardId);
    const current = readShardState(ctx.store, ctx.batch.batch_id, taskId, shardId, { missingAsReady: true });
    const committed = ctx.force ? undefined : committedIndex(ctx, taskId, shardId, current, bundle.hash);
    if (committed) {
      loadUpstreamIfNeeded(ctx, taskId, committed, upstreamByTask);
      finish('skipped', current.stats?.outputs_written ?? 0);
      continue;
    }
    if (ctx.skipOnly) {
      finish('deferred');
      continue;
    }
    // One lock per shard chain, in the first planned task's shard directory, so every runner
    // of this shard (whichever tasks it runs) excludes every other.
    const chainLock = ctx.chainLock!;
    if (!chainLock.tried) {
      chainLock.tried = true;
      chainLock.lock = tryLockShard(
        ctx.store.layout.shardDir(ctx.batch.batch_id, ctx.plan.tasks[0]!.task_id, shardId),
      );
    }
    if (!chainLock.lock) {
      finish('busy');
      continue;
    }
    {
      // Someone may have committed between our read and the lock.
      const state = readShardState(ctx.store, ctx.batch.batch_id, taskId, shardId, { missingAsReady: true });
      const committedNow = ctx.force ? undefined : committedIndex(ctx, taskId, shardId, state, bundle.hash);
      if (committedNow) {
        loadUpstreamIfNeeded(ctx, taskId, committedNow, upstreamByTask);
        finish('skipped', state.stats?.outputs_written ?? 0);
        continue;
      }
      if (!ctx.force) {
        const reused = tryReuse(
          ctx,
          state,
          taskId,
          shardId,
          bundle.hash,
          outputsFile,
          upstreamByTask,
          provenance,
          members.length,
        );
        if (reused) {
          finish('reused', reused.outputs);
          continue;
        }
      }
      if (ctx.canExecute === false) {
        finish('deferred');
        continue;
      }
      const def = ctx.registry.get(task.type);
      const result = await executeTask(ctx, state, {
        taskId,
        shardId,
        def,
        task,
        files,
        memo,
        bundleHash: bundle.hash,
        outputsFile,
        upstreamByTask,
        deps: planTask.depends_on,
        provenance,
      });
      finish(result.error ? 'failed' : 'executed', result.outputs, result.error, result.filesExecuted);
    }
  }
  return results;
}

/**
 * A task's environment, once per process and task id. A task that cannot compute it (its tool
 * is not installed) fails when it executes, with the task's own error, not here.
 */
function taskEnvironment(
  ctx: BatchRunContext,
  task: TaskRecord,
): Promise<Record<string, unknown> | undefined> {
  let env = ctx.environments.get(task.task_id);
  if (!env) {
    const def = ctx.registry.get(task.type);
    env = def.environment
      ? def.environment({
          snapshot: ctx.snapshot,
          cacheDir: ctx.store.layout.indexesDir,
          config: task.config,
        })
      : Promise.resolve(undefined);
    ctx.environments.set(task.task_id, env);
  }
  return env;
}

/** A task that samples draws from the seed: a batch with another base is other work. */
function withSeed(
  environment: Record<string, unknown> | undefined,
  seed: number | undefined,
): Record<string, unknown> | undefined {
  return seed ? { ...environment, seed_base: seed } : environment;
}

/** The environment plus what the task says this shard's files depend on beyond themselves. */
function withShardInputs(
  ctx: BatchRunContext,
  task: TaskRecord,
  members: readonly FilesIndexRecord[],
  environment: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const def = ctx.registry.get(task.type);
  if (!environment || !def.shardInputs) return environment;
  const shard = def.shardInputs({
    snapshot: ctx.snapshot,
    cacheDir: ctx.store.layout.indexesDir,
    config: task.config,
    members,
    environment,
  });
  return shard === undefined ? environment : { ...environment, shard };
}

/** This shard's own committed index when it is done with this very bundle (skip), else undefined. */
function committedIndex(
  ctx: BatchRunContext,
  taskId: string,
  shardId: string,
  state: ShardState,
  bundleHash: string,
): Buffer | undefined {
  if (state.bundle_hash !== bundleHash) return undefined;
  return readCommittedIndex(
    ctx.store,
    { batch_id: ctx.batch.batch_id, task_id: taskId, shard_id: shardId },
    state,
  );
}

/** Later tasks of the chain read this task's outputs: parse the verified (or just written) index once. */
function loadUpstreamIfNeeded(
  ctx: BatchRunContext,
  taskId: string,
  committed: Buffer,
  upstreamByTask: Map<string, Map<string, TaskOutput[]>>,
): void {
  const needed = ctx.plan.tasks.some((t) => t.depends_on.includes(taskId));
  if (!needed || upstreamByTask.has(taskId)) return;
  const records = parseJsonl<Record<string, unknown>>(committed.toString('utf8')).records.map(stripEnvelope);
  upstreamByTask.set(taskId, groupByPath(records));
}

function tryReuse(
  ctx: BatchRunContext,
  state: ShardState,
  taskId: string,
  shardId: string,
  bundleHash: string,
  outputsFile: string,
  upstreamByTask: Map<string, Map<string, TaskOutput[]>>,
  provenance: ManifestContext,
  memberCount: number,
): { outputs: number } | undefined {
  const found = ctx.memos.get(taskId)!.lookupBundle(bundleHash);
  if (!found) return undefined;
  const location = { batch_id: found.batch_id, task_id: taskId, shard_id: found.shard_id };
  if (
    location.batch_id === ctx.batch.batch_id &&
    location.task_id === taskId &&
    location.shard_id === shardId
  )
    return undefined;
  const reused = reuseShardOutputs(ctx.store, location, bundleHash, {
    snapshot_id: ctx.batch.snapshot_id,
    batch_id: ctx.batch.batch_id,
    task_id: taskId,
    shard_id: shardId,
  });
  if (!reused) return undefined;
  commitOutputsFile(outputsFile, reused.bytes);
  const now = nowIso();
  // Nothing executes, so there is no `running` phase: ready (or an older attempt) -> done.
  const done: ShardState = {
    ...state,
    attempt: nextAttempt(state),
    started_at: now,
    status: 'done',
    completed_at: now,
    bundle_hash: bundleHash,
    outputs_digest: `sha256:${reused.outputsDigest}`,
    result_digest: reused.resultDigest,
    stats: {
      files_processed: memberCount,
      outputs_written: reused.count,
      bytes_processed: 0,
      files_executed: 0,
      files_reused: memberCount,
    },
    reused_from: { batch_id: location.batch_id, shard_id: location.shard_id },
  };
  delete done.error;
  delete done.manifest;
  if (ctx.manifests !== false) {
    provenance.timer.mark('processing');
    done.manifest = writeShardManifest(
      ctx.store,
      buildShardManifest({
        ...manifestBase(ctx, { taskId, shardId, provenance }, done.attempt, now, now),
        outcome: 'reused',
        outputs: {
          outputs_digest: done.outputs_digest!,
          result_digest: reused.resultDigest,
          count: reused.count,
          by_kind: reused.byKind ?? countKindsInIndex(reused.bytes),
        },
        memo: { files_executed: 0, files_reused: memberCount },
        reused_from: {
          batch_id: location.batch_id,
          shard_id: location.shard_id,
          task_id: taskId,
          ...(reused.sourceManifest ? { manifest: reused.sourceManifest } : {}),
        },
        verification: { outputs_rehash: 'ok', reuse_source_verified: true },
        ...(state.manifest ? { previous_manifest: state.manifest } : {}),
      }),
    );
  }
  writeShardState(ctx.store, state, done);
  ctx.events!.add(ctx.store.layout.taskEventsFile(ctx.batch.batch_id, taskId), 'shard_skipped', {
    batch_id: ctx.batch.batch_id,
    task_id: taskId,
    shard_id: shardId,
    attempt: done.attempt,
    stats: { reason: 'bundle_reused', from_batch: location.batch_id, outputs: reused.count },
  });
  loadUpstreamIfNeeded(ctx, taskId, reused.bytes, upstreamByTask);
  return { outputs: reused.count };
}

function nextAttempt(state: ShardState): number {
  return state.status === 'ready' ? state.attempt : state.attempt + 1;
}

interface ExecuteParams {
  taskId: string;
  shardId: string;
  def: ReturnType<TaskRegistry['get']>;
  task: TaskRecord;
  files: ReturnType<typeof buildTaskFiles>;
  memo: Map<string, unknown>;
  bundleHash: string;
  outputsFile: string;
  upstreamByTask: Map<string, Map<string, TaskOutput[]>>;
  deps: readonly string[];
  provenance: ManifestContext;
}

/** What the manifest of a shard run needs from the analysis and compilation stages. */
interface ManifestContext {
  bundle: { hash: string; preimage: InputBundlePreimage };
  timer: ReturnType<typeof createStageTimer>;
  upstream: ShardManifestInput['upstream'];
}

async function executeTask(
  ctx: BatchRunContext,
  previous: ShardState,
  p: ExecuteParams,
): Promise<{ outputs: number; filesExecuted: number; error?: { code: string; message: string } }> {
  const batchId = ctx.batch.batch_id;
  const eventsFile = ctx.store.layout.taskEventsFile(batchId, p.taskId);
  const startedAt = nowIso();
  const t0 = Date.now();
  const running: ShardState = {
    ...previous,
    status: 'running',
    attempt: nextAttempt(previous),
    started_at: startedAt,
  };
  delete running.error;
  delete running.completed_at;
  writeShardState(ctx.store, previous, running);
  ctx.events!.add(eventsFile, 'shard_started', {
    batch_id: batchId,
    task_id: p.taskId,
    shard_id: p.shardId,
    attempt: running.attempt,
  });
  try {
    const taskCtx: TaskContext<unknown> = {
      config: p.task.config,
      seed: shardSeed(p.taskId, p.shardId, ctx.batch.seed),
      storeOutput: (kind, format, data) =>
        writeOutputObject(ctx.store.objects, kind, format, data, ctx.chunking),
      loadOutput: (ref) => readOutputObject(ctx.store.objects, ref),
      memo: p.memo,
      snapshot: ctx.snapshot,
      cacheDir: ctx.store.layout.indexesDir,
    };
    const memo = ctx.memos.get(p.taskId)!;
    const extras = p.def.fileKeys ? await p.def.fileKeys(p.files, taskCtx) : undefined;
    // The environment (not the shard inputs: those are about other files) keys every file of a
    // task without fileKeys; see FileKeyParts.environment.
    const environment = p.def.fileKeys
      ? undefined
      : withSeed(await taskEnvironment(ctx, p.task), ctx.batch.seed);
    const environmentDigest = environment ? sha256OfCanonical(environment) : undefined;
    // Per file, in shard order: records from the memo, or a slot the task fills.
    const perFile: { file: TaskFile; key: string; records?: TaskOutput[] }[] = [];
    for (const file of p.files) {
      const key = computeFileKey({
        taskId: p.taskId,
        type: p.task.type,
        version: p.task.task_version,
        configDigest: p.task.config_digest,
        chunking: { threshold: ctx.chunking.threshold, chunk_size: ctx.chunking.chunkSize },
        path: file.path,
        object: file.object,
        upstream: p.deps.map((d) => ({ task_id: d, digest: digestRecords(file.upstream(d)) })),
        ...(extras ? { extra: extras.get(file.path) ?? null } : {}),
        ...(environmentDigest ? { environment: environmentDigest } : {}),
      });
      const remembered = ctx.force ? undefined : memo.lookup(key, file.path);
      perFile.push({ file, key, ...(remembered ? { records: remembered } : {}) });
    }
    const misses = perFile.filter((f) => !f.records).map((f) => f.file);
    const results = await runMisses(p, misses, taskCtx);
    const outputs: TaskOutput[] = [];
    const memoKeys: { key: string; count: number }[] = [];
    let bytesProcessed = 0;
    let validated = 0;
    let next = 0;
    for (const entry of perFile) {
      if (entry.records) {
        for (const o of entry.records) outputs.push(o);
        memoKeys.push({ key: entry.key, count: entry.records.length });
        continue;
      }
      const { file } = entry;
      const result = results[next++]!;
      if ('crash' in result) {
        // Crashed files get no memo key: the next run tries them again.
        outputs.push({
          path: file.path,
          kind: 'diagnostic',
          severity: 'error',
          code: TASK_CRASH_CODE,
          message: result.crash,
        });
        continue;
      }
      // The verify step of the verified-action loop, done here, per record as it is made
      // (in the worker, with no re-parse): an invalid record fails the shard before commit.
      if (ctx.manifests !== false) {
        assertValidOutputs(result.outputs, file.path, p.taskId);
        validated += result.outputs.length;
      }
      for (const o of result.outputs) outputs.push(o);
      if (file.isText) bytesProcessed += file.size;
      memoKeys.push({ key: entry.key, count: result.outputs.length });
    }
    const filesExecuted = misses.length;
    const serialized = serializeOutputs(outputs, {
      snapshot_id: ctx.batch.snapshot_id,
      batch_id: batchId,
      task_id: p.taskId,
      shard_id: p.shardId,
      ts: startedAt,
    });
    commitOutputsFile(p.outputsFile, serialized.text);
    const completedAt = nowIso();
    const done: ShardState = {
      ...running,
      status: 'done',
      completed_at: completedAt,
      bundle_hash: p.bundleHash,
      outputs_digest: `sha256:${serialized.outputsDigest}`,
      result_digest: serialized.resultDigest,
      stats: {
        files_processed: p.files.length,
        outputs_written: serialized.count,
        bytes_processed: bytesProcessed,
        files_executed: filesExecuted,
        files_reused: p.files.length - filesExecuted,
      },
    };
    delete done.reused_from;
    if (ctx.manifests !== false) {
      p.provenance.timer.mark('processing');
      done.manifest = writeShardManifest(
        ctx.store,
        buildShardManifest({
          ...manifestBase(ctx, p, running.attempt, startedAt, completedAt),
          outcome: 'executed',
          outputs: {
            outputs_digest: `sha256:${serialized.outputsDigest}`,
            result_digest: serialized.resultDigest,
            count: serialized.count,
            by_kind: countOutputKinds(outputs),
          },
          memo: { files_executed: filesExecuted, files_reused: p.files.length - filesExecuted },
          verification: {
            outputs_rehash: 'ok',
            ...(validated > 0 ? { records_validated: { checked: validated, invalid: 0 } } : {}),
          },
          ...(previous.manifest ? { previous_manifest: previous.manifest } : {}),
        }),
      );
    }
    writeShardState(ctx.store, running, done);
    // Completion is announced only after outputs and state are committed (SPEC 8.4.5).
    ctx.events!.add(eventsFile, 'shard_completed', {
      batch_id: batchId,
      task_id: p.taskId,
      shard_id: p.shardId,
      attempt: done.attempt,
      duration_ms: Date.now() - t0,
      stats: done.stats,
    });
    // Crashed files (no memo key pushed) are never memoised: the next run tries them again.
    memo.record([
      { h: p.bundleHash, b: batchId, s: p.shardId },
      ...memoKeys.map((m) => ({ k: m.key, b: batchId, s: p.shardId, n: m.count })),
    ]);
    if (ctx.plan.tasks.some((t) => t.depends_on.includes(p.taskId)))
      p.upstreamByTask.set(p.taskId, groupByPath(outputs));
    return { outputs: serialized.count, filesExecuted };
  } catch (error) {
    const cbError = toCodebatchError(error, `task ${p.taskId} shard ${p.shardId}`);
    const failed: ShardState = {
      ...running,
      status: 'failed',
      completed_at: nowIso(),
      error: { code: cbError.code, message: cbError.message },
    };
    try {
      if (ctx.manifests !== false) {
        p.provenance.timer.mark('processing');
        failed.manifest = writeShardManifest(
          ctx.store,
          buildShardManifest({
            ...manifestBase(ctx, p, running.attempt, startedAt, failed.completed_at!),
            outcome: 'failed',
            memo: { files_executed: 0, files_reused: 0 },
            error: { code: cbError.code, message: cbError.message },
            ...(previous.manifest ? { previous_manifest: previous.manifest } : {}),
          }),
        );
      }
      writeShardState(ctx.store, running, failed);
      ctx.events!.add(eventsFile, 'shard_failed', {
        batch_id: batchId,
        task_id: p.taskId,
        shard_id: p.shardId,
        attempt: failed.attempt,
        duration_ms: Date.now() - t0,
        error: { code: cbError.code, message: cbError.message },
      });
    } catch {
      // With the disk full even the failure may not be recordable; the shard stays
      // `running`, which the next run treats as interrupted and retries.
    }
    if (cbError.code === 'E_DISK_FULL' || cbError.code === 'E_STORE_READ_ONLY') throw cbError;
    return { outputs: 0, filesExecuted: 0, error: { code: cbError.code, message: cbError.message } };
  }
}

/**
 * The deterministic seed of one shard's task run (seed 001): derived from task and shard ids,
 * and from the batch's base seed when it has one, so the same batch draws the same numbers on
 * every run and machine, and another base draws others.
 */
export function shardSeed(taskId: string, shardId: string, base: number | undefined): number {
  const parts = base ? { task_id: taskId, shard_id: shardId, base } : { task_id: taskId, shard_id: shardId };
  return Number.parseInt(sha256OfCanonical(parts).slice(0, 8), 16) % 2147483647;
}

/**
 * Runs the files the memo could not answer: through the task's `runFiles` when it has one,
 * else file by file. Infrastructure trouble (missing object, full disk) fails the shard;
 * anything else thrown on one file is a task bug on that file, recorded as a result so
 * `errors` can answer for it.
 */
async function runMisses(
  p: ExecuteParams,
  files: readonly TaskFile[],
  taskCtx: TaskContext<unknown>,
): Promise<FileRunResult[]> {
  if (files.length === 0) return [];
  if (p.def.runFiles) {
    const results = await p.def.runFiles(files, taskCtx);
    if (results.length !== files.length)
      throw new CodebatchError(
        'E_INTERNAL',
        `task ${p.taskId} returned ${results.length} results for ${files.length} files`,
      );
    return results;
  }
  return files.map((file) => {
    try {
      return { outputs: p.def.runFile(file, taskCtx) };
    } catch (error) {
      if (isCodebatchError(error)) throw error;
      if (/^E[A-Z]+$/.test(String((error as NodeJS.ErrnoException)?.code ?? ''))) {
        throw toCodebatchError(error, `task ${p.taskId} on ${file.path}`);
      }
      return {
        crash: `task ${p.task.type} crashed on this file: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  });
}

/** The fields every shard-run manifest shares, whatever its outcome. */
function manifestBase(
  ctx: BatchRunContext,
  run: { taskId: string; shardId: string; provenance: ManifestContext },
  attempt: number,
  startedAt: string,
  completedAt: string,
) {
  const task = ctx.tasks.get(run.taskId)!;
  return {
    batch_id: ctx.batch.batch_id,
    snapshot_id: ctx.batch.snapshot_id,
    task_id: run.taskId,
    shard_id: run.shardId,
    task: { type: task.type, version: task.task_version, config_digest: task.config_digest },
    attempt,
    started_at: startedAt,
    completed_at: completedAt,
    bundle: run.provenance.bundle,
    upstream: run.provenance.upstream,
    timings_ms: run.provenance.timer.timings(),
  };
}

const KIND_MARK = Buffer.from('"kind":"');

/** Records per kind in a committed index, without parsing it (kinds are plain identifiers). */
function countKindsInIndex(bytes: Buffer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = bytes.indexOf(KIND_MARK); i !== -1; i = bytes.indexOf(KIND_MARK, i + 1)) {
    const start = i + KIND_MARK.length;
    const end = bytes.indexOf(34, start);
    const kind = bytes.toString('latin1', start, end);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

function assertValidOutputs(outputs: readonly TaskOutput[], filePath: string, taskId: string): void {
  for (const o of outputs) {
    const result = taskOutputSchema.safeParse(o);
    if (!result.success || o.path !== filePath) {
      throw new CodebatchError(
        'E_RECORD_INVALID',
        `task ${taskId} produced an invalid record for ${filePath}`,
        {
          hints: ['This is a bug in the task; the shard is marked failed and nothing was committed.'],
          details: {
            issues: result.success
              ? ['path: does not name the file being processed']
              : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
          },
        },
      );
    }
  }
}
