import fs from 'node:fs';
import path from 'node:path';
import { readShardState } from '../../batch/shard-state';
import { provenanceSessionSchema } from '../../schemas/run-manifest';
import { initStore } from '../../store/store';
import { makeTempDir } from '../../test-support/temp-dir';
import { runBatchWithProvenance } from '../run-with-provenance';
import {
  listSessions,
  readSession,
  SessionRecorder,
  summarizeStateDiff,
  verifyShardOutputs,
} from '../session';
import { registry, setupStore } from './provenance-fixture';

describe('SessionRecorder', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('leaves a readable, schema-valid session after every action (flush interval 0)', () => {
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const rec = new SessionRecorder(store, { batch_id: 'b1', flushIntervalMs: 0 });
    const read = () => provenanceSessionSchema.parse(JSON.parse(fs.readFileSync(rec.file, 'utf8')));
    expect(read().actions).toEqual([]);
    for (let i = 1; i <= 3; i++) {
      rec.recordAction({
        type: 'execute_shard',
        outcome: 'verified',
        task_id: '01_parse',
        shard_id: '0a',
        evidence: { n: i },
      });
      const s = read();
      expect(s.status).toBe('in_progress');
      expect(s.actions.map((a) => a.seq)).toEqual(Array.from({ length: i }, (_, k) => k + 1));
    }
    const done = rec.finish();
    expect(done.status).toBe('complete');
    expect(read().ended_at).toBeDefined();
  });

  it('an abandoned recorder (a crash mid-run) leaves a parseable in_progress session', () => {
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const rec = new SessionRecorder(store, { flushIntervalMs: 60_000 });
    rec.recordAction({ type: 'execute_shard', outcome: 'verified', task_id: 't', shard_id: '00' });
    // within the interval: not yet flushed, but the file on disk is still a whole session
    rec.recordAction({ type: 'execute_shard', outcome: 'verified', task_id: 't', shard_id: '01' });
    rec.recordAction({ type: 'execute_shard', outcome: 'failed', task_id: 't', shard_id: '02' }); // failures flush at once
    rec.recordAction({ type: 'execute_shard', outcome: 'verified', task_id: 't', shard_id: '03' });
    // the process "dies" here: no finish(), no further flush
    const s = readSession(store, rec.id.slice(0, 5));
    expect(s.status).toBe('in_progress');
    expect(s.actions.map((a) => a.shard_id)).toEqual(['00', '01', '02']);
    expect(fs.readdirSync(path.dirname(rec.file)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    rec.flush(); // clean the pending timer for jest
  });

  it('lists newest first, resolves unique prefixes and rejects ambiguous ones', () => {
    const { store } = initStore(path.join(tmp.dir, 'store'));
    new SessionRecorder(store, { session_id: 'aa11', batch_id: 'b1' }).finish();
    new SessionRecorder(store, { session_id: 'aa22', batch_id: 'b2' }).finish();
    expect(
      listSessions(store)
        .map((s) => s.session_id)
        .sort(),
    ).toEqual(['aa11', 'aa22']);
    expect(listSessions(store, { batchId: 'b2' }).map((s) => s.session_id)).toEqual(['aa22']);
    expect(readSession(store, 'aa2').session_id).toBe('aa22');
    expect(() => readSession(store, 'aa')).toThrow(/ambiguous/);
    expect(() => readSession(store, 'zz')).toThrow(/no session/);
  });

  it('summarizes state diffs by field', () => {
    expect(
      summarizeStateDiff(
        { status: 'ready', attempt: 1 },
        { status: 'done', attempt: 1, outputs_digest: `sha256:${'ab'.repeat(32)}` },
      ),
    ).toBe('status: ready -> done | outputs_digest: - -> abababababab');
    expect(summarizeStateDiff({ status: 'done' }, { status: 'done' })).toBe('no change');
  });
});

describe('runBatchWithProvenance', () => {
  let ctx: Awaited<ReturnType<typeof setupStore>>;
  afterEach(() => ctx?.tmp.cleanup());

  it('records one verified action per shard run, then skip actions on a re-run, and a batch manifest', async () => {
    ctx = await setupStore();
    const batchId = ctx.newBatch('b1');
    const lines: string[] = [];
    const first = await runBatchWithProvenance(
      ctx.store,
      { batchId, registry },
      { live: (l) => lines.push(l), flushIntervalMs: 0 },
    );
    expect(first.counts.failed).toBe(0);
    const s1 = readSession(ctx.store, first.sessionId!);
    expect(s1.status).toBe('complete');
    expect(s1.actions).toHaveLength(first.results.length);
    expect(s1.actions.every((a) => a.outcome === 'verified' && a.type === 'execute_shard')).toBe(true);
    expect(s1.actions[0]!.diff).toMatch(/^status: ready -> done/);
    expect(s1.actions[0]!.before!.status).toBe('ready');
    expect(
      (s1.actions[0]!.evidence as { verification: { outputs_rehash: string } }).verification.outputs_rehash,
    ).toBe('ok');
    expect(s1.batch_manifest).toBe(first.batchManifest);
    expect(lines).toHaveLength(first.results.length);
    expect(lines[0]).toMatch(/execute_shard\s+\+ verified/);

    const second = await runBatchWithProvenance(ctx.store, { batchId, registry });
    const s2 = readSession(ctx.store, second.sessionId!);
    expect(
      s2.actions.every(
        (a) =>
          a.type === 'skip_shard' && a.outcome === 'skipped' && a.after?.status === 'done' && a.after.digest,
      ),
    ).toBe(true);
    expect(listSessions(ctx.store, { batchId }).map((s) => s.session_id)).toContain(first.sessionId);
  });

  it('retries a shard whose verification failed, then records it verified', async () => {
    ctx = await setupStore();
    const batchId = ctx.newBatch('b1');
    let failedOnce = false;
    const summary = await runBatchWithProvenance(
      ctx.store,
      { batchId, registry },
      {
        backoffMs: 1,
        flushIntervalMs: 0,
        verify: (store, b, t, s) => {
          const real = verifyShardOutputs(store, b, t, s);
          if (t === '04_lint' && !failedOnce) {
            failedOnce = true;
            return { ...real, ok: false, outputs_rehash: 'mismatch', problems: ['injected'] };
          }
          return real;
        },
      },
    );
    const session = readSession(ctx.store, summary.sessionId!);
    const lint = session.actions.filter((a) => a.task_id === '04_lint' && a.outcome !== 'verified');
    expect(lint).toHaveLength(1);
    expect(lint[0]!.outcome).toBe('retry');
    const retried = session.actions.find(
      (a) => a.task_id === lint[0]!.task_id && a.shard_id === lint[0]!.shard_id && a.attempt === 2,
    );
    expect(retried).toMatchObject({ outcome: 'verified', type: 'execute_shard' });
    expect(readShardState(ctx.store, batchId, '04_lint', lint[0]!.shard_id!).attempt).toBe(2);
    expect(session.status).toBe('complete');
    expect(summary.counts.failed).toBe(0);
  });

  it('records a failed shard (not retryable) and its blocked dependents', async () => {
    ctx = await setupStore({ 'a.ts': 'FAIL_PARSE\n', 'b.ts': 'ok\n' }, 1);
    const batchId = ctx.newBatch('b1');
    const summary = await runBatchWithProvenance(ctx.store, { batchId, registry }, { backoffMs: 1 });
    const session = readSession(ctx.store, summary.sessionId!);
    expect(session.actions.map((a) => [a.task_id, a.outcome])).toEqual([
      ['01_parse', 'failed'],
      ['02_analyze', 'skipped'],
      ['03_symbols', 'skipped'],
      ['04_lint', 'skipped'],
    ]);
    expect(session.status).toBe('partial');
  });

  it('is off with enabled: false (no session written)', async () => {
    ctx = await setupStore();
    const batchId = ctx.newBatch('b1');
    const summary = await runBatchWithProvenance(ctx.store, { batchId, registry }, { enabled: false });
    expect(summary.sessionId).toBeUndefined();
    expect(listSessions(ctx.store)).toEqual([]);
  });
});

describe('verifyShardOutputs', () => {
  let ctx: Awaited<ReturnType<typeof setupStore>>;
  afterEach(() => ctx?.tmp.cleanup());

  it('passes a committed shard and catches a tampered outputs index', async () => {
    ctx = await setupStore();
    const batchId = ctx.newBatch('b1');
    const summary = await runBatchWithProvenance(ctx.store, { batchId, registry }, { enabled: false });
    const r = summary.results.find((x) => x.taskId === '04_lint' && x.outputs > 0)!;
    expect(verifyShardOutputs(ctx.store, batchId, r.taskId, r.shardId)).toMatchObject({
      ok: true,
      outputs_rehash: 'ok',
      invalid: 0,
    });
    const file = ctx.store.layout.outputsFile(batchId, r.taskId, r.shardId);
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('"severity":"warning"', '"severity":"error"'),
    );
    const tampered = verifyShardOutputs(ctx.store, batchId, r.taskId, r.shardId);
    expect(tampered.ok).toBe(false);
    expect(tampered.outputs_rehash).toBe('mismatch');
    // a record that no longer matches the schema is caught too
    fs.writeFileSync(file, `${JSON.stringify({ schema_version: 1, path: 'x', kind: 'nonsense' })}\n`);
    const invalid = verifyShardOutputs(ctx.store, batchId, r.taskId, r.shardId);
    expect(invalid.invalid).toBe(1);
    expect(invalid.problems.join('\n')).toMatch(/line 1/);
    // a good envelope does not excuse a bad task field, nor a record of another shard
    const envelope = {
      schema_version: 1,
      snapshot_id: ctx.snapshotId,
      batch_id: batchId,
      task_id: r.taskId,
      shard_id: r.shardId,
      ts: '2024-01-01T00:00:00.000Z',
    };
    fs.writeFileSync(
      file,
      [
        { ...envelope, path: 'a', kind: 'diagnostic', line: 1 },
        { ...envelope, path: 'a', kind: 'diagnostic', line: 0 },
        { ...envelope, path: 'a', kind: 'bogus' },
        { ...envelope, shard_id: r.shardId === '00' ? '01' : '00', path: 'a', kind: 'metric' },
      ]
        .map((x) => `${JSON.stringify(x)}\n`)
        .join(''),
    );
    const mixed = verifyShardOutputs(ctx.store, batchId, r.taskId, r.shardId);
    expect(mixed.records).toBe(4);
    expect(mixed.invalid).toBe(3);
    expect(mixed.problems.slice(1)).toEqual([
      expect.stringMatching(/^line 2: line:/),
      expect.stringMatching(/^line 3: kind:/),
      expect.stringMatching(/^line 4: record belongs to/),
    ]);
  });
});
