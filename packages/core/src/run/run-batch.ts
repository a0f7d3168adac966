import { setTimeout as sleep } from 'node:timers/promises';
import { orderTasks } from '../batch/pipelines';
import { type BatchRecords, readBatchRecords, readTaskRecord } from '../batch/read-batch';
import { type BatchStatusReport, deriveBatchStatus } from '../batch/status';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { readFilesIndex } from '../snapshot/read-snapshot';
import type { Store } from '../store/store';
import type { TaskRegistry } from '../tasks/task-registry';
import { loadBatchRunContext } from './batch-context';
import { type ChainExecutor, createInProcessExecutor } from './chain-executors';
import { createHandoff } from './chain-handoff';
import { appendEvent } from './events';
import { partitionByShard, selectShards, shardingOf } from './select-shards';
import type { ShardOutcome, ShardRunResult } from './shard-outcome';
import { createWorkerPool, type WorkerExecutor, type WorkerPool } from './worker-pool';

export interface RunBatchOptions {
  batchId: string;
  /** Run only these tasks (their dependencies must already be done). Default: all. */
  taskIds?: string[];
  /** Run only these shards. Default: all shards of the batch. */
  shardIds?: string[];
  /** Matrix slice: shards whose index in the sorted shard list modulo total equals index. */
  shardSlice?: { index: number; total: number };
  force?: boolean;
  registry: TaskRegistry;
  onShard?: (result: ShardRunResult, done: number, total: number) => void;
  /**
   * Executors (worker threads plus this thread). Only the default registry crosses thread
   * boundaries, so a custom registry always runs in-process. Default 1.
   */
  parallel?: number;
  /** Use worker threads even for the default registry's built-ins; false in tests that inject tasks. */
  useDefaultRegistryInWorkers?: boolean;
  /**
   * Where worker threads come from: a pool that outlives this run (createAnalyzer's), so several
   * runs in one process start their threads once. Default: a pool of this run's own, closed
   * when it ends.
   */
  workers?: WorkerPool;
  /** Write a run manifest per shard run (default true). */
  manifests?: boolean;
  /**
   * Paths the snapshot had to read (the likely changes): the chains of the shards holding them
   * go first, so a worker warmed meanwhile gets what must execute while this thread reuses the
   * rest. Order only: what runs and what it writes are the same.
   */
  likelyChanged?: readonly string[];
  /** Run budget (seed 001): at most this many not-yet-done shards in this invocation. */
  maxShards?: number;
  /** Stop taking new shards after the first failure (the rest stay ready for a later run). */
  failFast?: boolean;
  /** How long to wait for shards another process holds before giving up (ms). */
  busyTimeoutMs?: number;
}

export interface RunBatchSummary {
  batchId: string;
  results: ShardRunResult[];
  counts: Record<ShardOutcome, number>;
  status: BatchStatusReport;
  durationMs: number;
}

export function countOutcomes(results: readonly ShardRunResult[]): Record<ShardOutcome, number> {
  const counts: Record<ShardOutcome, number> = {
    executed: 0,
    skipped: 0,
    reused: 0,
    failed: 0,
    blocked: 0,
    busy: 0,
    deferred: 0,
  };
  for (const r of results) counts[r.outcome] += 1;
  return counts;
}

/**
 * Runs a batch (or a selection of its tasks and shards) to completion in this process.
 * Shard chains are independent, so a crash or failure in one never touches another
 * (SPEC 11.2), and a re-run resumes exactly where the store says work is missing.
 * `records`: the batch's records when the caller has read them already (they never change).
 */
export async function runBatch(
  store: Store,
  options: RunBatchOptions,
  records: BatchRecords = readBatchRecords(store, options.batchId),
): Promise<RunBatchSummary> {
  const t0 = Date.now();
  const { batch, plan, tasks } = records;
  const ordered = orderTasks(plan.tasks).map((t) => t.task_id);
  let selected = ordered;
  if (options.taskIds && options.taskIds.length > 0) {
    for (const id of options.taskIds) if (!tasks.has(id)) readTaskRecord(store, options.batchId, id);
    selected = ordered.filter((id) => options.taskIds!.includes(id));
  }
  const shardIds = selectShards(store, records, options, selected);
  const members = partitionByShard(readFilesIndex(store, batch.snapshot_id), shardingOf(records));

  const ctx = loadBatchRunContext(store, records, options.registry, {
    force: options.force ?? false,
    manifests: options.manifests !== false,
  });
  const eventsFile = store.layout.batchEventsFile(batch.batch_id);
  appendEvent(eventsFile, 'batch_started', {
    batch_id: batch.batch_id,
    stats: { tasks: selected, shards: shardIds.length },
  });
  const total = shardIds.length * selected.length;
  const results: ShardRunResult[] = [];
  // A chain that met a shard held by another process is retried later; each (task, shard)
  // is reported once, with the outcome of the pass that settled it.
  const unsettled = new Map(shardIds.map((s) => [s, new Set(selected)]));
  let stopped = false;
  const report = (chain: ShardRunResult[]) => {
    for (const r of chain) {
      const open = unsettled.get(r.shardId);
      if (r.outcome === 'busy' || r.outcome === 'deferred' || !open?.has(r.taskId)) continue;
      open.delete(r.taskId);
      if (r.outcome === 'failed' && options.failFast) stopped = true;
      results.push(r);
      options.onShard?.(r, results.length, total);
    }
  };
  // Two passes. The first settles what is already known (skips, verified reuse) without
  // loading any task code; only if something must execute are the tasks prepared (the
  // TypeScript compiler, WebAssembly grammars) and worker threads started. A warm worker (one
  // prewarmed while the tree was snapshotted, or an analyzer's idle one) joins the first pass:
  // it takes the chains this thread defers as they are found, and reused ones when it has none.
  let executors: ChainExecutor[] = [createInProcessExecutor({ ...ctx, canExecute: false })];
  const job = {
    storeDir: store.layout.root,
    batchId: batch.batch_id,
    force: options.force ?? false,
    manifests: options.manifests !== false,
  };
  const early = earlyWorkers(options);
  if (early > 0) executors.push(...options.workers!.lease(early, job));
  const started: ChainExecutor[] = [...executors];
  let ownPool: WorkerPool | undefined;
  let prepared = false;
  try {
    let pending = likelyChangedFirst(shardIds, members, options.likelyChanged);
    const deadline = Date.now() + (options.busyTimeoutMs ?? 10 * 60 * 1000);
    while (pending.length > 0) {
      const queue = [...pending];
      const retry = new Set<string>();
      let deferred = false;
      // Chains this thread could not execute, for the workers of this pass to take first.
      const workers = executors.filter((e) => 'ready' in e);
      const handoff = createHandoff(workers.length, executors.length - workers.length);
      const joined: WorkerExecutor[] = [];
      const unjoined = new Set<ChainExecutor>();
      const defer = (shardId: string) => {
        deferred = true;
        retry.add(shardId);
      };
      const settled = await Promise.allSettled(
        executors.map(async (executor) => {
          const isWorker = 'ready' in executor;
          // A worker that fails to start leaves its share to the others (or to this thread). One
          // still starting when this thread has settled every chain, and handed none, has nothing
          // to join for: the pass does not wait for it (a touched tree warms one for nothing).
          if (isWorker) {
            const joins = await Promise.race([
              (executor as WorkerExecutor).ready.then(
                () => true,
                () => false,
              ),
              handoff.untilIdle(queue).then(() => false),
            ]);
            if (!joins) {
              for (const s of handoff.leave()) defer(s);
              // Given back now, so that a later pass or run can lease it once it has started.
              unjoined.add(executor);
              await executor.close();
              return;
            }
            joined.push(executor as WorkerExecutor);
          }
          try {
            for (;;) {
              const shardId = isWorker ? await handoff.next(queue) : queue.shift();
              if (shardId === undefined || stopped) break;
              let chain: ShardRunResult[];
              try {
                chain = await executor.run(shardId, members.get(shardId) ?? [], selected);
              } catch (error) {
                // Stop the other executors after their current chain; a chain handed over and
                // not yet taken is not run by a worker the run is about to give back.
                queue.length = 0;
                handoff.abort();
                throw error;
              }
              report(chain);
              const held = chain.some((r) => r.outcome === 'busy');
              if (!held && chain.some((r) => r.outcome === 'deferred') && handoff.give(shardId)) continue;
              for (const r of chain) {
                if (r.outcome === 'deferred') deferred = true;
                if (r.outcome === 'busy' || r.outcome === 'deferred') retry.add(shardId);
              }
            }
          } finally {
            if (isWorker) for (const s of handoff.leave()) defer(s);
            else handoff.close();
          }
        }),
      );
      // Every executor has stopped before any is given back (a worker released while it still
      // runs a chain would be handed to another run).
      const failure = settled.find((r) => r.status === 'rejected');
      if (failure) throw (failure as PromiseRejectedResult).reason;
      executors = executors.filter((e) => !unjoined.has(e));
      // Chains no executor took (every worker failed to start): run them on this thread.
      const untaken = stopped ? [] : queue.splice(0);
      for (const s of untaken) retry.add(s);
      if (untaken.length > 0 && !executors.some((e) => !('ready' in e))) {
        await options.registry.prepare(selected.map((id) => tasks.get(id)!.type));
        executors = [createInProcessExecutor({ ...ctx, canExecute: true })];
        started.push(...executors);
      }
      pending = [...retry].sort();
      if (pending.length === 0 || stopped) break;
      if (deferred && !prepared) {
        prepared = true;
        const fileCount = pending.reduce((n, s) => n + (members.get(s)?.length ?? 0), 0);
        // Workers that joined the first pass have the task code loaded: they stay, and are
        // cheaper than loading it on this thread.
        const live = joined.filter((w) => w.alive);
        const threads = Math.max(workerThreadsFor(options, pending.length, fileCount), live.length);
        if (threads > 0) {
          if (!options.workers) ownPool = createWorkerPool();
          const pool = options.workers ?? ownPool!;
          const more = pool.lease(threads - live.length, job);
          started.push(...more);
          executors = [...live, ...more];
        } else {
          await options.registry.prepare(selected.map((id) => tasks.get(id)!.type));
          executors = [createInProcessExecutor({ ...ctx, canExecute: true })];
          started.push(...executors);
        }
        continue;
      }
      if (Date.now() > deadline) {
        for (const shardId of pending) {
          for (const taskId of unsettled.get(shardId) ?? []) {
            results.push({
              taskId,
              shardId,
              outcome: 'busy',
              files: 0,
              outputs: 0,
              filesExecuted: 0,
              filesReused: 0,
              durationMs: 0,
            });
          }
        }
        break;
      }
      // Another process holds these shards; it will finish them, after which we skip them.
      await sleep(50);
    }
  } finally {
    await Promise.all(started.map((e) => e.close()));
    await ownPool?.close();
  }
  const status = deriveBatchStatus(store, batch.batch_id);
  for (const t of status.tasks) {
    if (!selected.includes(t.task_id)) continue;
    if (t.status === 'done' || t.status === 'failed' || t.status === 'blocked') {
      appendEvent(
        store.layout.taskEventsFile(batch.batch_id, t.task_id),
        t.status === 'done' ? 'task_completed' : t.status === 'failed' ? 'task_failed' : 'task_blocked',
        {
          batch_id: batch.batch_id,
          task_id: t.task_id,
          stats: { ...t.shards },
        },
      );
    }
  }
  const rank = new Map(selected.map((t, i) => [t, i]));
  results.sort((a, b) => rank.get(a.taskId)! - rank.get(b.taskId)! || a.shardId.localeCompare(b.shardId));
  const counts = countOutcomes(results);
  appendEvent(eventsFile, counts.failed > 0 || counts.blocked > 0 ? 'batch_failed' : 'batch_completed', {
    batch_id: batch.batch_id,
    duration_ms: Date.now() - t0,
    stats: { ...counts },
  });
  return { batchId: batch.batch_id, results, counts, status, durationMs: Date.now() - t0 };
}

/**
 * How many worker threads run the chains that must execute; 0: this thread runs them. With
 * workers, this thread only hands out chains: a chain run here would block the replies of the
 * workers (they would idle until it ends). Below a few hundred files a new worker's start-up
 * (about 60 ms plus loading the compiler) costs more than it saves; a warm pooled one (an
 * analyzer's, after an earlier run, or one prewarmed while this run snapshotted and reused:
 * WorkerPool.prewarm) has both behind it or under way, and costs less than loading the
 * compiler on this thread.
 */
function workerThreadsFor(options: RunBatchOptions, chains: number, files: number): number {
  if (!options.useDefaultRegistryInWorkers) return 0;
  const wanted = Math.max(1, Math.min(options.parallel ?? 1, chains));
  if (wanted > 1 && files >= 200) return wanted;
  const warm = options.workers?.warm ?? 0;
  return warm > 0 && (options.parallel ?? 1) > 1 ? Math.min(wanted, warm) : 0;
}

/** Above this many likely changes (a cold tree: all of them), the order is left as it is. */
const LIKELY_CHANGED_MAX = 1024;

function likelyChangedFirst(
  shardIds: string[],
  members: Map<string, FilesIndexRecord[]>,
  likelyChanged: readonly string[] | undefined,
): string[] {
  if (!likelyChanged || likelyChanged.length === 0 || likelyChanged.length > LIKELY_CHANGED_MAX)
    return shardIds;
  const paths = new Set(likelyChanged);
  const first: string[] = [];
  const rest: string[] = [];
  for (const shardId of shardIds) {
    (members.get(shardId)?.some((f) => paths.has(f.path)) ? first : rest).push(shardId);
  }
  return [...first, ...rest];
}

/**
 * Warm workers that join the first pass: one, when the caller's pool has it idle or loading
 * (WorkerPool.prewarm) and the run may use threads at all. A chain found to need executing then
 * starts on it at once, while this thread goes on reusing, instead of after the pass.
 */
function earlyWorkers(options: RunBatchOptions): number {
  if (!options.useDefaultRegistryInWorkers || (options.parallel ?? 1) < 2) return 0;
  return Math.min(1, options.workers?.warm ?? 0);
}
