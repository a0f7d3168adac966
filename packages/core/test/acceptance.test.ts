import fs from 'node:fs';
import path from 'node:path';
import { writeFixtureCorpus } from '../src/test-support/fixture-corpus';
import { makeTempDir } from '../src/test-support/temp-dir';
import { cli, cliJson } from './cli-harness';

/**
 * The acceptance gates of the reference's PHASE2_ACCEPTANCE.md, driven through the CLI on
 * the fixture corpus (binary file, CRLF, empty file, emoji and non-Latin names, invalid
 * UTF-8, a deep directory, a .gitignore).
 */
describe('acceptance gates', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: string;
  let batch: string;
  const S = () => ['--store', store];

  beforeAll(async () => {
    tmp = makeTempDir();
    store = path.join(tmp.dir, 'store');
    const corpus = path.join(tmp.dir, 'corpus');
    writeFixtureCorpus(corpus);
    expect((await cli(['init', store])).code).toBe(0);
    const snap = await cliJson<{ record: { snapshot_id: string } }>(['snapshot', corpus, ...S()]);
    expect(snap.code).toBe(0);
    const b = await cliJson<{ batch: { batch_id: string } }>([
      'batch',
      'init',
      '--snapshot',
      snap.json.record.snapshot_id,
      '--pipeline',
      'full',
      ...S(),
    ]);
    expect(b.code).toBe(0);
    batch = b.json.batch.batch_id;
  });
  afterAll(() => tmp.cleanup());

  it('gate 1: runs the tasks one by one in order; every shard is done and every task has outputs', async () => {
    for (const task of ['01_parse', '02_analyze', '03_symbols', '04_lint']) {
      const r = await cli(['run-task', '--batch', batch, '--task', task, ...S()]);
      expect(r).toMatchObject({ code: 0 });
    }
    const states: string[] = [];
    const tasksDir = path.join(store, 'batches', batch, 'tasks');
    for (const t of fs.readdirSync(tasksDir)) {
      for (const s of fs.readdirSync(path.join(tasksDir, t, 'shards'))) {
        states.push(
          JSON.parse(fs.readFileSync(path.join(tasksDir, t, 'shards', s, 'state.json'), 'utf8')).status,
        );
      }
    }
    expect(states.length).toBeGreaterThan(4);
    expect(new Set(states)).toEqual(new Set(['done']));
    const status = await cliJson<{
      status: string;
      tasks: { task_id: string; status: string; outputs: number }[];
    }>(['status', '--batch', batch, ...S()]);
    expect(status.json.status).toBe('done');
    for (const t of status.json.tasks)
      expect(t).toMatchObject({ status: 'done', outputs: expect.any(Number) });
    for (const t of status.json.tasks) expect(t.outputs).toBeGreaterThan(0);
  });

  it('gate 2: semantic queries give identical results after every events.jsonl is deleted', async () => {
    const ask = async () => [
      (await cli(['query', 'diagnostics', '--batch', batch, '--task', '04_lint', '--json', ...S()])).stdout,
      (
        await cli([
          'query',
          'outputs',
          '--batch',
          batch,
          '--task',
          '03_symbols',
          '--kind',
          'symbol',
          '--json',
          ...S(),
        ])
      ).stdout,
      (await cli(['summary', '--batch', batch, '--json', ...S()])).stdout,
    ];
    const before = await ask();
    expect(JSON.parse(before[0]!).total).toBeGreaterThan(0);
    let deleted = 0;
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'events.jsonl') {
          fs.rmSync(p);
          deleted += 1;
        }
      }
    };
    walk(path.join(store, 'batches'));
    expect(deleted).toBeGreaterThan(0);
    expect(await ask()).toEqual(before);
  });

  it('gate 3: query results are byte-identical with and without the acceleration index', async () => {
    expect((await cli(['index', 'build', '--batch', batch, ...S()])).code).toBe(0);
    expect(fs.readdirSync(path.join(store, 'indexes')).length).toBeGreaterThan(0);
    const ask = async () => [
      (await cli(['query', 'stats', '--batch', batch, '--task', '03_symbols', '--json', ...S()])).stdout,
      (await cli(['query', 'stats', '--batch', batch, '--group-by', 'severity', '--json', ...S()])).stdout,
      (await cli(['query', 'diagnostics', '--batch', batch, '--json', ...S()])).stdout,
    ];
    const withIndex = await ask();
    fs.rmSync(path.join(store, 'indexes'), { recursive: true });
    expect(await ask()).toEqual(withIndex);
  });

  it('gate 4: a reset shard re-runs to the same whole records (minus ts)', async () => {
    const shardsDir = path.join(store, 'batches', batch, 'tasks', '03_symbols', 'shards');
    const shard = fs
      .readdirSync(shardsDir)
      .find((s) => fs.statSync(path.join(shardsDir, s, 'outputs.index.jsonl')).size > 0)!;
    const outputs = path.join(shardsDir, shard, 'outputs.index.jsonl');
    const run1 = fs.readFileSync(outputs, 'utf8');
    fs.rmSync(path.join(shardsDir, shard, 'state.json'));
    fs.rmSync(outputs);
    const r = await cli(['run-shard', '--batch', batch, '--task', '03_symbols', '--shard', shard, ...S()]);
    expect(r.code).toBe(0);
    const strip = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => ({ ...JSON.parse(l), ts: undefined }));
    expect(strip(fs.readFileSync(outputs, 'utf8'))).toEqual(strip(run1));
  });

  it('skips a second run by its bundle hash without new records; --force reproduces identical records', async () => {
    const lintDir = path.join(store, 'batches', batch, 'tasks', '04_lint', 'shards');
    const snapshotOf = () =>
      Object.fromEntries(
        fs
          .readdirSync(lintDir)
          .map((s) => [s, fs.readFileSync(path.join(lintDir, s, 'outputs.index.jsonl'), 'utf8')]),
      );
    const before = snapshotOf();
    const again = await cliJson<{ counts: Record<string, number> }>(['run', '--batch', batch, ...S()]);
    expect(again.json.counts.executed).toBe(0);
    expect(again.json.counts.skipped).toBeGreaterThan(0);
    expect(snapshotOf()).toEqual(before);
    const forced = await cliJson<{ counts: Record<string, number>; duration_ms: number; cpu_ms: number }>([
      'run',
      '--batch',
      batch,
      '--force',
      ...S(),
    ]);
    expect(forced.json.counts.executed).toBe(again.json.counts.skipped);
    // Executing every shard costs CPU time, and it is reported next to the wall time.
    expect(forced.json.cpu_ms).toBeGreaterThan(0);
    expect(forced.json.duration_ms).toBeGreaterThan(0);
    const strip = (m: Record<string, string>) =>
      Object.values(m).flatMap((t) =>
        t
          .split('\n')
          .filter(Boolean)
          .map((l) => ({ ...JSON.parse(l), ts: undefined })),
      );
    expect(strip(snapshotOf())).toEqual(strip(before));
    expect((await cli(['verify', ...S()])).code).toBe(0);
  });
});
