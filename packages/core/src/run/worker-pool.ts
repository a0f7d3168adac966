import { type ChainExecutor, type ChainWorker, startChainWorker } from './chain-executors';
import type { MemoPreload, WorkerJob } from './shard-worker';

/** A chain executor on a leased worker; `ready` settles when the worker has opened the batch. */
export type WorkerExecutor = ChainExecutor & {
  ready: Promise<void>;
  /** False once its thread has crashed, exited or been terminated. */
  readonly alive: boolean;
};

/**
 * Worker threads kept across runs: a run leases as many as it wants (idle ones first, new
 * ones for the rest) and gives them back when it closes its executors. A caller that runs
 * several batches in one process (the Nx plugin's run-many, through createAnalyzer) thus
 * starts its threads and loads the task code in them once.
 */
export interface WorkerPool {
  /**
   * `count` executors for one batch, returned at once: each becomes ready when its worker has
   * started and loaded the batch, so the caller can let a worker join when it is ready (or
   * never, if the work ran out first).
   */
  lease(count: number, job: WorkerJob): WorkerExecutor[];
  /** Worker threads started so far. */
  readonly started: number;
  /** Started threads waiting for work (with the task code they loaded before). */
  readonly idle: number;
  /** Idle threads plus those still loading task code for prewarm: what a lease gets first. */
  readonly warm: number;
  /**
   * Starts a thread that loads these task types' code (and reads these memo tables) while the
   * caller is busy elsewhere (it snapshots and reuses on its own thread), unless one is idle or
   * warming already. The thread never keeps the process alive, and a run that needs none leaves
   * it idle.
   */
  prewarm(taskTypes: string[], memos?: MemoPreload): void;
  close(): Promise<void>;
}

export function createWorkerPool(): WorkerPool {
  const all = new Set<ChainWorker>();
  const idle: ChainWorker[] = [];
  // Prewarmed threads still loading task code: leased before new ones, parked when loaded.
  const warming = new Set<ChainWorker>();
  let started = 0;
  let closed = false;

  const release = async (worker: ChainWorker, opened: Promise<void>) => {
    // A chain still in flight belongs to a run that has given up (another chain threw): stop
    // it as a worker of its own would have been stopped, rather than let it hold its shard
    // while the pool hands the thread to the next run.
    if (worker.busy === 'chain') {
      all.delete(worker);
      await worker.terminate();
      return;
    }
    // A worker still starting or opening the batch is worth keeping, but the run need not
    // wait for it: it joins the idle ones when done (a failed open leaves it usable).
    void opened.then(
      () => park(worker),
      () => park(worker),
    );
  };

  const park = (worker: ChainWorker) => {
    if (closed || !worker.alive) {
      all.delete(worker);
      return;
    }
    worker.setKeepAlive(false);
    idle.push(worker);
  };

  // Idle threads first, then prewarmed ones still loading: a thread that died meanwhile is dropped.
  const claim = (w: ChainWorker): ChainWorker | undefined => {
    if (w.alive) {
      w.setKeepAlive(true);
      return w;
    }
    all.delete(w);
    return undefined;
  };
  const take = (): ChainWorker => {
    for (let w = idle.pop(); w !== undefined; w = idle.pop()) {
      const claimed = claim(w);
      if (claimed) return claimed;
    }
    for (const w of warming) {
      warming.delete(w);
      const claimed = claim(w);
      if (claimed) return claimed;
    }
    return startWorker();
  };

  const startWorker = (): ChainWorker => {
    const w = startChainWorker();
    started += 1;
    all.add(w);
    return w;
  };

  const idleAlive = () => idle.filter((w) => w.alive).length;

  return {
    lease(count, job) {
      return Array.from({ length: count }, () => {
        const worker = take();
        const ready = worker.open(job);
        // A worker that fails to start or to open the batch is reported by the run that waits for it.
        ready.catch(() => {});
        let released = false;
        return {
          ready,
          run: (shardId, members, taskIds) => worker.run(job, shardId, members, taskIds),
          get alive() {
            return worker.alive;
          },
          async close() {
            if (released) return;
            released = true;
            await release(worker, ready);
          },
        };
      });
    },
    get started() {
      return started;
    },
    get idle() {
      return idleAlive();
    },
    get warm() {
      return idleAlive() + [...warming].filter((w) => w.alive).length;
    },
    prewarm(taskTypes, memos) {
      if (closed || this.warm > 0) return;
      const worker = startWorker();
      worker.setKeepAlive(false);
      warming.add(worker);
      // Leased meanwhile: the lease owns it now (take() removed it from `warming`).
      const settle = () => {
        if (warming.delete(worker)) park(worker);
      };
      worker.prepare(taskTypes, memos).then(settle, settle);
    },
    async close() {
      closed = true;
      idle.length = 0;
      warming.clear();
      const workers = [...all];
      all.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
