import fs from 'node:fs';
import { provenanceSessionSchema } from '../../schemas/run-manifest';
import { createTestRegistry } from '../../test-support/test-registry';
import { exportObservations } from '../events-export';
import { runBatchWithProvenance, SEED_DERIVATION } from '../run-with-provenance';
import { registry, setupStore } from './provenance-fixture';

/** Seed 001: run budget, replicate check and seed policy are part of the session record. */
let ctxs: Awaited<ReturnType<typeof setupStore>>[] = [];
afterEach(() => {
  for (const c of ctxs) c.tmp.cleanup();
  ctxs = [];
});

async function freshStore() {
  const ctx = await setupStore();
  ctxs.push(ctx);
  return ctx;
}

function readSessionFile(file: string) {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  // Still a valid session for every reader (the new fields are additions).
  provenanceSessionSchema.parse(raw);
  return raw;
}

/** A symbols task whose output changes every call: a nondeterministic task. */
function flakyRegistry() {
  const base = createTestRegistry();
  let calls = 0;
  return createTestRegistry({
    symbols: {
      ...(base.get('symbols') as object),
      runFile: (file: { path: string }) => {
        calls += 1;
        return [
          { path: file.path, kind: 'symbol', name: `s${calls}`, symbol_type: 'variable', line: 1, col: 1 },
        ];
      },
    } as never,
  });
}

describe('run budget and replicate check in the session', () => {
  it('records max-shards, fail-fast, retries, replicates, the seed policy and the replicate results', async () => {
    const ctx = await freshStore();
    // The seed base is the batch's (`seed` in codebatch.config.json): what the runner applies.
    const batchId = ctx.newBatch('b1', { seed: 42 });
    const summary = await runBatchWithProvenance(
      ctx.store,
      { batchId, registry, maxShards: 2, failFast: true },
      { replicates: 2 },
    );
    const session = readSessionFile(summary.sessionFile!);
    expect(session.budget).toEqual({ max_shards: 2, fail_fast: true, retries: 2, replicates: 2 });
    expect(session.seed_policy).toEqual({ base: 42, derivation: SEED_DERIVATION, base_applied: true });
    const settled = summary.results.filter((r) => r.outcome === 'executed').length;
    expect(settled).toBeGreaterThan(0);
    expect(session.replicate_check).toEqual({
      replicates: 2,
      shard_runs: settled,
      deterministic: true,
      mismatches: [],
    });
    expect(summary.replicateReport?.mismatches).toEqual([]);
    // The second execution of each shard is an action of the same session, marked as a replicate.
    const replicateActions = session.actions.filter(
      (a: { intent?: { replicate?: number } }) => a.intent?.replicate === 2,
    );
    expect(replicateActions).toHaveLength(settled);
    expect(replicateActions.every((a: { outcome: string }) => a.outcome === 'verified')).toBe(true);
    expect(session.status).toBe('complete');
  });

  it('defaults: no budget limit, one replicate, seed base 0, no replicate_check', async () => {
    const ctx = await freshStore();
    const summary = await runBatchWithProvenance(ctx.store, { batchId: ctx.newBatch('b1'), registry });
    const session = readSessionFile(summary.sessionFile!);
    expect(session.budget).toEqual({ max_shards: null, fail_fast: false, retries: 2, replicates: 1 });
    expect(session.seed_policy).toEqual({ base: 0, derivation: SEED_DERIVATION, base_applied: true });
    expect(session).not.toHaveProperty('replicate_check');
  });

  it('names the nondeterministic shards in the session', async () => {
    const ctx = await freshStore();
    const flaky = flakyRegistry();
    const batchId = ctx.newBatch('b1');
    const summary = await runBatchWithProvenance(ctx.store, { batchId, registry: flaky }, { replicates: 3 });
    const check = readSessionFile(summary.sessionFile!).replicate_check;
    expect(check.deterministic).toBe(false);
    expect(check.mismatches.length).toBeGreaterThan(0);
    expect(new Set(check.mismatches.map((m: { task_id: string }) => m.task_id))).toEqual(
      new Set(['03_symbols']),
    );
    expect(check.mismatches[0].digests).toHaveLength(3);
  });

  it('runs the check without provenance too (no session)', async () => {
    const ctx = await freshStore();
    const summary = await runBatchWithProvenance(
      ctx.store,
      { batchId: ctx.newBatch('b1'), registry },
      { enabled: false, replicates: 2 },
    );
    expect(summary.sessionFile).toBeUndefined();
    expect(summary.replicateReport).toMatchObject({ replicates: 2, mismatches: [] });
  });
});

describe('observation record ids', () => {
  /** One run (with a replicate pass) and a second, all-skipped run, in a fresh store. */
  async function identicalRun() {
    const ctx = await freshStore();
    const batchId = ctx.newBatch('b1');
    await runBatchWithProvenance(ctx.store, { batchId, registry }, { replicates: 2 });
    await runBatchWithProvenance(ctx.store, { batchId, registry });
    return exportObservations(ctx.store, batchId);
  }

  it('are the same across two identical runs in two fresh stores', async () => {
    const a = await identicalRun();
    const b = await identicalRun();
    expect(a.length).toBe(b.length);
    expect(a.length).toBeGreaterThan(0);
    // Sessions and times differ between the two runs; the ids must not.
    expect(a.map((r) => r.session_id)).not.toEqual(b.map((r) => r.session_id));
    const byId = (rows: typeof a) =>
      Object.fromEntries(
        rows.map((r) => [r.record_id, `${r.event_type} ${r.task_id}/${r.shard_id} ${r.attempt}`]),
      );
    expect(byId(a)).toEqual(byId(b));
    expect(new Set(a.map((r) => r.record_id)).size).toBe(a.length);
  });
});
