import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { shardOf } from '../../batch/shard-assignment';
import { readShardState } from '../../batch/shard-state';
import { deriveBatchStatus } from '../../batch/status';
import { type OutputRecord, outputRecordSchema } from '../../schemas/output-record';
import { shardStateSchema } from '../../schemas/state-record';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { readFilesIndex } from '../../snapshot/read-snapshot';
import { readJsonl } from '../../store/jsonl';
import { initStore, type Store } from '../../store/store';
import { pathShardOracle } from '../../test-support/path-hash-oracle';
import { readAllShardRecords } from '../../test-support/read-shard-records';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { verifyStore } from '../../verify/verify-store';
import { runBatch } from '../run-batch';

const registry = createTestRegistry();

const TREE: Record<string, string> = {
  'src/a.ts': 'function alpha() {}\nconst x = "BAD";\n',
  'src/b.ts': 'function beta() {}\n',
  'src/c.py': 'def gamma():\n    pass  # BAD\n',
  'docs/readme.md': '# Title\n\nBAD words here\n',
  'lib/d.js': 'function delta() { return 1; }\n',
  'lib/e.js': '// nothing to see\n',
};

async function setup(tree: Record<string, string> = TREE, shards = 4) {
  const tmp = makeTempDir();
  const src = path.join(tmp.dir, 'src');
  writeTree(src, tree);
  const { store } = initStore(path.join(tmp.dir, 'store'));
  const snap = await createSnapshot(store, src, {});
  const newBatch = (id?: string) =>
    initBatch(store, { snapshotId: snap.record.snapshot_id, pipeline: 'full', shards, id, registry }).batch
      .batch_id;
  return { tmp, src, store, snapshotId: snap.record.snapshot_id, newBatch };
}

function readAllOutputs(store: Store, batchId: string): OutputRecord[] {
  return readAllShardRecords(store, batchId);
}

/** Whole records minus the fields that legitimately differ between runs and batches. */
function semantic(records: OutputRecord[], drop: string[] = ['ts']): unknown[] {
  return records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k))));
}

function outputsBytes(store: Store, batchId: string): Record<string, string> {
  const files: Record<string, string> = {};
  const root = store.layout.batchDir(batchId);
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'outputs.index.jsonl') files[path.relative(root, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return files;
}

describe('runBatch', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  afterEach(() => ctx?.tmp.cleanup());

  it('runs the full pipeline to done: every shard state done, every task with outputs (gate 1)', async () => {
    ctx = await setup();
    const batchId = ctx.newBatch();
    const summary = await runBatch(ctx.store, { batchId, registry });
    expect(summary.counts.failed).toBe(0);
    expect(summary.counts.executed).toBe(summary.results.length);
    const status = deriveBatchStatus(ctx.store, batchId);
    expect(status.status).toBe('done');
    expect(status.tasks.map((t) => [t.task_id, t.status])).toEqual([
      ['01_parse', 'done'],
      ['02_analyze', 'done'],
      ['03_symbols', 'done'],
      ['04_lint', 'done'],
    ]);
    for (const t of status.tasks) expect(t.outputs).toBeGreaterThan(0);
    const records = readAllOutputs(ctx.store, batchId);
    for (const r of records) expect(outputRecordSchema.safeParse(r).success).toBe(true);
    expect(
      records
        .filter((r) => r.kind === 'diagnostic')
        .map((r) => `${r.path}:${r.line}`)
        .sort(),
    ).toEqual(['docs/readme.md:3', 'src/a.ts:2', 'src/c.py:2']);
    expect(
      records
        .filter((r) => r.kind === 'symbol')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['alpha', 'beta', 'delta']);
    for (const r of records) expect(r.batch_id).toBe(batchId);
    expect(verifyStore(ctx.store).problems).toEqual([]);
  });

  it('skips a second run by the bundle hash and writes no new records', async () => {
    ctx = await setup();
    const batchId = ctx.newBatch();
    await runBatch(ctx.store, { batchId, registry });
    const before = outputsBytes(ctx.store, batchId);
    const second = await runBatch(ctx.store, { batchId, registry });
    expect(second.counts.skipped).toBe(second.results.length);
    expect(second.counts.executed).toBe(0);
    expect(outputsBytes(ctx.store, batchId)).toEqual(before);
  });

  it('re-executes with force and reproduces identical records (minus ts), with a higher attempt', async () => {
    ctx = await setup();
    const batchId = ctx.newBatch();
    await runBatch(ctx.store, { batchId, registry });
    const first = readAllOutputs(ctx.store, batchId);
    const forced = await runBatch(ctx.store, { batchId, registry, force: true });
    expect(forced.counts.executed).toBe(forced.results.length);
    expect(semantic(readAllOutputs(ctx.store, batchId))).toEqual(semantic(first));
    const shard = forced.results[0]!;
    expect(readShardState(ctx.store, batchId, shard.taskId, shard.shardId).attempt).toBe(2);
  });

  it('reuses every shard of a new batch over the same snapshot, with the new batch id on every record', async () => {
    ctx = await setup();
    const a = ctx.newBatch('batch-a');
    await runBatch(ctx.store, { batchId: a, registry });
    const b = ctx.newBatch('batch-b');
    const run = await runBatch(ctx.store, { batchId: b, registry });
    expect(run.counts.reused).toBe(run.results.length);
    expect(run.counts.executed).toBe(0);
    const recordsB = readAllOutputs(ctx.store, b);
    for (const r of recordsB) expect(r.batch_id).toBe('batch-b');
    expect(semantic(recordsB, ['batch_id'])).toEqual(semantic(readAllOutputs(ctx.store, a), ['batch_id']));
    expect(deriveBatchStatus(ctx.store, b).tasks.every((t) => t.shards.reused === t.shards.total)).toBe(true);
    expect(verifyStore(ctx.store).ok).toBe(true);
  });

  it('does not reuse when the upstream output it depends on is corrupt, and executes instead', async () => {
    ctx = await setup();
    const a = ctx.newBatch('batch-a');
    await runBatch(ctx.store, { batchId: a, registry });
    const astRecord = readAllOutputs(ctx.store, a).find((r) => r.kind === 'ast')!;
    const hex = astRecord.object!.slice('sha256:'.length);
    fs.rmSync(ctx.store.objects.objectPath(hex));
    const b = ctx.newBatch('batch-b');
    const run = await runBatch(ctx.store, { batchId: b, registry });
    const parseOfThatShard = run.results.find(
      (r) => r.taskId === '01_parse' && r.shardId === astRecord.shard_id,
    )!;
    expect(parseOfThatShard.outcome).toBe('executed');
    expect(ctx.store.objects.verifyObject(hex)).toBe('ok');
  });

  it('refuses to run a task whose dependency is not done, writing nothing (E_DEP_NOT_DONE)', async () => {
    ctx = await setup();
    const batchId = ctx.newBatch();
    await expect(runBatch(ctx.store, { batchId, registry, taskIds: ['04_lint'] })).rejects.toMatchObject({
      code: 'E_DEP_NOT_DONE',
    });
    const status = deriveBatchStatus(ctx.store, batchId);
    expect(status.tasks.every((t) => t.shards.done === 0)).toBe(true);
  });

  it('runs tasks one at a time in dependency order, as the acceptance checklist does', async () => {
    ctx = await setup();
    const batchId = ctx.newBatch();
    for (const task of ['01_parse', '02_analyze', '03_symbols', '04_lint']) {
      const r = await runBatch(ctx.store, { batchId, registry, taskIds: [task] });
      expect(r.results.every((x) => x.taskId === task && x.outcome === 'executed')).toBe(true);
    }
    expect(deriveBatchStatus(ctx.store, batchId).status).toBe('done');
  });

  it('fails one shard without touching others, and blocks its dependents instead of counting them done', async () => {
    const tree = { ...TREE, 'src/boom.ts': 'FAIL_PARSE\n' };
    ctx = await setup(tree);
    const batchId = ctx.newBatch();
    const run = await runBatch(ctx.store, { batchId, registry });
    const failed = run.results.filter((r) => r.outcome === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.taskId).toBe('01_parse');
    const blocked = run.results.filter((r) => r.outcome === 'blocked');
    expect(blocked.map((r) => r.taskId).sort()).toEqual(['02_analyze', '03_symbols', '04_lint']);
    expect(blocked.every((r) => r.shardId === failed[0]!.shardId)).toBe(true);
    const status = deriveBatchStatus(ctx.store, batchId);
    expect(status.status).toBe('failed');
    expect(status.tasks.find((t) => t.task_id === '01_parse')!.status).toBe('failed');
    expect(status.tasks.filter((t) => t.task_id !== '01_parse').map((t) => t.status)).toEqual([
      'blocked',
      'blocked',
      'blocked',
    ]);
    const state = readShardState(ctx.store, batchId, '01_parse', failed[0]!.shardId);
    expect(state).toMatchObject({ status: 'failed', error: { code: 'E_TASK_FAILED' } });
    // other shards completed and stay done
    expect(run.results.filter((r) => r.outcome === 'executed').length).toBeGreaterThan(0);
  });

  it('records a task crash on one file as an error diagnostic for that file and completes the shard', async () => {
    ctx = await setup({ ...TREE, 'src/crash.ts': 'CRASH\n' });
    const batchId = ctx.newBatch();
    const run = await runBatch(ctx.store, { batchId, registry });
    expect(run.counts.failed).toBe(0);
    const crash = readAllOutputs(ctx.store, batchId).filter((r) => r.code === 'CB0001');
    expect(crash).toMatchObject([{ path: 'src/crash.ts', task_id: '04_lint', severity: 'error' }]);
  });

  it('fails a shard whose task emits a record that does not validate, committing nothing', async () => {
    const bad = createTestRegistry({
      lint: {
        ...(createTestRegistry().get('lint') as object),
        runFile: (file: { path: string }) => [{ path: file.path, kind: 'bogus' }],
      } as never,
    });
    ctx = await setup();
    const batchId = initBatch(ctx.store, {
      snapshotId: ctx.snapshotId,
      pipeline: 'full',
      shards: 4,
      registry: bad,
    }).batch.batch_id;
    const run = await runBatch(ctx.store, { batchId, registry: bad });
    const lint = run.results.filter((r) => r.taskId === '04_lint');
    expect(lint.every((r) => r.outcome === 'failed' && r.error?.code === 'E_RECORD_INVALID')).toBe(true);
    for (const r of lint)
      expect(fs.existsSync(ctx.store.layout.outputsFile(batchId, '04_lint', r.shardId))).toBe(false);
    expect(run.results.filter((r) => r.taskId === '01_parse').every((r) => r.outcome === 'executed')).toBe(
      true,
    );
  });

  it('re-runs a shard whose state and outputs were deleted and produces the same records (gate 4)', async () => {
    ctx = await setup();
    const batchId = ctx.newBatch();
    await runBatch(ctx.store, { batchId, registry });
    const shardId = readAllOutputs(ctx.store, batchId).find((r) => r.task_id === '03_symbols')!.shard_id;
    const outputs = ctx.store.layout.outputsFile(batchId, '03_symbols', shardId);
    const run1 = readJsonl<OutputRecord>(outputs).records;
    fs.rmSync(ctx.store.layout.stateFile(batchId, '03_symbols', shardId));
    fs.rmSync(outputs);
    const rerun = await runBatch(ctx.store, {
      batchId,
      registry,
      taskIds: ['03_symbols'],
      shardIds: [shardId],
    });
    expect(rerun.results).toMatchObject([{ outcome: 'executed', shardId }]);
    expect(semantic(readJsonl<OutputRecord>(outputs).records)).toEqual(semantic(run1));
  });

  it('writes state.json records that validate and only move forward', async () => {
    ctx = await setup();
    const batchId = ctx.newBatch();
    await runBatch(ctx.store, { batchId, registry });
    await runBatch(ctx.store, { batchId, registry, force: true });
    const status = deriveBatchStatus(ctx.store, batchId);
    for (const t of status.tasks) {
      const dir = ctx.store.layout.shardsDir(batchId, t.task_id);
      for (const s of fs.readdirSync(dir)) {
        const state = JSON.parse(fs.readFileSync(path.join(dir, s, 'state.json'), 'utf8'));
        expect(shardStateSchema.parse(state)).toMatchObject({ status: 'done', attempt: 2 });
      }
    }
  });

  it('assigns each file to the shard given by its path hash, the same in every batch', async () => {
    ctx = await setup();
    const a = initBatch(ctx.store, { snapshotId: ctx.snapshotId, pipeline: 'parse', shards: 16, registry });
    const b = initBatch(ctx.store, { snapshotId: ctx.snapshotId, pipeline: 'parse', shards: 16, registry });
    expect(a.tasks[0]!.sharding.strategy).toBe('path_hash');
    expect(a.shardIds).toEqual(b.shardIds);
    await runBatch(ctx.store, { batchId: a.batch.batch_id, registry });
    await runBatch(ctx.store, { batchId: b.batch.batch_id, registry });
    const placement = (id: string) => readAllOutputs(ctx.store, id).map((r) => [r.path, r.shard_id]);
    const byPath = { strategy: 'path_hash', shard_count: 16 } as const;
    for (const [p, shard] of placement(a.batch.batch_id)) {
      expect(shard).toBe(shardOf(byPath, { path: p!, object: '' }));
      expect(shard).toBe(pathShardOracle(p!, 16));
    }
    expect(placement(b.batch.batch_id)).toEqual(placement(a.batch.batch_id));
  });

  it('runs a batch planned by content hash (an older store) by content hash', async () => {
    ctx = await setup();
    const old = initBatch(ctx.store, {
      snapshotId: ctx.snapshotId,
      pipeline: 'parse',
      shards: 16,
      registry,
      strategy: 'hash_prefix',
    });
    expect(old.tasks[0]!.sharding.strategy).toBe('hash_prefix');
    await runBatch(ctx.store, { batchId: old.batch.batch_id, registry });
    const files = new Map(readFilesIndex(ctx.store, ctx.snapshotId).map((f) => [f.path, f.object]));
    const placed = readAllOutputs(ctx.store, old.batch.batch_id);
    expect(placed.length).toBe(files.size);
    for (const r of placed) {
      // The first byte of the content hash, computed here rather than by the engine.
      const byte = Number.parseInt(files.get(r.path!)!.slice('sha256:'.length, 'sha256:'.length + 2), 16);
      expect(r.shard_id).toBe((byte % 16).toString(16).padStart(2, '0'));
    }
  });
});
