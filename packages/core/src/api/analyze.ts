import os from 'node:os';
import path from 'node:path';
import { initBatch, planBatch } from '../batch/init-batch';
import { listBatches, readBatchRecord, readBatchRecords } from '../batch/read-batch';
import { batchExists } from '../batch/status';
import type { ConfigFile } from '../config/config-schema';
import { loadConfigFile } from '../config/load-config';
import { runBatchWithProvenance } from '../provenance/run-with-provenance';
import { type BatchView, loadBatchView, resolveTaskIds } from '../query/batch-view';
import {
  prefetchShardDiagnostics,
  provenIndexes,
  type ShardDiagnostics,
  scanDiagnosticsAtLeast,
  shardDiagnosticsKey,
} from '../query/count-diagnostics';
import { SEVERITIES } from '../report/diagnostic';
import { shardingOf } from '../run/select-shards';
import type { ShardRunResult } from '../run/shard-outcome';
import { readVerifiedDerived, recordVerifiedDerived, type VerdictRef } from '../run/verified-batches';
import { verifyBatch } from '../run/verify-batch';
import { createWorkerPool, type WorkerPool } from '../run/worker-pool';
import type { BatchRecord } from '../schemas/batch-record';
import type { OutputRecord } from '../schemas/output-record';
import { createSnapshot, type SnapshotResult } from '../snapshot/create-snapshot';
import { loadIndexDigests, saveIndexDigests } from '../store/index-digest-cache';
import type { Store } from '../store/store';
import { initStore } from '../store/store';
import { isPipelineName, PIPELINE_CATALOG, pipelineTaskIds } from '../tasks/catalog';
import { createDefaultRegistry } from '../tasks/default-registry';
import type { TaskRegistry } from '../tasks/task-registry';
import type { AnalyzeOptions, AnalyzeResult, PipelineName, SeverityCounts } from './types';

/**
 * One call for wrappers (Nx executor, GitHub Action): snapshot a directory into the store,
 * plan a batch, run it (reusing every identical input bundle), and return its diagnostics.
 * The store is created on first use. Worker threads live for this call only: a caller that
 * analyses several trees in one process uses createAnalyzer, which keeps them.
 */
export function analyze(options: AnalyzeOptions & { registry?: TaskRegistry }): Promise<AnalyzeResult> {
  return analyzeWith(options, {});
}

/**
 * Below this many files a changed tree is not worth a prewarmed worker. On the 8.8k-file
 * benchmark corpus this thread snapshots and reuses for about 0.4 s after the change is seen,
 * longer than a worker takes to start and load the compiler; a tree of a few hundred files
 * gives it a tenth of that.
 */
const PREWARM_MIN_FILES = 2000;

/** What an analysis may take from a longer-lived owner (see createAnalyzer). */
export interface SharedResources {
  /** Worker threads kept across calls; without, each run starts and stops its own. */
  workers?: WorkerPool;
  /** Worker threads when `options.parallel` is not given (default: the number of cores). */
  parallel?: number;
  /** The default registry, kept so the tasks it loaded on this thread stay loaded. */
  registry?: TaskRegistry;
}

export async function analyzeWith(
  options: AnalyzeOptions & { registry?: TaskRegistry },
  shared: SharedResources,
): Promise<AnalyzeResult> {
  const t0 = Date.now();
  const { store } = initStore(options.storeDir);
  // Digests of the indexes an earlier run here hashed, unchanged since: not hashed again.
  loadIndexDigests(store);
  const loaded: ConfigFile | undefined = options.configPath ? loadConfigFile(options.configPath) : undefined;
  const config = options.eslint === undefined ? loaded : { ...loaded, eslint: options.eslint };
  const registry = options.registry ?? shared.registry ?? createDefaultRegistry();
  const pipeline: PipelineName = options.pipeline ?? config?.pipeline ?? 'full';
  const parallel = options.parallel ?? shared.parallel ?? defaultParallelism();
  const warm = prewarmOnChange(shared, store, pipeline, options.registry === undefined && parallel > 1);
  try {
    const snapshot = await createSnapshot(store, path.resolve(options.sourceDir), {
      include: options.include ?? config?.include,
      exclude: [...(config?.exclude ?? []), ...(options.exclude ?? [])],
      gitignore: options.gitignore ?? config?.gitignore ?? true,
      onProgress: options.onProgress ? (p) => options.onProgress!({ type: 'snapshot', ...p }) : undefined,
      onChangedFile: warm.onChangedFile,
    });
    return await analyzeSnapshot(
      store,
      options,
      { ...shared, workers: warm.workers(), parallel },
      registry,
      snapshot,
      {
        pipeline,
        config,
        t0,
      },
    );
  } finally {
    await warm.close();
  }
}

/**
 * A file that differs from what the stat cache holds has likely changed: `onChangedFile` starts
 * a thread loading the task code (the TypeScript compiler, 0.1-0.3 s) and reading the
 * pipeline's memo tables on the other core while this one hashes, plans and reuses. A tree
 * whose files all stat as the cache holds them starts nothing (no thread, no task module); nor
 * does a small one (PREWARM_MIN_FILES). The pool is the caller's, or one of this call's own
 * that `close` stops.
 */
function prewarmOnChange(
  shared: SharedResources,
  store: Store,
  pipeline: PipelineName,
  enabled: boolean,
): { onChangedFile?: (files: number) => void; workers(): WorkerPool | undefined; close(): Promise<void> } {
  let own: WorkerPool | undefined;
  return {
    onChangedFile: enabled
      ? (files) => {
          if (files < PREWARM_MIN_FILES || !isPipelineName(pipeline)) return;
          try {
            own ??= shared.workers ? undefined : createWorkerPool();
            (shared.workers ?? own)!.prewarm([...PIPELINE_CATALOG[pipeline].tasks], {
              storeDir: store.layout.root,
              taskIds: pipelineTaskIds(pipeline),
            });
          } catch {
            // Speed only: a thread that cannot start leaves the work to the run as it was.
          }
        }
      : undefined,
    workers: () => shared.workers ?? own,
    // Not awaited: terminating a thread that loaded the compiler took 15-20 ms of a one-file
    // check before its report was written. The threads are unref'd, so they never hold the
    // process, and they are stopping already.
    close: async () => {
      own?.close().catch(() => {});
    },
  };
}

async function analyzeSnapshot(
  store: Store,
  options: AnalyzeOptions & { registry?: TaskRegistry },
  shared: SharedResources & { parallel: number },
  registry: TaskRegistry,
  snapshot: SnapshotResult,
  { pipeline, config, t0 }: { pipeline: PipelineName; config: ConfigFile | undefined; t0: number },
): Promise<AnalyzeResult> {
  if (options.reuseDoneBatch && options.batchId === undefined && !options.force) {
    const done = await verifyDoneBatch(store, snapshot.record.snapshot_id, pipeline, config, registry);
    if (done) {
      const result = resultOf(store, done, {
        pipeline,
        files: snapshot.record.file_count,
        snapshotId: snapshot.record.snapshot_id,
        t0,
        diagnosticsFrom: options.diagnosticsFrom,
      });
      saveIndexDigests(store);
      return result;
    }
  }
  const batch = openOrInitBatch(store, options, snapshot.record.snapshot_id, pipeline, config, registry);
  const prefetch = createDiagnosticsPrefetch(store, batch.batch_id, options.diagnosticsFrom);
  const summary = await runBatchWithProvenance(
    store,
    {
      batchId: batch.batch_id,
      force: options.force,
      registry,
      shardSlice: options.shardSlice,
      parallel: shared.parallel,
      useDefaultRegistryInWorkers: options.registry === undefined,
      workers: shared.workers,
      likelyChanged: snapshot.unvouched,
      onShard: (r, done, total) => {
        prefetch.add(r);
        if (!options.onProgress || r.outcome === 'busy' || r.outcome === 'blocked') return;
        options.onProgress({
          type: 'shard',
          taskId: r.taskId,
          shardId: r.shardId,
          outcome: r.outcome === 'executed' ? 'executed' : r.outcome === 'failed' ? 'failed' : 'reused',
          done,
          total,
        });
      },
    },
    { enabled: options.provenance !== false },
  );
  const { diagnostics, counts } = batchDiagnostics(
    prefetch.view,
    options.diagnosticsFrom,
    summary.results,
    prefetch.shards,
  );
  let executedFiles = 0;
  let reusedFiles = 0;
  for (const r of summary.results) {
    executedFiles += r.filesExecuted;
    reusedFiles += r.filesReused;
  }
  const c = summary.counts;
  saveIndexDigests(store);
  return {
    storeDir: store.layout.root,
    snapshotId: snapshot.record.snapshot_id,
    batchId: batch.batch_id,
    pipeline,
    files: snapshot.record.file_count,
    shards: {
      total: summary.results.length,
      executed: c.executed,
      reused: c.reused + c.skipped,
      failed: c.failed,
      blocked: c.blocked,
    },
    taskFiles: { executed: executedFiles, reused: reusedFiles },
    diagnostics,
    counts,
    status: c.failed > 0 || c.blocked > 0 || c.busy > 0 ? 'failed' : 'done',
    failures: summary.results
      .filter((r) => r.outcome === 'failed' && r.error)
      .map((r) => ({ taskId: r.taskId, shardId: r.shardId, code: r.error!.code, message: r.error!.message })),
    durationMs: Date.now() - t0,
  };
}

/** A new batch, or (same explicit id, snapshot and pipeline: a re-run slice job) the existing one. */
function openOrInitBatch(
  store: Store,
  options: AnalyzeOptions,
  snapshotId: string,
  pipeline: PipelineName,
  config: ConfigFile | undefined,
  registry: TaskRegistry,
): BatchRecord {
  if (options.batchId !== undefined && batchExists(store, options.batchId)) {
    const existing = readBatchRecord(store, options.batchId);
    if (existing.snapshot_id === snapshotId && existing.pipeline === pipeline) return existing;
  }
  return initBatch(store, {
    snapshotId,
    pipeline,
    config,
    registry,
    id: options.batchId,
    metadata: options.metadata,
  }).batch;
}

export function defaultParallelism(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * `results` are the shard runs of this process over the batch: each index they committed or
 * verified need not be opened again to be counted (see scanDiagnosticsAtLeast).
 */
function batchDiagnostics(
  view: BatchView,
  from: AnalyzeOptions['diagnosticsFrom'],
  results: readonly ShardRunResult[],
  prefetched?: ReadonlyMap<string, ShardDiagnostics>,
): { diagnostics: OutputRecord[]; counts: SeverityCounts } {
  const taskIds = resolveTaskIds(view, undefined);
  // Every diagnostic is at or above `hint`. A shard whose state counts none (every parse,
  // metric and symbol shard) is then not read: in the Action that was 100 MB read and re-stamped
  // for the 4 MB of lint records, 0.17 s of a pull-request run.
  const { records, counts } = scanDiagnosticsAtLeast(view, taskIds, from ?? 'hint', {
    proven: provenIndexes(results),
    prefetched,
  });
  return { diagnostics: records, counts };
}

/**
 * Reads each shard's diagnostics as the run settles it, so that while this thread waits for a
 * worker to execute the changed files it has read the rest (50 ms of a one-file `check` on the
 * 8.8k-file corpus). The report after the run takes a shard from here only while its state is
 * byte for byte the one read (a retried shard is read again).
 */
function createDiagnosticsPrefetch(
  store: Store,
  batchId: string,
  from: AnalyzeOptions['diagnosticsFrom'],
): { view: BatchView; add(r: ShardRunResult): void; shards: Map<string, ShardDiagnostics> } {
  // The report after the run reads through the same view: the batch record and plan once.
  const view = loadBatchView(store, batchId);
  const shards = new Map<string, ShardDiagnostics>();
  return {
    view,
    shards,
    add(r) {
      if (r.outcome !== 'executed' && r.outcome !== 'reused' && r.outcome !== 'skipped') return;
      try {
        const scanned = prefetchShardDiagnostics(view, r.taskId, r.shardId, from ?? 'hint', {
          proven: provenIndexes([r]),
        });
        if (scanned) shards.set(shardDiagnosticsKey(r.taskId, r.shardId), scanned);
      } catch {
        // Ahead of time only: the report reads this shard again and says what is wrong with it.
      }
    },
  };
}

/**
 * The newest batch of this snapshot with the same plan (tasks, configs, shards, shard strategy,
 * chunking) whose every shard is done with the bundle it would have now, or undefined. Checked
 * without writing anything in the batch (only the verdict, run/verified-batches.ts): a batch
 * once done is never changed by being reported again.
 */
async function verifyDoneBatch(
  store: Store,
  snapshotId: string,
  pipeline: PipelineName,
  config: ConfigFile | undefined,
  registry: TaskRegistry,
): Promise<DoneBatch | undefined> {
  const sameTree = listBatches(store, snapshotId).filter((b) => b.pipeline === pipeline);
  if (sameTree.length === 0) return undefined;
  const plan = planBatch(store, { snapshotId, pipeline, config, registry });
  const candidate = sameTree.reverse().find(
    (b) =>
      b.config_digest === plan.configDigest &&
      b.shard_count === plan.shardCount &&
      b.chunking?.threshold === plan.chunkThreshold &&
      // Results do not depend on the layout, but a batch planned by content (before
      // path_hash) is planned once more so that later edits stay within their shards.
      plannedStrategy(store, b.batch_id) === plan.strategy,
  );
  if (!candidate) return undefined;
  const { results, verdict } = await verifyBatch(store, { batchId: candidate.batch_id, registry });
  const allSkipped = results.length > 0 && results.every((r) => r.outcome === 'skipped');
  return allSkipped ? { batchId: candidate.batch_id, results, verdict } : undefined;
}

interface DoneBatch {
  batchId: string;
  results: ShardRunResult[];
  /** The kept verdict the batch was found done by, or that its verification kept. */
  verdict?: VerdictRef;
}

function plannedStrategy(store: Store, batchId: string): string | undefined {
  try {
    return shardingOf(readBatchRecords(store, batchId)).strategy;
  } catch {
    return undefined; // unreadable records: not a batch to reuse
  }
}

function resultOf(
  store: Store,
  done: DoneBatch,
  facts: {
    pipeline: PipelineName;
    files: number;
    snapshotId: string;
    t0: number;
    diagnosticsFrom: AnalyzeOptions['diagnosticsFrom'];
  },
): AnalyzeResult {
  const { diagnostics, counts } = doneBatchDiagnostics(store, done, facts.diagnosticsFrom);
  const reused = done.results.reduce((n, r) => n + r.files, 0);
  return {
    storeDir: store.layout.root,
    snapshotId: facts.snapshotId,
    batchId: done.batchId,
    pipeline: facts.pipeline,
    files: facts.files,
    shards: { total: done.results.length, executed: 0, reused: done.results.length, failed: 0, blocked: 0 },
    taskFiles: { executed: 0, reused },
    diagnostics,
    counts,
    status: 'done',
    failures: [],
    durationMs: Date.now() - facts.t0,
  };
}

/**
 * Version of the report kept with a verdict: another shape of diagnostics or counts in this code
 * must not take one written by an older build of the same engine version.
 */
const KEPT_REPORT_FORMAT = 1;

/**
 * The diagnostics of a done batch. An unchanged `check` is answered from a kept verdict
 * (run/verified-batches.ts); its report is derived from nothing but the states and indexes the
 * verdict vouches for, so the report the first such check made is kept with the verdict and taken
 * back while the verdict holds: on the 8.8k-file corpus, 12.5k lint warnings read from 30
 * indexes, re-stamped and sorted took 90 ms of a 0.45 s check, and one verified object of 1.6 MB
 * about a quarter of it.
 */
function doneBatchDiagnostics(
  store: Store,
  done: DoneBatch,
  from: AnalyzeOptions['diagnosticsFrom'],
): { diagnostics: OutputRecord[]; counts: SeverityCounts } {
  const name = `report/${KEPT_REPORT_FORMAT}/${from ?? 'hint'}`;
  const kept = done.verdict && readVerifiedDerived(store, done.verdict, name);
  const parsed = kept && parseKeptReport(kept);
  if (parsed) return parsed;
  const report = batchDiagnostics(loadBatchView(store, done.batchId), from, done.results);
  if (done.verdict && report.diagnostics.length <= MAX_KEPT_REPORT_DIAGNOSTICS) {
    try {
      recordVerifiedDerived(store, done.verdict, name, Buffer.from(JSON.stringify(report)));
    } catch {
      // Speed only: a report too large to write as one text is derived again next time.
    }
  }
  return report;
}

/**
 * Reports larger than this are not kept: one text of them would near V8's string limit (a 100k
 * file monorepo's warnings run to millions), and reading the indexes costs little beside it.
 */
const MAX_KEPT_REPORT_DIAGNOSTICS = 250_000;

function parseKeptReport(bytes: Buffer): { diagnostics: OutputRecord[]; counts: SeverityCounts } | undefined {
  try {
    const report = JSON.parse(bytes.toString('utf8')) as { diagnostics?: unknown; counts?: unknown };
    const counts = report.counts as Record<string, unknown> | null | undefined;
    const countsOk =
      typeof counts === 'object' && counts !== null && SEVERITIES.every((k) => Number.isInteger(counts[k]));
    return Array.isArray(report.diagnostics) && countsOk
      ? (report as { diagnostics: OutputRecord[]; counts: SeverityCounts })
      : undefined;
  } catch {
    return undefined;
  }
}
