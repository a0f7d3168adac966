import { orderTasks } from '../batch/pipelines';
import { readBatchRecord, readPlan, readTaskRecord } from '../batch/read-batch';
import { readShardState } from '../run/shard-state';
import type { BatchRecord, TaskRecord } from '../schemas/batch-record';
import type { SnapshotRecord } from '../schemas/snapshot-record';
import type { ShardState } from '../schemas/state-record';
import { tryReadSnapshotRecord } from '../snapshot/read-snapshot';
import type { Store } from '../store/store';
import { readBatchManifestRef } from './run-manifest';
import { listSessions } from './session';

export interface GraphTask {
  record: TaskRecord;
  depends_on: string[];
  shards: ShardState[];
}

/** What the exports read: records and shard states only (never outputs), in plan and shard order. */
export interface BatchGraph {
  batch: BatchRecord;
  snapshot?: SnapshotRecord;
  tasks: GraphTask[];
  /** The latest session that ran this batch, if any. */
  sessionId?: string;
  batchManifest?: string;
  startedOn?: string;
  finishedOn?: string;
}

export function loadBatchGraph(store: Store, batchId: string): BatchGraph {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const tasks: GraphTask[] = [];
  let startedOn: string | undefined;
  let finishedOn: string | undefined;
  for (const planTask of orderTasks(plan.tasks)) {
    const record = readTaskRecord(store, batchId, planTask.task_id);
    const shards = [...record.sharding.shard_ids]
      .sort()
      .map((s) => readShardState(store, batchId, record.task_id, s, { missingAsReady: true }));
    for (const s of shards) {
      if (s.started_at && (!startedOn || s.started_at < startedOn)) startedOn = s.started_at;
      if (s.completed_at && (!finishedOn || s.completed_at > finishedOn)) finishedOn = s.completed_at;
    }
    tasks.push({ record, depends_on: [...planTask.depends_on], shards });
  }
  const session = listSessions(store, { batchId })[0];
  const batchManifest = readBatchManifestRef(store, batchId);
  return {
    batch,
    ...(tryReadSnapshotRecord(store, batch.snapshot_id)
      ? { snapshot: tryReadSnapshotRecord(store, batch.snapshot_id)! }
      : {}),
    tasks,
    ...(session ? { sessionId: session.session_id } : {}),
    ...(batchManifest ? { batchManifest } : {}),
    ...(startedOn ? { startedOn } : {}),
    ...(finishedOn ? { finishedOn } : {}),
  };
}

export function hexOf(ref: string): string {
  return ref.startsWith('sha256:') ? ref.slice(7) : ref;
}
