import { orderTasks } from '../batch/pipelines';
import { type BatchRecords, readBatchRecords } from '../batch/read-batch';
import { readShardState } from '../batch/shard-state';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { readFilesIndex } from '../snapshot/read-snapshot';
import { storedOutputsFile } from '../store/shard-outputs';
import type { Store } from '../store/store';
import type { TaskRegistry } from '../tasks/task-registry';
import { sha256OfCanonical } from '../util/hash';
import { BUNDLE_SALT, ENGINE_VERSION, runtimeMajor } from '../version';
import { type BatchRunContext, loadBatchRunContext } from './batch-context';
import { createInProcessExecutor } from './chain-executors';
import { partitionByShard, selectShards, shardingOf } from './select-shards';
import type { ShardRunResult } from './shard-outcome';
import { taskEnvironment, withShardInputs } from './task-environment';
import { lookupVerifiedBatch, recordVerifiedBatch, type VerdictRef } from './verified-batches';

/**
 * Checks that every shard of a done batch is done with the input bundle it would have now (same
 * files, config and task environment), in this thread. Nothing in the batch is reused, executed
 * or written, not even events; a shard that is not done so is reported `deferred`.
 *
 * A verification that found every shard skipped is kept (verified-batches.ts) under a key of
 * what the bundles are computed from besides the store's own files: the batch and its snapshot
 * (their records fix members, task versions and configs), each task's environment (tool
 * versions, config files, lockfiles) and, for a task that declares them, each shard's inputs
 * beyond its files (type-aware ESLint's type closures, which read files outside the snapshot),
 * all computed again here as a run computes them, and the engine. A shard's upstream result
 * digests are in the states whose fingerprints the verdict holds.
 */
export async function verifyBatch(
  store: Store,
  options: { batchId: string; registry: TaskRegistry },
  given?: BatchRecords,
): Promise<{ results: ShardRunResult[]; verdict?: VerdictRef }> {
  // Before anything is read: a file changed within the racy window of this moment is not vouched for.
  const markMs = Date.now();
  const records = given ?? readBatchRecords(store, options.batchId);
  const { batch, plan } = records;
  const taskIds = orderTasks(plan.tasks).map((t) => t.task_id);
  const shardIds = selectShards(store, records, { batchId: options.batchId }, taskIds);
  const ctx: BatchRunContext = {
    ...loadBatchRunContext(store, records, options.registry, { force: false, manifests: false }),
    canExecute: false,
    skipOnly: true,
  };
  let partitioned: Map<string, FilesIndexRecord[]> | undefined;
  const members = () => {
    partitioned ??= partitionByShard(readFilesIndex(store, batch.snapshot_id), shardingOf(records));
    return partitioned;
  };
  const key = await verdictKey(ctx, taskIds, shardIds, members);
  const known = lookupVerifiedBatch(store, key, batch.batch_id);
  if (known) return known;

  const executor = createInProcessExecutor(ctx);
  const results: ShardRunResult[] = [];
  for (const shardId of shardIds)
    results.push(...(await executor.run(shardId, members().get(shardId) ?? [], taskIds)));
  if (results.length > 0 && results.every((r) => r.outcome === 'skipped')) {
    const verdict = recordVerifiedBatch(store, {
      key,
      batchId: batch.batch_id,
      markMs,
      files: filesRead(store, records, taskIds, shardIds),
      results,
    });
    return { results, verdict };
  }
  return { results };
}

async function verdictKey(
  ctx: BatchRunContext,
  taskIds: readonly string[],
  shardIds: readonly string[],
  members: () => Map<string, FilesIndexRecord[]>,
): Promise<string> {
  const tasks = await Promise.all(
    taskIds.map(async (id) => {
      const task = ctx.tasks.get(id)!;
      const def = ctx.registry.get(task.type);
      const environment = await taskEnvironment(ctx, task);
      return {
        task_id: id,
        type: task.type,
        implementation: def.version,
        environment: environment ?? null,
        // Per shard, what settleTask adds to the environment in the shard's bundle.
        shard_inputs:
          def.shardInputs && environment
            ? shardIds.map((s) => withShardInputs(ctx, task, members().get(s) ?? [], environment) ?? null)
            : null,
      };
    }),
  );
  return sha256OfCanonical({
    salt: BUNDLE_SALT,
    engine_version: ENGINE_VERSION,
    runtime: runtimeMajor(),
    batch_id: ctx.batch.batch_id,
    snapshot_id: ctx.batch.snapshot_id,
    shard_ids: shardIds,
    tasks,
  });
}

/** What a verification read: the batch's and its snapshot's records, each shard's state and stored index. */
function filesRead(
  store: Store,
  records: BatchRecords,
  taskIds: readonly string[],
  shardIds: readonly string[],
): string[] {
  const { layout } = store;
  const batchId = records.batch.batch_id;
  const snapshotId = records.batch.snapshot_id;
  const files = [
    layout.snapshotFile(snapshotId),
    layout.filesIndexFile(snapshotId),
    layout.batchFile(batchId),
    layout.planFile(batchId),
  ];
  for (const taskId of taskIds) {
    files.push(layout.taskFile(batchId, taskId));
    for (const shardId of shardIds) {
      files.push(layout.stateFile(batchId, taskId, shardId));
      const state = readShardState(store, batchId, taskId, shardId, { missingAsReady: true });
      const index = storedOutputsFile(
        store,
        { batch_id: batchId, task_id: taskId, shard_id: shardId },
        state,
      );
      if (index !== undefined) files.push(index);
    }
  }
  return files;
}
