import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { CodebatchError } from '../errors/codebatch-error';
import {
  type BatchRecord,
  batchRecordSchema,
  type PlanRecord,
  planRecordSchema,
  type TaskRecord,
  taskRecordSchema,
} from '../schemas/batch-record';
import { safeParseFast } from '../schemas/compile-acceptor';
import type { Store } from '../store/store';

function readRecord<T>(file: string, schema: z.ZodType<T>, notFound: () => CodebatchError): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw notFound();
  }
  return parseRecord(file, text, schema);
}

function parseRecord<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CodebatchError('E_RECORD_INVALID', `${file} is not valid JSON`, { details: { file } });
  }
  const parsed = safeParseFast(schema, value);
  if (!parsed.success) {
    throw new CodebatchError('E_RECORD_INVALID', `${file} does not match its schema`, {
      details: { file, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return parsed.data;
}

export function batchNotFound(batchId: string): CodebatchError {
  return new CodebatchError('E_BATCH_NOT_FOUND', `batch ${batchId} not found`, {
    hints: ['List batches with `codebatch batch list`.'],
    details: { batch_id: batchId },
  });
}

export function readBatchRecord(store: Store, batchId: string): BatchRecord {
  return readRecord(store.layout.batchFile(batchId), batchRecordSchema, () => batchNotFound(batchId));
}

function parseBatchRecord(store: Store, batchId: string, text: string): BatchRecord {
  return parseRecord(store.layout.batchFile(batchId), text, batchRecordSchema);
}

export function readPlan(store: Store, batchId: string): PlanRecord {
  readBatchRecord(store, batchId);
  return readRecord(store.layout.planFile(batchId), planRecordSchema, () => batchNotFound(batchId));
}

export function readTaskRecord(store: Store, batchId: string, taskId: string): TaskRecord {
  return readRecord(store.layout.taskFile(batchId, taskId), taskRecordSchema, () => {
    return new CodebatchError('E_TASK_NOT_FOUND', `task ${taskId} is not part of batch ${batchId}`, {
      hints: [`List the batch's tasks with \`codebatch tasks --batch ${batchId}\`.`],
      details: { batch_id: batchId, task_id: taskId },
    });
  });
}

/**
 * Complete batches only (batch.json is written last), oldest first. With `snapshotId`, only the
 * batches of that snapshot: a file that does not name it is not parsed (a store keeps a batch per
 * run, and a warm run asks for the few of its own snapshot).
 */
export function listBatches(store: Store, snapshotId?: string): BatchRecord[] {
  const dir = path.join(store.layout.root, 'batches');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: BatchRecord[] = [];
  for (const name of names) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, name, 'batch.json'), 'utf8');
    } catch {
      continue;
    }
    if (snapshotId !== undefined && !text.includes(JSON.stringify(snapshotId))) continue;
    try {
      const record = parseBatchRecord(store, name, text);
      if (snapshotId === undefined || record.snapshot_id === snapshotId) out.push(record);
    } catch {
      // an unreadable batch.json is reported by `verify`, not by listing
    }
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.batch_id.localeCompare(b.batch_id));
}

/** A batch's immutable records (batch.json, plan.json, every task.json), read together once per run. */
export interface BatchRecords {
  batch: BatchRecord;
  plan: PlanRecord;
  tasks: ReadonlyMap<string, TaskRecord>;
}

export function readBatchRecords(store: Store, batchId: string): BatchRecords {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const tasks = new Map<string, TaskRecord>();
  for (const t of plan.tasks) tasks.set(t.task_id, readTaskRecord(store, batchId, t.task_id));
  return { batch, plan, tasks };
}
