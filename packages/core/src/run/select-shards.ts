import { orderTasks } from '../batch/pipelines';
import type { BatchRecords } from '../batch/read-batch';
import { PLANNED_SHARD_STRATEGY, type RecordedSharding, shardOf } from '../batch/shard-assignment';
import { readShardState } from '../batch/shard-state';
import { CodebatchError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { assertValidShardId } from '../store/layout';
import type { Store } from '../store/store';

/** What a run may narrow its shards to (see RunBatchOptions). */
export interface ShardSelection {
  batchId: string;
  shardIds?: string[];
  shardSlice?: { index: number; total: number };
  maxShards?: number;
}

/**
 * The shards a run takes, in order: the batch's shards, narrowed by --shard, the matrix slice
 * and the run budget. `selected`: the task ids the run settles (the budget counts a shard
 * when any of them is not done).
 */
export function selectShards(
  store: Store,
  records: BatchRecords,
  options: ShardSelection,
  selected: readonly string[],
): string[] {
  const { batch, plan, tasks } = records;
  const first = orderTasks(plan.tasks)[0]?.task_id;
  let shardIds = [...((first !== undefined ? tasks.get(first) : undefined)?.sharding.shard_ids ?? [])];
  if (options.shardIds && options.shardIds.length > 0) {
    for (const s of options.shardIds) {
      assertValidShardId(s);
      if (!shardIds.includes(s)) {
        throw new CodebatchError(
          'E_SHARD_NOT_FOUND',
          `shard ${s} holds no files in batch ${options.batchId}`,
          {
            hints: [`List shards with \`codebatch shards --batch ${options.batchId}\`.`],
          },
        );
      }
    }
    shardIds = shardIds.filter((s) => options.shardIds!.includes(s));
  }
  if (options.shardSlice) {
    const { index, total } = options.shardSlice;
    shardIds = shardIds.filter((_, i) => i % total === index);
  }
  if (options.maxShards !== undefined) {
    // Done shards cost nothing to settle, so the budget counts only shards with work left.
    const open = shardIds.filter((s) =>
      selected.some(
        (t) => readShardState(store, batch.batch_id, t, s, { missingAsReady: true }).status !== 'done',
      ),
    );
    shardIds = open.slice(0, options.maxShards);
  }
  return shardIds;
}

/**
 * The sharding the batch was planned with, as its tasks record it (every task of a batch
 * shares it; older batches record the count only there).
 */
export function shardingOf(records: BatchRecords): RecordedSharding {
  const task = records.tasks.values().next().value;
  return {
    // A batch without tasks runs nothing: any strategy partitions it the same.
    strategy: task?.sharding.strategy ?? PLANNED_SHARD_STRATEGY,
    shard_count: records.batch.shard_count ?? task?.sharding.shard_count ?? 256,
    ...(task ? { shard_ids: task.sharding.shard_ids } : {}),
  };
}

/**
 * Partitions a snapshot's files by shard in one pass (the reference re-read it per shard),
 * under the batch's recorded sharding: a batch planned by content keeps running by content.
 */
export function partitionByShard(
  files: readonly FilesIndexRecord[],
  sharding: RecordedSharding,
): Map<string, FilesIndexRecord[]> {
  const byShard = new Map<string, FilesIndexRecord[]>();
  for (const f of files) {
    const shard = shardOf(sharding, f);
    const list = byShard.get(shard);
    if (list) list.push(f);
    else byShard.set(shard, [f]);
  }
  return byShard;
}
