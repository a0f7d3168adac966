import fs from 'node:fs';
import path from 'node:path';
import { writeFixtureCorpus } from '../../test-support/fixture-corpus';
import { makeTempDir } from '../../test-support/temp-dir';
import { createSnapshot } from '../create-snapshot';
import { lookupStatCache, RACY_WINDOW_MS, type StatCache, statCacheFile } from '../stat-cache';
import { LATER, newStore } from './helpers';

describe('stat cache', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    writeFixtureCorpus(src);
  });
  afterEach(() => tmp.cleanup());

  it('a re-snapshot of an unchanged tree reads no file and changes nothing', () => {
    const store = newStore(tmp.dir);
    const cold = createSnapshot(store, src, { git: false, now: LATER });
    const readSpy = jest.spyOn(fs, 'readSync');
    const warm = createSnapshot(store, src, { git: false, now: LATER });
    expect(readSpy).not.toHaveBeenCalled();
    readSpy.mockRestore();
    expect(warm.stats).toMatchObject({ hashed: 0, cached: cold.stats.files });
    expect(warm.reused).toBe(true);
    expect(warm.files).toEqual(cold.files);
    expect(warm.record).toEqual(cold.record);
  });

  it('deleting or damaging the cache changes nothing in the output', () => {
    const store = newStore(tmp.dir);
    const cold = createSnapshot(store, src, { git: false, now: LATER });
    const index = fs.readFileSync(store.layout.filesIndexFile(cold.record.snapshot_id));
    const cacheFile = statCacheFile(store, fs.realpathSync(src));
    expect(fs.existsSync(cacheFile)).toBe(true);

    fs.rmSync(path.join(store.layout.indexesDir, 'stat-cache'), { recursive: true });
    const rebuilt = createSnapshot(store, src, { git: false, now: LATER });
    expect(rebuilt.stats.hashed).toBe(cold.stats.files);
    expect(rebuilt.record.snapshot_id).toBe(cold.record.snapshot_id);
    expect(fs.readFileSync(store.layout.filesIndexFile(cold.record.snapshot_id))).toEqual(index);

    for (const damage of [
      '{not json',
      JSON.stringify({ schema_name: 'codebatch.stat_cache', version: 1, entries: [['x']] }),
    ]) {
      fs.writeFileSync(cacheFile, damage);
      const again = createSnapshot(store, src, { git: false, now: LATER });
      expect(again.stats.hashed).toBe(cold.stats.files);
      expect(again.files).toEqual(cold.files);
    }
  });

  it('detects an edit: same size, restored mtime, inside the racy window (real clock)', () => {
    const store = newStore(tmp.dir);
    const file = path.join(src, 'src/main.ts');
    const first = createSnapshot(store, src, { git: false });
    const { mtime, size } = fs.statSync(file);
    const original = fs.readFileSync(file);
    const edited = Buffer.from(original);
    edited[0] = edited[0] === 0x69 ? 0x49 : 0x69; // same size, different byte
    fs.writeFileSync(file, edited);
    fs.utimesSync(file, mtime, mtime);
    expect(fs.statSync(file).size).toBe(size);
    const second = createSnapshot(store, src, { git: false });
    const entry = (r: typeof first) => r.files.find((f) => f.path === 'src/main.ts')!;
    expect(entry(second).object).not.toBe(entry(first).object);
    expect(second.record.snapshot_id).not.toBe(first.record.snapshot_id);
  });

  it('re-hashes on any stat change and when the object has left the store with its snapshot', () => {
    const store = newStore(tmp.dir);
    const first = createSnapshot(store, src, { git: false, now: LATER });
    // same size, content changed, mtime restored: ctime (which nobody can restore) gives it away
    const file = path.join(src, 'aux.js');
    const { mtime } = fs.statSync(file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('aux', 'AUX'));
    fs.utimesSync(file, mtime, mtime);
    const entry = first.files.find((f) => f.path === 'config/ci.yml')!;
    // As gc prunes: an object goes only with every snapshot that names it.
    fs.rmSync(store.layout.snapshotDir(first.record.snapshot_id), { recursive: true });
    fs.rmSync(store.objects.objectPath(entry.object.slice(7)));

    const second = createSnapshot(store, src, { git: false, now: LATER });
    expect(second.stats.hashed).toBe(2);
    expect(second.files.find((f) => f.path === 'aux.js')!.object).not.toBe(
      first.files.find((f) => f.path === 'aux.js')!.object,
    );
    expect(store.objects.verifyObject(entry.object.slice(7))).toBe('ok');
  });

  it('a new snapshot looks up no cached object while the snapshot the cache was saved with is kept', () => {
    const store = newStore(tmp.dir);
    const first = createSnapshot(store, src, { git: false, now: LATER });
    fs.appendFileSync(path.join(src, 'aux.js'), '// edited\n');
    const cacheFile = statCacheFile(store, fs.realpathSync(src));
    const saved = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    expect(saved.snapshot).toEqual({
      id: first.record.snapshot_id,
      files_index_digest: first.record.files_index_digest,
    });
    const unchanged = new Set(
      first.files.filter((f) => f.path !== 'aux.js').map((f) => store.objects.objectPath(f.object.slice(7))),
    );
    const lookups = () => existsSpy.mock.calls.filter(([p]) => unchanged.has(String(p))).length;
    const existsSpy = jest.spyOn(fs, 'existsSync');
    const second = createSnapshot(store, src, { git: false, now: LATER });
    const trusted = lookups();
    existsSpy.mockClear();
    // The same edit again, with the cache naming a snapshot that is gone: every object is looked up.
    fs.appendFileSync(path.join(src, 'aux.js'), '// again\n');
    fs.rmSync(store.layout.snapshotDir(second.record.snapshot_id), { recursive: true });
    const third = createSnapshot(store, src, { git: false, now: LATER });
    const careful = lookups();
    existsSpy.mockRestore();
    expect(second.stats).toMatchObject({ hashed: 1, cached: first.stats.files - 1 });
    expect(third.stats).toMatchObject({ hashed: 1, cached: first.stats.files - 1 });
    expect(trusted).toBe(0);
    expect(careful).toBe(unchanged.size);
  });

  it('reports a change to a file the last run read before walking the tree, and another change after', () => {
    const store = newStore(tmp.dir);
    createSnapshot(store, src, { git: false, now: LATER });
    fs.appendFileSync(path.join(src, 'aux.js'), '// edited\n');
    createSnapshot(store, src, { git: false, now: LATER }); // reads aux.js: the next run's "recent"
    const readdir = jest.spyOn(fs, 'readdirSync');
    const seen = (edit: string) => {
      fs.appendFileSync(path.join(src, edit), '// edited again\n');
      readdir.mockClear();
      const calls: number[] = [];
      createSnapshot(store, src, {
        git: false,
        now: LATER,
        onChangedFile: () => calls.push(readdir.mock.calls.length),
      });
      return calls;
    };
    try {
      // aux.js was read last time: its edit is seen before any directory is listed.
      expect(seen('aux.js')).toEqual([0]);
      // Another file: seen once, after the walk.
      const later = seen('src/main.ts');
      expect(later).toHaveLength(1);
      expect(later[0]).toBeGreaterThan(0);
    } finally {
      readdir.mockRestore();
    }
    // A run that read nothing calls nothing.
    const calls: number[] = [];
    createSnapshot(store, src, { git: false, now: LATER, onChangedFile: () => calls.push(1) });
    expect(calls).toEqual([]);
  });

  it('reads a file again while it is too recent to trust, without reporting it as changed', () => {
    const store = newStore(tmp.dir);
    // A clock just past the newest file: each run reads every file again (the racy rule), however
    // long after writing them the test gets here.
    const newest = Math.max(
      ...fs.readdirSync(src, { recursive: true }).map((f) => {
        const st = fs.statSync(path.join(src, String(f)));
        return Math.max(st.mtimeMs, st.ctimeMs);
      }),
    );
    const now = () => newest + 1;
    const first = createSnapshot(store, src, { git: false, now });
    const calls: number[] = [];
    const again = createSnapshot(store, src, { git: false, now, onChangedFile: () => calls.push(1) });
    expect(again.stats.hashed).toBe(first.stats.files);
    expect(calls).toEqual([]);
    // An edit among them is a change.
    fs.appendFileSync(path.join(src, 'aux.js'), '// edited\n');
    createSnapshot(store, src, { git: false, now, onChangedFile: () => calls.push(2) });
    expect(calls).toEqual([2]);
  });

  describe('lookupStatCache', () => {
    const stat = { size: 10, mtimeMs: 1_000_000, ctimeMs: 1_000_000, ino: 7, dev: 1 };
    const hex = 'a'.repeat(64);
    const cacheWith = (racyBeforeMs: number): StatCache => ({
      racyBeforeMs,
      entries: new Map([['f.ts', { ...stat, hex, text: true }]]),
    });
    const yes = () => true;

    it('trusts an entry only when every field matches, it is older than the racy mark, and the object exists', () => {
      const cache = cacheWith(stat.mtimeMs + 1);
      expect(lookupStatCache(cache, 'f.ts', stat, yes)?.hex).toBe(hex);
      expect(lookupStatCache(cache, 'g.ts', stat, yes)).toBeUndefined();
      for (const key of ['size', 'mtimeMs', 'ctimeMs', 'ino', 'dev'] as const) {
        expect(lookupStatCache(cache, 'f.ts', { ...stat, [key]: stat[key] + 1 }, yes)).toBeUndefined();
      }
      expect(lookupStatCache(cache, 'f.ts', stat, () => false)).toBeUndefined();
    });

    it('racily clean: an entry whose mtime or ctime is not strictly older than the mark is re-hashed', () => {
      expect(lookupStatCache(cacheWith(stat.mtimeMs), 'f.ts', stat, yes)).toBeUndefined();
      expect(lookupStatCache(cacheWith(stat.mtimeMs - 1), 'f.ts', stat, yes)).toBeUndefined();
      const newCtime = { ...cacheWith(stat.mtimeMs + 1) };
      newCtime.entries.set('f.ts', { ...stat, ctimeMs: stat.mtimeMs + 5, hex, text: true });
      expect(lookupStatCache(newCtime, 'f.ts', { ...stat, ctimeMs: stat.mtimeMs + 5 }, yes)).toBeUndefined();
    });

    it('the mark trails the run start by the racy window', () => {
      const store = newStore(tmp.dir);
      const start = Date.now();
      createSnapshot(store, src, { git: false, now: () => start });
      const stored = JSON.parse(fs.readFileSync(statCacheFile(store, fs.realpathSync(src)), 'utf8'));
      expect(stored.racy_before_ms).toBe(start - RACY_WINDOW_MS);
    });
  });
});
