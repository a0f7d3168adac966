import type { TaskRecord } from '../schemas/batch-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { sha256OfCanonical } from '../util/hash';
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

const environmentDigests = new WeakMap<Record<string, unknown>, string>();

/**
 * The digest of taskEnvironment as a file's memo key holds it (FileKeyParts.environment), hashed
 * once per environment: a task's own run and the lookahead of an earlier one both key with it.
 */
export async function taskEnvironmentDigest(
  ctx: BatchRunContext,
  task: TaskRecord,
): Promise<string | undefined> {
  const environment = await taskEnvironment(ctx, task);
  if (!environment) return undefined;
  let digest = environmentDigests.get(environment);
  if (digest === undefined) {
    digest = sha256OfCanonical(environment);
    environmentDigests.set(environment, digest);
  }
  return digest;
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
