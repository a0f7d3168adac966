import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';
import { countRecords } from '../query/diagnostic-counts';
import type { TaskRecord } from '../schemas/batch-record';
import { safeParseFast } from '../schemas/compile-acceptor';
import { type TaskOutput, taskOutputSchema } from '../schemas/output-record';
import type { ShardState } from '../schemas/state-record';
import type { FileRunResult, TaskContext, TaskDefinition, TaskFile } from '../tasks/task-definition';
import { keepUpstreamOutputs } from './chain-scope';
import { commitOutputsFile, serializeOutputs } from './commit-outputs';
import type { createFileKeyer } from './file-memo';
import {
  type AheadRun,
  fileKeyerFor,
  fileMemoKey,
  MANY_FILES,
  runFileOf,
  taskContextFor,
  warmUpTask,
} from './file-run';
import { createLookahead, type Lookahead, takeAhead } from './lookahead';
import { digestRecordTexts, type RecordText, recordTextOf } from './record-text';
import { markShardExecuted, markShardFailed, type ShardAttempt, startShardRun } from './shard-attempt';
import { countOutputKinds } from './shard-manifest';
import { taskEnvironmentDigest } from './task-environment';

/** Code of the diagnostic recorded when a task throws on one file (a task bug, not bad input). */
export const TASK_CRASH_CODE = 'CB0001';

interface TaskToRun {
  def: TaskDefinition<unknown>;
  task: TaskRecord;
  outputsFile: string;
  deps: readonly string[];
}

/**
 * Executes a task on a shard: files the per-file memo answers keep their records, the others
 * run; outputs are committed, then the shard is marked done. A failure marks it failed and is
 * returned, except a full or read-only store, which no other shard could get past either.
 */
export async function executeTask(
  a: ShardAttempt,
  previous: ShardState,
  t: TaskToRun,
): Promise<{
  outputs: number;
  filesExecuted: number;
  outputsDigest?: string;
  error?: { code: string; message: string };
}> {
  const { ctx, scope, taskId } = a;
  const batchId = ctx.batch.batch_id;
  const run = startShardRun(a, previous);
  try {
    const taskCtx = taskContextFor(ctx, scope, t.task);
    const memo = ctx.memos.get(taskId)!;
    const extras = t.def.fileKeys ? await t.def.fileKeys(scope.files, taskCtx) : undefined;
    // The environment (not the shard inputs: those are about other files) keys every file of a
    // task without fileKeys; see FileKeyParts.environment.
    const environmentDigest = t.def.fileKeys ? undefined : await taskEnvironmentDigest(ctx, t.task);
    const fileKey = fileKeyerFor(ctx, t.task);
    const perFile = lookupFiles(a, t.deps, fileKey, { extras, environmentDigest });
    const misses = perFile.filter((f) => !f.records);
    // Files an earlier task of this chain ran this task on already, right after its own run
    // on them (lookahead.ts), under the key they have now.
    const ahead = takeAhead(scope, taskId);
    const stashed = (f: FileSlot) => {
      const s = ahead?.get(f.file.path);
      return s && s.key === f.key ? s.result : undefined;
    };
    const toRun = misses.filter((f) => stashed(f) === undefined).map((f) => f.file);
    const lookahead = toRun.length >= MANY_FILES ? await createLookahead(a, t.task) : undefined;
    const ran = await runMisses(taskId, t, toRun, taskCtx, lookahead);
    let next = 0;
    const results = misses.map((f) => stashed(f) ?? ran[next++]!);
    const { outputs, memoKeys, bytesProcessed, validated } = gatherOutputs(perFile, results, {
      taskId,
      validate: ctx.manifests,
    });
    const filesExecuted = misses.length;
    const serialized = serializeOutputs(outputs, {
      snapshot_id: ctx.batch.snapshot_id,
      batch_id: batchId,
      task_id: taskId,
      shard_id: scope.shardId,
      ts: run.startedAt,
    });
    commitOutputsFile(t.outputsFile, serialized.text, serialized.outputsDigest);
    markShardExecuted(a, run, {
      outputsDigest: serialized.outputsDigest,
      resultDigest: serialized.resultDigest,
      count: serialized.count,
      diagnostics: countRecords(outputs),
      byKind: () => countOutputKinds(outputs),
      files: scope.files.length,
      filesExecuted,
      bytesProcessed,
      validated,
    });
    // Crashed files (no memo key pushed) are never memoised: the next run tries them again.
    memo.record([
      { h: a.provenance.bundle.hash, b: batchId, s: scope.shardId },
      ...memoKeys.map((m) => ({ k: m.key, b: batchId, s: scope.shardId, n: m.count })),
    ]);
    keepUpstreamOutputs(scope, taskId, outputs);
    return { outputs: serialized.count, filesExecuted, outputsDigest: `sha256:${serialized.outputsDigest}` };
  } catch (error) {
    const cbError = toCodebatchError(error, `task ${taskId} shard ${scope.shardId}`);
    markShardFailed(a, run, { code: cbError.code, message: cbError.message });
    if (cbError.code === 'E_DISK_FULL' || cbError.code === 'E_STORE_READ_ONLY') throw cbError;
    return { outputs: 0, filesExecuted: 0, error: { code: cbError.code, message: cbError.message } };
  }
}

/** Per file, in shard order: its memo key, and its records when the memo has them. */
interface FileSlot {
  file: TaskFile;
  key: string;
  records?: RecordText[];
}

/**
 * Each file's memo key and remembered records. Apart from executeTask (as is gatherOutputs):
 * a loop over every file of a shard made it hot, and TurboFan compiled it whole, everything
 * inlined, again at each deopt (executeTask was 0.8 s of the compiler threads' time on a cold
 * `--parallel 2` run of the 8.8k-file corpus).
 */
function lookupFiles(
  a: ShardAttempt,
  deps: readonly string[],
  fileKey: ReturnType<typeof createFileKeyer>,
  { extras, environmentDigest }: { extras?: Map<string, unknown>; environmentDigest?: string },
): FileSlot[] {
  const { ctx, scope, taskId } = a;
  const memo = ctx.memos.get(taskId)!;
  const perFile: FileSlot[] = [];
  for (const file of scope.files) {
    const upstream = deps.map((d) => ({
      task_id: d,
      digest: digestRecordTexts(scope.upstream.get(d)?.get(file.path) ?? []),
    }));
    const key = fileMemoKey(fileKey, file, upstream, { extras, environmentDigest });
    const remembered = ctx.force ? undefined : memo.lookup(key, file.path);
    perFile.push({ file, key, ...(remembered ? { records: remembered } : {}) });
  }
  return perFile;
}

/** The shard's records in file order, from the memo or the run, with what the manifest counts. */
function gatherOutputs(
  perFile: readonly FileSlot[],
  results: readonly FileRunResult[],
  options: { taskId: string; validate: boolean },
): {
  outputs: RecordText[];
  memoKeys: { key: string; count: number }[];
  bytesProcessed: number;
  validated: number;
} {
  const outputs: RecordText[] = [];
  const memoKeys: { key: string; count: number }[] = [];
  let bytesProcessed = 0;
  let validated = 0;
  let next = 0;
  for (const entry of perFile) {
    if (entry.records) {
      for (const o of entry.records) outputs.push(o);
      memoKeys.push({ key: entry.key, count: entry.records.length });
      continue;
    }
    const { file } = entry;
    const result = results[next++]!;
    if ('crash' in result) {
      // Crashed files get no memo key: the next run tries them again.
      outputs.push(
        recordTextOf({
          path: file.path,
          kind: 'diagnostic',
          severity: 'error',
          code: TASK_CRASH_CODE,
          message: result.crash,
        }),
      );
      continue;
    }
    // The verify step of the verified-action loop, done here, per record as it is made
    // (in the worker, with no re-parse): an invalid record fails the shard before commit.
    if (options.validate) {
      assertValidOutputs(result.outputs, file.path, options.taskId);
      validated += result.outputs.length;
    }
    // A file the lookahead ran has its records' texts made already (lookahead.ts).
    const texts = (result as AheadRun).texts;
    if (texts) for (const o of texts) outputs.push(o);
    else for (const o of result.outputs) outputs.push(recordTextOf(o));
    if (file.isText) bytesProcessed += file.size;
    memoKeys.push({ key: entry.key, count: result.outputs.length });
  }
  return { outputs, memoKeys, bytesProcessed, validated };
}

/**
 * Runs the files the memo could not answer: through the task's `runFiles` when it has one,
 * else file by file. Infrastructure trouble (missing object, full disk) fails the shard;
 * anything else thrown on one file is a task bug on that file, recorded as a result so
 * `errors` can answer for it.
 */
async function runMisses(
  taskId: string,
  t: TaskToRun,
  files: readonly TaskFile[],
  taskCtx: TaskContext<unknown>,
  lookahead?: Lookahead,
): Promise<FileRunResult[]> {
  if (files.length === 0) return [];
  if (files.length >= MANY_FILES) warmUpTask(t.def);
  if (t.def.runFiles) {
    const results = await t.def.runFiles(files, taskCtx);
    if (results.length !== files.length)
      throw new CodebatchError(
        'E_INTERNAL',
        `task ${taskId} returned ${results.length} results for ${files.length} files`,
      );
    return results;
  }
  const runOne = (file: TaskFile): FileRunResult => runFileOf(t.def, t.task, file, taskCtx);
  return files.map((file) => (lookahead ? lookahead.run(file, runOne) : runOne(file)));
}

/** Every record through the compiled check first (see compile-acceptor.ts); zod judges the rest. */
function assertValidOutputs(outputs: readonly TaskOutput[], filePath: string, taskId: string): void {
  for (const o of outputs) {
    const result = safeParseFast(taskOutputSchema, o);
    if (!result.success || o.path !== filePath) {
      throw new CodebatchError(
        'E_RECORD_INVALID',
        `task ${taskId} produced an invalid record for ${filePath}`,
        {
          hints: ['This is a bug in the task; the shard is marked failed and nothing was committed.'],
          details: {
            issues: result.success
              ? ['path: does not name the file being processed']
              : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
          },
        },
      );
    }
  }
}
