import { parentPort } from 'node:worker_threads';
import { readBatchRecords } from '../batch/read-batch';
import { isCodebatchError, toCodebatchError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { openStore } from '../store/store';
import { createDefaultRegistry } from '../tasks/default-registry';
import { enableCompileCache } from '../util/compile-cache';
import { type BatchRunContext, loadBatchRunContext } from './batch-context';
import { FileMemo } from './file-memo';
import { runShardChain } from './run-shard-chain';

/**
 * A pooled worker: starts once and serves the batches it is handed one after another, so the
 * thread start (about 60 ms) and what the tasks load (the TypeScript compiler, grammar
 * WebAssembly, the workspace's ESLint) are paid once per process, not once per batch. Each
 * request names its batch; the worker keeps the context of the last one.
 */
export interface WorkerJob {
  storeDir: string;
  batchId: string;
  force: boolean;
  manifests: boolean;
}
export type WorkerRequest =
  /** Load the batch and prepare its tasks; answered `ready` (the worker then joins the run). */
  | { type: 'open'; job: WorkerJob }
  /**
   * Load these task types ahead of any batch (WorkerPool.prewarm), and read these memo tables
   * of this store; answered `ready`.
   */
  | { type: 'prepare'; taskTypes: string[]; memos?: MemoPreload }
  | { type: 'chain'; job: WorkerJob; shardId: string; members: FilesIndexRecord[]; taskIds: string[] };
export type WorkerResponse =
  | { type: 'started' }
  | { type: 'ready' }
  | { type: 'chain'; shardId: string; results: Awaited<ReturnType<typeof runShardChain>> }
  | {
      type: 'error';
      shardId?: string;
      error: { code: string; message: string; hints: string[]; details: Record<string, unknown> };
    };

/** The per-file memo tables a run of this store will read: a prewarmed worker reads them first. */
export interface MemoPreload {
  storeDir: string;
  taskIds: string[];
}

function jobKey(job: WorkerJob): string {
  return JSON.stringify([job.storeDir, job.batchId, job.force, job.manifests]);
}

function start(): void {
  // Started from the CLI's bootstrap the cache is on already (a no-op then); started as a plain
  // script (the Action's bundle), this is where it comes on.
  enableCompileCache();
  const port = parentPort!;
  // One registry for the worker's life: task definitions and what `prepare` loads stay loaded.
  const registry = createDefaultRegistry();
  let current: { key: string; ctx: BatchRunContext } | undefined;
  // Memo tables read by `prepare` for the next `open` of their store, which takes them once.
  let ahead: { storeDir: string; memos: Map<string, FileMemo> } | undefined;

  // Always a fresh context on `open`: a new run gets new memos and task environments, as a
  // newly started worker would (another process may have changed the store since). Memos read
  // ahead by `prepare` serve it only while their tables are as they were read (isCurrent).
  const open = async (job: WorkerJob): Promise<BatchRunContext> => {
    current = undefined;
    const memos = ahead?.storeDir === job.storeDir ? ahead.memos : undefined;
    ahead = undefined;
    const store = openStore(job.storeDir);
    const ctx = loadBatchRunContext(store, readBatchRecords(store, job.batchId), registry, {
      force: job.force,
      manifests: job.manifests,
      ...(memos ? { memos } : {}),
    });
    await registry.prepare([...ctx.tasks.values()].map((t) => t.type));
    current = { key: jobKey(job), ctx };
    return ctx;
  };

  port.on('message', async (req: WorkerRequest) => {
    const shardId = req.type === 'chain' ? req.shardId : undefined;
    try {
      if (req.type === 'open') {
        await open(req.job);
        port.postMessage({ type: 'ready' } satisfies WorkerResponse);
        return;
      }
      if (req.type === 'prepare') {
        await registry.prepare(req.taskTypes);
        registry.preload?.(req.taskTypes);
        if (req.memos) ahead = readMemosAhead(req.memos);
        port.postMessage({ type: 'ready' } satisfies WorkerResponse);
        return;
      }
      const ctx = current?.key === jobKey(req.job) ? current.ctx : await open(req.job);
      const results = await runShardChain(ctx, req.shardId, req.members, req.taskIds);
      port.postMessage({ type: 'chain', shardId: req.shardId, results } satisfies WorkerResponse);
    } catch (error) {
      const e = isCodebatchError(error)
        ? error
        : toCodebatchError(
            error,
            shardId
              ? `shard ${shardId}`
              : req.type === 'prepare'
                ? 'loading task code in a worker'
                : 'opening a batch in a worker',
          );
      port.postMessage({
        type: 'error',
        shardId,
        error: { code: e.code, message: e.message, hints: e.hints, details: e.details },
      } satisfies WorkerResponse);
    }
  });
  port.postMessage({ type: 'started' } satisfies WorkerResponse);
}

/**
 * The memo tables, read while the main thread still snapshots: a worker prewarmed for a changed
 * tree otherwise read them (tens of milliseconds each) after its first chain arrived. Speed
 * only: a store that will not open leaves them to be read as before.
 */
function readMemosAhead(
  preload: MemoPreload,
): { storeDir: string; memos: Map<string, FileMemo> } | undefined {
  try {
    const store = openStore(preload.storeDir);
    const memos = new Map(preload.taskIds.map((id) => [id, new FileMemo(store, id)]));
    for (const memo of memos.values()) memo.preload();
    return { storeDir: preload.storeDir, memos };
  } catch {
    return undefined;
  }
}

try {
  start();
} catch (error) {
  const e = toCodebatchError(error, 'starting a worker');
  parentPort?.postMessage({
    type: 'error',
    error: { code: e.code, message: e.message, hints: e.hints, details: e.details },
  } satisfies WorkerResponse);
}
