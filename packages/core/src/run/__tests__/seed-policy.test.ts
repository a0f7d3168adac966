import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import type { ConfigFile } from '../../config/config-schema';
import { reconstructPreimage } from '../../provenance/bundle-preimage';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, type Store } from '../../store/store';
import type { TaskDefinition } from '../../tasks/task-definition';
import { readShardRecords } from '../../test-support/read-shard-records';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { computeFileKey } from '../file-memo';
import { runBatch } from '../run-batch';

/** Seed 001: tasks that sample get a per-shard seed from a configurable base, recorded in the batch. */
const sampler = {
  type: 'lint',
  version: '1.0.0',
  description: 'reports the seed it was given',
  kindsOut: ['metric'],
  configSchema: createTestRegistry().get('lint').configSchema,
  runFile: (file, ctx) => [{ path: file.path, kind: 'metric', metric: 'seed', value: ctx.seed }],
} as TaskDefinition<unknown>;
const registry = createTestRegistry({ lint: sampler as never });

describe('seed policy', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let snapshotId: string;
  beforeEach(async () => {
    tmp = makeTempDir();
    writeTree(path.join(tmp.dir, 'src'), { 'a.ts': 'x\n' });
    store = initStore(path.join(tmp.dir, 'store')).store;
    snapshotId = (await createSnapshot(store, path.join(tmp.dir, 'src'), {})).record.snapshot_id;
  });
  afterEach(() => tmp.cleanup());

  async function seedOf(id: string, config?: ConfigFile): Promise<{ seed: number; outcome: string }> {
    const { batch } = initBatch(store, { snapshotId, pipeline: 'lint', shards: 1, registry, id, config });
    const summary = await runBatch(store, { batchId: batch.batch_id, registry });
    const shard = summary.results.find((r) => r.taskId === '04_lint')!;
    const record = readShardRecords(store, id, '04_lint', shard.shardId)[0]! as unknown as { value: number };
    return { seed: record.value, outcome: shard.outcome };
  }

  it('the base is recorded in the batch, the same base draws the same seed, another base another one', async () => {
    const a = await seedOf('a', { seed: 7 });
    const b = await seedOf('b', { seed: 7 });
    const c = await seedOf('c', { seed: 8 });
    const none = await seedOf('d');
    expect(b.seed).toBe(a.seed);
    expect(c.seed).not.toBe(a.seed);
    expect(none.seed).not.toBe(a.seed);
    // Work done under one base is never reused for another: the base is part of the bundle.
    expect(b.outcome).toBe('reused');
    expect(c.outcome).toBe('executed');
    expect(JSON.parse(require('node:fs').readFileSync(store.layout.batchFile('a'), 'utf8')).seed).toBe(7);
  });

  it('the base is part of the task identity: the memo key and a bundle rebuilt from the store alone have it', async () => {
    await seedOf('a', { seed: 7 });
    const rebuilt = reconstructPreimage(store, 'a', '04_lint', '00');
    expect(rebuilt.preimage.seed_base).toBe(7);
    expect(rebuilt.exact).toBe(true);
    expect(reconstructPreimage(store, 'a', '01_parse', '00').exact).toBe(true);
    // Per-file memo: the same file under another base is another key, so not a memo hit.
    const parts = {
      taskId: '04_lint',
      type: 'lint',
      version: '1.0.0',
      configDigest: 'c',
      chunking: { threshold: 1, chunk_size: 1 },
      path: 'a.ts',
      object: 'o',
      upstream: [],
    };
    expect(computeFileKey({ ...parts, seedBase: 7 })).not.toBe(computeFileKey({ ...parts, seedBase: 8 }));
    expect(computeFileKey({ ...parts, seedBase: 0 })).toBe(computeFileKey(parts));
  });
});
