import { type ShardLock, tryLockShard } from '../batch/shard-lock';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { FileRunResult, TaskFile } from '../tasks/task-definition';
import { groupByPath } from '../util/group-by-path';
import type { BatchRunContext } from './batch-context';
import { EventBuffer } from './events';
import { type RecordText, splitIndexRecords } from './record-text';
import { buildTaskFiles } from './task-files';

/**
 * What one shard chain owns while it runs, apart from the batch context every chain shares:
 * its buffered events, its lock, its files and the outputs its later tasks read. Closed once
 * when the chain ends, whatever happened.
 */
export interface ChainScope {
  readonly shardId: string;
  readonly members: readonly FilesIndexRecord[];
  /** Events of this chain; appended when it ends, after its outputs are committed. */
  readonly events: EventBuffer;
  /** The shard's files, content read once for every task of the chain. */
  readonly files: readonly TaskFile[];
  /** TaskContext.memo: what a task keeps between the files of this chain. */
  readonly taskMemo: Map<string, unknown>;
  /**
   * Outputs of this chain's tasks that later tasks read, by task id, then by path. A skipped or
   * reused task leaves its verified index bytes here, split into records only when a later task
   * executes (a chain whose every task is skipped splits nothing), and parsed only when a task
   * reads them (the keys of a later task's files need only their text).
   */
  readonly upstream: UpstreamOutputs;
  /** Task ids some planned task depends on: only their outputs are kept in `upstream`. */
  readonly dependedOn: ReadonlySet<string>;
  /** The tasks this chain settles, in order. */
  readonly taskIds: readonly string[];
  /** Results later tasks computed file by file while an earlier one ran (lookahead.ts). */
  readonly ahead: AheadResults;
  /**
   * Takes the chain's lock on first need and holds it to the end of the chain; false when
   * another process holds the shard. Settling by skip takes no lock.
   */
  lock(): boolean;
  /** Releases the lock and flushes events and memos. */
  close(): void;
}

/** A file's result a later task computed ahead, with the memo key it was computed under. */
export interface AheadResult {
  key: string;
  result: FileRunResult;
}

/** Results a later task of the chain computed ahead (lookahead.ts), by task id, then path. */
export type AheadResults = Map<string, Map<string, AheadResult>>;

/** Outputs by task id, then by path; kept as index bytes until first asked for. */
export interface UpstreamOutputs {
  has(taskId: string): boolean;
  get(taskId: string): Map<string, RecordText[]> | undefined;
  setOutputs(taskId: string, outputs: Map<string, RecordText[]>): void;
  setIndex(taskId: string, committed: Buffer): void;
}

function createUpstreamOutputs(): UpstreamOutputs {
  const parsed = new Map<string, Map<string, RecordText[]>>();
  const pending = new Map<string, Buffer>();
  return {
    has: (taskId) => parsed.has(taskId) || pending.has(taskId),
    get(taskId) {
      let outputs = parsed.get(taskId);
      const bytes = pending.get(taskId);
      if (outputs === undefined && bytes !== undefined) {
        outputs = groupByPath(splitIndexRecords(bytes));
        parsed.set(taskId, outputs);
        pending.delete(taskId);
      }
      return outputs;
    },
    setOutputs(taskId, outputs) {
      pending.delete(taskId);
      parsed.set(taskId, outputs);
    },
    setIndex(taskId, committed) {
      parsed.delete(taskId);
      pending.set(taskId, committed);
    },
  };
}

export function createChainScope(
  ctx: BatchRunContext,
  shardId: string,
  members: readonly FilesIndexRecord[],
  taskIds: readonly string[] = [],
): ChainScope {
  const upstream = createUpstreamOutputs();
  const events = new EventBuffer();
  let held: ShardLock | undefined;
  let tried = false;
  return {
    shardId,
    members,
    events,
    files: buildTaskFiles(ctx.store, members, upstream, () => ctx.snapshot.root),
    taskMemo: new Map(),
    upstream,
    dependedOn: new Set(ctx.plan.tasks.flatMap((t) => t.depends_on)),
    taskIds,
    ahead: new Map(),
    lock() {
      if (!tried) {
        tried = true;
        // One lock per shard chain, in the first planned task's shard directory, so every
        // runner of this shard (whichever tasks it runs) excludes every other.
        held = tryLockShard(
          ctx.store.layout.shardDir(ctx.batch.batch_id, ctx.plan.tasks[0]!.task_id, shardId),
        );
      }
      return held !== undefined;
    },
    close() {
      held?.release();
      events.flush();
      for (const memo of ctx.memos.values()) memo.flush();
    },
  };
}

/** Later tasks of the chain may read this task's outputs: its verified (or just reused) index. */
export function keepUpstreamIndex(scope: ChainScope, taskId: string, committed: Buffer): void {
  if (!scope.dependedOn.has(taskId) || scope.upstream.has(taskId)) return;
  scope.upstream.setIndex(taskId, committed);
}

/** Later tasks of the chain read the outputs this task just produced. */
export function keepUpstreamOutputs(scope: ChainScope, taskId: string, outputs: readonly RecordText[]): void {
  if (scope.dependedOn.has(taskId)) scope.upstream.setOutputs(taskId, groupByPath(outputs));
}
