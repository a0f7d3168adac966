import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type ConfigFile, DEFAULT_SHARDS } from '../config/config-schema';
import { configError, formatIssues } from '../config/load-config';
import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';
import type { BatchRecord, PlanRecord, TaskRecord } from '../schemas/batch-record';
import type { ShardState } from '../schemas/state-record';
import { readFilesIndex, readSnapshotRecord } from '../snapshot/read-snapshot';
import { tempName } from '../store/atomic-write';
import { DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_THRESHOLD } from '../store/chunking';
import { assertValidId } from '../store/layout';
import type { Store } from '../store/store';
import type { PipelineName } from '../tasks/catalog';
import type { TaskRegistry } from '../tasks/task-registry';
import { stableJsonPretty } from '../util/canonical-json';
import { sha256OfCanonical, toObjectRef } from '../util/hash';
import { nowIso } from '../util/time';
import { PRODUCER, SCHEMA_VERSION } from '../version';
import { getPipeline } from './pipelines';
import {
  PLANNED_SHARD_STRATEGY,
  type RecordedSharding,
  type ShardStrategy,
  shardOf,
} from './shard-assignment';
import { tryLockFile } from './shard-lock';

export interface InitBatchOptions {
  snapshotId: string;
  pipeline: PipelineName | string;
  shards?: number;
  id?: string;
  config?: ConfigFile;
  registry: TaskRegistry;
  metadata?: Record<string, unknown>;
  /**
   * How files are assigned to shards; path_hash unless given. hash_prefix plans as versions
   * before path_hash did, which is how tests make the batches of an older store.
   */
  strategy?: Extract<ShardStrategy, 'path_hash' | 'hash_prefix'>;
}

export interface InitBatchResult {
  batch: BatchRecord;
  plan: PlanRecord;
  tasks: TaskRecord[];
  /** Shard ids that hold at least one file (every task of the batch shares them). */
  shardIds: string[];
}

/** Sortable and unique without coordination: UTC time to the second plus 6 random hex digits. */
export function generateBatchId(): string {
  const stamp = nowIso()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `b${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/**
 * Resolves each task's configuration through the task's own zod schema. All issues of all
 * tasks are collected, each with its full path, before anything is written.
 */
export function resolveTaskConfigs(
  taskTypes: readonly string[],
  config: ConfigFile | undefined,
  registry: TaskRegistry,
): Map<string, Record<string, unknown>> {
  const issues: string[] = [];
  const resolved = new Map<string, Record<string, unknown>>();
  const given = config?.tasks ?? {};
  const known = new Set(registry.types());
  for (const key of Object.keys(given)) {
    if (!known.has(key))
      issues.push(`tasks.${key}: unknown task type (known: ${[...known].sort().join(', ')})`);
  }
  for (const type of taskTypes) {
    const result = registry.get(type).configSchema.safeParse(given[type] ?? {});
    if (result.success) resolved.set(type, result.data as Record<string, unknown>);
    else issues.push(...formatIssues(result.error.issues, `tasks.${type}`));
  }
  if (issues.length > 0) throw configError('the codebatch configuration', issues);
  return resolved;
}

/**
 * A conditional task joins the plan when the configuration asks for it (`"eslint": true`) or,
 * under `auto`, when the task detects its tool's configuration in the tree.
 */
function wantsConditionalTask(
  type: string,
  config: ConfigFile | undefined,
  files: readonly { path: string }[],
  registry: TaskRegistry,
  root?: string,
): boolean {
  // A registry without the task (a test registry, a trimmed build) plans without it.
  if (!registry.types().includes(type)) return false;
  const setting = type === 'eslint' ? (config?.eslint ?? 'auto') : 'auto';
  if (setting !== 'auto') return setting;
  return registry.get(type).detect?.(files, root) ?? false;
}

/**
 * What a batch of `pipeline` over this snapshot would plan, without writing anything: the
 * tasks (conditional ones decided), their resolved configs, and the digest batch.json records.
 * Two batches with equal digests, snapshot, shard count, strategy and chunking do identical
 * work in identical shards.
 */
export function planBatch(
  store: Store,
  options: Pick<InitBatchOptions, 'snapshotId' | 'pipeline' | 'config' | 'registry' | 'shards' | 'strategy'>,
): {
  planned: ReturnType<typeof getPipeline>['tasks'];
  configs: Map<string, Record<string, unknown>>;
  planTasks: PlanRecord['tasks'];
  configDigest: string;
  shardCount: number;
  strategy: ShardStrategy;
  chunkThreshold: number;
} {
  const pipeline = getPipeline(options.pipeline);
  const shardCount = options.shards ?? options.config?.shards ?? DEFAULT_SHARDS;
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 256) {
    throw new CodebatchError('E_USAGE', `--shards must be an integer from 1 to 256 (got ${shardCount})`);
  }
  const snapshot = readSnapshotRecord(store, options.snapshotId);
  const files = readFilesIndex(store, options.snapshotId);
  const planned = pipeline.tasks.filter(
    (t) =>
      !t.conditional ||
      wantsConditionalTask(t.type, options.config, files, options.registry, snapshot.source.path),
  );
  const configs = resolveTaskConfigs(
    planned.map((t) => t.type),
    options.config,
    options.registry,
  );
  const planTasks = planned.map((t) => ({
    task_id: t.task_id,
    type: t.type,
    depends_on: [...t.depends_on],
    config: configs.get(t.type) ?? {},
  }));
  return {
    planned,
    configs,
    planTasks,
    configDigest: toObjectRef(sha256OfCanonical(planTasks)),
    shardCount,
    strategy: options.strategy ?? PLANNED_SHARD_STRATEGY,
    chunkThreshold: options.config?.chunkThreshold ?? DEFAULT_CHUNK_THRESHOLD,
  };
}

/**
 * Creates batches/<id>/ with task.json and a `ready` state.json per non-empty shard, plan.json
 * and batch.json, all at once (see publishBatchDir): of two inits with one id exactly one wins
 * and the other fails with E_BATCH_EXISTS, and a crash mid-init leaves nothing under batches/.
 */
export function initBatch(store: Store, options: InitBatchOptions): InitBatchResult {
  const pipeline = getPipeline(options.pipeline);
  const batchId = options.id === undefined ? generateBatchId() : assertValidId(options.id, 'batch');
  assertValidId(options.snapshotId, 'snapshot');
  const layout = store.layout;
  // Fails early without planning; the rename in publishBatchDir is what decides a race.
  if (fs.existsSync(layout.batchFile(batchId))) throw batchExists(batchId);
  const snapshot = readSnapshotRecord(store, options.snapshotId);
  const files = readFilesIndex(store, options.snapshotId);
  const { planned, configs, planTasks, configDigest, shardCount, strategy, chunkThreshold } = planBatch(
    store,
    options,
  );
  const sharding: RecordedSharding = { strategy, shard_count: shardCount };
  const shardIds = [...new Set(files.map((f) => shardOf(sharding, f)))].sort();
  const createdAt = nowIso();
  const tasks: TaskRecord[] = planned.map((t) => {
    const def = options.registry.get(t.type);
    const config = configs.get(t.type) ?? {};
    return {
      schema_name: 'codebatch.task',
      schema_version: SCHEMA_VERSION,
      producer: { ...PRODUCER },
      task_id: t.task_id,
      batch_id: batchId,
      type: t.type,
      task_version: def.version,
      sharding: { strategy: sharding.strategy, shard_count: shardCount, shard_ids: shardIds },
      inputs: { snapshot: true, tasks: [...t.depends_on] },
      config,
      config_digest: toObjectRef(sha256OfCanonical(config)),
    };
  });
  const plan: PlanRecord = {
    schema_name: 'codebatch.plan',
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    batch_id: batchId,
    pipeline: pipeline.name,
    tasks: planTasks,
  };
  const batch: BatchRecord = {
    schema_name: 'codebatch.batch',
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    batch_id: batchId,
    snapshot_id: snapshot.snapshot_id,
    created_at: createdAt,
    pipeline: pipeline.name,
    shard_count: shardCount,
    chunking: {
      threshold: chunkThreshold,
      chunk_size: DEFAULT_CHUNK_SIZE,
    },
    config_digest: configDigest,
    // The base of every task's per-shard seed: part of the batch, so a re-run draws the same.
    ...(options.config?.seed ? { seed: options.config.seed } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  };
  // Everything is written into a private staging directory under tmp/ and renamed into place
  // whole, so the files inside are written in place (a temp-and-rename per file doubled the
  // cost of this step on a slow disk) and no reader ever sees a half batch.
  const finalDir = layout.batchDir(batchId);
  const staging = path.join(layout.tmpDir, tempName(`batch-${batchId}`));
  const staged = (file: string) => path.join(staging, path.relative(finalDir, file));
  try {
    fs.mkdirSync(layout.tmpDir, { recursive: true });
    fs.mkdirSync(staging);
    for (const task of tasks) {
      fs.mkdirSync(staged(layout.shardsDir(batchId, task.task_id)), { recursive: true });
      fs.writeFileSync(staged(layout.taskFile(batchId, task.task_id)), stableJsonPretty(task));
      for (const shardId of shardIds) {
        fs.mkdirSync(staged(layout.shardDir(batchId, task.task_id, shardId)));
        const state: ShardState = {
          schema_name: 'codebatch.shard_state',
          schema_version: SCHEMA_VERSION,
          shard_id: shardId,
          task_id: task.task_id,
          batch_id: batchId,
          status: 'ready',
          attempt: 1,
        };
        fs.writeFileSync(
          staged(layout.stateFile(batchId, task.task_id, shardId)),
          `${JSON.stringify(state)}\n`,
        );
      }
    }
    fs.writeFileSync(staged(layout.planFile(batchId)), stableJsonPretty(plan));
    fs.writeFileSync(staged(layout.batchFile(batchId)), stableJsonPretty(batch));
    publishBatchDir(store, batchId, staging);
  } catch (error) {
    // A crash before this point leaves only the staging directory, which gc removes from tmp/.
    fs.rmSync(staging, { recursive: true, force: true });
    throw toCodebatchError(error, `creating batch ${batchId}`);
  }
  return { batch, plan, tasks, shardIds };
}

function batchExists(batchId: string): CodebatchError {
  return new CodebatchError('E_BATCH_EXISTS', `batch ${batchId} already exists`, {
    hints: ['Batches are immutable: choose another --id, or omit --id for a generated one.'],
    details: { batch_id: batchId },
  });
}

/**
 * Renames the complete staging directory to batches/<id>. rename() of a directory replaces an
 * absent or empty target and fails on a non-empty one, so the first init to get there wins
 * atomically and every later one gets E_BATCH_EXISTS.
 *
 * A non-empty target without batch.json cannot come from this function; it is what an older
 * version (which wrote in place) left when interrupted. It is moved aside and replaced, never
 * merged into, under a lock: two inits clearing it at once could otherwise take the batch the
 * other had just installed for debris.
 */
function publishBatchDir(store: Store, batchId: string, staging: string): void {
  const { layout } = store;
  const finalDir = layout.batchDir(batchId);
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  if (renameDir(staging, finalDir)) return;
  if (fs.existsSync(layout.batchFile(batchId))) throw batchExists(batchId);
  const lockFile = path.join(layout.tmpDir, `batch-init-${batchId}.lock`);
  const deadline = Date.now() + 30_000;
  let lock = tryLockFile(lockFile);
  while (!lock) {
    if (Date.now() > deadline) {
      throw new CodebatchError('E_LOCKED', `another process keeps initialising batch ${batchId}`, {
        hints: ['Retry when it has finished, or choose another --id.'],
      });
    }
    // Held only for a few renames by a live process: wait for it rather than fail.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    lock = tryLockFile(lockFile);
  }
  try {
    // Under the lock only gc still removes debris, so the batch found here stays put.
    if (fs.existsSync(layout.batchFile(batchId))) throw batchExists(batchId);
    const trash = path.join(layout.tmpDir, tempName(`gc-${batchId}`));
    try {
      fs.renameSync(finalDir, trash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (fs.existsSync(path.join(trash, 'batch.json'))) {
      // gc removed the debris and a lock-free init installed a batch in between: put it back.
      fs.renameSync(trash, finalDir);
      throw batchExists(batchId);
    }
    fs.rmSync(trash, { recursive: true, force: true });
    // A lock-free init may have taken the freed name first: then it won.
    if (!renameDir(staging, finalDir)) throw batchExists(batchId);
  } finally {
    lock.release();
  }
}

/** rename(from, to) for directories: false when `to` is a non-empty directory. */
function renameDir(from: string, to: string): boolean {
  try {
    fs.renameSync(from, to);
    return true;
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOTEMPTY' || errno === 'EEXIST') return false;
    throw error;
  }
}
