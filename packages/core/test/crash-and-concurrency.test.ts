import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, writeTree } from '../src/test-support/temp-dir';
import { BIN, cli, cliJson, spawnCli, waitExit } from './cli-harness';

/** A few hundred small TS files, enough for a run to be killable in the middle. */
function writeManyFiles(dir: string, count: number): void {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) {
    files[`pkg${i % 7}/mod${i}.ts`] =
      `import { helper${i % 5} } from './helpers';\n` +
      `export function f${i}(a: number, b: number) {\n  if (a > b) { return a; } // TODO tidy\n  return b + helper${i % 5}(a);   \n}\n` +
      `const unused${i} = ${i};\n`.repeat(1 + (i % 3)) +
      (i % 4 === 0 ? `const long = "${'x'.repeat(130)}";\n` : '');
  }
  writeTree(dir, files);
}

async function prepareBatch(root: string, corpus: string, batchId: string): Promise<string> {
  const store = path.join(root, batchId, 'store');
  await cli(['init', store]);
  const snap = await cliJson<{ record: { snapshot_id: string } }>(['snapshot', corpus, '--store', store]);
  const b = await cliJson([
    'batch',
    'init',
    '--snapshot',
    snap.json.record.snapshot_id,
    '--pipeline',
    'full',
    '--id',
    batchId,
    '--store',
    store,
  ]);
  expect(b.code).toBe(0);
  return store;
}

function allRecords(store: string, batchId: string): string[] {
  const out: string[] = [];
  const tasksDir = path.join(store, 'batches', batchId, 'tasks');
  for (const t of fs.readdirSync(tasksDir).sort()) {
    for (const s of fs.readdirSync(path.join(tasksDir, t, 'shards')).sort()) {
      const f = path.join(tasksDir, t, 'shards', s, 'outputs.index.jsonl');
      if (!fs.existsSync(f)) continue;
      for (const line of fs.readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
        const r = JSON.parse(line);
        delete r.ts;
        out.push(JSON.stringify(r));
      }
    }
  }
  return out.sort();
}

describe('crash safety and concurrency (real processes)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let corpus: string;
  let reference: string[];
  beforeAll(async () => {
    tmp = makeTempDir();
    corpus = path.join(tmp.dir, 'corpus');
    writeManyFiles(corpus, 500);
    const refStore = await prepareBatch(tmp.dir, corpus, 'reference');
    expect((await cli(['run', '--batch', 'reference', '--store', refStore])).code).toBe(0);
    reference = allRecords(refStore, 'reference').map((l) =>
      l.replaceAll('"batch_id":"reference"', '"batch_id":"B"'),
    );
    expect(reference.length).toBeGreaterThan(1000);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('survives kill -9 at 20 random moments; resume gives the records of an uninterrupted run', async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 100000);
    let state = seed;
    const rand = (lo: number, hi: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return lo + (state % (hi - lo));
    };
    const store = await prepareBatch(path.join(tmp.dir, 'killed'), corpus, 'B');
    let kills = 0;
    let attempts = 0;
    // Alternate plain runs (resuming) and forced runs (re-executing done shards), so there is
    // always work in flight to interrupt: at start-up, mid-task, mid-commit, in workers.
    while (kills < 20 && attempts < 80) {
      const args = ['run', '--batch', 'B', '--store', store, ...(attempts % 2 ? ['--force'] : [])];
      attempts += 1;
      const child = spawnCli(args);
      const exited = waitExit(child);
      await new Promise((r) => setTimeout(r, rand(60, 900)));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills += 1;
      }
      const result = await exited;
      if (result.signal === null && result.code !== 0) {
        throw new Error(`run exited ${result.code} (seed ${seed}): ${result.stderr}`);
      }
    }
    expect(kills).toBe(20);
    const resume = await cli(['resume', '--batch', 'B', '--store', store]);
    if (resume.code !== 0) throw new Error(`resume failed (replay with KILL_SEED=${seed}): ${resume.stderr}`);
    const records = allRecords(store, 'B');
    if (JSON.stringify(records) !== JSON.stringify(reference))
      throw new Error(`records differ after kills (replay with KILL_SEED=${seed})`);
    const verify = await cliJson<{ ok: boolean; problems: unknown[] }>(['verify', '--store', store]);
    expect(verify.json.problems).toEqual([]);
    const status = await cliJson<{ status: string }>(['status', '--batch', 'B', '--store', store]);
    expect(status.json.status).toBe('done');
  }, 240_000);

  it('four processes running their own batches over one store at once (parallel Nx targets) lose and duplicate nothing', async () => {
    const store = path.join(tmp.dir, 'shared-store');
    await cli(['init', store]);
    // Four "projects": overlapping trees, so the processes race on identical objects too.
    const projects = ['pkg0', 'pkg1', 'pkg2', 'pkg3'].map((p) => path.join(corpus, p));
    const script = (dir: string, id: string) =>
      `set -e; S=$(node ${JSON.stringify(BIN)} snapshot ${JSON.stringify(dir)} --store ${JSON.stringify(store)} -q); ` +
      `node ${JSON.stringify(BIN)} batch init --snapshot $S --id ${id} --store ${JSON.stringify(store)} -q >/dev/null; ` +
      `node ${JSON.stringify(BIN)} run --batch ${id} --store ${JSON.stringify(store)} -q`;
    const children = projects.map((dir, i) =>
      spawn('bash', ['-c', script(dir, `P${i}`)], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const results = await Promise.all(children.map((c) => waitExit(c)));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const verify = await cliJson<{ problems: unknown[] }>(['verify', '--store', store]);
    expect(verify.json.problems).toEqual([]);
    // Each batch equals a run of the same project alone on an empty store.
    for (const [i, dir] of projects.entries()) {
      const alone = await prepareBatch(path.join(tmp.dir, `alone${i}`), dir, `P${i}`);
      expect((await cli(['run', '--batch', `P${i}`, '--store', alone])).code).toBe(0);
      const lines = allRecords(store, `P${i}`);
      expect(new Set(lines).size).toBe(lines.length);
      expect(lines).toEqual(allRecords(alone, `P${i}`));
    }
  }, 240_000);

  it('two processes running one batch at once split the shards and leave a store verify accepts', async () => {
    const store = await prepareBatch(path.join(tmp.dir, 'concurrent'), corpus, 'B');
    const a = waitExit(spawnCli(['run', '--batch', 'B', '--store', store, '--json']));
    const b = waitExit(spawnCli(['run', '--batch', 'B', '--store', store, '--json']));
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const ca = JSON.parse(ra.stdout).counts;
    const cb = JSON.parse(rb.stdout).counts;
    expect(ca.failed + cb.failed).toBe(0);
    // Each shard run executed exactly once across both processes; the other skipped it.
    const total = ca.executed + ca.skipped + ca.reused;
    expect(cb.executed + cb.skipped + cb.reused).toBe(total);
    expect(ca.executed + cb.executed).toBe(total);
    expect(allRecords(store, 'B')).toEqual(reference);
    const verify = await cliJson<{ problems: unknown[] }>(['verify', '--store', store]);
    expect(verify.json.problems).toEqual([]);
  }, 120_000);
});
