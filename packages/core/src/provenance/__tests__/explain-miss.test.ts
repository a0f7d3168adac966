import { shardOf } from '../../batch/shard-assignment';
import { buildInputBundle } from '../../run/input-bundle';
import { runBatch } from '../../run/run-batch';
import { sha256Hex } from '../../util/hash';
import { explainBundleMiss } from '../explain-miss';
import { explainShardMiss } from '../explain-shard-miss';
import { registry, setupStore, TREE } from './provenance-fixture';

/** Where a batch planned now puts a path. */
const pathShard = (p: string, count: number) =>
  shardOf({ strategy: 'path_hash', shard_count: count }, { path: p, object: '' });
/** Where a batch planned by content (before path_hash) puts a file with this content. */
const contentShard = (content: string, count: number) =>
  shardOf(
    { strategy: 'hash_prefix', shard_count: count },
    { path: '', object: `sha256:${sha256Hex(content)}` },
  );

const base = {
  taskId: '04_lint',
  type: 'lint',
  version: 'test-1',
  configDigest: 'sha256:c1',
  chunking: { threshold: 100, chunk_size: 10 },
  members: [
    ['a.ts', 'sha256:aa'],
    ['b.ts', 'sha256:bb'],
  ] as [string, string][],
  upstream: [{ task_id: '01_parse', result_digest: 'r1' }],
};

describe('explainBundleMiss', () => {
  it('reports no change for identical preimages', () => {
    const p = buildInputBundle(base).preimage;
    expect(explainBundleMiss(p, p)).toEqual({ same: true, parts: [], changes: [] });
  });

  it('names members added, removed and changed, the config digest, upstream digests and versions', () => {
    const a = buildInputBundle(base).preimage;
    const b = buildInputBundle({
      ...base,
      configDigest: 'sha256:c2',
      version: 'test-2',
      members: [
        ['a.ts', 'sha256:a2'],
        ['c.ts', 'sha256:cc'],
      ],
      upstream: [{ task_id: '01_parse', result_digest: 'r2' }],
    }).preimage;
    const r = explainBundleMiss(a, b);
    expect(r.same).toBe(false);
    expect(r.parts).toEqual(['config_digest', 'task', 'members', 'upstream']);
    expect(r.changes).toEqual([
      { part: 'config_digest', from: 'sha256:c1', to: 'sha256:c2' },
      { part: 'task', field: 'version', from: 'test-1', to: 'test-2' },
      { part: 'members', change: 'changed', path: 'a.ts', from: 'sha256:aa', to: 'sha256:a2' },
      { part: 'members', change: 'added', path: 'c.ts', to: 'sha256:cc' },
      { part: 'members', change: 'removed', path: 'b.ts', from: 'sha256:bb' },
      { part: 'upstream', change: 'changed', task_id: '01_parse', from: 'r1', to: 'r2' },
    ]);
    expect(explainBundleMiss(a, { ...a, runtime: 'node99' }).changes).toEqual([
      { part: 'runtime', from: a.runtime, to: 'node99' },
    ]);
  });
});

describe('explainShardMiss', () => {
  let ctx: Awaited<ReturnType<typeof setupStore>>;
  afterEach(() => ctx?.tmp.cleanup());

  it('names the file whose content changed, in the shard it stays in (path_hash)', async () => {
    ctx = await setupStore(TREE, 16);
    const b1 = ctx.newBatch('b1');
    await runBatch(ctx.store, { batchId: b1, registry });
    // A line more, so that parse's result (line counts) changes too.
    const changed = { ...TREE, 'src/a.ts': 'function alpha() {}\nconst y = "BAD BAD";\n// more\n' };
    const b2 = ctx.newBatch('b2', undefined, await ctx.snapshotOf(changed));
    await runBatch(ctx.store, { batchId: b2, registry });
    const shard = pathShard('src/a.ts', 16);
    const r = explainShardMiss(ctx.store, { batchId: b2, taskId: '01_parse', shardId: shard });
    expect(r.against.batch_id).toBe('b1');
    expect(r.same).toBe(false);
    // Nothing moved: the edit is one member changing its object, with no member added or removed.
    expect(r.changes.filter((c) => c.part === 'members')).toEqual([
      {
        part: 'members',
        change: 'changed',
        path: 'src/a.ts',
        from: `sha256:${sha256Hex(TREE['src/a.ts']!)}`,
        to: `sha256:${sha256Hex(changed['src/a.ts']!)}`,
      },
    ]);
    // downstream of the changed shard, lint's bundle also changed through parse's result
    const lint = explainShardMiss(ctx.store, {
      batchId: b2,
      taskId: '04_lint',
      shardId: shard,
      against: 'b1',
    });
    expect(lint.parts).toEqual(expect.arrayContaining(['members', 'upstream']));
  });

  it('in batches planned by content (an older store), names where an edited file moved from and to', async () => {
    ctx = await setupStore(TREE, 16);
    const b1 = ctx.newBatch('b1', undefined, undefined, 'hash_prefix');
    await runBatch(ctx.store, { batchId: b1, registry });
    const oldShard = contentShard(TREE['src/a.ts']!, 16);
    // An edit whose content hash lands in another shard, found rather than assumed.
    let edited = '';
    for (let i = 0; contentShard(edited, 16) === oldShard || edited === ''; i += 1)
      edited = `function alpha() {}\nconst y${i} = "BAD BAD";\n`;
    const shard = contentShard(edited, 16);
    const b2 = ctx.newBatch(
      'b2',
      undefined,
      await ctx.snapshotOf({ ...TREE, 'src/a.ts': edited }),
      'hash_prefix',
    );
    await runBatch(ctx.store, { batchId: b2, registry });
    const joined = explainShardMiss(ctx.store, { batchId: b2, taskId: '01_parse', shardId: shard });
    const added = joined.changes.find((c) => c.part === 'members' && 'path' in c && c.path === 'src/a.ts');
    expect(added).toMatchObject({ change: 'added' });
    expect((added as { note: string }).note).toMatch(
      new RegExp(`^content changed; was ${sha256Hex(TREE['src/a.ts']!).slice(0, 12)} in shard ${oldShard}$`),
    );
    const left = explainShardMiss(ctx.store, { batchId: b2, taskId: '01_parse', shardId: oldShard });
    const removed = left.changes.find((c) => c.part === 'members' && 'path' in c && c.path === 'src/a.ts');
    expect(removed).toMatchObject({
      change: 'removed',
      note: `content changed; now ${sha256Hex(edited).slice(0, 12)} in shard ${shard}`,
    });
  });

  it('after the upgrade to path_hash, says a file moved with the same content because the batches shard differently', async () => {
    ctx = await setupStore(TREE, 16);
    const b1 = ctx.newBatch('b1', undefined, undefined, 'hash_prefix');
    await runBatch(ctx.store, { batchId: b1, registry });
    const b2 = ctx.newBatch('b2');
    await runBatch(ctx.store, { batchId: b2, registry });
    const moved = Object.keys(TREE).find((p) => pathShard(p, 16) !== contentShard(TREE[p]!, 16))!;
    expect(moved).toBeDefined();
    const r = explainShardMiss(ctx.store, { batchId: b2, taskId: '01_parse', shardId: pathShard(moved, 16) });
    const member = r.changes.find((c) => c.part === 'members' && 'path' in c && c.path === moved);
    expect(member).toMatchObject({
      change: 'added',
      note: `same content; was ${sha256Hex(TREE[moved]!).slice(0, 12)} in shard ${contentShard(TREE[moved]!, 16)}; b1 shards by hash_prefix into 16`,
    });
  });

  it('names a config change and nothing else', async () => {
    ctx = await setupStore(TREE, 4);
    const b1 = ctx.newBatch('b1');
    await runBatch(ctx.store, { batchId: b1, registry });
    const b2 = ctx.newBatch('b2', { tasks: { lint: { word: 'WORSE' } } });
    await runBatch(ctx.store, { batchId: b2, registry });
    const shard = pathShard('src/a.ts', 4);
    const lint = explainShardMiss(ctx.store, { batchId: b2, taskId: '04_lint', shardId: shard });
    expect(lint.parts).toEqual(['config_digest', 'config']);
    // The setting that changed is named, not only the digest.
    expect(lint.changes).toContainEqual({ part: 'config', field: 'word', from: 'BAD', to: 'WORSE' });
    expect(lint.current.source).toBe('manifest');
    const parse = explainShardMiss(ctx.store, { batchId: b2, taskId: '01_parse', shardId: shard });
    expect(parse.same).toBe(true);
  });

  it('refuses without an earlier batch, with a hint', async () => {
    ctx = await setupStore(TREE, 4);
    const b1 = ctx.newBatch('b1');
    await runBatch(ctx.store, { batchId: b1, registry });
    expect(() =>
      explainShardMiss(ctx.store, {
        batchId: b1,
        taskId: '01_parse',
        shardId: pathShard('src/a.ts', 4),
      }),
    ).toThrow(/no batch before b1/);
  });
});
