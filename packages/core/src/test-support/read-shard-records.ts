import fs from 'node:fs';
import path from 'node:path';
import { readShardState } from '../batch/shard-state';
import type { OutputRecord } from '../schemas/output-record';
import { parseJsonl } from '../store/jsonl';
import { readStoredOutputs, restampStoredOutputs } from '../store/shard-outputs';
import type { Store } from '../store/store';

/**
 * A shard's records as readers get them (a reused shard's are the object its state references,
 * re-stamped with its ids); [] when the shard has no state or no index. Tests read records
 * through this instead of opening outputs.index.jsonl, which is a stub for a reused shard.
 */
export function readShardRecords(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
): OutputRecord[] {
  if (!fs.existsSync(store.layout.stateFile(batchId, taskId, shardId))) {
    const file = store.layout.outputsFile(batchId, taskId, shardId);
    return fs.existsSync(file) ? parseJsonl<OutputRecord>(fs.readFileSync(file, 'utf8')).records : [];
  }
  const state = readShardState(store, batchId, taskId, shardId);
  const read = readStoredOutputs(store, { batch_id: batchId, task_id: taskId, shard_id: shardId }, state);
  if (!read) return [];
  return parseJsonl<OutputRecord>(restampStoredOutputs(read, state).toString('utf8')).records;
}

/** Every record of every shard of a batch, task by task and shard by shard in id order. */
export function readAllShardRecords(store: Store, batchId: string): OutputRecord[] {
  const out: OutputRecord[] = [];
  const tasksDir = path.join(store.layout.batchDir(batchId), 'tasks');
  for (const task of fs.readdirSync(tasksDir).sort()) {
    for (const shard of fs.readdirSync(store.layout.shardsDir(batchId, task)).sort()) {
      out.push(...readShardRecords(store, batchId, task, shard));
    }
  }
  return out;
}
