import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { CodebatchError, InternalError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { BatchRunContext } from './batch-context';
import { runShardChain } from './run-shard-chain';
import type { ShardRunResult } from './shard-outcome';
import type { MemoPreload, WorkerJob, WorkerRequest, WorkerResponse } from './shard-worker';

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
 * Starts the worker thread. Where the CLI's layout has the compile cache beside the worker
 * script (dist/util/ next to dist/bundle/ or dist/run/), its first lines turn the cache on before
 * the script loads, as bin/codebatch.js does for this thread: the 1.4 MB worker bundle then
 * starts from cached code too (compiling it took 0.1 s of a prewarmed worker's start). Elsewhere
 * (the Action's ES module bundle, which `require` cannot load) the script is started as it is.
 */
function newWorkerThread(): Worker {
  const dist = __filename.endsWith('.ts')
    ? path.resolve(__dirname, '../../dist')
    : path.resolve(__dirname, '..');
  const cache = path.join(dist, 'util', 'compile-cache.js');
  if (!fs.existsSync(cache)) return new Worker(workerScript());
  const code = `require(${JSON.stringify(cache)}).enableCompileCache();\nrequire(${JSON.stringify(workerScript())});\n`;
  return new Worker(code, { eval: true });
}

/**
 * One worker thread (shard-worker.ts), one request at a time. `started` settles when the
 * thread is up (module loaded, registry created); `open` loads a batch into it and prepares
 * the tasks; `run` runs one chain of that batch. A thread that crashes or exits is dead for
 * good: what it was doing is rejected, and the pool drops it.
 */
export interface ChainWorker {
  readonly started: Promise<void>;
  /** False once the thread has crashed, exited or been terminated. */
  readonly alive: boolean;
  /** What is in flight: the pool must not hand a thread that is running a chain to another run. */
  readonly busy: 'prepare' | 'open' | 'chain' | undefined;
  /** Loads task code ahead of any batch (WorkerPool.prewarm); `open` waits for it. */
  prepare(taskTypes: string[], memos?: MemoPreload): Promise<void>;
  open(job: WorkerJob): Promise<void>;
  run(
    job: WorkerJob,
    shardId: string,
    members: FilesIndexRecord[],
    taskIds: string[],
  ): Promise<ShardRunResult[]>;
  /** An idle pooled thread must not keep the process alive if its owner forgets to close it. */
  setKeepAlive(keep: boolean): void;
  terminate(): Promise<void>;
}

export function startChainWorker(): ChainWorker {
  const worker = newWorkerThread();
  let alive = true;
  let pending:
    | {
        kind: 'prepare' | 'open' | 'chain';
        resolve: (msg: WorkerResponse) => void;
        reject: (e: Error) => void;
      }
    | undefined;
  // What `open` waits for: a prepare in flight (one request at a time per thread).
  let preparing: Promise<unknown> = Promise.resolve();
  let isStarted = false;
  let startedResolve: () => void;
  let startedReject: (e: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    startedResolve = resolve;
    startedReject = reject;
  });
  // A worker that fails while starting is reported by whoever waits for it.
  started.catch(() => {});
  const fail = (error: Error, fatal: boolean) => {
    if (fatal) {
      alive = false;
      startedReject(error);
    }
    pending?.reject(error);
    pending = undefined;
  };
  worker.on('message', (msg: WorkerResponse) => {
    if (msg.type === 'started') {
      isStarted = true;
      startedResolve();
    } else if (msg.type === 'error') {
      const error = new CodebatchError(msg.error.code as never, msg.error.message, {
        hints: msg.error.hints,
        details: msg.error.details,
      });
      // Before `started` (a prepare may be queued already), or nothing asked: the worker failed
      // while starting, and is of no further use.
      fail(error, !isStarted || pending === undefined);
    } else {
      pending?.resolve(msg);
      pending = undefined;
    }
  });
  worker.on('error', (error) => fail(error, true));
  worker.on('exit', (code) => {
    fail(new CodebatchError('E_INTERNAL', `a worker thread exited with code ${code}`), true);
  });
  const request = (kind: 'prepare' | 'open' | 'chain', req: WorkerRequest): Promise<WorkerResponse> => {
    if (!alive) return Promise.reject(new CodebatchError('E_INTERNAL', 'the worker thread has exited'));
    if (pending)
      throw new InternalError(`a worker thread was handed a ${kind} while running a ${pending.kind}`);
    const reply = new Promise<WorkerResponse>((resolve, reject) => {
      pending = { kind, resolve, reject };
    });
    worker.postMessage(req);
    return reply;
  };
  return {
    started,
    get alive() {
      return alive;
    },
    get busy() {
      return pending?.kind;
    },
    prepare(taskTypes, memos) {
      // Posted at once, not after `started`: the port queues it, and this thread may be too busy
      // (snapshotting) to see `started` for a while, which left the worker idle.
      const done = request('prepare', { type: 'prepare', taskTypes, ...(memos ? { memos } : {}) }).then(
        () => {},
      );
      // A failed prepare leaves the thread usable: `open` prepares again and reports its own error.
      preparing = done.catch(() => {});
      return done;
    },
    async open(job) {
      await started;
      await preparing;
      await request('open', { type: 'open', job });
    },
    async run(job, shardId, members, taskIds) {
      const msg = await request('chain', { type: 'chain', job, shardId, members, taskIds });
      return (msg as Extract<WorkerResponse, { type: 'chain' }>).results;
    },
    setKeepAlive(keep) {
      if (keep) worker.ref();
      else worker.unref();
    },
    async terminate() {
      alive = false;
      await worker.terminate();
    },
  };
}
