import { readBatchRecord, readPlan, readTaskRecord } from '../batch/read-batch';
import type { TaskRecord } from '../schemas/batch-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { readFilesIndex, readSnapshotRecord } from '../snapshot/read-snapshot';
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
    snapshot: snapshotView(store, batch.snapshot_id),
    environments: new Map(),
    chunking: {
      threshold: batch.chunking?.threshold ?? DEFAULT_CHUNK_THRESHOLD,
      chunkSize: batch.chunking?.chunk_size ?? DEFAULT_CHUNK_SIZE,
    },
  };
}

/** The snapshot as tasks see it; the record and files index are read on first use only. */
function snapshotView(store: Store, snapshotId: string): BatchRunContext['snapshot'] {
  let record: ReturnType<typeof readSnapshotRecord> | undefined;
  let files: FilesIndexRecord[] | undefined;
  const getRecord = () => {
    record ??= readSnapshotRecord(store, snapshotId);
    return record;
  };
  return {
    get root() {
      return getRecord().source.path;
    },
    get digest() {
      return (getRecord().files_index_digest ?? `sha256:${snapshotId}`).replace(/^sha256:/, '');
    },
    files() {
      files ??= readFilesIndex(store, snapshotId);
      return files;
    },
    read: (object) => store.objects.readObject(object),
  };
}
