import { type ChainExecutor, type ChainWorker, startChainWorker } from './chain-executors';
import type { WorkerJob } from './shard-worker';

/** A chain executor on a leased worker; `ready` settles when the worker has opened the batch. */
export type WorkerExecutor = ChainExecutor & { ready: Promise<void> };

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
  close(): Promise<void>;
}

export function createWorkerPool(): WorkerPool {
  const all = new Set<ChainWorker>();
  const idle: ChainWorker[] = [];
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

  const take = (): ChainWorker => {
    for (let w = idle.pop(); w !== undefined; w = idle.pop()) {
      if (w.alive) {
        w.setKeepAlive(true);
        return w;
      }
      all.delete(w);
    }
    const w = startChainWorker();
    started += 1;
    all.add(w);
    return w;
  };

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
      return idle.filter((w) => w.alive).length;
    },
    async close() {
      closed = true;
      idle.length = 0;
      const workers = [...all];
      all.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
