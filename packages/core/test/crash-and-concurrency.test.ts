import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, writeTree } from '../src/test-support/temp-dir';
import { cli, cliJson, spawnCli, waitExit } from './cli-harness';

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

function countLines(file: string): number {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
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

  it('resumes after kill -9 mid-run without cleanup; final records equal an uninterrupted run', async () => {
    const store = await prepareBatch(path.join(tmp.dir, 'killed'), corpus, 'B');
    const events = path.join(store, 'batches', 'B', 'tasks', '01_parse', 'events.jsonl');
    let kills = 0;
    for (let round = 0; round < 3; round += 1) {
      const child = spawnCli(['run', '--batch', 'B', '--store', store]);
      const exited = waitExit(child);
      const target = countLines(events) + 3 + round * 5;
      const started = Date.now();
      while (countLines(events) < target && Date.now() - started < 20_000 && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 5));
      }
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills += 1;
      }
      const result = await exited;
      if (result.signal !== 'SIGKILL') break;
    }
    expect(kills).toBeGreaterThan(0);
    const resume = await cli(['resume', '--batch', 'B', '--store', store]);
    expect(resume.code).toBe(0);
    expect(allRecords(store, 'B')).toEqual(reference);
    const verify = await cliJson<{ ok: boolean; problems: unknown[] }>(['verify', '--store', store]);
    expect(verify.json.problems).toEqual([]);
    const status = await cliJson<{ status: string }>(['status', '--batch', 'B', '--store', store]);
    expect(status.json.status).toBe('done');
  }, 120_000);

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
