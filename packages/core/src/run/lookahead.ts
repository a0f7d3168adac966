import { isCodebatchError } from '../errors/codebatch-error';
import type { TaskRecord } from '../schemas/batch-record';
import type { FileRunResult, TaskContext, TaskDefinition, TaskFile } from '../tasks/task-definition';
import type { AheadResult, ChainScope } from './chain-scope';
import type { createFileKeyer, FileMemo } from './file-memo';
import { type AheadRun, fileKeyerFor, fileMemoKey, runFileOf, taskContextFor, warmUpTask } from './file-run';
import { digestRecordTexts, recordTextOf } from './record-text';
import type { ShardAttempt } from './shard-attempt';
import { taskEnvironmentDigest } from './task-environment';

/**
 * A chain runs its tasks one after the other over the whole shard, and a file's TypeScript tree,
 * parsed by the first, stayed alive until the last had run on every file: on a cold run every
 * tree of the shard was copied by the young-generation collector and promoted, about a second
 * of a `--parallel 1` run of the 8.8k-file corpus in 160 scavenges.
 *
 * When the first task executes many files (MANY_FILES), the lookahead runs each later task of the chain that
 * reads only its outputs on each file right after it, while the tree is in the chain's memo,
 * and then drops what that file put there. A later task takes such a result when it executes,
 * only for a file whose memo key (task, file, the upstream records' digest, environment) is
 * the one the result was computed under; a file its per-file memo answers, or a task skipped
 * or reused, leaves it unused. The same pure function of the same inputs: results and records
 * are what the later task gives when it runs the file itself.
 */

export interface Lookahead {
  /** Runs the upstream task on `file` (`runUpstream`), then the later tasks on it. */
  run(file: TaskFile, runUpstream: (file: TaskFile) => FileRunResult): AheadRun;
}

interface LaterTask {
  task: TaskRecord;
  def: TaskDefinition<unknown>;
  taskCtx: TaskContext<unknown>;
  fileKey: ReturnType<typeof createFileKeyer>;
  environmentDigest?: string;
  memo: FileMemo;
  results: Map<string, AheadResult>;
}

/**
 * The lookahead of task `upstream` in this chain, or undefined when no later task of the chain
 * can run on its outputs file by file (they read other tasks too, or key or run files their own
 * way: ESLint).
 */
export async function createLookahead(a: ShardAttempt, upstream: TaskRecord): Promise<Lookahead | undefined> {
  const { ctx, scope } = a;
  const later: LaterTask[] = [];
  const after = scope.taskIds.slice(scope.taskIds.indexOf(upstream.task_id) + 1);
  for (const taskId of after) {
    const planTask = ctx.plan.tasks.find((p) => p.task_id === taskId);
    const task = ctx.tasks.get(taskId);
    if (!planTask || !task) continue;
    const def = ctx.registry.get(task.type);
    if (planTask.depends_on.length !== 1 || planTask.depends_on[0] !== upstream.task_id) continue;
    if (def.runFiles || def.fileKeys) continue;
    const environmentDigest = await taskEnvironmentDigest(ctx, task);
    warmUpTask(def);
    const results = new Map<string, AheadResult>();
    scope.ahead.set(taskId, results);
    later.push({
      task,
      def,
      taskCtx: taskContextFor(ctx, scope, task),
      fileKey: fileKeyerFor(ctx, task),
      ...(environmentDigest ? { environmentDigest } : {}),
      memo: ctx.memos.get(taskId)!,
      results,
    });
  }
  if (later.length === 0) return undefined;
  return {
    run(file, runUpstream) {
      const mark = scope.taskMemo.size;
      const result = runUpstream(file);
      if (!('outputs' in result)) {
        dropSince(scope.taskMemo, mark);
        return result;
      }
      // As the later task will see them: records through their text (lookupFiles, TaskFile.upstream).
      // The texts go back with the result, so the upstream task does not make them again.
      const texts = result.outputs.map((o) => recordTextOf(o));
      const digest = digestRecordTexts(texts);
      const view: TaskFile = {
        ...file,
        upstream: (taskId) =>
          taskId === upstream.task_id ? texts.map((t) => t.record) : file.upstream(taskId),
      };
      for (const l of later) runLater(l, file, view, upstream.task_id, digest);
      dropSince(scope.taskMemo, mark);
      return { ...result, texts };
    },
  };
}

function runLater(l: LaterTask, file: TaskFile, view: TaskFile, upstreamId: string, digest: string): void {
  const key = fileMemoKey(l.fileKey, file, [{ task_id: upstreamId, digest }], {
    environmentDigest: l.environmentDigest,
  });
  if (l.memo.lookup(key, file.path)) return;
  let result: FileRunResult;
  try {
    result = runFileOf(l.def, l.task, view, l.taskCtx);
  } catch (error) {
    // Infrastructure trouble: the task meets it again when it runs the file itself, and fails there.
    if (isCodebatchError(error)) return;
    throw error;
  }
  l.results.set(file.path, { key, result });
}

/** The results computed ahead for `taskId` in this chain, taken once. */
export function takeAhead(scope: ChainScope, taskId: string): Map<string, AheadResult> | undefined {
  const results = scope.ahead.get(taskId);
  scope.ahead.delete(taskId);
  return results;
}

/** Drops what the chain's memo gained since it held `mark` entries (one file's tree, mostly). */
function dropSince(memo: Map<string, unknown>, mark: number): void {
  if (memo.size <= mark) return;
  let i = 0;
  for (const key of memo.keys()) {
    if (i >= mark) memo.delete(key);
    i += 1;
  }
}
