import fs from 'node:fs';
import path from 'node:path';
import { readBatchResult } from '../../api/batch-result';
import { isCodebatchError } from '../../errors/codebatch-error';
import { run, semanticRecords, writeSources } from '../../gc/__tests__/stores';
import { makeTempDir } from '../../test-support/temp-dir';
import { sha256Hex } from '../../util/hash';
import { verifyStore } from '../../verify/verify-store';
import { mergeStores } from '../merge-stores';
import { openStore } from '../store';

function expectCode(fn: () => unknown, code: string, details?: Record<string, unknown>) {
  try {
    fn();
  } catch (error) {
    expect(isCodebatchError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    if (details) expect((error as { details: unknown }).details).toMatchObject(details);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('mergeStores', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  const dir = (name: string) => path.join(tmp.dir, name);
  beforeEach(() => {
    tmp = makeTempDir();
    src = dir('src');
    writeSources(src);
  });
  afterEach(() => tmp.cleanup());

  async function slices() {
    const a = await run(dir('a'), src, { batchId: 'slices', shardSlice: { index: 0, total: 2 } });
    const b = await run(dir('b'), src, { batchId: 'slices', shardSlice: { index: 1, total: 2 } });
    expect(a.shards.total).toBeGreaterThan(0);
    expect(b.shards.total).toBeGreaterThan(0);
    return { a, b };
  }

  it('merging two slices equals a single full run (records minus ts and batch id)', async () => {
    await slices();
    const full = await run(dir('full'), src);
    const report = mergeStores(dir('merged'), [dir('a'), dir('b')]);
    expect(report.batches).toEqual({ copied: 1, combined: 1 });
    expect(report.shards.copied).toBeGreaterThan(0);
    const merged = openStore(dir('merged'));
    expect(verifyStore(merged).problems).toEqual([]);
    const result = readBatchResult(merged, 'slices');
    expect(result.status).toBe('done');
    expect(result.shards.total).toBe(full.shards.total);
    expect(semanticRecords(dir('merged'), 'slices')).toEqual(semanticRecords(dir('full'), full.batchId));
    expect(result.diagnostics.map(({ ts: _t, batch_id: _b, ...d }) => d)).toEqual(
      full.diagnostics.map(({ ts: _t, batch_id: _b, ...d }) => d),
    );
    expect(result.counts).toEqual(full.counts);
    // The memo tables are unioned: a later run over the merged store executes nothing.
    const again = await run(dir('merged'), src);
    expect(again.taskFiles.executed).toBe(0);
  });

  it('is idempotent: merging the same slices again changes nothing', async () => {
    await slices();
    mergeStores(dir('merged'), [dir('a'), dir('b')]);
    const before = semanticRecords(dir('merged'), 'slices');
    const report = mergeStores(dir('merged'), [dir('a'), dir('b')]);
    expect(report.objects.copied).toBe(0);
    expect(report.shards.copied).toBe(0);
    expect(report.indexes.memo_lines).toBe(0);
    expect(semanticRecords(dir('merged'), 'slices')).toEqual(before);
  });

  it('detects done shards that disagree, before writing any batch', async () => {
    await slices();
    fs.cpSync(dir('a'), dir('a2'), { recursive: true });
    // Tamper with one done shard of the copy, consistently (digests updated), so that only the
    // comparison with the other side can tell.
    const tasksDir = path.join(dir('a2'), 'batches/slices/tasks');
    const task = fs.readdirSync(tasksDir).find((t) => t.includes('lint')) ?? fs.readdirSync(tasksDir)[0]!;
    const shardsDir = path.join(tasksDir, task, 'shards');
    const shard = fs
      .readdirSync(shardsDir)
      .find(
        (s) => JSON.parse(fs.readFileSync(path.join(shardsDir, s, 'state.json'), 'utf8')).status === 'done',
      )!;
    const outputs = path.join(shardsDir, shard, 'outputs.index.jsonl');
    const text = `${fs.readFileSync(outputs, 'utf8')}${JSON.stringify({ schema_version: 1, snapshot_id: 'x', batch_id: 'slices', task_id: task, shard_id: shard, ts: new Date().toISOString(), path: 'src/a.ts', kind: 'metric', metric: 'extra', value: 1 })}\n`;
    fs.writeFileSync(outputs, text);
    const stateFile = path.join(shardsDir, shard, 'state.json');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    state.outputs_digest = `sha256:${sha256Hex(text)}`;
    state.result_digest = sha256Hex('different');
    fs.writeFileSync(stateFile, JSON.stringify(state));
    expectCode(() => mergeStores(dir('merged'), [dir('a'), dir('a2')]), 'E_BATCH_EXISTS', {
      conflict: 'shard',
      task_id: task,
      shard_id: shard,
    });
    expect(fs.existsSync(path.join(dir('merged'), 'batches/slices'))).toBe(false);
  });

  it('refuses a source whose outputs do not match their recorded digest', async () => {
    await slices();
    const shardsRoot = path.join(dir('b'), 'batches/slices/tasks');
    const task = fs.readdirSync(shardsRoot)[0]!;
    const shardsDir = path.join(shardsRoot, task, 'shards');
    const shard = fs
      .readdirSync(shardsDir)
      .find(
        (s) => JSON.parse(fs.readFileSync(path.join(shardsDir, s, 'state.json'), 'utf8')).status === 'done',
      )!;
    fs.appendFileSync(path.join(shardsDir, shard, 'outputs.index.jsonl'), '{}\n');
    expectCode(() => mergeStores(dir('merged'), [dir('a'), dir('b')]), 'E_INDEX_CORRUPT');
  });

  it('refuses a snapshot id with different content, and a corrupt object', async () => {
    const { a } = await slices();
    fs.cpSync(dir('a'), dir('a2'), { recursive: true });
    fs.appendFileSync(path.join(dir('a2'), 'snapshots', a.snapshotId, 'files.index.jsonl'), '{"path":"x"}\n');
    expectCode(() => mergeStores(dir('m1'), [dir('a'), dir('a2')]), 'E_SNAPSHOT_EXISTS', {
      snapshot_id: a.snapshotId,
    });

    const store = openStore(dir('b'));
    // An object only b holds (one already merged from a is not copied, so not re-read).
    const inA = new Set(openStore(dir('a')).objects.listObjects());
    const hex = [...store.objects.listObjects()].find((h) => !inA.has(h))!;
    fs.writeFileSync(store.objects.objectPath(hex), 'not the original bytes');
    expectCode(() => mergeStores(dir('m2'), [dir('a'), dir('b')]), 'E_OBJECT_CORRUPT', {
      object: `sha256:${hex}`,
    });
  });

  it('refuses the same batch id planned over another snapshot', async () => {
    await run(dir('a'), src, { batchId: 'same' });
    fs.writeFileSync(path.join(src, 'src/extra.ts'), 'export const extra = 1;\n');
    await run(dir('b'), src, { batchId: 'same' });
    expectCode(() => mergeStores(dir('merged'), [dir('a'), dir('b')]), 'E_BATCH_EXISTS', {
      conflict: 'batch',
    });
  });
});
