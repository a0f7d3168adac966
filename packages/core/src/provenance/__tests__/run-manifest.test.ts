import fs from 'node:fs';
import { readShardState } from '../../batch/shard-state';
import { pruneStore } from '../../gc/prune-store';
import { buildInputBundle } from '../../run/input-bundle';
import { runBatch } from '../../run/run-batch';
import {
  buildShardManifest,
  countOutputKinds,
  createStageTimer,
  readManifest,
  readManifestPreimage,
  type ShardManifestInput,
  writeShardManifest,
} from '../../run/shard-manifest';
import { runManifestSchema, shardRunManifestSchema } from '../../schemas/run-manifest';
import { sha256OfCanonical } from '../../util/hash';
import { verifyStore } from '../../verify/verify-store';
import { reconstructPreimage } from '../bundle-preimage';
import { loadRunPreimage } from '../explain-shard-miss';
import {
  buildBatchManifest,
  deriveShardManifest,
  readBatchManifestRef,
  writeBatchManifest,
} from '../run-manifest';
import { registry, setupStore } from './provenance-fixture';

const HEX = (c: string) => c.repeat(64);

function sampleInput(): ShardManifestInput {
  const bundle = buildInputBundle({
    taskId: '04_lint',
    type: 'lint',
    version: 'test-1',
    configDigest: `sha256:${HEX('c')}`,
    chunking: { threshold: 100, chunk_size: 10 },
    members: [
      ['src/b.ts', `sha256:${HEX('b')}`],
      ['src/a.ts', `sha256:${HEX('a')}`],
    ],
    upstream: [{ task_id: '01_parse', result_digest: HEX('d') }],
  });
  return {
    batch_id: 'b1',
    snapshot_id: 'snap1',
    task_id: '04_lint',
    shard_id: '0a',
    task: { type: 'lint', version: 'test-1', config_digest: `sha256:${HEX('c')}` },
    attempt: 1,
    outcome: 'executed',
    started_at: '2024-01-01T00:00:00.000Z',
    completed_at: '2024-01-01T00:00:01.000Z',
    bundle,
    upstream: [
      { task_id: '01_parse', shard_id: '0a', result_digest: HEX('d'), manifest: `sha256:${HEX('e')}` },
    ],
    outputs: {
      outputs_digest: `sha256:${HEX('f')}`,
      result_digest: HEX('1'),
      count: 3,
      by_kind: countOutputKinds([{ kind: 'metric' }, { kind: 'diagnostic' }, { kind: 'diagnostic' }]),
    },
    timings_ms: { analysis: 1, compilation: 2, processing: 3 },
    memo: { files_executed: 1, files_reused: 1 },
    verification: { outputs_rehash: 'ok', records_validated: { checked: 3, invalid: 0 } },
    versions: { engine: '0.1.0', node: '20.0.0' },
  };
}

describe('buildShardManifest', () => {
  it('holds task metadata, inputs by digest, the labelled preimage, outputs, edges, timings and memo counts', () => {
    const m = buildShardManifest(sampleInput());
    expect(shardRunManifestSchema.parse(m)).toEqual(m);
    expect(m.task).toEqual({
      task_id: '04_lint',
      type: 'lint',
      version: 'test-1',
      config_digest: `sha256:${HEX('c')}`,
    });
    expect(m.inputs.files.map((f) => f.path)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(m.inputs.upstream).toEqual([
      { task_id: '01_parse', shard_id: '0a', result_digest: HEX('d'), manifest: `sha256:${HEX('e')}` },
    ]);
    expect(m.input_bundle.preimage.config_digest).toBe(`sha256:${HEX('c')}`);
    expect(m.outputs!.by_kind).toEqual({ diagnostic: 2, metric: 1 });
    expect(m.dependencies).toEqual([
      { edge: 'reads_outputs_of', task_id: '01_parse', shard_id: '0a', manifest: `sha256:${HEX('e')}` },
    ]);
    expect(m.timings_ms).toEqual({ analysis: 1, compilation: 2, processing: 3, total: 6 });
    expect(m.memo).toEqual({ files_executed: 1, files_reused: 1 });
    expect(m.versions).toMatchObject({ engine: '0.1.0', node: '20.0.0', task: 'test-1' });
  });

  it('is a pure function: same input, same bytes, same object ref', async () => {
    const ctx = await setupStore();
    try {
      const a = writeShardManifest(ctx.store, buildShardManifest(sampleInput()));
      const b = writeShardManifest(ctx.store, buildShardManifest(sampleInput()));
      expect(a).toBe(b);
      expect(readManifest(ctx.store, a)).toEqual(buildShardManifest(sampleInput()));
    } finally {
      ctx.tmp.cleanup();
    }
  });

  it('stage timer reports zeros under CODEBATCH_FIXED_TIME', () => {
    const saved = process.env.CODEBATCH_FIXED_TIME;
    let t = 0;
    const tick = () => (t += 5);
    try {
      process.env.CODEBATCH_FIXED_TIME = '2024-01-01T00:00:00.000Z';
      const fixed = createStageTimer(tick);
      fixed.mark('analysis');
      fixed.mark('processing');
      expect(fixed.timings()).toEqual({ analysis: 0, compilation: 0, processing: 0, total: 0 });
      delete process.env.CODEBATCH_FIXED_TIME;
      const real = createStageTimer(tick);
      real.mark('analysis');
      real.mark('compilation');
      real.mark('processing');
      expect(real.timings()).toEqual({ analysis: 5, compilation: 5, processing: 5, total: 15 });
    } finally {
      if (saved === undefined) delete process.env.CODEBATCH_FIXED_TIME;
      else process.env.CODEBATCH_FIXED_TIME = saved;
    }
  });
});

describe('manifests of real runs', () => {
  const saved = process.env.CODEBATCH_FIXED_TIME;
  beforeAll(() => {
    process.env.CODEBATCH_FIXED_TIME = '2024-05-01T12:00:00.000Z';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.CODEBATCH_FIXED_TIME;
    else process.env.CODEBATCH_FIXED_TIME = saved;
  });

  async function runAndManifest() {
    const ctx = await setupStore();
    const batchId = ctx.newBatch('b1');
    await runBatch(ctx.store, { batchId, registry });
    const refs: Record<string, string> = {};
    for (const t of ['01_parse', '02_analyze', '03_symbols', '04_lint']) {
      for (const s of fs.readdirSync(ctx.store.layout.shardsDir(batchId, t)).sort()) {
        refs[`${t}/${s}`] = writeShardManifest(ctx.store, deriveShardManifest(ctx.store, batchId, t, s));
      }
    }
    return { ctx, batchId, refs };
  }

  it('the rebuilt preimage is exactly the one the runner hashed', async () => {
    const { ctx, batchId } = await runAndManifest();
    try {
      const state = readShardState(
        ctx.store,
        batchId,
        '04_lint',
        fs.readdirSync(ctx.store.layout.shardsDir(batchId, '04_lint'))[0]!,
      );
      const r = reconstructPreimage(ctx.store, batchId, '04_lint', state.shard_id);
      expect(r.exact).toBe(true);
      expect(r.hash).toBe(state.bundle_hash);
      expect(r.upstream.map((u) => u.task_id)).toEqual(['01_parse']);
    } finally {
      ctx.tmp.cleanup();
    }
  });

  it('identical runs in two stores give byte-identical manifests (fixed time)', async () => {
    const one = await runAndManifest();
    const two = await runAndManifest();
    try {
      expect(Object.keys(one.refs).length).toBeGreaterThan(4);
      expect(two.refs).toEqual(one.refs);
      const m = readManifest(one.ctx.store, Object.values(one.refs).at(-1)!);
      expect(runManifestSchema.parse(m)).toEqual(m);
    } finally {
      one.ctx.tmp.cleanup();
      two.ctx.tmp.cleanup();
    }
  });

  it('a batch manifest links every shard run and is pointed to from indexes/', async () => {
    const { ctx, batchId } = await runAndManifest();
    try {
      const m = buildBatchManifest(ctx.store, batchId);
      expect(m.tasks.map((t) => t.task_id)).toEqual(['01_parse', '02_analyze', '03_symbols', '04_lint']);
      expect(m.shard_runs.every((r) => r.status === 'done' && r.bundle_hash)).toBe(true);
      const ref = writeBatchManifest(ctx.store, m);
      expect(readBatchManifestRef(ctx.store, batchId)).toBe(ref);
      expect(readManifest(ctx.store, ref)).toEqual(m);
    } finally {
      ctx.tmp.cleanup();
    }
  });
});

describe('a forced re-run', () => {
  it('records the manifest it supersedes as previous_manifest', async () => {
    const ctx = await setupStore();
    try {
      const batchId = ctx.newBatch('b1');
      await runBatch(ctx.store, { batchId, registry });
      const shard = fs.readdirSync(ctx.store.layout.shardsDir(batchId, '01_parse')).sort()[0]!;
      const before = readShardState(ctx.store, batchId, '01_parse', shard);
      expect(before.manifest).toBeDefined();
      await runBatch(ctx.store, { batchId, registry, taskIds: ['01_parse'], shardIds: [shard], force: true });
      const after = readShardState(ctx.store, batchId, '01_parse', shard);
      expect(after.attempt).toBe(before.attempt + 1);
      const m = readManifest(ctx.store, after.manifest!);
      expect(m.kind === 'shard_run' && m.run.outcome).toBe('executed');
      expect(m.kind === 'shard_run' && m.run.previous_manifest).toBe(before.manifest);
    } finally {
      ctx.tmp.cleanup();
    }
  });
});

describe('the members of a bundle', () => {
  it("a reused shard's manifest names its source's members object instead of listing the files; the preimage read back hashes to the bundle", async () => {
    const ctx = await setupStore();
    try {
      const b1 = ctx.newBatch('b1');
      await runBatch(ctx.store, { batchId: b1, registry });
      const b2 = ctx.newBatch('b2');
      await runBatch(ctx.store, { batchId: b2, registry });
      const shards = fs.readdirSync(ctx.store.layout.shardsDir(b2, '04_lint')).sort();
      let checked = 0;
      for (const shard of shards) {
        const source = readShardState(ctx.store, b1, '04_lint', shard);
        const state = readShardState(ctx.store, b2, '04_lint', shard);
        const executed = readManifest(ctx.store, source.manifest!);
        const reused = readManifest(ctx.store, state.manifest!);
        if (executed.kind !== 'shard_run' || reused.kind !== 'shard_run') throw new Error('not shard runs');
        expect(reused.run.outcome).toBe('reused');
        expect(executed.run.outcome).toBe('executed');
        expect(reused.input_bundle.members_object).toMatch(/^sha256:[a-f0-9]{64}$/);
        expect(reused.input_bundle.members_object).toBe(executed.input_bundle.members_object);
        expect(reused.inputs.files).toBeUndefined();
        expect(reused.input_bundle.preimage.members).toBeUndefined();
        const preimage = readManifestPreimage(ctx.store, reused);
        expect(preimage.members.length).toBeGreaterThan(0);
        expect(sha256OfCanonical(preimage)).toBe(reused.input_bundle.hash);
        expect(reused.input_bundle.hash).toBe(state.bundle_hash);
        // No file's object is named in the reused manifest itself.
        const text = JSON.stringify(reused);
        expect(preimage.members.some(([, object]) => text.includes(object))).toBe(false);
        checked += 1;
      }
      expect(checked).toBe(shards.length);
      expect(checked).toBeGreaterThan(1);
      // gc keeps a members object while a kept manifest names it (the batch that wrote it gone).
      expect(
        pruneStore(ctx.store, { keepBatchIds: [b2], keepBatches: 0, graceMs: 0 }).batches.removed,
      ).toEqual([b1]);
      for (const shard of shards) {
        const m = readManifest(ctx.store, readShardState(ctx.store, b2, '04_lint', shard).manifest!);
        if (m.kind !== 'shard_run') throw new Error('not a shard run');
        expect(sha256OfCanonical(readManifestPreimage(ctx.store, m))).toBe(m.input_bundle.hash);
      }
    } finally {
      ctx.tmp.cleanup();
    }
  });

  it('a members object that is missing or not a list of members fails with a stable code', async () => {
    const ctx = await setupStore();
    try {
      const b1 = ctx.newBatch('b1');
      await runBatch(ctx.store, { batchId: b1, registry });
      const shard = fs.readdirSync(ctx.store.layout.shardsDir(b1, '04_lint')).sort()[0]!;
      const m = readManifest(ctx.store, readShardState(ctx.store, b1, '04_lint', shard).manifest!);
      if (m.kind !== 'shard_run') throw new Error('not a shard run');
      const notMembers = `sha256:${ctx.store.objects.writeObject('{"not":"members"}')}`;
      const wrong = { ...m, input_bundle: { ...m.input_bundle, members_object: notMembers } };
      expect(() => readManifestPreimage(ctx.store, wrong)).toThrow(
        expect.objectContaining({ code: 'E_RECORD_INVALID' }),
      );
      // Well-formed members, but another shard's: not the list this bundle hash was taken over.
      const others = fs
        .readdirSync(ctx.store.layout.shardsDir(b1, '04_lint'))
        .map((s) => readManifest(ctx.store, readShardState(ctx.store, b1, '04_lint', s).manifest!))
        .find(
          (o) => o.kind === 'shard_run' && o.input_bundle.members_object !== m.input_bundle.members_object,
        );
      if (others?.kind !== 'shard_run') throw new Error('no other members object');
      const borrowed = {
        ...m,
        input_bundle: { ...m.input_bundle, members_object: others.input_bundle.members_object },
      };
      expect(() => readManifestPreimage(ctx.store, borrowed)).toThrow(
        expect.objectContaining({ code: 'E_RECORD_INVALID' }),
      );
      const before = loadRunPreimage(ctx.store, b1, '04_lint', shard);
      expect(before.source).toBe('manifest');
      fs.rmSync(ctx.store.objects.objectPath(m.input_bundle.members_object!.slice(7)));
      expect(() => readManifestPreimage(ctx.store, m)).toThrow(
        expect.objectContaining({ code: 'E_OBJECT_NOT_FOUND' }),
      );
      // verify names the missing object; explain-miss rebuilds the preimage from the store instead.
      expect(verifyStore(ctx.store).problems).toContainEqual(
        expect.objectContaining({ kind: 'object_missing', object: m.input_bundle.members_object }),
      );
      const rebuilt = loadRunPreimage(ctx.store, b1, '04_lint', shard);
      expect(rebuilt.source).toBe('derived');
      expect(rebuilt.hash).toBe(before.hash);
      expect(rebuilt.preimage).toEqual(before.preimage);
    } finally {
      ctx.tmp.cleanup();
    }
  });
});
