import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';
import { type BatchRecord, batchRecordSchema, planRecordSchema } from '../schemas/batch-record';
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
  const file = store.layout.batchFile(batchId);
  const batch = readRecord(file, (value) => batchRecordSchema.safeParse(value), {
    missing: () =>
      new CodebatchError(
        'E_BATCH_NOT_FOUND',
        `batch ${JSON.stringify(batchId)} does not exist in ${store.layout.root}`,
        {
          hints: ['List batches with `codebatch batch list`, or check --store.'],
          details: { batch_id: batchId, store: store.layout.root },
        },
      ),
  });
  return { store, batchId, batch, taskIds: readTaskIds(store, batchId) };
}

/**
 * Task ids come from plan.json (the contract of what the batch runs). A batch written without a
 * plan still answers from whatever task directories exist, sorted, so old stores stay readable.
 */
function readTaskIds(store: Store, batchId: string): string[] {
  const planFile = store.layout.planFile(batchId);
  if (fs.existsSync(planFile)) {
    const plan = readRecord(planFile, (value) => planRecordSchema.safeParse(value), {});
    return plan.tasks.map((t) => t.task_id);
  }
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

type SafeParse<T> = (
  value: unknown,
) => { success: true; data: T } | { success: false; error: { issues: unknown[] } };

function readRecord<T>(file: string, parse: SafeParse<T>, options: { missing?: () => CodebatchError }): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if ((errno === 'ENOENT' || errno === 'ENOTDIR') && options.missing) throw options.missing();
    throw toCodebatchError(error, `reading ${file}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CodebatchError('E_RECORD_INVALID', `${file} is not valid JSON`, {
      hints: ['The record was damaged; run `codebatch verify`.'],
      details: { file },
    });
  }
  const result = parse(value);
  if (!result.success) {
    throw new CodebatchError('E_RECORD_INVALID', `${file} does not match its schema`, {
      details: { file, issues: result.error.issues.map((i) => formatIssue(i)) },
    });
  }
  return result.data;
}

function formatIssue(issue: unknown): string {
  const i = issue as { path?: PropertyKey[]; message?: string };
  return `${(i.path ?? []).map(String).join('.') || '(root)'}: ${i.message ?? 'invalid'}`;
}

/** Ids of the complete batches of a store (batch.json is written last), sorted. */
export function listBatchIds(store: Store): string[] {
  const dir = path.join(store.layout.root, 'batches');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^[a-zA-Z0-9_-]{1,128}$/.test(n) && fs.existsSync(path.join(dir, n, 'batch.json')))
    .sort();
}
