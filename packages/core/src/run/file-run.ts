import { isCodebatchError, toCodebatchError } from '../errors/codebatch-error';
import type { TaskRecord } from '../schemas/batch-record';
import { readOutputObject, writeOutputObject } from '../store/chunking';
import type { FileRunResult, TaskContext, TaskDefinition, TaskFile } from '../tasks/task-definition';
import { sha256OfCanonical } from '../util/hash';
import type { BatchRunContext } from './batch-context';
import type { ChainScope } from './chain-scope';
import { createFileKeyer } from './file-memo';
import type { RecordText } from './record-text';

// What running one task on one file of a shard takes: its context, its memo key, and the call
// itself. Shared by executeTask and by the chain's lookahead (lookahead.ts).

/** What a task's runFile is given besides the file (TaskContext). */
export function taskContextFor(
  ctx: BatchRunContext,
  scope: ChainScope,
  task: TaskRecord,
): TaskContext<unknown> {
  return {
    config: task.config,
    seed: shardSeed(task.task_id, scope.shardId, ctx.batch.seed),
    storeOutput: (kind, format, data, options) =>
      writeOutputObject(ctx.store.objects, kind, format, data, ctx.chunking, options?.inline),
    loadOutput: (ref) => readOutputObject(ctx.store.objects, ref),
    memo: scope.taskMemo,
    snapshot: ctx.snapshot,
    cacheDir: ctx.store.layout.indexesDir,
  };
}

/**
 * A run with this many files to execute is a long one: a task warms up before it
 * (TaskDefinition.warmUp) and a chain looks ahead (lookahead.ts). An edit's few files do neither.
 */
export const MANY_FILES = 64;

/**
 * The task's warm-up before a long run (TaskDefinition.warmUp). Speed only: one that throws
 * changes nothing, and the files run as they would have, saying what is wrong if anything is.
 */
export function warmUpTask(def: TaskDefinition<unknown>): void {
  try {
    def.warmUp?.();
  } catch {
    // See above.
  }
}

/** The keyer of a task's per-file memo keys (file-memo.ts); see fileMemoKey. */
export function fileKeyerFor(ctx: BatchRunContext, task: TaskRecord): ReturnType<typeof createFileKeyer> {
  return createFileKeyer({
    taskId: task.task_id,
    type: task.type,
    version: task.task_version,
    configDigest: task.config_digest,
    chunking: { threshold: ctx.chunking.threshold, chunk_size: ctx.chunking.chunkSize },
    seedBase: ctx.batch.seed,
  });
}

/**
 * A file's memo key for a task: the file, its upstream records' digests and, by the task's kind,
 * its fileKeys extra or the task's environment. The one construction, for a task about to
 * execute and for the lookahead: a result computed ahead is taken only under an equal key.
 */
export function fileMemoKey(
  fileKey: ReturnType<typeof createFileKeyer>,
  file: TaskFile,
  upstream: { task_id: string; digest: string }[],
  { extras, environmentDigest }: { extras?: Map<string, unknown>; environmentDigest?: string },
): string {
  return fileKey({
    path: file.path,
    object: file.object,
    upstream,
    ...(extras ? { extra: extras.get(file.path) ?? null } : {}),
    ...(environmentDigest ? { environment: environmentDigest } : {}),
  });
}

/** A file's result, with its records' texts when the lookahead made them already. */
export type AheadRun = FileRunResult & { texts?: RecordText[] };

/**
 * One file through a task's runFile. Infrastructure trouble (missing object, full disk) is
 * thrown; anything else thrown is a task bug on that file, returned as a crash.
 */
export function runFileOf(
  def: TaskDefinition<unknown>,
  task: TaskRecord,
  file: TaskFile,
  taskCtx: TaskContext<unknown>,
): FileRunResult {
  try {
    return { outputs: def.runFile(file, taskCtx) };
  } catch (error) {
    if (isCodebatchError(error)) throw error;
    if (/^E[A-Z]+$/.test(String((error as NodeJS.ErrnoException)?.code ?? ''))) {
      throw toCodebatchError(error, `task ${task.task_id} on ${file.path}`);
    }
    return {
      crash: `task ${task.type} crashed on this file: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * The deterministic seed of one shard's task run (seed 001): derived from task and shard ids,
 * and from the batch's base seed when it has one, so the same batch draws the same numbers on
 * every run and machine, and another base draws others.
 */
export function shardSeed(taskId: string, shardId: string, base: number | undefined): number {
  const parts = base ? { task_id: taskId, shard_id: shardId, base } : { task_id: taskId, shard_id: shardId };
  return Number.parseInt(sha256OfCanonical(parts).slice(0, 8), 16) % 2147483647;
}
