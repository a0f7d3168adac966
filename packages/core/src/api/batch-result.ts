import { readBatchRecord, readTaskRecord } from '../batch/read-batch';
import { readShardState } from '../batch/shard-state';
import { deriveBatchStatus } from '../batch/status';
import { queryDiagnostics } from '../query/query-diagnostics';
import { readSnapshotRecord } from '../snapshot/read-snapshot';
import type { Store } from '../store/store';
import type { AnalyzeResult, PipelineName, SeverityCounts } from './types';

/**
 * The `analyze` result of a batch already in the store, read from its records alone (the
 * merge job of a matrix reports a batch that other jobs ran). Shard and file counts come from
 * each shard's state.json: `reused` counts shards done through reuse, and file counts use the
 * runner's `files_executed`/`files_reused` stats when present (all files of a reused shard
 * count as reused). `durationMs` is the time spent reading.
 */
export function readBatchResult(store: Store, batchId: string): AnalyzeResult {
  const t0 = Date.now();
  const batch = readBatchRecord(store, batchId);
  const snapshot = readSnapshotRecord(store, batch.snapshot_id);
  const status = deriveBatchStatus(store, batchId);
  const shards = { total: 0, executed: 0, reused: 0, failed: 0, blocked: 0 };
  const taskFiles = { executed: 0, reused: 0 };
  const failures: AnalyzeResult['failures'] = [];
  for (const task of status.tasks) {
    shards.total += task.shards.total;
    shards.failed += task.shards.failed;
    if (task.status === 'blocked')
      shards.blocked += task.shards.total - task.shards.done - task.shards.failed;
  }
  for (const task of status.tasks) {
    const shardIds = readTaskShardIds(store, batchId, task.task_id);
    for (const shardId of shardIds) {
      let state: ReturnType<typeof readShardState>;
      try {
        state = readShardState(store, batchId, task.task_id, shardId, { missingAsReady: true });
      } catch {
        continue;
      }
      if (state.status === 'failed' && state.error)
        failures.push({
          taskId: task.task_id,
          shardId,
          code: state.error.code,
          message: state.error.message,
        });
      if (state.status !== 'done') continue;
      const stats = (state.stats ?? {}) as Record<string, unknown>;
      const files = num(stats.files_processed);
      if (state.reused_from) {
        shards.reused += 1;
        taskFiles.reused += files;
        continue;
      }
      shards.executed += 1;
      if (typeof stats.files_executed === 'number') {
        taskFiles.executed += num(stats.files_executed);
        taskFiles.reused += num(stats.files_reused);
      } else taskFiles.executed += files;
    }
  }
  const diagnostics = queryDiagnostics(store, batchId).records;
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) if (d.severity) counts[d.severity] += 1;
  return {
    storeDir: store.layout.root,
    snapshotId: batch.snapshot_id,
    batchId,
    pipeline: batch.pipeline as PipelineName,
    files: snapshot.file_count,
    shards,
    taskFiles,
    diagnostics,
    counts,
    status: status.status === 'done' ? 'done' : 'failed',
    failures,
    durationMs: Date.now() - t0,
  };
}

function readTaskShardIds(store: Store, batchId: string, taskId: string): string[] {
  try {
    return readTaskRecord(store, batchId, taskId).sharding.shard_ids;
  } catch {
    return [];
  }
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
