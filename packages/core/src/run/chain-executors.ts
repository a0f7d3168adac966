import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { CodebatchError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { BatchRunContext } from './batch-context';
import { runShardChain } from './run-shard-chain';
import type { ShardRunResult } from './shard-outcome';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './shard-worker';

export interface ChainExecutor {
  run(shardId: string, members: FilesIndexRecord[], taskIds: string[]): Promise<ShardRunResult[]>;
  close(): Promise<void>;
}

/** Runs chains on the calling thread, yielding between chains so worker replies are handled. */
export function createInProcessExecutor(ctx: BatchRunContext): ChainExecutor {
  return {
    async run(shardId, members, taskIds) {
      const results = await runShardChain(ctx, shardId, members, taskIds);
      await yieldToEvents();
      return results;
    },
    async close() {},
  };
}

function workerScript(): string {
  // Under ts-jest/swc the source is .ts and cannot run in a worker: use the build output.
  return __filename.endsWith('.ts')
    ? path.resolve(__dirname, '../../dist/run/shard-worker.js')
    : path.join(__dirname, 'shard-worker.js');
}

/**
 * One pooled worker thread. Returned at once: `ready` settles when the worker has loaded the
 * batch and prepared the tasks, so the caller can start work on its own thread meanwhile and
 * let the worker join when it is ready (or never, if the work ran out first).
 */
export function createWorkerExecutor(init: WorkerInit): ChainExecutor & { ready: Promise<void> } {
  const worker = new Worker(workerScript(), { workerData: init });
  let pending: { resolve: (r: ShardRunResult[]) => void; reject: (e: Error) => void } | undefined;
  let readyResolve: () => void;
  let readyReject: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  const fail = (error: Error) => {
    readyReject(error);
    pending?.reject(error);
    pending = undefined;
  };
  worker.on('message', (msg: WorkerResponse) => {
    if (msg.type === 'ready') readyResolve();
    else if (msg.type === 'chain') {
      pending?.resolve(msg.results);
      pending = undefined;
    } else {
      fail(
        new CodebatchError(msg.error.code as never, msg.error.message, {
          hints: msg.error.hints,
          details: msg.error.details,
        }),
      );
    }
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => {
    if (code !== 0) fail(new CodebatchError('E_INTERNAL', `a worker thread exited with code ${code}`));
  });
  // A worker that fails while starting is reported by the first run() that waits for it.
  ready.catch(() => {});
  return {
    ready,
    run(shardId, members, taskIds) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage({ shardId, members, taskIds } satisfies WorkerRequest);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
