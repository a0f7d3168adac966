import { writeShardState } from '../batch/shard-state';
import { sortCounts } from '../query/diagnostic-counts';
import type { DiagnosticCounts, ShardState } from '../schemas/state-record';
import { nowIso } from '../util/time';
import type { BatchRunContext } from './batch-context';
import type { ChainScope } from './chain-scope';
import type { InputBundlePreimage } from './input-bundle';
import type { BundleLocation, ReusedOutputs } from './reuse-shard';
import { type createStageTimer, recordShardManifest, type ShardManifestInput } from './shard-manifest';

/**
 * The only place a shard's state moves. Each transition writes, in this order, the manifest
 * of the run (when manifests are on), the new state.json, then the event: state.json names
 * the manifest, so the manifest exists before anything points at it, and an event announces
 * only what is committed (SPEC 8.4.5). Skipped, blocked, busy and deferred shards do not
 * move and write nothing.
 */

/** What a shard run's manifest needs from the analysis and compilation stages. */
export interface ManifestContext {
  bundle: { hash: string; preimage: InputBundlePreimage };
  timer: ReturnType<typeof createStageTimer>;
  upstream: ShardManifestInput['upstream'];
}

/** One task of one shard chain, past compilation: where its state, manifest and events go. */
export interface ShardAttempt {
  readonly ctx: BatchRunContext;
  readonly scope: ChainScope;
  readonly taskId: string;
  readonly provenance: ManifestContext;
}

/** A shard whose `running` state is committed; finished by markShardExecuted or markShardFailed. */
export interface RunningShard {
  readonly previous: ShardState;
  readonly state: ShardState;
  readonly startedAt: string;
  readonly t0: number;
}

/** What executing a shard committed, for its `done` state and manifest. */
export interface ExecutedShard {
  outputsDigest: string;
  resultDigest: string;
  count: number;
  /** Diagnostics of the committed records per severity (query/diagnostic-counts.ts). */
  diagnostics: DiagnosticCounts;
  byKind: () => Record<string, number>;
  files: number;
  filesExecuted: number;
  bytesProcessed: number;
  /** Records validated against their schema before commit. */
  validated: number;
}

/** ready (or a finished attempt) -> running. */
export function startShardRun(a: ShardAttempt, previous: ShardState): RunningShard {
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
  delete running.outputs_ref;
  writeShardState(a.ctx.store, previous, running);
  a.scope.events.add(eventsFile(a), 'shard_started', {
    ...eventIds(a),
    attempt: running.attempt,
  });
  return { previous, state: running, startedAt, t0 };
}

/** running -> done, after the outputs are committed. */
export function markShardExecuted(a: ShardAttempt, run: RunningShard, executed: ExecutedShard): ShardState {
  const completedAt = nowIso();
  const memo = {
    files_executed: executed.filesExecuted,
    files_reused: executed.files - executed.filesExecuted,
  };
  const byKind = sortCounts(executed.byKind());
  const done: ShardState = {
    ...run.state,
    status: 'done',
    completed_at: completedAt,
    bundle_hash: a.provenance.bundle.hash,
    outputs_digest: `sha256:${executed.outputsDigest}`,
    diagnostic_counts: { ...executed.diagnostics, outputs_digest: `sha256:${executed.outputsDigest}` },
    kind_counts: { counts: byKind, outputs_digest: `sha256:${executed.outputsDigest}` },
    result_digest: executed.resultDigest,
    stats: {
      files_processed: executed.files,
      outputs_written: executed.count,
      bytes_processed: executed.bytesProcessed,
      ...memo,
    },
  };
  delete done.reused_from;
  delete done.outputs_ref;
  if (a.ctx.manifests) {
    a.provenance.timer.mark('processing');
    done.manifest = recordShardManifest(a.ctx.store, {
      ...manifestBase(a, run.state.attempt, run.startedAt, completedAt),
      outcome: 'executed',
      outputs: {
        outputs_digest: `sha256:${executed.outputsDigest}`,
        result_digest: executed.resultDigest,
        count: executed.count,
        by_kind: byKind,
      },
      memo,
      verification: {
        outputs_rehash: 'ok',
        ...(executed.validated > 0 ? { records_validated: { checked: executed.validated, invalid: 0 } } : {}),
      },
      ...(run.previous.manifest ? { previous_manifest: run.previous.manifest } : {}),
    });
  }
  writeShardState(a.ctx.store, run.state, done);
  a.scope.events.add(eventsFile(a), 'shard_completed', {
    ...eventIds(a),
    attempt: done.attempt,
    duration_ms: Date.now() - run.t0,
    stats: done.stats,
  });
  return done;
}

/**
 * running -> failed. With the disk full even the failure may not be recordable; the shard
 * then stays `running`, which the next run treats as interrupted and retries.
 */
export function markShardFailed(
  a: ShardAttempt,
  run: RunningShard,
  error: { code: string; message: string },
): void {
  const failed: ShardState = {
    ...run.state,
    status: 'failed',
    completed_at: nowIso(),
    error: { code: error.code, message: error.message },
  };
  try {
    if (a.ctx.manifests) {
      a.provenance.timer.mark('processing');
      failed.manifest = recordShardManifest(a.ctx.store, {
        ...manifestBase(a, run.state.attempt, run.startedAt, failed.completed_at!),
        outcome: 'failed',
        memo: { files_executed: 0, files_reused: 0 },
        error: { code: error.code, message: error.message },
        ...(run.previous.manifest ? { previous_manifest: run.previous.manifest } : {}),
      });
    }
    writeShardState(a.ctx.store, run.state, failed);
    a.scope.events.add(eventsFile(a), 'shard_failed', {
      ...eventIds(a),
      attempt: failed.attempt,
      duration_ms: Date.now() - run.t0,
      error: { code: error.code, message: error.message },
    });
  } catch {
    // See above: unrecordable, left `running`.
  }
}

/**
 * ready (or a finished attempt) -> done with another shard's verified outputs, by reference
 * (the caller writes the stub index after). Nothing executes, so there is no `running` phase.
 */
export function markShardReused(
  a: ShardAttempt,
  previous: ShardState,
  reuse: {
    from: BundleLocation;
    outputs: ReusedOutputs;
    files: number;
    byKind: () => Record<string, number>;
  },
): ShardState {
  const now = nowIso();
  const { from, outputs, files } = reuse;
  const byKind = sortCounts(reuse.byKind());
  const done: ShardState = {
    ...previous,
    attempt: nextAttempt(previous),
    started_at: now,
    status: 'done',
    completed_at: now,
    bundle_hash: a.provenance.bundle.hash,
    outputs_digest: `sha256:${outputs.outputsDigest}`,
    diagnostic_counts: { ...outputs.diagnostics, outputs_digest: `sha256:${outputs.outputsDigest}` },
    kind_counts: { counts: byKind, outputs_digest: `sha256:${outputs.outputsDigest}` },
    result_digest: outputs.resultDigest,
    stats: {
      files_processed: files,
      outputs_written: outputs.count,
      bytes_processed: 0,
      files_executed: 0,
      files_reused: files,
    },
    reused_from: { batch_id: from.batch_id, shard_id: from.shard_id },
    outputs_ref: outputs.ref,
  };
  delete done.error;
  delete done.manifest;
  if (a.ctx.manifests) {
    a.provenance.timer.mark('processing');
    done.manifest = recordShardManifest(a.ctx.store, {
      ...manifestBase(a, done.attempt, now, now),
      outcome: 'reused',
      outputs: {
        outputs_digest: done.outputs_digest!,
        result_digest: outputs.resultDigest,
        count: outputs.count,
        by_kind: byKind,
      },
      memo: { files_executed: 0, files_reused: files },
      reused_from: {
        batch_id: from.batch_id,
        shard_id: from.shard_id,
        task_id: a.taskId,
        ...(outputs.sourceManifest ? { manifest: outputs.sourceManifest } : {}),
      },
      verification: { outputs_rehash: 'ok', reuse_source_verified: true },
      ...(previous.manifest ? { previous_manifest: previous.manifest } : {}),
    });
  }
  writeShardState(a.ctx.store, previous, done);
  a.scope.events.add(eventsFile(a), 'shard_skipped', {
    ...eventIds(a),
    attempt: done.attempt,
    stats: { reason: 'bundle_reused', from_batch: from.batch_id, outputs: outputs.count },
  });
  return done;
}

/** A new attempt, unless the shard has never started (SPEC 8.3: attempts never go back). */
function nextAttempt(state: ShardState): number {
  return state.status === 'ready' ? state.attempt : state.attempt + 1;
}

function eventsFile(a: ShardAttempt): string {
  return a.ctx.store.layout.taskEventsFile(a.ctx.batch.batch_id, a.taskId);
}

function eventIds(a: ShardAttempt): { batch_id: string; task_id: string; shard_id: string } {
  return { batch_id: a.ctx.batch.batch_id, task_id: a.taskId, shard_id: a.scope.shardId };
}

/** The fields every shard-run manifest shares, whatever its outcome. */
function manifestBase(a: ShardAttempt, attempt: number, startedAt: string, completedAt: string) {
  const task = a.ctx.tasks.get(a.taskId)!;
  return {
    batch_id: a.ctx.batch.batch_id,
    snapshot_id: a.ctx.batch.snapshot_id,
    task_id: a.taskId,
    shard_id: a.scope.shardId,
    task: { type: task.type, version: task.task_version, config_digest: task.config_digest },
    attempt,
    started_at: startedAt,
    completed_at: completedAt,
    bundle: a.provenance.bundle,
    upstream: a.provenance.upstream,
    timings_ms: a.provenance.timer.timings(),
  };
}
