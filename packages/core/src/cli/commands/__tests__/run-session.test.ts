import fs from 'node:fs';
import path from 'node:path';
import { setupStore } from '../../../provenance/__tests__/provenance-fixture';
import { sessionsDir } from '../../../provenance/session';
import { main } from '../../main';

let ctx: Awaited<ReturnType<typeof setupStore>>;
afterEach(() => ctx?.tmp.cleanup());

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main({
    argv: [...argv, '--store', ctx.store.layout.root],
    cwd: ctx.tmp.dir,
    env: {},
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

test('run --max-shards 2 --fail-fast --replicates 2 records the budget and the replicate check in one session', async () => {
  ctx = await setupStore();
  const init = await cli([
    'batch',
    'init',
    '--snapshot',
    ctx.snapshotId,
    '--pipeline',
    'parse',
    '--id',
    'b1',
  ]);
  expect(init.code).toBe(0);
  const run = await cli([
    'run',
    '--batch',
    'b1',
    '--max-shards',
    '2',
    '--fail-fast',
    '--replicates',
    '2',
    '--parallel',
    '1',
    '--json',
  ]);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.out) as { replicates: { replicates: number; shardRuns: number } };
  expect(report.replicates).toMatchObject({ replicates: 2, shardRuns: 2, mismatches: [] });

  // One session for the run and its replicate pass (there used to be one per pass).
  const files = fs.readdirSync(sessionsDir(ctx.store));
  expect(files).toHaveLength(1);
  const session = JSON.parse(fs.readFileSync(path.join(sessionsDir(ctx.store), files[0]!), 'utf8'));
  expect(session.budget).toEqual({ max_shards: 2, fail_fast: true, retries: 2, replicates: 2 });
  expect(session.replicate_check).toEqual({
    replicates: 2,
    shard_runs: 2,
    deterministic: true,
    mismatches: [],
  });
  expect(session.seed_policy).toMatchObject({ base: 0 });
});
