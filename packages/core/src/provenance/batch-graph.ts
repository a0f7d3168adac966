import { orderTasks } from '../batch/pipelines';
import { readBatchRecord, readPlan, readTaskRecord } from '../batch/read-batch';
import { readShardState } from '../batch/shard-state';
import { readManifest } from '../run/shard-manifest';
import type { BatchRecord, TaskRecord } from '../schemas/batch-record';
import type { ShardRunManifest } from '../schemas/run-manifest';
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

/** What the exports read: records, shard states and run manifests (never outputs), in plan and shard order. */
export interface BatchGraph {
  batch: BatchRecord;
  snapshot?: SnapshotRecord;
  tasks: GraphTask[];
  /** The latest session that ran this batch, if any. */
  sessionId?: string;
  batchManifest?: string;
  startedOn?: string;
  finishedOn?: string;
  /**
   * Readable shard run manifests by ref: those of the shards' current runs, those of the upstream
   * runs they read (a superseded attempt after a forced re-run of the upstream, followed
   * transitively) and those of reuse sources. A ref missing here was never recorded, or its
   * object is gone (gc) or damaged.
   */
  manifests: Map<string, ShardRunManifest>;
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
  const manifests = loadManifests(
    store,
    tasks.flatMap((t) => t.shards.flatMap((s) => (s.manifest ? [s.manifest] : []))),
  );
  const session = listSessions(store, { batchId })[0];
  const batchManifest = readBatchManifestRef(store, batchId);
  return {
    batch,
    ...(tryReadSnapshotRecord(store, batch.snapshot_id)
      ? { snapshot: tryReadSnapshotRecord(store, batch.snapshot_id)! }
      : {}),
    tasks,
    manifests,
    ...(session ? { sessionId: session.session_id } : {}),
    ...(batchManifest ? { batchManifest } : {}),
    ...(startedOn ? { startedOn } : {}),
    ...(finishedOn ? { finishedOn } : {}),
  };
}

export function hexOf(ref: string): string {
  return ref.startsWith('sha256:') ? ref.slice(7) : ref;
}

/** The manifests of `refs` and of the upstream runs and reuse sources they name, transitively. */
function loadManifests(store: Store, refs: string[]): Map<string, ShardRunManifest> {
  const found = new Map<string, ShardRunManifest>();
  const seen = new Set<string>();
  const queue = [...refs];
  while (queue.length > 0) {
    const ref = queue.shift()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    let m: ShardRunManifest;
    try {
      const read = readManifest(store, ref);
      if (read.kind !== 'shard_run') continue;
      m = read;
    } catch {
      continue; // gone or damaged: the export falls back to the shard states
    }
    found.set(ref, m);
    for (const u of m.inputs.upstream) if (u.manifest) queue.push(u.manifest);
    if (m.run.reused_from?.manifest) queue.push(m.run.reused_from.manifest);
  }
  return found;
}
