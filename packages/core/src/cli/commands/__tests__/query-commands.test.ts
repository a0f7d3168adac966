import fs from 'node:fs';
import path from 'node:path';
import { buildSampleBatch, SAMPLE_FILES, sampleTasks } from '../../../query/__tests__/sample-batch';
import { makeTempDir } from '../../../test-support/temp-dir';
import { main } from '../../main';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main({
    argv,
    cwd: tmp.dir,
    env: {},
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

const store = () => ['--store', path.join(tmp.dir, 'store')];

/** Every read-only query of the family, in --json mode. */
function jsonQueries(): string[][] {
  return [
    ['query', 'outputs', '--batch', 'b1', '--task', '03_symbols', '--kind', 'symbol'],
    ['query', 'outputs', '--batch', 'b1', '--path', 'src/*.ts', '--limit', '3'],
    ['query', 'diagnostics', '--batch', 'b1', '--task', '04_lint'],
    ['query', 'diagnostics', '--batch', 'b1', '--severity', 'warning', '--code', 'L101'],
    ['query', 'stats', '--batch', 'b1', '--task', '03_symbols'],
    ['query', 'stats', '--batch', 'b1', '--group-by', 'lang'],
    ['query-stats', '--batch', 'b1', '--group-by', 'severity'],
    ['errors', '--batch', 'b1'],
    ['files', '--batch', 'b1'],
    ['top', '--batch', 'b1', '--limit', '2'],
    ['inspect', 'src/a.ts', '--batch', 'b1'],
    ['diff', 'b1', 'b2'],
    ['regressions', 'b1', 'b2'],
    ['improvements', 'b1', 'b2'],
  ].map((argv) => [...argv, '--json', ...store()]);
}

async function runAll(): Promise<string> {
  let all = '';
  for (const argv of jsonQueries()) {
    const r = await run(argv);
    expect(r.err).toBe('');
    all += `${argv.join(' ')}\n${r.code}\n${r.out}`;
  }
  return all;
}

function buildPair(): void {
  const dir = path.join(tmp.dir, 'store');
  buildSampleBatch(dir, { batchId: 'b1' });
  const tasks = sampleTasks();
  tasks['04_lint']!.push({
    path: 'src/c.ts',
    kind: 'diagnostic',
    severity: 'error',
    code: 'L002',
    message: 'line too long',
    line: 1,
    col: 121,
  });
  buildSampleBatch(dir, { batchId: 'b2', snapshotId: 's2', tasks });
}

describe('query commands', () => {
  it('prints diagnostics as path:line:col  severity  code  message', async () => {
    buildPair();
    const r = await run(['query', 'diagnostics', '--batch', 'b1', '--severity', 'warning', ...store()]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "src/a.ts:1:10  warning  L101  unused import 'x'\nsrc/a.ts:2:10  warning  L101  unused import 'y'\n2 diagnostics (0 error, 2 warning, 0 info, 0 hint)\n",
    );
  });

  it('prints stats and top as aligned tables', async () => {
    buildPair();
    const stats = await run(['query', 'stats', '--batch', 'b1', '--group-by', 'severity', ...store()]);
    expect(stats.out).toBe(
      'severity  count\ninfo          2\nwarning       2\nerror         1\ntotal         5\n',
    );
    const top = await run(['top', '--batch', 'b1', '--limit', '1', ...store()]);
    expect(top.out.split('\n')[1]).toMatch(/^src\/a\.ts\s+typescript\s+3\s+0\s+2\s+1\s+0$/);
  });

  it('answers every query in --json with exit 0, and regressions exits 1 on findings', async () => {
    buildPair();
    for (const argv of jsonQueries()) {
      const r = await run(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: argv[0] === 'regressions' ? 1 : 0 });
      expect(() => JSON.parse(r.out)).not.toThrow();
    }
    const reg = await run(['regressions', 'b1', 'b2', '--json', ...store()]);
    expect(JSON.parse(reg.out).records.map((x: { code: string }) => x.code)).toEqual(['L002']);
    expect((await run(['regressions', 'b1', 'b1', ...store()])).code).toBe(0);
    expect((await run(['regressions', 'b2', 'b1', ...store()])).code).toBe(0);
    expect((await run(['improvements', 'b2', 'b1', ...store()])).out).toContain(
      'src/c.ts:1:121  error  L002  line too long',
    );
  });

  it('a blank line inserted at the top: regressions exits 0 with nothing listed', async () => {
    const dir = path.join(tmp.dir, 'store');
    buildSampleBatch(dir, { batchId: 'b1' });
    const tasks = sampleTasks();
    for (const t of Object.keys(tasks)) {
      tasks[t] = tasks[t]!.map((o) =>
        o.path === 'src/a.ts' && typeof o.line === 'number' ? { ...o, line: o.line + 1 } : o,
      );
    }
    const files = SAMPLE_FILES.map((f) => (f.path === 'src/a.ts' ? { ...f, content: `\n${f.content}` } : f));
    buildSampleBatch(dir, { batchId: 'b2', snapshotId: 's2', files, tasks });
    const r = await run(['regressions', 'b1', 'b2', ...store()]);
    expect(r).toMatchObject({ code: 0, out: '0 new diagnostics\n' });
    expect((await run(['improvements', 'b1', 'b2', ...store()])).out).toBe('0 fixed diagnostics\n');
  });

  it('missing batch: E_BATCH_NOT_FOUND, exit 2, error envelope with --json', async () => {
    buildPair();
    const human = await run(['query', 'diagnostics', '--batch', 'nope', ...store()]);
    expect(human.code).toBe(2);
    expect(human.err).toContain('error[E_BATCH_NOT_FOUND]');
    const json = await run(['query', 'outputs', '--batch', 'nope', '--json', ...store()]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ error: { code: 'E_BATCH_NOT_FOUND' } });
    expect((await run(['diff', 'b1', 'nope', ...store()])).code).toBe(2);
    expect((await run(['query', 'stats', '--batch', 'b1', '--task', 'zz', ...store()])).err).toContain(
      'E_TASK_NOT_FOUND',
    );
  });

  it('usage errors exit 2', async () => {
    buildPair();
    expect((await run(['query', 'outputs', ...store()])).code).toBe(2);
    expect((await run(['top', '--batch', 'b1', '--limit', 'x', ...store()])).code).toBe(2);
    expect((await run(['query', 'stats', '--batch', 'b1', '--group-by', 'nope', ...store()])).code).toBe(2);
    expect((await run(['regressions', 'b1', ...store()])).code).toBe(2);
    expect((await run(['index', 'build', ...store()])).code).toBe(2);
  });

  it('read-only commands on a missing store create nothing', async () => {
    const missing = path.join(tmp.dir, 'missing');
    for (const argv of jsonQueries()) {
      const r = await run([...argv.slice(0, -2), '--store', missing]);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out)).toMatchObject({ error: { code: 'E_STORE_NOT_FOUND' } });
    }
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('read-only commands leave an existing store byte for byte unchanged', async () => {
    buildPair();
    const before = listTree(path.join(tmp.dir, 'store'));
    await runAll();
    expect(listTree(path.join(tmp.dir, 'store'))).toEqual(before);
  });

  it('a truncated outputs index: E_INDEX_CORRUPT, exit 1, the file in the message (its digest no longer matches)', async () => {
    buildPair();
    const dir = path.join(tmp.dir, 'store', 'batches', 'b1', 'tasks', '02_analyze', 'shards');
    const shard = fs.readdirSync(dir).sort()[0]!;
    const file = path.join(dir, shard, 'outputs.index.jsonl');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, -10));
    const r = await run(['query', 'outputs', '--batch', 'b1', ...store()]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E_INDEX_CORRUPT]');
    expect(r.err).toContain(
      `${path.join('02_analyze', 'shards', shard, 'outputs.index.jsonl')} does not match the digest its state recorded`,
    );
  });

  it('gives byte-identical --json output after deleting events.jsonl and indexes/', async () => {
    buildPair();
    const plain = await runAll();
    const built = await run(['index', 'build', '--all', '--json', ...store()]);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.out).indexes.map((i: { batch_id: string }) => i.batch_id)).toEqual(['b1', 'b2']);
    expect(await runAll()).toBe(plain);
    expect((await run(['index-build', '--batch', 'b1', ...store()])).code).toBe(0);
    let events = 0;
    for (const f of listTree(path.join(tmp.dir, 'store')).filter(([p]) => p.endsWith('events.jsonl'))) {
      fs.rmSync(path.join(tmp.dir, 'store', f[0]));
      events += 1;
    }
    expect(events).toBeGreaterThan(0);
    expect(await runAll()).toBe(plain);
    fs.rmSync(path.join(tmp.dir, 'store', 'indexes'), { recursive: true, force: true });
    expect(await runAll()).toBe(plain);
  });
});

function listTree(root: string): [string, string][] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((rel) => rel.toString())
    .filter((rel) => fs.statSync(path.join(root, rel)).isFile())
    .sort()
    .map((rel) => [rel, fs.readFileSync(path.join(root, rel)).toString('base64')]);
}
