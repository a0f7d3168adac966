import type { ShardRunResult } from '../run/shard-outcome';
import type { Store } from '../store/store';
import { type ActionInput, readStateSummary, type SessionRecorder, summarizeStateDiff } from './session';
import type { OutputsVerification } from './verify-outputs';

type StateSummary = ReturnType<typeof readStateSummary>;

/** A settled shard run to try again, and whether it must re-execute (a failed verification). */
export interface PendingRetry {
  taskId: string;
  shardId: string;
  force: boolean;
}

export interface ShardActionRecorder {
  /** Attempts per `task/shard` (1 unless retried). */
  readonly attempts: Map<string, number>;
  /** The last result per `task/shard`, over the first pass and its retries. */
  readonly latest: Map<string, ShardRunResult>;
  /** Records a shard run of the first pass or a retry pass as a session action. */
  handle(r: ShardRunResult): void;
  /** Records a shard run of replicate pass `replicate` (forced, never retried). */
  handleReplicate(r: ShardRunResult, replicate: number): void;
  /** From now on results come from retry passes. */
  startRetrying(): void;
  /** Whether a shard run waits for a retry. */
  hasPending(): boolean;
  /** The shard runs to retry, handed over once. */
  takePending(): PendingRetry[];
}

/**
 * The verified-action loop's bookkeeping (seed 002): turns each settled shard run into a
 * session action (execute -> verify -> record) and collects what must be retried. `before`
 * holds each shard's state summary as last seen, and is updated as runs change it, so the
 * states read here are the committed ones.
 */
export function createShardActionRecorder(p: {
  store: Store;
  batchId: string;
  session: SessionRecorder;
  before: Map<string, StateSummary>;
  retries: number;
  retryable: ReadonlySet<string>;
  verify: (
    store: Store,
    batchId: string,
    taskId: string,
    shardId: string,
    reused?: boolean,
  ) => OutputsVerification;
}): ShardActionRecorder {
  const { store, batchId, session, before, retries, retryable, verify } = p;
  const attempts = new Map<string, number>();
  const latest = new Map<string, ShardRunResult>();
  let pending: PendingRetry[] = [];
  let retrying = false;

  const handle = (r: ShardRunResult) => {
    const key = `${r.taskId}/${r.shardId}`;
    // In a retry pass, shards that were already settled report `skipped` again: not an action.
    if (retrying && r.outcome === 'skipped' && latest.has(key)) return;
    latest.set(key, r);
    const attempt = attempts.get(key) ?? 1;
    const prior = before.get(key) ?? { summary: { status: 'absent' }, fields: { status: 'absent' } };
    if (r.outcome === 'skipped' || r.outcome === 'blocked' || r.outcome === 'busy') {
      // The runner wrote nothing for these, so the state is the one read before the run, and
      // its digest pins everything committed (bundle, outputs and result digests, manifest).
      const note =
        r.outcome === 'skipped'
          ? 'already done, identical input bundle'
          : r.outcome === 'blocked'
            ? 'blocked by a failed dependency'
            : 'held by another process';
      session.recordAction({
        type: 'skip_shard',
        outcome: 'skipped',
        task_id: r.taskId,
        shard_id: r.shardId,
        attempt,
        after: prior.summary,
        note,
      });
      return;
    }
    const after = readStateSummary(store.layout.stateFile(batchId, r.taskId, r.shardId));
    before.set(key, after);
    const base: Omit<ActionInput, 'type' | 'outcome'> = {
      task_id: r.taskId,
      shard_id: r.shardId,
      attempt,
      duration_ms: r.durationMs,
      intent: { files: r.files, ...(retrying ? { retry: true } : {}) },
      before: prior.summary,
      after: after.summary,
      diff: summarizeStateDiff(prior.fields, after.fields),
    };
    const f = after.fields as {
      outputs_digest?: string;
      manifest?: string;
      reused_from?: { batch_id?: string };
    };
    const committed = {
      ...(f.outputs_digest ? { outputs_digest: f.outputs_digest } : {}),
      ...(f.manifest ? { manifest: f.manifest } : {}),
    };
    const type = r.outcome === 'reused' ? 'reuse_shard' : 'execute_shard';
    if (r.outcome === 'failed') {
      const canRetry = attempt <= retries && retryable.has(r.error?.code ?? '');
      if (canRetry) pending.push({ taskId: r.taskId, shardId: r.shardId, force: false });
      session.recordAction({
        ...base,
        type,
        outcome: canRetry ? 'retry' : 'failed',
        evidence: { error: r.error },
        note: `${r.error?.code}: ${r.error?.message}`,
      });
      return;
    }
    const v = verify(store, batchId, r.taskId, r.shardId, r.outcome === 'reused');
    const evidence = {
      ...committed,
      outputs: r.outputs,
      files_executed: r.filesExecuted,
      files_reused: r.filesReused,
      ...(f.reused_from?.batch_id ? { reused_from: f.reused_from.batch_id } : {}),
      verification: { outputs_rehash: v.outputs_rehash, records: v.records, invalid: v.invalid },
    };
    if (v.ok) {
      session.recordAction({ ...base, type, outcome: 'verified', evidence });
      return;
    }
    const canRetry = attempt <= retries;
    if (canRetry) pending.push({ taskId: r.taskId, shardId: r.shardId, force: true });
    session.recordAction({
      ...base,
      type,
      outcome: canRetry ? 'retry' : 'failed',
      evidence: { ...evidence, problems: v.problems },
      note: `verification failed: ${v.problems[0] ?? 'unknown'}`,
    });
  };

  // A replicate pass is forced, so each shard run is a fresh execution: verified and recorded
  // like any other, but never retried (a difference is the finding, not a fault to hide).
  const handleReplicate = (r: ShardRunResult, replicate: number) => {
    const key = `${r.taskId}/${r.shardId}`;
    const prior = before.get(key) ?? { summary: { status: 'absent' }, fields: { status: 'absent' } };
    if (r.outcome === 'skipped' || r.outcome === 'blocked' || r.outcome === 'busy') {
      session.recordAction({
        type: 'skip_shard',
        outcome: 'skipped',
        task_id: r.taskId,
        shard_id: r.shardId,
        attempt: attempts.get(key) ?? 1,
        intent: { replicate },
        after: prior.summary,
        note: `replicate ${replicate}: ${r.outcome}`,
      });
      return;
    }
    const after = readStateSummary(store.layout.stateFile(batchId, r.taskId, r.shardId));
    before.set(key, after);
    const base: Omit<ActionInput, 'type' | 'outcome'> = {
      task_id: r.taskId,
      shard_id: r.shardId,
      attempt: attempts.get(key) ?? 1,
      duration_ms: r.durationMs,
      intent: { files: r.files, replicate },
      before: prior.summary,
      after: after.summary,
      diff: summarizeStateDiff(prior.fields, after.fields),
    };
    const type = r.outcome === 'reused' ? 'reuse_shard' : 'execute_shard';
    if (r.outcome === 'failed') {
      session.recordAction({
        ...base,
        type,
        outcome: 'failed',
        evidence: { error: r.error },
        note: `replicate ${replicate}: ${r.error?.code}: ${r.error?.message}`,
      });
      return;
    }
    const v = verify(store, batchId, r.taskId, r.shardId, r.outcome === 'reused');
    const f = after.fields as { outputs_digest?: string; result_digest?: string };
    session.recordAction({
      ...base,
      type,
      outcome: v.ok ? 'verified' : 'failed',
      evidence: {
        ...(f.result_digest ? { result_digest: f.result_digest } : {}),
        ...(f.outputs_digest ? { outputs_digest: f.outputs_digest } : {}),
        outputs: r.outputs,
        verification: { outputs_rehash: v.outputs_rehash, records: v.records, invalid: v.invalid },
        ...(v.ok ? {} : { problems: v.problems }),
      },
      ...(v.ok ? {} : { note: `replicate ${replicate}: verification failed: ${v.problems[0] ?? 'unknown'}` }),
    });
  };

  return {
    attempts,
    latest,
    handle,
    handleReplicate,
    startRetrying: () => {
      retrying = true;
    },
    hasPending: () => pending.length > 0,
    takePending: () => {
      const work = pending;
      pending = [];
      return work;
    },
  };
}
