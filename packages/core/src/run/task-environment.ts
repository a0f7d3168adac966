import type { TaskRecord } from '../schemas/batch-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { BatchRunContext } from './batch-context';

/**
 * A task's environment, once per process and task id. A task that cannot compute it (its tool
 * is not installed) fails when it executes, with the task's own error, not here.
 */
export function taskEnvironment(
  ctx: BatchRunContext,
  task: TaskRecord,
): Promise<Record<string, unknown> | undefined> {
  let env = ctx.environments.get(task.task_id);
  if (!env) {
    const def = ctx.registry.get(task.type);
    env = def.environment
      ? def.environment({
          snapshot: ctx.snapshot,
          cacheDir: ctx.store.layout.indexesDir,
          config: task.config,
        })
      : Promise.resolve(undefined);
    ctx.environments.set(task.task_id, env);
  }
  return env;
}

/** The environment plus what the task says this shard's files depend on beyond themselves. */
export function withShardInputs(
  ctx: BatchRunContext,
  task: TaskRecord,
  members: readonly FilesIndexRecord[],
  environment: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const def = ctx.registry.get(task.type);
  if (!environment || !def.shardInputs) return environment;
  const shard = def.shardInputs({
    snapshot: ctx.snapshot,
    cacheDir: ctx.store.layout.indexesDir,
    config: task.config,
    members,
    environment,
  });
  return shard === undefined ? environment : { ...environment, shard };
}
