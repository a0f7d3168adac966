import { parentPort, workerData } from 'node:worker_threads';
import { readBatchRecords } from '../batch/read-batch';
import { isCodebatchError, toCodebatchError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { openStore } from '../store/store';
import { createDefaultRegistry } from '../tasks/default-registry';
import { loadBatchRunContext } from './batch-context';
import { runShardChain } from './run-shard-chain';

/**
 * A pooled worker: loads the batch once, prepares the tasks once (grammar WebAssembly, ...),
 * then runs shard chains as the main thread hands them out. Workers are pooled for the whole
 * run because each costs about 60 ms to start.
 */
export interface WorkerInit {
  storeDir: string;
  batchId: string;
  force: boolean;
  manifests: boolean;
}
export type WorkerRequest = { shardId: string; members: FilesIndexRecord[]; taskIds: string[] };
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'chain'; shardId: string; results: Awaited<ReturnType<typeof runShardChain>> }
  | {
      type: 'error';
      shardId?: string;
      error: { code: string; message: string; hints: string[]; details: Record<string, unknown> };
    };

async function start(): Promise<void> {
  const init = workerData as WorkerInit;
  const port = parentPort!;
  const registry = createDefaultRegistry();
  const store = openStore(init.storeDir);
  const ctx = loadBatchRunContext(store, readBatchRecords(store, init.batchId), registry, {
    force: init.force,
    manifests: init.manifests,
  });
  await registry.prepare([...ctx.tasks.values()].map((t) => t.type));
  port.on('message', async (req: WorkerRequest) => {
    try {
      const results = await runShardChain(ctx, req.shardId, req.members, req.taskIds);
      port.postMessage({ type: 'chain', shardId: req.shardId, results } satisfies WorkerResponse);
    } catch (error) {
      const e = isCodebatchError(error) ? error : toCodebatchError(error, `shard ${req.shardId}`);
      port.postMessage({
        type: 'error',
        shardId: req.shardId,
        error: { code: e.code, message: e.message, hints: e.hints, details: e.details },
      } satisfies WorkerResponse);
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerResponse);
}

start().catch((error) => {
  const e = toCodebatchError(error, 'starting a worker');
  parentPort?.postMessage({
    type: 'error',
    error: { code: e.code, message: e.message, hints: e.hints, details: e.details },
  } satisfies WorkerResponse);
});
