import fs from 'node:fs';
import { isFileFunction, shardOf } from '../batch/shard-assignment';
import { taskRecordSchema } from '../schemas/batch-record';
import type { OutputRecord } from '../schemas/output-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { Store } from '../store/store';
import { type FactOptions, loadDiagnostics } from './batch-facts';
import { type BatchView, loadBatchView, resolveTaskIds } from './batch-view';
import { readFilesByPath } from './files-index';
import { definedFields } from './query-outputs';
import { listShards } from './shard-scan';

export interface FailedShard {
  task_id: string;
  shard_id: string;
  attempt: number;
  error: { code: string; message: string } | null;
  /** Files assigned to the shard, when the task's sharding makes that derivable; else null. */
  files: string[] | null;
}

export interface ErrorsResult {
  batch_id: string;
  filters: Record<string, string | number>;
  /** Every path named by an error diagnostic or belonging to a failed shard, sorted. */
  files: string[];
  /** kind=diagnostic, severity=error, in canonical order. */
  diagnostics: OutputRecord[];
  failed_shards: FailedShard[];
}

/**
 * SPEC 12 question 3: which files failed a task. Two distinct failures: the task ran and
 * reported an error diagnostic, or the shard itself failed (its state.json carries the error;
 * events.jsonl is not consulted).
 */
export function queryErrors(
  store: Store,
  batchId: string,
  options: { task?: string } & FactOptions = {},
): ErrorsResult {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const diagnostics = loadDiagnostics(view, taskIds, { ...options, severity: 'error' });
  const failedShards = listFailedShards(view, taskIds);
  const files = new Set(diagnostics.map((r) => r.path));
  for (const s of failedShards) for (const f of s.files ?? []) files.add(f);
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task }),
    files: [...files].sort(),
    diagnostics,
    failed_shards: failedShards,
  };
}

function listFailedShards(view: BatchView, taskIds: readonly string[]): FailedShard[] {
  const out: FailedShard[] = [];
  let files: FilesIndexRecord[] | undefined;
  for (const taskId of taskIds) {
    const failed = listShards(view, taskId).filter((e) => e.status === 'failed');
    if (failed.length === 0) continue;
    files ??= [...readFilesByPath(view.store, view.batch.snapshot_id).values()];
    const assign = shardAssigner(view, taskId);
    for (const entry of failed) {
      const error = entry.state?.error;
      out.push({
        task_id: taskId,
        shard_id: entry.shardId,
        attempt: entry.state?.attempt ?? 1,
        error: error ? { code: error.code, message: error.message } : null,
        files: assign ? files.filter((f) => assign(f) === entry.shardId).map((f) => f.path) : null,
      });
    }
  }
  return out;
}

/**
 * Maps a file to its shard using the task's recorded sharding (task.json), so the answer
 * follows the batch as it was planned (by path, or by content in batches planned before
 * path_hash). Where the recorded sharding is not a function of the file (round_robin), the
 * files of a shard are not knowable from the indexes, and we say so (null) rather than guess.
 */
function shardAssigner(
  view: BatchView,
  taskId: string,
): ((f: FilesIndexRecord) => string | undefined) | undefined {
  let task: ReturnType<typeof taskRecordSchema.parse>;
  try {
    task = taskRecordSchema.parse(
      JSON.parse(fs.readFileSync(view.store.layout.taskFile(view.batchId, taskId), 'utf8')),
    );
  } catch {
    return undefined;
  }
  const { sharding } = task;
  if (!isFileFunction(sharding)) return undefined;
  return (f) => {
    try {
      return shardOf(sharding, f);
    } catch {
      return undefined; // a damaged object reference: in no shard we can name
    }
  };
}
