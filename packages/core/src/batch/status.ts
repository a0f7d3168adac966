import fs from 'node:fs';
import type { Store } from '../store/store';
import { orderTasks } from './pipelines';
import { readBatchRecord, readPlan, readTaskRecord } from './read-batch';
import { isShardLocked } from './shard-lock';
import { readShardState } from './shard-state';

export type DerivedStatus = 'pending' | 'running' | 'partial' | 'done' | 'failed' | 'blocked';

export interface ShardCounts {
  total: number;
  ready: number;
  running: number;
  /** `running` in state.json but nobody holds the shard: a crashed run, retried on resume. */
  interrupted: number;
  done: number;
  failed: number;
  /** Done shards whose outputs came from an identical bundle instead of an execution. */
  reused: number;
}

/** (task, file) work of the committed shard runs: executed now versus taken from the memo. */
export interface FileCounts {
  executed: number;
  reused: number;
}

export interface TaskStatusReport {
  task_id: string;
  type: string;
  depends_on: string[];
  status: DerivedStatus;
  shards: ShardCounts;
  files: FileCounts;
  outputs: number;
}

export interface BatchStatusReport {
  batch_id: string;
  snapshot_id: string;
  pipeline: string;
  status: DerivedStatus;
  tasks: TaskStatusReport[];
}

/**
 * Batch and task status are derived from shard states, never stored, so they cannot drift
 * and they do reach `done` (the reference never marks them done). A task whose dependency
 * failed is `blocked`, not silently skipped and counted as complete.
 */
export function deriveBatchStatus(store: Store, batchId: string): BatchStatusReport {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const byId = new Map<string, TaskStatusReport>();
  for (const planTask of orderTasks(plan.tasks)) {
    const task = readTaskRecord(store, batchId, planTask.task_id);
    const counts: ShardCounts = {
      total: task.sharding.shard_ids.length,
      ready: 0,
      running: 0,
      interrupted: 0,
      done: 0,
      failed: 0,
      reused: 0,
    };
    let outputs = 0;
    const files: FileCounts = { executed: 0, reused: 0 };
    for (const shardId of task.sharding.shard_ids) {
      const state = readShardState(store, batchId, task.task_id, shardId, { missingAsReady: true });
      if (state.status === 'running') {
        if (isShardLocked(store.layout.shardDir(batchId, plan.tasks[0]!.task_id, shardId)))
          counts.running += 1;
        else counts.interrupted += 1;
      } else counts[state.status] += 1;
      if (state.status === 'done') {
        outputs += state.stats?.outputs_written ?? 0;
        const processed = state.stats?.files_processed ?? 0;
        if (state.reused_from) {
          counts.reused += 1;
          files.reused += (state.stats?.files_reused as number | undefined) ?? processed;
        } else {
          const executed = (state.stats?.files_executed as number | undefined) ?? processed;
          files.executed += executed;
          files.reused += processed - executed;
        }
      }
    }
    const depStatuses = planTask.depends_on.map((d) => byId.get(d)?.status);
    let status: DerivedStatus;
    if (counts.done === counts.total) status = 'done';
    else if (counts.failed > 0) status = 'failed';
    else if (depStatuses.some((s) => s === 'failed' || s === 'blocked')) status = 'blocked';
    else if (counts.running > 0) status = 'running';
    else if (counts.done > 0 || counts.interrupted > 0) status = 'partial';
    else status = 'pending';
    byId.set(task.task_id, {
      task_id: task.task_id,
      type: task.type,
      depends_on: planTask.depends_on,
      status,
      shards: counts,
      files,
      outputs,
    });
  }
  const tasks = [...byId.values()];
  const all = (s: DerivedStatus) => tasks.every((t) => t.status === s);
  const any = (s: DerivedStatus) => tasks.some((t) => t.status === s);
  let status: DerivedStatus;
  if (all('done')) status = 'done';
  else if (any('failed')) status = 'failed';
  else if (any('blocked')) status = 'blocked';
  else if (any('running')) status = 'running';
  else if (any('done') || any('partial')) status = 'partial';
  else status = 'pending';
  return { batch_id: batchId, snapshot_id: batch.snapshot_id, pipeline: batch.pipeline, status, tasks };
}

export function batchExists(store: Store, batchId: string): boolean {
  return fs.existsSync(store.layout.batchFile(batchId));
}
