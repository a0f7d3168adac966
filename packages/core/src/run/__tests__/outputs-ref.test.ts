import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readShardState } from '../../batch/shard-state';
import { pruneStore } from '../../gc/prune-store';
import { exportProvenance } from '../../provenance/export-provenance';
import { verifyShardOutputs } from '../../provenance/verify-outputs';
import { checkStatementSubjects } from '../../provenance/verify-statement';
import { queryOutputs } from '../../query/query-outputs';
import type { OutputRecord } from '../../schemas/output-record';
import type { ShardState } from '../../schemas/state-record';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { mergeStores } from '../../store/merge-stores';
import { readIndexFile } from '../../store/read-index-file';
import { initStore, openStore, type Store } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { sha256Hex } from '../../util/hash';
import { verifyStore } from '../../verify/verify-store';
import { SCHEMA_VERSION } from '../../version';
import { runBatch } from '../run-batch';

const registry = createTestRegistry();

const TREE: Record<string, string> = {
  'src/a.ts': 'function alpha() {}\nconst x = "BAD";\n',
  'src/b.ts': 'function beta() {}\n',
  'src/c.py': 'def gamma():\n    pass  # BAD\n',
  'docs/readme.md': '# Title\n\nBAD words here\n',
  'lib/d.js': 'function delta() { return 1; }\n',
};

/** Every done shard of a batch: where it is and its state. */
function shardsOf(store: Store, batchId: string): { taskId: string; shardId: string; state: ShardState }[] {
  const out: { taskId: string; shardId: string; state: ShardState }[] = [];
  for (const taskId of fs.readdirSync(path.join(store.layout.batchDir(batchId), 'tasks')).sort())
    for (const shardId of fs.readdirSync(store.layout.shardsDir(batchId, taskId)).sort())
      out.push({ taskId, shardId, state: readShardState(store, batchId, taskId, shardId) });
  return out;
}

/** Records as the query engine answers them, without the fields a new batch changes. */
function answered(store: Store, batchId: string): string[] {
  return queryOutputs(store, batchId)
    .records.map(({ ts: _ts, batch_id: _b, ...rest }: OutputRecord) => JSON.stringify(rest))
    .sort();
}

/** A reused shard names its source's index as an object instead of copying it (issue 13). */
describe('reused shards reference their records', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let snapshotId: string;
  beforeEach(async () => {
    tmp = makeTempDir();
    writeTree(path.join(tmp.dir, 'src'), TREE);
    store = initStore(path.join(tmp.dir, 'store')).store;
    snapshotId = (await createSnapshot(store, path.join(tmp.dir, 'src'), {})).record.snapshot_id;
  });
  afterEach(() => tmp.cleanup());

  const run = async (id: string, force = false) => {
    if (!fs.existsSync(store.layout.batchDir(id)))
      initBatch(store, { snapshotId, pipeline: 'full', shards: 4, registry, id });
    return runBatch(store, { batchId: id, registry, manifests: true, force });
  };

  it('links the source index as an object, writes a stub, and answers with its own ids', async () => {
    await run('a');
    const second = await run('b');
    expect(second.counts.reused).toBe(second.results.length);
    for (const { taskId, shardId, state } of shardsOf(store, 'b')) {
      const ref = state.outputs_ref!;
      expect(ref.object).toBe(state.outputs_digest);
      expect(ref.from).toEqual({
        schema_version: SCHEMA_VERSION,
        snapshot_id: snapshotId,
        batch_id: 'a',
        task_id: taskId,
        shard_id: shardId,
      });
      const object = store.objects.objectPath(ref.object.slice(7));
      const source = store.layout.outputsFile('a', taskId, shardId);
      // The same bytes, and for an index with records the same inode: nothing was copied (an
      // empty index is the empty object, which some other empty index may have made first).
      expect(fs.readFileSync(object)).toEqual(fs.readFileSync(source));
      if (fs.statSync(source).size > 0) expect(fs.statSync(object).ino).toBe(fs.statSync(source).ino);
      // The shard's own index is a stub that does not hash to its digest: an engine that knows
      // no references fails on it (E_INDEX_CORRUPT) instead of reading "no outputs".
      const stub = fs.readFileSync(store.layout.outputsFile('b', taskId, shardId));
      expect(stub.toString()).toContain(ref.object);
      expect(`sha256:${sha256Hex(stub)}`).not.toBe(state.outputs_digest);
    }
    const records = queryOutputs(store, 'b').records;
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.batch_id).toBe('b');
    expect(answered(store, 'b')).toEqual(answered(store, 'a'));
    expect(verifyStore(store).problems).toEqual([]);
    for (const { taskId, shardId } of shardsOf(store, 'b'))
      expect(verifyShardOutputs(store, 'b', taskId, shardId, { validate: true })).toMatchObject({ ok: true });
  });

  it('never chains: a reuse of a reused shard names the first object, with the first ids', async () => {
    await run('a');
    await run('b');
    // The memo now points at b's shards (the last commit of each bundle).
    const third = await run('c');
    expect(third.counts.reused).toBe(third.results.length);
    const b = shardsOf(store, 'b');
    for (const [i, { state }] of shardsOf(store, 'c').entries()) {
      expect(state.outputs_ref!.object).toBe(b[i]!.state.outputs_ref!.object);
      expect(state.outputs_ref!.from.batch_id).toBe('a');
    }
    for (const r of queryOutputs(store, 'c').records) expect(r.batch_id).toBe('c');
    expect(verifyStore(store).problems).toEqual([]);
  });

  it('keeps answering after the source shard is re-run with --force and after gc removes the source batch', async () => {
    await run('a');
    await run('b');
    const before = answered(store, 'b');
    const forced = await run('a', true);
    expect(forced.counts.executed).toBe(forced.results.length);
    expect(answered(store, 'b')).toEqual(before);
    expect(verifyStore(store).problems).toEqual([]);
    const report = pruneStore(store, { keepBatchIds: ['b'], keepBatches: 0, graceMs: 0 });
    expect(report.batches.removed).toContain('a');
    expect(fs.existsSync(store.layout.batchDir('a'))).toBe(false);
    // Every object b's records name (ASTs, symbol tables) was kept with the index object.
    expect(answered(store, 'b')).toEqual(before);
    expect(verifyStore(store).problems).toEqual([]);
  });

  it('is merged into another store whole, and verified there', async () => {
    await run('a');
    await run('b');
    const target = path.join(tmp.dir, 'merged');
    mergeStores(target, [store.layout.root]);
    const merged = openStore(target);
    expect(answered(merged, 'b')).toEqual(answered(store, 'b'));
    expect(verifyStore(merged).problems).toEqual([]);
  });

  it('is never trusted blindly: a damaged object fails reads and verify, and the next batch executes', async () => {
    await run('a');
    await run('b');
    const { state } = shardsOf(store, 'b').find(
      (s) => s.taskId === '04_lint' && (s.state.stats?.outputs_written ?? 0) > 0,
    )!;
    const object = store.objects.objectPath(state.outputs_ref!.object.slice(7));
    // Replaced by rename, as the engine replaces files: the source shard's own index keeps its bytes.
    const damaged = `${fs.readFileSync(object, 'utf8')}{"path":"x","kind":"metric"}\n`;
    fs.rmSync(object);
    fs.writeFileSync(object, damaged);
    expect(() => queryOutputs(store, 'b')).toThrow(/does not match the digest its state recorded/);
    expect(verifyStore(store).problems.map((p) => p.kind)).toEqual(
      expect.arrayContaining(['object_corrupt', 'state_mismatch']),
    );
    // Reuse from b would find the damage: with a gone, c executes that shard, never takes b's object.
    const expected = answered(store, 'a');
    fs.rmSync(store.layout.batchDir('a'), { recursive: true });
    const third = await run('c');
    const lint = third.results.filter((r) => r.taskId === '04_lint' && r.shardId === state.shard_id);
    expect(lint.map((r) => r.outcome)).toEqual(['executed']);
    expect(answered(store, 'c')).toEqual(expected);
  });

  it('repairs a damaged object already at the digest it links, in the same process that reads it', async () => {
    await run('a');
    const lint = shardsOf(store, 'a').find(
      (s) => s.taskId === '04_lint' && (s.state.stats?.outputs_written ?? 0) > 0,
    )!;
    const object = store.objects.objectPath(lint.state.outputs_digest!.slice(7));
    fs.mkdirSync(path.dirname(object), { recursive: true });
    fs.writeFileSync(object, 'tampered\n');
    const expected = answered(store, 'a');
    const second = await run('b');
    expect(second.results.find((r) => r.taskId === '04_lint' && r.shardId === lint.shardId)!.outcome).toBe(
      'reused',
    );
    expect(answered(store, 'b')).toEqual(expected);
    expect(store.objects.verifyObject(lint.state.outputs_digest!.slice(7))).toBe('ok');
  });

  it('executes instead of referencing an index whose lines do not all carry its ids', async () => {
    await run('a');
    const shard = shardsOf(store, 'a').find((s) => (s.state.stats?.outputs_written ?? 0) > 1)!;
    const file = store.layout.outputsFile('a', shard.taskId, shard.shardId);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"batch_id":"a"', '"batch_id":"z"');
    const bytes = Buffer.from(lines.join('\n'));
    fs.rmSync(file);
    fs.writeFileSync(file, bytes);
    const stateFile = store.layout.stateFile('a', shard.taskId, shard.shardId);
    const digest = `sha256:${sha256Hex(bytes)}`;
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    fs.writeFileSync(
      stateFile,
      JSON.stringify({
        ...state,
        outputs_digest: digest,
        diagnostic_counts: { ...state.diagnostic_counts, outputs_digest: digest },
      }),
    );
    const second = await run('b');
    expect(
      second.results.find((r) => r.taskId === shard.taskId && r.shardId === shard.shardId)!.outcome,
    ).toBe('executed');
    expect(verifyStore(store).problems).toEqual([]);
  });

  it("reads the shard's own index when an older engine re-ran it and left the reference behind", async () => {
    await run('a');
    await run('b');
    const { taskId, shardId, state } = shardsOf(store, 'b').find(
      (s) => (s.state.stats?.outputs_written ?? 0) > 0,
    )!;
    // What an engine from before references writes when it re-runs the shard: a full index and
    // its digest, spreading the previous state (outputs_ref included) into the new one.
    const records = queryOutputs(store, 'b').records.filter(
      (r) => r.task_id === taskId && r.shard_id === shardId,
    );
    const bytes = Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fs.writeFileSync(store.layout.outputsFile('b', taskId, shardId), bytes);
    const digest = `sha256:${sha256Hex(bytes)}`;
    fs.writeFileSync(
      store.layout.stateFile('b', taskId, shardId),
      JSON.stringify({ ...state, outputs_digest: digest, diagnostic_counts: undefined }),
    );
    expect(
      queryOutputs(store, 'b').records.filter((r) => r.task_id === taskId && r.shard_id === shardId),
    ).toEqual(records);
    expect(verifyStore(store).problems).toEqual([]);
  });

  it('exports provenance whose subjects verify for reused shards', async () => {
    await run('a');
    await run('b');
    for (const id of ['a', 'b']) {
      const check = checkStatementSubjects(store, exportProvenance(store, id, 'intoto'));
      expect(check.subjects).toBeGreaterThan(0);
      expect(check.mismatches).toEqual([]);
    }
  });
});

describe('linkObject', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = makeTempDir();
    store = initStore(path.join(tmp.dir, 'store')).store;
  });
  afterEach(() => tmp.cleanup());

  const source = (text: string) => {
    const file = path.join(tmp.dir, 'index.jsonl');
    fs.writeFileSync(file, text);
    const read = readIndexFile(file)!;
    return { file, read };
  };

  it('links the inode that was hashed and leaves no temp behind, also when two link one source', () => {
    const { file, read } = source('{"a":1}\n');
    expect(store.objects.linkObject(read.hex, file, read.identity, read.bytes)).toBe('linked');
    expect(fs.statSync(store.objects.objectPath(read.hex)).ino).toBe(fs.statSync(file).ino);
    // A second process that read the same file: the object is that inode already.
    expect(store.objects.linkObject(read.hex, file, read.identity, read.bytes)).toBe('present');
    const tmpDir = path.join(store.layout.root, 'tmp');
    expect(fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir) : []).toEqual([]);
    expect(store.objects.verifyObject(read.hex)).toBe('ok');
  });

  it('writes the hashed bytes when the file was replaced since it was read', () => {
    const { file, read } = source('{"a":1}\n');
    fs.rmSync(file);
    fs.writeFileSync(file, '{"a":2}\n');
    expect(store.objects.linkObject(read.hex, file, read.identity, read.bytes)).toBe('written');
    expect(store.objects.verifyObject(read.hex)).toBe('ok');
    expect(fs.statSync(store.objects.objectPath(read.hex)).ino).not.toBe(fs.statSync(file).ino);
  });

  it('replaces damaged bytes already at the digest', () => {
    const { file, read } = source('{"a":1}\n');
    const object = store.objects.objectPath(read.hex);
    fs.mkdirSync(path.dirname(object), { recursive: true });
    fs.writeFileSync(object, 'damaged');
    expect(store.objects.linkObject(read.hex, file, read.identity, read.bytes)).toBe('written');
    expect(store.objects.verifyObject(read.hex)).toBe('ok');
  });
});
