import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { deriveBatchStatus } from '../../batch/status';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { checkReplicates } from '../replicate-check';
import { type RunBatchOptions, runBatch } from '../run-batch';

function setup(tree: Record<string, string>, registry = createTestRegistry()) {
  const tmp = makeTempDir();
  writeTree(path.join(tmp.dir, 'src'), tree);
  const { store } = initStore(path.join(tmp.dir, 'store'));
  const snap = createSnapshot(store, path.join(tmp.dir, 'src'), {});
  const batchId = initBatch(store, {
    snapshotId: snap.record.snapshot_id,
    pipeline: 'full',
    shards: 16,
    registry,
  }).batch.batch_id;
  return { tmp, store, batchId, registry, snapshotId: snap.record.snapshot_id };
}

const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.ts`, `function f${i}() {}\n`]));

describe('run budget', () => {
  it('--max-shards runs at most N shards with work left; the next run continues', async () => {
    const { tmp, store, batchId, registry } = setup(many);
    try {
      const first = await runBatch(store, { batchId, registry, maxShards: 2 });
      expect(new Set(first.results.map((r) => r.shardId)).size).toBe(2);
      expect(deriveBatchStatus(store, batchId).status).toBe('partial');
      const second = await runBatch(store, { batchId, registry, maxShards: 2 });
      const shards = new Set(second.results.map((r) => r.shardId));
      expect(shards.size).toBe(2);
      for (const s of first.results) expect(shards.has(s.shardId)).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  it('--fail-fast stops taking shards after the first failure and leaves the rest ready', async () => {
    const tree = { ...many };
    for (let i = 0; i < 40; i += 4) tree[`f${i}.ts`] = `FAIL_PARSE ${i}\n`;
    const { tmp, store, batchId, registry, snapshotId } = setup(tree);
    try {
      const other = initBatch(store, { snapshotId, pipeline: 'full', shards: 16, registry }).batch.batch_id;
      const all = await runBatch(store, { batchId: other, registry });
      const failingShards = new Set(all.results.filter((r) => r.outcome === 'failed').map((r) => r.shardId));
      expect(failingShards.size).toBeGreaterThan(1);
      const fast = await runBatch(store, { batchId, registry, failFast: true });
      expect(fast.counts.failed).toBe(1);
      const status = deriveBatchStatus(store, batchId);
      expect(status.tasks[0]!.shards.ready).toBeGreaterThan(0);
    } finally {
      tmp.cleanup();
    }
  });

  it('--replicates passes deterministic tasks and names the shards of a nondeterministic one', async () => {
    const base = createTestRegistry();
    let calls = 0;
    const flaky = createTestRegistry({
      symbols: {
        ...(base.get('symbols') as object),
        runFile: (file: { path: string }) => {
          calls += 1;
          return [
            {
              path: file.path,
              kind: 'symbol',
              name: `s${calls}`,
              symbol_type: 'variable',
              line: 1,
              col: 1,
            },
          ];
        },
      } as never,
    });
    for (const [registry, expectMismatch] of [
      [base, false],
      [flaky, true],
    ] as const) {
      const { tmp, store, batchId } = setup(many, registry);
      try {
        const run = (o: Partial<RunBatchOptions>) => runBatch(store, { batchId, registry, ...o });
        const first = await run({});
        const report = await checkReplicates(store, first, 3, run);
        expect(report.shardRuns).toBe(first.results.length);
        if (expectMismatch) {
          expect(report.mismatches.length).toBeGreaterThan(0);
          expect(new Set(report.mismatches.map((m) => m.task_id))).toEqual(new Set(['03_symbols']));
          expect(report.mismatches[0]!.digests).toHaveLength(3);
        } else expect(report.mismatches).toEqual([]);
      } finally {
        tmp.cleanup();
      }
    }
  });
});
