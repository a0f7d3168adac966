import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { readBatchRecords } from '../../batch/read-batch';
import type { ConfigFile } from '../../config/config-schema';
import type { OutputRecord } from '../../schemas/output-record';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { readJsonl } from '../../store/jsonl';
import { initStore, type Store } from '../../store/store';
import { readShardRecords } from '../../test-support/read-shard-records';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { loadBatchRunContext } from '../batch-context';
import { FileMemo, MEMO_COMPACT_MIN_LINES } from '../file-memo';
import { runBatch } from '../run-batch';

const registry = createTestRegistry();

function records(store: Store, batchId: string): string[] {
  const out: string[] = [];
  const tasksDir = path.join(store.layout.batchDir(batchId), 'tasks');
  for (const t of fs.readdirSync(tasksDir).sort()) {
    for (const s of fs.readdirSync(path.join(tasksDir, t, 'shards')).sort()) {
      for (const r of readShardRecords(store, batchId, t, s)) {
        const { ts, batch_id, snapshot_id, ...rest } = r;
        out.push(JSON.stringify(rest));
      }
    }
  }
  return out.sort();
}

async function runTree(store: Store, src: string, config?: ConfigFile, force = false) {
  const snap = createSnapshot(store, src, {});
  const { batch } = initBatch(store, {
    snapshotId: snap.record.snapshot_id,
    pipeline: 'full',
    shards: 8,
    registry,
    config,
  });
  const summary = await runBatch(store, { batchId: batch.batch_id, registry, force });
  const executed = summary.results.reduce((n, r) => n + r.filesExecuted, 0);
  const reused = summary.results.reduce((n, r) => n + r.filesReused, 0);
  return { batchId: batch.batch_id, summary, executed, reused };
}

describe('per-file memo', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  function tree(n: number): Record<string, string> {
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i += 1)
      files[`src/f${i}.ts`] = `function f${i}() {}\n${i % 3 === 0 ? 'const BAD = 1;\n' : ''}`;
    return files;
  }

  it('compacts a table of mostly superseded lines to the last entry per key, and leaves a short one alone', () => {
    const store = initStore(path.join(tmp.dir, 'store')).store;
    const file = path.join(store.layout.indexesDir, 'memo', '04_lint.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const lines = (count: number) => {
      const out: string[] = [JSON.stringify({ h: 'bundle-1', b: 'b-first', s: '01' })];
      for (let i = 0; i < count; i += 1)
        out.push(JSON.stringify({ k: `key-${i % 100}`, b: `b-${Math.floor(i / 100)}`, s: '02', n: 1 }));
      return `${out.join('\n')}\n`;
    };
    fs.writeFileSync(file, lines(MEMO_COMPACT_MIN_LINES + 100));
    expect(new FileMemo(store, '04_lint').lookupBundle('bundle-1')).toEqual({
      batch_id: 'b-first',
      shard_id: '01',
    });
    const kept = readJsonl<{ k?: string; b: string }>(file).records;
    expect(kept).toHaveLength(101);
    const last = `b-${Math.floor((MEMO_COMPACT_MIN_LINES + 99) / 100)}`;
    expect(kept.filter((e) => e.k !== undefined).every((e) => e.b === last)).toBe(true);
    // A fresh reader of the compacted table sees the same answers.
    expect(new FileMemo(store, '04_lint').lookupBundle('bundle-1')).toEqual({
      batch_id: 'b-first',
      shard_id: '01',
    });

    const short = lines(1000);
    fs.writeFileSync(file, short);
    new FileMemo(store, '04_lint').lookupBundle('bundle-1');
    expect(fs.readFileSync(file, 'utf8')).toBe(short);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['04_lint.jsonl']);
  });

  it('skips malformed table lines (null, arrays, wrong types) instead of failing, and keeps the good ones', () => {
    const store = initStore(path.join(tmp.dir, 'store')).store;
    const file = path.join(store.layout.indexesDir, 'memo', '04_lint.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const bad = [
      'null',
      '[1,2]',
      '"text"',
      '{"k":5,"b":"x","s":"01","n":1}',
      '{"h":"bundle-2","b":7,"s":"01"}',
    ];
    const good = JSON.stringify({ h: 'bundle-1', b: 'b-good', s: '03' });
    fs.writeFileSync(file, `${[...bad, good, '{"k":"key-1","b":"b","s":"01","n":-1}'].join('\n')}\n`);
    const memo = new FileMemo(store, '04_lint');
    expect(memo.lookupBundle('bundle-1')).toEqual({ batch_id: 'b-good', shard_id: '03' });
    expect(memo.lookupBundle('bundle-2')).toBeUndefined();
    expect(memo.lookup('key-1', 'a.ts')).toBeUndefined();
  });

  it('keys lines as the engine writes them without parsing them, and still skips the malformed ones on lookup', () => {
    const store = initStore(path.join(tmp.dir, 'store')).store;
    const file = path.join(store.layout.indexesDir, 'memo', '04_lint.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const hex = (c: string) => c.repeat(64);
    const lines = [
      JSON.stringify({ h: hex('a'), b: 'b-old', s: '01' }),
      JSON.stringify({ h: hex('a'), b: 'b-new', s: '02' }), // the last line of a key wins
      JSON.stringify({ h: hex('b'), b: 7, s: '01' }), // wrong type, keyed like a good line
      `{"h":"${hex('c')}","b":"b-torn","s`, // an appender killed mid-line
      JSON.stringify({ k: hex('d'), b: 'b', s: '01', n: -1 }),
      JSON.stringify({ s: '03', b: 'b-reordered', h: hex('e') }), // another writer's key order
      JSON.stringify({ h: hex('f'), b: 'b-good', s: '04' }),
      `{"h":"${hex('f')}","b":"b-cut`, // a later line of the same key, cut short...
      `{"h":"${hex('f')}","b":"b-glu{"h":"${hex('9')}","b":"b-next","s":"05"}`, // ...or glued to the next
    ];
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const memo = new FileMemo(store, '04_lint');
    expect(memo.lookupBundle(hex('a'))).toEqual({ batch_id: 'b-new', shard_id: '02' });
    expect(memo.lookupBundle(hex('b'))).toBeUndefined();
    expect(memo.lookupBundle(hex('c'))).toBeUndefined();
    expect(memo.lookup(hex('d'), 'a.ts')).toBeUndefined();
    expect(memo.lookupBundle(hex('e'))).toEqual({ batch_id: 'b-reordered', shard_id: '03' });
    // Broken later lines do not hide the good entry before them.
    expect(memo.lookupBundle(hex('f'))).toEqual({ batch_id: 'b-good', shard_id: '04' });
  });

  it('reads ahead a table that stays current until another writer appends to it or it is rewritten', () => {
    const store = initStore(path.join(tmp.dir, 'store')).store;
    const file = path.join(store.layout.indexesDir, 'memo', '04_lint.jsonl');
    const ahead = new FileMemo(store, '04_lint');
    expect(ahead.isCurrent()).toBe(false); // not read yet
    ahead.preload();
    expect(ahead.isCurrent()).toBe(true); // absent then and now
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify({ h: 'bundle-1', b: 'b-1', s: '01' })}\n`);
    expect(ahead.isCurrent()).toBe(false); // created since

    const read = new FileMemo(store, '04_lint');
    read.preload();
    expect(read.isCurrent()).toBe(true);
    const other = new FileMemo(store, '04_lint');
    other.record([{ h: 'bundle-2', b: 'b-2', s: '02' }]);
    expect(other.isCurrent()).toBe(false); // its own entry not written yet
    other.flush();
    expect(read.isCurrent()).toBe(false); // appended since
    expect(read.lookupBundle('bundle-2')).toBeUndefined();

    const again = new FileMemo(store, '04_lint');
    again.preload();
    // Replaced by the same bytes, renamed into place as a compaction does: another inode.
    const tmpFile = `${file}.tmp`;
    fs.writeFileSync(tmpFile, fs.readFileSync(file));
    fs.renameSync(tmpFile, file);
    expect(again.isCurrent()).toBe(false);
  });

  it('gives a run the memos read ahead of it only while they are current', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree(12));
    const store = initStore(path.join(tmp.dir, 'store')).store;
    const { batchId } = await runTree(store, src);
    const records = readBatchRecords(store, batchId);
    const current = new FileMemo(store, '01_parse');
    current.preload();
    const stale = new FileMemo(store, '02_analyze');
    stale.preload();
    const appended = new FileMemo(store, '02_analyze');
    appended.record([{ h: 'bundle-y', b: batchId, s: '00' }]);
    appended.flush();
    const ctx = loadBatchRunContext(store, records, registry, {
      force: false,
      manifests: true,
      memos: new Map([
        ['01_parse', current],
        ['02_analyze', stale],
      ]),
    });
    expect(ctx.memos.get('01_parse')).toBe(current);
    expect(ctx.memos.get('02_analyze')).not.toBe(stale);
    expect(ctx.memos.get('02_analyze')!.lookupBundle('bundle-y')).toEqual({
      batch_id: batchId,
      shard_id: '00',
    });
    expect(ctx.memos.get('03_symbols')).toBeInstanceOf(FileMemo);
  });

  it('executes only the changed file (for each task) in a new batch, although it moved shards', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree(40));
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const first = await runTree(store, src);
    expect(first.executed).toBe(40 * 4);
    fs.writeFileSync(path.join(src, 'src/f7.ts'), 'function f7changed() {}\nconst BAD = 2;\n');
    const second = await runTree(store, src);
    expect(second.executed).toBe(4);
    expect(second.reused).toBe(39 * 4);
    const executedPaths = new Set<string>();
    for (const r of second.summary.results) if (r.filesExecuted > 0) executedPaths.add(r.shardId);
    expect(executedPaths.size).toBe(1);
  });

  it('bypasses the memo with force', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree(10));
    const { store } = initStore(path.join(tmp.dir, 'store'));
    await runTree(store, src);
    const forced = await runTree(store, src, undefined, true);
    expect(forced.executed).toBe(40);
  });

  it('re-executes a file whose memoised records reference a corrupt or missing object', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree(12));
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const first = await runTree(store, src);
    const ast = readJsonl<OutputRecord>(
      path.join(
        store.layout.shardsDir(first.batchId, '01_parse'),
        fs.readdirSync(store.layout.shardsDir(first.batchId, '01_parse'))[0]!,
        'outputs.index.jsonl',
      ),
    ).records[0]!;
    fs.rmSync(store.objects.objectPath(ast.object!.slice(7)));
    // change another file in the same shard so the shard-level bundle misses and the memo is consulted
    fs.appendFileSync(path.join(src, 'src/f0.ts'), '// edit\n');
    const second = await runTree(store, src);
    expect(second.summary.counts.failed).toBe(0);
    expect(store.objects.verifyObject(ast.object!.slice(7))).toBe('ok');
  });

  it('is safely deletable: without indexes/ a new batch executes everything and gets the same records', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree(15));
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const first = await runTree(store, src);
    fs.rmSync(store.layout.indexesDir, { recursive: true });
    const second = await runTree(store, src);
    expect(second.executed).toBe(15 * 4);
    expect(records(store, second.batchId)).toEqual(records(store, first.batchId));
  });

  it('re-executes dependents only where their input changed after a config change', async () => {
    const src = path.join(tmp.dir, 'src');
    writeTree(src, tree(10));
    const { store } = initStore(path.join(tmp.dir, 'store'));
    await runTree(store, src);
    const second = await runTree(store, src, { tasks: { lint: { word: 'function' } } });
    const byTask = (id: string) =>
      second.summary.results.filter((r) => r.taskId === id).reduce((n, r) => n + r.filesExecuted, 0);
    expect(byTask('01_parse')).toBe(0);
    expect(byTask('02_analyze')).toBe(0);
    expect(byTask('04_lint')).toBe(10);
  });

  it('gives the same records as a fresh run on an empty store after each of 200 seeded random edits', async () => {
    const seed = Number(process.env.MEMO_SEED ?? 20261122);
    let state = seed;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const src = path.join(tmp.dir, 'src');
    const files = tree(12);
    writeTree(src, files);
    const { store } = initStore(path.join(tmp.dir, 'store'));
    const words = ['BAD', 'function', 'const'];
    let word = 'BAD';
    for (let step = 0; step < 200; step += 1) {
      const names = Object.keys(files);
      const op = rand(6);
      if (op === 0 && names.length > 2) {
        const victim = names[rand(names.length)]!;
        fs.rmSync(path.join(src, victim));
        delete files[victim];
      } else if (op === 1) {
        const name = `src/new${step}.ts`;
        files[name] = `function g${step}() {}\n${rand(2) ? 'BAD\n' : ''}`;
        writeTree(src, { [name]: files[name]! });
      } else if (op === 2 && names.length > 0) {
        const from = names[rand(names.length)]!;
        const to = `src/moved${step}.ts`;
        fs.renameSync(path.join(src, from), path.join(src, to));
        files[to] = files[from]!;
        delete files[from];
      } else if (op === 3) {
        word = words[rand(words.length)]!;
      } else if (names.length > 0) {
        const name = names[rand(names.length)]!;
        files[name] = `${files[name]}${rand(2) ? 'BAD line\n' : `function h${step}() {}\n`}`;
        writeTree(src, { [name]: files[name]! });
      }
      const config: ConfigFile = { tasks: { lint: { word } } };
      const incremental = await runTree(store, src, config);
      const fresh = initStore(path.join(tmp.dir, `fresh-${step}`)).store;
      const clean = await runTree(fresh, src, config);
      const a = records(store, incremental.batchId);
      const b = records(fresh, clean.batchId);
      if (JSON.stringify(a) !== JSON.stringify(b))
        throw new Error(
          `memo differs from a fresh run at step ${step} (seed ${seed}; replay with MEMO_SEED=${seed})`,
        );
      fs.rmSync(path.join(tmp.dir, `fresh-${step}`), { recursive: true });
    }
  }, 120_000);
});
