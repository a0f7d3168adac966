import fs from 'node:fs';
import path from 'node:path';
import { readBatchRecord, readPlan } from '../batch/read-batch';
import { CodebatchError } from '../errors/codebatch-error';
import type { BatchRecord } from '../schemas/batch-record';
import type { Store } from '../store/store';

/** What every query needs to know about a batch before it reads any output. */
export interface BatchView {
  store: Store;
  batchId: string;
  batch: BatchRecord;
  /** Task ids in plan order (the order a human reads a pipeline in). */
  taskIds: string[];
}

/**
 * Opens a batch for reading. A missing batch is an input error (E_BATCH_NOT_FOUND, exit 2),
 * never an empty result: the reference printed `[]` for a typo'd batch id and exited 0.
 */
export function loadBatchView(store: Store, batchId: string): BatchView {
  const batch = readBatchRecord(store, batchId);
  return { store, batchId, batch, taskIds: readTaskIds(store, batchId) };
}

/**
 * Task ids come from plan.json (the contract of what the batch runs). A batch written without a
 * plan still answers from whatever task directories exist, sorted, so old stores stay readable.
 */
function readTaskIds(store: Store, batchId: string): string[] {
  if (fs.existsSync(store.layout.planFile(batchId)))
    return readPlan(store, batchId).tasks.map((t) => t.task_id);
  const tasksDir = path.join(store.layout.batchDir(batchId), 'tasks');
  try {
    return fs
      .readdirSync(tasksDir)
      .filter((name) => /^[a-zA-Z0-9_-]{1,128}$/.test(name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Validates a --task value against the batch's plan; undefined means every task. An unknown
 * task is E_TASK_NOT_FOUND rather than an empty answer, for the same reason as missing batches.
 */
export function resolveTaskIds(view: BatchView, taskId: string | undefined): string[] {
  if (taskId === undefined) return view.taskIds;
  if (!view.taskIds.includes(taskId)) {
    throw new CodebatchError(
      'E_TASK_NOT_FOUND',
      `task ${JSON.stringify(taskId)} is not part of batch ${view.batchId}`,
      {
        hints: [
          view.taskIds.length > 0
            ? `Tasks of this batch: ${view.taskIds.join(', ')}.`
            : 'This batch has no tasks; check its plan.json.',
        ],
        details: { batch_id: view.batchId, task_id: taskId, tasks: view.taskIds },
      },
    );
  }
  return [taskId];
}
