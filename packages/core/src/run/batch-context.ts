import type { BatchRecords } from '../batch/read-batch';
import type { BatchRecord, PlanRecord, TaskRecord } from '../schemas/batch-record';
import { openSnapshotView, type SnapshotView } from '../snapshot/snapshot-view';
import { type ChunkingOptions, DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_THRESHOLD } from '../store/chunking';
import type { Store } from '../store/store';
import type { TaskRegistry } from '../tasks/task-registry';
import { FileMemo } from './file-memo';

/**
 * What every shard chain of one run pass shares. Set once per pass and never changed by a
 * chain: what belongs to one chain (events, its lock, upstream outputs) is its ChainScope.
 */
export interface BatchRunContext {
  readonly store: Store;
  readonly registry: TaskRegistry;
  readonly batch: BatchRecord;
  readonly plan: PlanRecord;
  readonly tasks: ReadonlyMap<string, TaskRecord>;
  readonly force: boolean;
  readonly chunking: ChunkingOptions;
  /** Write a run manifest per shard run (`--no-provenance` turns it off). */
  readonly manifests: boolean;
  /** false in the settle-only pass: skip and reuse, but defer anything that must execute. */
  readonly canExecute: boolean;
  /**
   * Only confirm that done shards still match their inputs (skip); defer everything else and
   * write nothing: a done batch is checked, never changed (see verify-batch.ts).
   */
  readonly skipOnly: boolean;
  /** Per-file memo per task id (see file-memo.ts); shared by the chains of this process. */
  readonly memos: ReadonlyMap<string, FileMemo>;
  /** The batch's snapshot, for tasks that look beyond their shard. */
  readonly snapshot: SnapshotView;
  /** Each task's `environment` (see TaskDefinition), computed once per process. */
  readonly environments: Map<string, Promise<Record<string, unknown> | undefined>>;
}

/** Loads what every shard chain of a batch needs; cheap, so each worker loads its own. */
export function loadBatchRunContext(
  store: Store,
  records: BatchRecords,
  registry: TaskRegistry,
  options: {
    force: boolean;
    manifests: boolean;
    /** Memos read ahead of this run (a prewarmed worker's), used where still current. */
    memos?: ReadonlyMap<string, FileMemo>;
  },
): BatchRunContext {
  const { batch, plan, tasks } = records;
  return {
    store,
    registry,
    batch,
    plan,
    tasks,
    force: options.force,
    manifests: options.manifests,
    canExecute: true,
    skipOnly: false,
    memos: new Map(
      plan.tasks.map((t) => {
        const ahead = options.memos?.get(t.task_id);
        return [t.task_id, ahead?.isCurrent() ? ahead : new FileMemo(store, t.task_id)];
      }),
    ),
    snapshot: openSnapshotView(store, batch.snapshot_id),
    environments: new Map(),
    chunking: {
      threshold: batch.chunking?.threshold ?? DEFAULT_CHUNK_THRESHOLD,
      chunkSize: batch.chunking?.chunk_size ?? DEFAULT_CHUNK_SIZE,
    },
  };
}
