import { readBatchRecord, readPlan, readTaskRecord } from '../batch/read-batch';
import type { TaskRecord } from '../schemas/batch-record';
import { openSnapshotView } from '../snapshot/snapshot-view';
import { DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_THRESHOLD } from '../store/chunking';
import type { Store } from '../store/store';
import type { TaskRegistry } from '../tasks/task-registry';
import { FileMemo } from './file-memo';
import type { BatchRunContext } from './run-shard-chain';

/** Loads what every shard chain of a batch needs; cheap, so each worker loads its own. */
export function loadBatchRunContext(
  store: Store,
  batchId: string,
  registry: TaskRegistry,
  force: boolean,
): BatchRunContext {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const tasks = new Map<string, TaskRecord>();
  for (const t of plan.tasks) tasks.set(t.task_id, readTaskRecord(store, batchId, t.task_id));
  return {
    store,
    registry,
    batch,
    plan,
    tasks,
    force,
    memos: new Map(plan.tasks.map((t) => [t.task_id, new FileMemo(store, t.task_id)])),
    snapshot: openSnapshotView(store, batch.snapshot_id),
    environments: new Map(),
    chunking: {
      threshold: batch.chunking?.threshold ?? DEFAULT_CHUNK_THRESHOLD,
      chunkSize: batch.chunking?.chunk_size ?? DEFAULT_CHUNK_SIZE,
    },
  };
}
