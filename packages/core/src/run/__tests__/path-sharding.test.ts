import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../api/analyze';
import { initBatch } from '../../batch/init-batch';
import { readTaskRecord } from '../../batch/read-batch';
import { fnv1aBytes, pathHash, type RecordedSharding, shardOf } from '../../batch/shard-assignment';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { readFilesIndex } from '../../snapshot/read-snapshot';
import { initStore, openStore, type Store } from '../../store/store';
import { pathHashOracle, pathShardOracle } from '../../test-support/path-hash-oracle';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { runBatch } from '../run-batch';

/**
 * Shards by path (path_hash): an edit never moves a file, so the first edit after a cold run
 * executes one shard per task, where sharding by content executed two (the shard the file left
 * and the one it joined). Batches planned by content keep running by content.
 */
const registry = createTestRegistry();
const SHARDS = 16;

const ref = (content: string) => `sha256:${crypto.createHash('sha256').update(content).digest('hex')}`;

describe('shardOf', () => {
  const byPath: RecordedSharding = { strategy: 'path_hash', shard_count: SHARDS };

  it('path_hash: FNV-1a of the path as UTF-8, mixed, mod the count, whatever the content', () => {
    // FNV-1a's published test vectors.
    expect(fnv1aBytes(Buffer.from(''))).toBe(0x811c9dc5);
    expect(fnv1aBytes(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv1aBytes(Buffer.from('foobar'))).toBe(0xbf9cf968);
    for (const p of ['src/a.ts', 'lib/ünïcode/名前.ts', 'README.md']) {
      expect(pathHash(p)).toBe(pathHashOracle(p));
      for (const count of [1, 3, 16, 256]) {
        expect(shardOf({ strategy: 'path_hash', shard_count: count }, { path: p, object: ref('x') })).toBe(
          pathShardOracle(p, count),
        );
      }
      expect(shardOf(byPath, { path: p, object: ref('one content') })).toBe(
        shardOf(byPath, { path: p, object: ref('another content') }),
      );
    }
  });

  it('path_hash spreads the paths of a tree evenly', () => {
    const counts = new Array<number>(SHARDS).fill(0);
    for (let i = 0; i < 16_000; i += 1)
      counts[pathHash(`packages/pkg-${i % 40}/src/module-${i}.ts`) % SHARDS]! += 1;
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('hash_prefix keeps its meaning: first byte of the content hash mod the count, whatever the path', () => {
    const byContent: RecordedSharding = { strategy: 'hash_prefix', shard_count: SHARDS };
    const object = ref('some content');
    const expected = (Number.parseInt(object.slice(7, 9), 16) % SHARDS).toString(16).padStart(2, '0');
    expect(shardOf(byContent, { path: 'a.ts', object })).toBe(expected);
    expect(shardOf(byContent, { path: 'b/c.ts', object })).toBe(expected);
  });

  it('single puts every file in its one shard', () => {
    const single: RecordedSharding = { strategy: 'single', shard_count: 1, shard_ids: ['00'] };
    expect(shardOf(single, { path: 'a.ts', object: ref('a') })).toBe('00');
    expect(shardOf(single, { path: 'b.ts', object: ref('b') })).toBe('00');
  });
});

describe('a one-file edit', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  const tree = () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i += 1)
      files[`src/f${i}.ts`] = `function f${i}() {}\n${i % 3 === 0 ? 'const BAD = 1;\n' : ''}`;
    return files;
  };

  async function runTree(store: Store, src: string, strategy?: 'path_hash' | 'hash_prefix') {
    const snap = createSnapshot(store, src, {});
    const { batch } = initBatch(store, {
      snapshotId: snap.record.snapshot_id,
      pipeline: 'full',
      shards: SHARDS,
      registry,
      ...(strategy ? { strategy } : {}),
    });
    const summary = await runBatch(store, { batchId: batch.batch_id, registry });
    const executedShards = (taskId: string) =>
      summary.results.filter((r) => r.taskId === taskId && r.outcome === 'executed').map((r) => r.shardId);
    return { batchId: batch.batch_id, snapshotId: snap.record.snapshot_id, summary, executedShards };
  }

  /** The shard a batch placed `file` in, by its own recorded sharding. */
  function shardIn(store: Store, batchId: string, snapshotId: string, file: string): string {
    const { sharding } = readTaskRecord(store, batchId, '01_parse');
    return shardOf(sharding, readFilesIndex(store, snapshotId).find((f) => f.path === file)!);
  }

  const TASKS = ['01_parse', '02_analyze', '03_symbols', '04_lint'];

  it('keeps the file in its shard, and the first edit after a cold run executes one shard per task', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree());
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const cold = await runTree(store, src);
    const edited = 'src/f7.ts';
    fs.writeFileSync(path.join(src, edited), 'function f7changed() {}\nconst BAD = 2;\n');
    const first = await runTree(store, src);

    const shard = shardIn(store, cold.batchId, cold.snapshotId, edited);
    expect(shardIn(store, first.batchId, first.snapshotId, edited)).toBe(shard);
    for (const taskId of TASKS) expect(first.executedShards(taskId)).toEqual([shard]);
    expect(first.summary.results.reduce((n, r) => n + r.filesExecuted, 0)).toBe(TASKS.length);

    // A second edit of the same file: still that shard alone.
    fs.writeFileSync(path.join(src, edited), 'function f7again() {}\n');
    const second = await runTree(store, src);
    for (const taskId of TASKS) expect(second.executedShards(taskId)).toEqual([shard]);
  });

  it('in a store planned by content, an edit that moves the file executes both shards (why path_hash)', async () => {
    const src = path.join(tmp.dir, 'src');
    const files = tree();
    writeTree(src, files);
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const cold = await runTree(store, src, 'hash_prefix');
    // A file that shares its shard, so that the shard it leaves still runs.
    const coldFiles = readFilesIndex(store, cold.snapshotId);
    const { sharding } = readTaskRecord(store, cold.batchId, '01_parse');
    const shardOfPath = new Map(coldFiles.map((f) => [f.path, shardOf(sharding, f)]));
    const edited = [...shardOfPath].find(([p, s]) =>
      [...shardOfPath].some(([q, t]) => q !== p && t === s),
    )![0];
    const before = shardOfPath.get(edited)!;
    // An edit whose content lands in another shard, found rather than assumed.
    const byContent: RecordedSharding = { strategy: 'hash_prefix', shard_count: SHARDS };
    let content = '';
    for (
      let i = 0;
      content === '' || shardOf(byContent, { path: edited, object: ref(content) }) === before;
      i += 1
    )
      content = `function changed${i}() {}\n`;
    fs.writeFileSync(path.join(src, edited), content);
    const first = await runTree(store, src, 'hash_prefix');

    const after = shardIn(store, first.batchId, first.snapshotId, edited);
    expect(after).not.toBe(before);
    for (const taskId of TASKS) expect(first.executedShards(taskId).sort()).toEqual([before, after].sort());
  });

  it('after the upgrade, the first batch by path executes no file: every one comes from the per-file memo', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree());
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const old = await runTree(store, src, 'hash_prefix');
    expect(old.summary.results.reduce((n, r) => n + r.filesExecuted, 0)).toBe(40 * TASKS.length);
    const upgraded = await runTree(store, src);
    expect(readTaskRecord(store, upgraded.batchId, '01_parse').sharding.strategy).toBe('path_hash');
    expect(upgraded.summary.results.reduce((n, r) => n + r.filesExecuted, 0)).toBe(0);
    expect(upgraded.summary.results.reduce((n, r) => n + r.filesReused, 0)).toBe(40 * TASKS.length);
  });
});

describe('analyze with reuseDoneBatch', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp.cleanup());

  it('reuses only a done batch planned under the strategy a new plan would record', async () => {
    tmp = makeTempDir();
    const src = path.join(tmp.dir, 'src');
    writeTree(src, { 'src/a.ts': 'const BAD = 1;\n', 'src/b.ts': 'function b() {}\n' });
    const options = {
      storeDir: path.join(tmp.dir, 'store'),
      sourceDir: src,
      registry,
      parallel: 1,
      reuseDoneBatch: true,
    };
    const first = await analyze(options);
    const store = openStore(options.storeDir);
    // A newer done batch of the same plan, but laid out by content as before path_hash.
    const old = initBatch(store, {
      snapshotId: first.snapshotId,
      pipeline: first.pipeline,
      registry,
      strategy: 'hash_prefix',
    });
    await runBatch(store, { batchId: old.batch.batch_id, registry });
    const again = await analyze(options);
    expect(again.batchId).toBe(first.batchId);
    expect(again.shards.executed).toBe(0);
  });
});
