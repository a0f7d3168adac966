import { setTimeout as sleep } from 'node:timers/promises';
import { readBatchRecords } from '../batch/read-batch';
import { deriveBatchStatus } from '../batch/status';
import { checkReplicates, type ReplicateReport } from '../run/replicate-check';
import { countOutcomes, type RunBatchOptions, type RunBatchSummary, runBatch } from '../run/run-batch';
import type { ActionOutcome } from '../schemas/run-manifest';
import type { ShardState } from '../schemas/state-record';
import { tryReadSnapshotRecord } from '../snapshot/read-snapshot';
import type { Store } from '../store/store';
import { captureEnvironment } from './environment';
import { createShardActionRecorder } from './record-shard-actions';
import { buildBatchManifest, readBatchManifestRef, writeBatchManifest } from './run-manifest';
import { type ReplicateCheckRecord, readStateSummary, SessionRecorder } from './session';
import { type OutputsVerification, verifyShardOutputs } from './verify-outputs';

export interface ProvenanceRunOptions {
  /** false: plain runBatch, no session, no verify step, no batch manifest (`--no-provenance`). */
  enabled?: boolean;
  /** Extra attempts per shard run after a failed verification or a transient failure. Default 2. */
  retries?: number;
  /** Backoff before retry round n: backoffMs * 2^(n-1). Default 100. */
  backoffMs?: number;
  /**
   * Re-validate every record of executed shards after the run. Default false: the runner
   * validates each record against the schema as the task produces it (in the worker, before
   * commit), so the post-run step only re-hashes what was committed.
   */
  validateRecords?: boolean;
  /**
   * Also validate the records of reused shards. Default false: a reused index is the source's
   * records (verified by digest before the copy, validated when the source was verified) under
   * an envelope the runner writes, so the re-hash is what can still fail.
   */
  validateReused?: boolean;
  /** Shard failures with these codes are retried; others (a task refusing its input) are final. */
  retryableCodes?: readonly string[];
  /** One line per action (the CLI writes it to stderr above the progress bar). */
  live?: (line: string) => void;
  label?: string;
  flushIntervalMs?: number;
  /**
   * Determinism check (seed 001 `replicates`, `run --replicates N`): after the run, every shard
   * that settled is executed again N - 1 times (forced) and its result digest compared. The
   * passes are actions of the same session and the report is its `replicate_check`. Default 1.
   */
  replicates?: number;
  /** Replaces the verify step (tests inject failures here). */
  verify?: (
    store: Store,
    batchId: string,
    taskId: string,
    shardId: string,
    reused?: boolean,
  ) => OutputsVerification;
}

export interface ProvenanceRunSummary extends RunBatchSummary {
  sessionId?: string;
  sessionFile?: string;
  batchManifest?: string;
  /** Verified-action loop totals: actions by outcome. */
  actions?: Record<ActionOutcome, number>;
  /** The determinism check, when `replicates` > 1. */
  replicateReport?: ReplicateReport;
}

/** How TaskContext.seed is computed in the runner (file-run.ts shardSeed). */
export const SEED_DERIVATION = 'sha256(task_id, shard_id[, base]) mod 2147483647';

export const DEFAULT_RETRYABLE_CODES = [
  'E_OBJECT_NOT_FOUND',
  'E_OBJECT_CORRUPT',
  'E_INDEX_CORRUPT',
  'E_LOCKED',
  'E_INTERNAL',
] as const;

/**
 * runBatch inside a provenance session (seed 002): every settled shard run becomes an action
 * (execute -> verify -> record), failed verifications and transient failures are retried with
 * backoff, and a batch manifest linking the shard manifests is written at the end. The verify
 * step re-hashes the committed outputs index against state.json and validates its records.
 */
export async function runBatchWithProvenance(
  store: Store,
  options: RunBatchOptions,
  prov: ProvenanceRunOptions = {},
): Promise<ProvenanceRunSummary> {
  const replicates = prov.replicates ?? 1;
  // Read once: every pass below (first run, retries, replicates) runs on these same records.
  const records = readBatchRecords(store, options.batchId);
  const { batch, plan, tasks } = records;
  if (prov.enabled === false) {
    const plain = (o: Partial<RunBatchOptions>) =>
      runBatch(store, { ...options, maxShards: undefined, ...o, manifests: false }, records);
    const summary = await runBatch(store, { ...options, manifests: false }, records);
    if (replicates <= 1) return summary;
    return { ...summary, replicateReport: await checkReplicates(store, summary, replicates, plain) };
  }
  const t0 = Date.now();
  const retries = prov.retries ?? 2;
  const retryable = new Set(prov.retryableCodes ?? DEFAULT_RETRYABLE_CODES);
  const verify =
    prov.verify ??
    ((s, b, t, sh) => verifyShardOutputs(s, b, t, sh, { validate: prov.validateRecords === true }));
  const taskVersions: Record<string, string> = {};
  const before = new Map<string, ReturnType<typeof readStateSummary>>();
  for (const planTask of plan.tasks) {
    const task = tasks.get(planTask.task_id)!;
    taskVersions[task.type] = task.task_version;
    if (options.taskIds?.length && !options.taskIds.includes(task.task_id)) continue;
    for (const shardId of task.sharding.shard_ids) {
      before.set(
        `${task.task_id}/${shardId}`,
        readStateSummary(store.layout.stateFile(batch.batch_id, task.task_id, shardId)),
      );
    }
  }
  const snapshot = tryReadSnapshotRecord(store, batch.snapshot_id);
  const git = snapshot?.source.git_ref
    ? {
        commit: snapshot.source.git_ref,
        ...(snapshot.source.git_dirty !== undefined ? { dirty: snapshot.source.git_dirty } : {}),
      }
    : undefined;
  const environment = captureEnvironment(undefined, { tasks: taskVersions, ...(git ? { git } : {}) });
  const session = new SessionRecorder(store, {
    label: prov.label ?? 'run',
    batch_id: batch.batch_id,
    environment: environment as unknown as Record<string, unknown>,
    options: {
      force: options.force ?? false,
      parallel: options.parallel ?? 1,
      retries,
      ...(options.taskIds?.length ? { tasks: options.taskIds } : {}),
      ...(options.shardIds?.length ? { shards: options.shardIds } : {}),
      ...(options.shardSlice ? { shard_slice: options.shardSlice } : {}),
    },
    budget: {
      max_shards: options.maxShards ?? null,
      fail_fast: options.failFast ?? false,
      retries,
      replicates,
    },
    seed_policy: {
      // The base the runner applies: the batch's, from codebatch.config.json `seed`.
      base: batch.seed ?? 0,
      derivation: SEED_DERIVATION,
      base_applied: true,
    },
    ...(prov.live ? { live: prov.live } : {}),
    ...(prov.flushIntervalMs !== undefined ? { flushIntervalMs: prov.flushIntervalMs } : {}),
  });

  const recorder = createShardActionRecorder({
    store,
    batchId: batch.batch_id,
    session,
    before,
    retries,
    retryable,
    verify,
  });
  const { attempts, latest, handle } = recorder;

  const passOptions = (o: Partial<RunBatchOptions>): RunBatchOptions => {
    const { shardSlice: _slice, onShard: _on, ...rest } = options;
    return { ...rest, ...o, onShard: (r) => handle(r) };
  };

  let first: RunBatchSummary;
  let replicateReport: ReplicateReport | undefined;
  let replicateCheck: ReplicateCheckRecord | undefined;
  try {
    first = await runBatch(
      store,
      {
        ...options,
        onShard: (r, done, total) => {
          handle(r);
          options.onShard?.(r, done, total);
        },
      },
      records,
    );
    recorder.startRetrying();
    for (let round = 1; round <= retries && recorder.hasPending(); round++) {
      await sleep((prov.backoffMs ?? 100) * 2 ** (round - 1));
      const work = recorder.takePending();
      for (const w of work)
        attempts.set(`${w.taskId}/${w.shardId}`, (attempts.get(`${w.taskId}/${w.shardId}`) ?? 1) + 1);
      // A verification failure re-executes that task's shard (force); a failed shard re-runs
      // without force, so its blocked dependents run too and done shards are skipped.
      const forced = new Map<string, string[]>();
      for (const w of work.filter((x) => x.force))
        forced.set(w.taskId, [...(forced.get(w.taskId) ?? []), w.shardId]);
      for (const [taskId, shardIds] of forced)
        await runBatch(
          store,
          passOptions({ taskIds: [taskId], shardIds: [...new Set(shardIds)].sort(), force: true }),
          records,
        );
      const failedShards = [...new Set(work.filter((x) => !x.force).map((x) => x.shardId))].sort();
      if (failedShards.length > 0)
        await runBatch(store, passOptions({ shardIds: failedShards, force: false }), records);
    }
    if (replicates > 1) {
      replicateCheck = { replicates, shard_runs: 0, deterministic: false, mismatches: [] };
      const settled = first.results.map((r) => latest.get(`${r.taskId}/${r.shardId}`) ?? r);
      replicateReport = await checkReplicates(store, { ...first, results: settled }, replicates, (o, n) => {
        const { shardSlice: _slice, onShard: _on, ...rest } = options;
        return runBatch(
          store,
          {
            ...rest,
            maxShards: undefined,
            ...o,
            onShard: (r, done, total) => {
              recorder.handleReplicate(r, n);
              options.onShard?.(r, done, total);
            },
          },
          records,
        );
      });
      replicateCheck = toReplicateCheckRecord(replicateReport);
    }
  } catch (error) {
    if (replicateCheck) {
      const e = error as { code?: string; message?: string };
      replicateCheck = {
        ...replicateCheck,
        error: { code: e.code ?? 'E_INTERNAL', message: String(e.message) },
      };
    }
    session.finish('failed', replicateCheck ? { replicate_check: replicateCheck } : {});
    throw error;
  }
  const results = first.results.map((r) => latest.get(`${r.taskId}/${r.shardId}`) ?? r);
  // The states read during the run are the committed ones: no second pass over state.json.
  const stateOf = (taskId: string, shardId: string) =>
    before.get(`${taskId}/${shardId}`)?.fields as ShardState | undefined;
  // Nothing changed (every action a skip): the last batch manifest still describes the batch.
  const unchanged = finishedCountsAllSkipped(session)
    ? readBatchManifestRef(store, batch.batch_id)
    : undefined;
  const batchManifest =
    unchanged ??
    writeBatchManifest(
      store,
      buildBatchManifest(
        store,
        batch.batch_id,
        { session_id: session.id, environment: environment as unknown as Record<string, unknown> },
        stateOf,
      ),
    );
  const finished = session.finish(undefined, {
    batch_manifest: batchManifest,
    ...(replicateCheck ? { replicate_check: replicateCheck } : {}),
  });
  return {
    batchId: batch.batch_id,
    results,
    counts: countOutcomes(results),
    status: attempts.size > 0 ? deriveBatchStatus(store, batch.batch_id) : first.status,
    durationMs: Date.now() - t0,
    sessionId: session.id,
    sessionFile: session.file,
    batchManifest,
    actions: finished.counts as Record<ActionOutcome, number>,
    ...(replicateReport ? { replicateReport } : {}),
  };
}

/** The replicate report in the session's snake_case vocabulary. */
function toReplicateCheckRecord(report: ReplicateReport): ReplicateCheckRecord {
  return {
    replicates: report.replicates,
    shard_runs: report.shardRuns,
    deterministic: report.mismatches.length === 0,
    mismatches: report.mismatches,
  };
}

function finishedCountsAllSkipped(session: SessionRecorder): boolean {
  const c = session.counts;
  return c.verified === 0 && c.failed === 0 && c.retry === 0;
}
