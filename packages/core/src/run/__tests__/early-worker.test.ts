import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readBatchRecords } from '../../batch/read-batch';
import type { FilesIndexRecord } from '../../schemas/snapshot-record';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { loadBatchRunContext } from '../batch-context';
import { runBatch } from '../run-batch';
import { runShardChain } from '../run-shard-chain';
import type { WorkerExecutor, WorkerPool } from '../worker-pool';

/**
 * The first pass with a warm worker (run-batch.ts, earlyWorkers): a pool of stand-in workers that
 * run chains on this thread with a context of their own, as a worker thread does, and whose
 * start-up the test controls.
 */
const registry = createTestRegistry();

const TREE: Record<string, string> = {};
for (let i = 0; i < 24; i += 1) TREE[`src/m${i}.ts`] = `export const m${i} = ${i}; // BAD\n`;

async function setup() {
  const tmp = makeTempDir();
  const src = path.join(tmp.dir, 'src');
  writeTree(src, TREE);
  const { store } = initStore(path.join(tmp.dir, 'store'));
  const snap = await createSnapshot(store, src, {});
  const batchId = () =>
    initBatch(store, { snapshotId: snap.record.snapshot_id, pipeline: 'full', shards: 4, registry }).batch
      .batch_id;
  return { tmp, store, batchId };
}

interface StandIn {
  pool: WorkerPool;
  events: string[];
  /** Lets the worker finish starting. */
  start(): void;
}

function standInPool(
  store: ReturnType<typeof initStore>['store'],
  options: { failOnRun?: boolean } = {},
): StandIn {
  const events: string[] = [];
  let start!: () => void;
  const started = new Promise<void>((resolve) => {
    start = resolve;
  });
  const pool: WorkerPool = {
    lease(count, job) {
      return Array.from({ length: count }, (_, n) => {
        const ctx = () =>
          loadBatchRunContext(store, readBatchRecords(store, job.batchId), registry, {
            force: job.force,
            manifests: job.manifests,
          });
        const ready = n === 0 ? started : Promise.resolve();
        const executor: WorkerExecutor = {
          ready,
          alive: true,
          async run(shardId: string, members: FilesIndexRecord[], taskIds: string[]) {
            events.push(`run ${shardId}`);
            if (options.failWhen) {
              await options.failWhen;
              throw new Error('worker failed');
            }
            const results = await runShardChain(ctx(), shardId, members, taskIds);
            events.push(`ran ${shardId}`);
            return results;
          },
          // As a lease's: giving a worker back twice gives it back once.
          async close() {
            if (!events.includes('close')) events.push('close');
          },
        };
        return executor;
      });
    },
    started: 1,
    idle: 0,
    warm: 1,
    prewarm() {},
    async close() {},
  };
  return { pool, events, start };
}

const options = (batchId: string, pool: WorkerPool) => ({
  batchId,
  registry,
  parallel: 2,
  useDefaultRegistryInWorkers: true,
  workers: pool,
});

describe('a warm worker in the first pass', () => {
  it('does not hold up a pass with nothing to hand it, however long it takes to start', async () => {
    const { tmp, store, batchId } = await setup();
    try {
      const first = batchId();
      const cold = standInPool(store);
      cold.start();
      await runBatch(store, options(first, cold.pool));
      // Same files, new batch: every chain is reused on this thread, nothing is deferred.
      const never = standInPool(store);
      const summary = await runBatch(store, options(batchId(), never.pool));
      expect(summary.counts.executed).toBe(0);
      expect(summary.counts.reused).toBe(summary.results.length);
      expect(never.events).toEqual(['close']);
    } finally {
      tmp.cleanup();
    }
  });

  it('takes the chains this thread defers once it has started, and runs each once', async () => {
    const { tmp, store, batchId } = await setup();
    try {
      const late = standInPool(store);
      const running = runBatch(store, options(batchId(), late.pool));
      // This thread defers every chain (nothing is known yet); one waits for the worker.
      setTimeout(() => late.start(), 50);
      const summary = await running;
      const ran = late.events.filter((e) => e.startsWith('ran ')).map((e) => e.slice(4));
      expect(ran.length).toBeGreaterThan(0);
      expect(new Set(ran).size).toBe(ran.length);
      expect(summary.counts.executed).toBe(summary.results.length);
      expect(summary.status.tasks.every((t) => t.status === 'done')).toBe(true);
      expect(late.events.at(-1)).toBe('close');
    } finally {
      tmp.cleanup();
    }
  });

  it('fails the run when the worker fails, and gives it back only after every executor stopped', async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      writeTree(src, TREE);
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const batchOf = async () => {
        const snap = await createSnapshot(store, src, {});
        return initBatch(store, {
          snapshotId: snap.record.snapshot_id,
          pipeline: 'full',
          shards: 4,
          registry,
        }).batch.batch_id;
      };
      const cold = standInPool(store);
      cold.start();
      await runBatch(store, options(await batchOf(), cold.pool));
      // One file changed: its chain goes first and is handed to the worker, which fails, while
      // this thread is reusing the other shards.
      writeTree(src, { 'src/m3.ts': 'export const m3 = 33; // BAD\n' });
      // It fails once this thread has reused a shard, while it goes on with the next ones.
      let fail!: () => void;
      const failWhen = new Promise<void>((resolve) => {
        fail = resolve;
      });
      const failing = standInPool(store, { failWhen });
      failing.start();
      const onShard = (r: { shardId: string }) => {
        failing.events.push(`settled ${r.shardId}`);
        fail();
      };
      const run = runBatch(store, {
        ...options(await batchOf(), failing.pool),
        likelyChanged: ['src/m3.ts'],
        onShard,
      });
      await expect(run).rejects.toThrow('worker failed');
      // Anything still running on this thread would report in the next turns of the loop.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(failing.events.filter((e) => e.startsWith('run '))).toHaveLength(1);
      expect(failing.events.filter((e) => e.startsWith('settled ')).length).toBeGreaterThan(1);
      // Whatever this thread was running when the worker failed was reported before the worker
      // was given back.
      expect(failing.events.at(-1)).toBe('close');
    } finally {
      tmp.cleanup();
    }
  });
});
