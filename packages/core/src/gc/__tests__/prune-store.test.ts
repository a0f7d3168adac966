import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../cli/main';
import { openStore } from '../../store/store';
import { makeTempDir } from '../../test-support/temp-dir';
import { parseDuration, pruneStore } from '../prune-store';
import { objectRefsUnder, run, SOURCES, treeFingerprint, writeSources } from './stores';

async function cli(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    env: {},
    isTty: false,
    commands: [],
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('codebatch gc', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  let storeDir: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    storeDir = path.join(tmp.dir, 'store');
    writeSources(src);
  });
  afterEach(() => tmp.cleanup());

  /** Three batches over three versions of the tree. */
  async function history() {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      fs.writeFileSync(
        path.join(src, 'src/c.ts'),
        `export const c = ${i};\nexport const big${i} = '${'v'.repeat(200 * (i + 1))}';\n`,
      );
      ids.push((await run(storeDir, src)).batchId);
    }
    return ids;
  }

  it('keeps the newest batch, never an object it references, and verify stays clean', async () => {
    const [b1, b2, b3] = await history();
    const { code, stdout } = await cli(
      tmp.dir,
      'gc',
      '--store',
      storeDir,
      '--keep-batches',
      '1',
      '--grace',
      '0s',
      '--json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.batches.removed.sort()).toEqual([b1, b2].sort());
    expect(report.batches.kept).toEqual([b3]);
    expect(report.snapshots.removed).toHaveLength(2);
    expect(report.objects.removed).toBeGreaterThan(0);
    expect(report.bytes_freed).toBeGreaterThan(report.objects.bytes);
    expect(fs.existsSync(path.join(storeDir, 'batches', b1!))).toBe(false);

    // Every object a kept record names is still there (outputs, chunk manifests, files index)...
    const store = openStore(storeDir);
    const snapshotId = JSON.parse(
      fs.readFileSync(path.join(storeDir, 'batches', b3!, 'batch.json'), 'utf8'),
    ).snapshot_id;
    const named = new Set<string>();
    for (const dir of [path.join(storeDir, 'batches', b3!), path.join(storeDir, 'snapshots', snapshotId)]) {
      for (const hex of objectRefsUnder(dir)) named.add(hex);
    }
    expect(named.size).toBeGreaterThan(0);
    for (const hex of named) expect(store.objects.hasObject(hex)).toBe(true);
    // ...and verify, which re-hashes every object and checks every reference, is clean.
    const verify = await cli(tmp.dir, 'verify', '--store', storeDir);
    expect(verify.stdout).toMatch(/^ok:/m);
    expect(verify.code).toBe(0);

    // Memo entries of removed batches are gone, and a re-run over the same tree executes nothing.
    const memoDir = path.join(storeDir, 'indexes/memo');
    for (const name of fs.readdirSync(memoDir)) {
      for (const line of fs.readFileSync(path.join(memoDir, name), 'utf8').split('\n').filter(Boolean)) {
        expect(JSON.parse(line).b).toBe(b3);
      }
    }
    const again = await run(storeDir, src);
    expect(again.taskFiles.executed).toBe(0);
    expect(again.diagnostics.length).toBeGreaterThan(0);
  });

  it('--dry-run reports the same and writes nothing', async () => {
    await history();
    fs.mkdirSync(path.join(storeDir, 'tmp'), { recursive: true });
    const stale = path.join(storeDir, 'tmp', 'old.tmp');
    fs.writeFileSync(stale, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);
    const before = treeFingerprint(storeDir);
    const dry = await cli(
      tmp.dir,
      'gc',
      '--store',
      storeDir,
      '--keep-batches',
      '1',
      '--grace',
      '0s',
      '--dry-run',
      '--json',
    );
    expect(dry.code).toBe(0);
    expect(treeFingerprint(storeDir)).toEqual(before);
    const planned = JSON.parse(dry.stdout);
    expect(planned.dry_run).toBe(true);
    expect(planned.tmp.removed).toBe(1);
    const real = await cli(
      tmp.dir,
      'gc',
      '--store',
      storeDir,
      '--keep-batches',
      '1',
      '--grace',
      '0s',
      '--json',
    );
    const done = JSON.parse(real.stdout);
    expect({ ...done, dry_run: true }).toEqual(planned);
    expect(fs.existsSync(stale)).toBe(false);
    const text = await cli(tmp.dir, 'gc', '--store', storeDir, '--dry-run');
    expect(text.stdout).toContain('dry run: would free');
  });

  it('without a policy keeps every batch; the grace period protects young objects', async () => {
    const ids = await history();
    const store = openStore(storeDir);
    const orphan = store.objects.writeObject('an object nothing refers to');
    const young = pruneStore(store);
    expect(young.batches.removed).toEqual([]);
    expect(store.objects.hasObject(orphan)).toBe(true);
    // Older snapshots of kept batches stay too.
    expect(young.snapshots.removed).toEqual([]);
    const old = pruneStore(store, { graceMs: 0 });
    expect(old.objects.removed).toBe(1);
    expect(store.objects.hasObject(orphan)).toBe(false);
    expect(old.batches.kept.sort()).toEqual([...ids].sort());
  });

  it('--auto sweeps nothing but stale temp files while no batch goes, and collects in full once one does', async () => {
    const [b1, b2, b3] = await history();
    const store = openStore(storeDir);
    const orphan = store.objects.writeObject('an object nothing refers to');
    const memoBefore = treeFingerprint(path.join(storeDir, 'indexes'));
    fs.mkdirSync(path.join(storeDir, 'tmp'), { recursive: true });
    const stale = path.join(storeDir, 'tmp', 'old.tmp');
    fs.writeFileSync(stale, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);

    const quiet = await cli(
      tmp.dir,
      'gc',
      '--store',
      storeDir,
      '--keep-batches',
      '3',
      '--grace',
      '0s',
      '--auto',
      '--json',
    );
    expect(quiet.code).toBe(0);
    const skipped = JSON.parse(quiet.stdout);
    expect(skipped.skipped).toBe(true);
    expect(skipped.batches.removed).toEqual([]);
    expect(skipped.snapshots).toEqual({ kept: 3, removed: [] });
    expect(skipped.objects.removed).toBe(0);
    expect(skipped.tmp.removed).toBe(1);
    expect(fs.existsSync(stale)).toBe(false);
    expect(store.objects.hasObject(orphan)).toBe(true);
    expect(treeFingerprint(path.join(storeDir, 'indexes'))).toEqual(memoBefore);
    const text = await cli(tmp.dir, 'gc', '--store', storeDir, '--keep-batches', '3', '--auto');
    expect(text.stdout).toContain('auto: no batch, snapshot or unfinished batch to remove');
    expect(text.stdout).toContain('objects    not swept');

    // Three batches, at most three allowed before any goes: keepBatches waits, nothing is swept.
    const limited = pruneStore(store, { keepBatches: 1, graceMs: 0, auto: true, autoBatchLimit: 3 });
    expect(limited.skipped).toBe(true);
    expect(limited.batches.removed).toEqual([]);
    expect(store.objects.hasObject(orphan)).toBe(true);

    // An unfinished `batch init` past the grace period is debris to remove: auto collects.
    const debris = path.join(storeDir, 'batches', 'b-unfinished');
    fs.mkdirSync(debris);
    fs.utimesSync(debris, twoHoursAgo, twoHoursAgo);
    const forDebris = pruneStore(store, { keepBatches: 3, graceMs: 0, auto: true, dryRun: true });
    expect(forDebris.skipped).toBe(false);
    expect(forDebris.objects.removed).toBe(1);
    fs.rmdirSync(debris);

    // The same store with one batch to drop: a full collection, the orphan included.
    const full = pruneStore(store, { keepBatches: 2, graceMs: 0, auto: true, autoBatchLimit: 2 });
    expect(full.skipped).toBe(false);
    expect(full.batches.removed).toEqual([b1]);
    expect(full.batches.kept.sort()).toEqual([b2, b3].sort());
    expect(store.objects.hasObject(orphan)).toBe(false);
    expect((await cli(tmp.dir, 'verify', '--store', storeDir)).code).toBe(0);

    // A snapshot no kept batch uses (and not the newest) goes too, so auto collects for it.
    fs.writeFileSync(path.join(src, 'src/c.ts'), 'export const c = 42;\n');
    expect((await cli(tmp.dir, 'snapshot', src, '--store', storeDir)).code).toBe(0);
    fs.writeFileSync(path.join(src, 'src/c.ts'), 'export const c = 43;\n');
    expect((await cli(tmp.dir, 'snapshot', src, '--store', storeDir)).code).toBe(0);
    const forSnapshot = pruneStore(store, { graceMs: 0, auto: true });
    expect(forSnapshot.skipped).toBe(false);
    expect(forSnapshot.snapshots.removed).toHaveLength(1);
  });

  it('keeps objects named by a run manifest, transitively, and batches in keepBatchIds', async () => {
    const [b1, , b3] = await history();
    const store = openStore(storeDir);
    const leaf = store.objects.writeObject('leaf bytes');
    const middle = store.objects.writeObject(JSON.stringify({ inputs: [`sha256:${leaf}`] }));
    const manifest = store.objects.writeObject(JSON.stringify({ parts: { m: `sha256:${middle}` } }));
    const tasksDir = path.join(storeDir, 'batches', b3!, 'tasks');
    const task = fs.readdirSync(tasksDir)[0]!;
    const shard = fs.readdirSync(path.join(tasksDir, task, 'shards'))[0]!;
    const stateFile = path.join(tasksDir, task, 'shards', shard, 'state.json');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    fs.writeFileSync(stateFile, JSON.stringify({ ...state, manifest: `sha256:${manifest}` }));
    const report = pruneStore(store, { keepBatches: 1, keepBatchIds: [b1!], graceMs: 0 });
    expect(report.batches.kept.sort()).toEqual([b1, b3].sort());
    for (const hex of [leaf, middle, manifest]) expect(store.objects.hasObject(hex)).toBe(true);
    const verify = await cli(tmp.dir, 'verify', '--store', storeDir);
    expect(verify.code).toBe(0);
  });

  it('removes the object directories it empties, and only directories that are empty', async () => {
    await history();
    const store = openStore(storeDir);
    const objectsDir = path.join(storeDir, 'objects', 'sha256');
    const orphan = store.objects.writeObject('an orphan in a directory of its own');
    const orphanDir = path.dirname(store.objects.objectPath(orphan));
    const siblings = fs.readdirSync(orphanDir).filter((name) => name !== orphan);
    // Debris a crashed writer can leave: an empty directory, and one holding only a temp file.
    fs.mkdirSync(path.join(objectsDir, '00', 'zz'), { recursive: true });
    fs.mkdirSync(path.join(objectsDir, '01', 'zz'), { recursive: true });
    fs.writeFileSync(path.join(objectsDir, '01', 'zz', '.tmp-123'), 'x');
    const report = pruneStore(store, { keepBatches: 1, graceMs: 0 });
    expect(report.objects.removed).toBeGreaterThan(1);
    expect(store.objects.hasObject(orphan)).toBe(false);
    // The directory stays exactly when one of the objects beside the orphan was kept (gc may
    // remove those too: a removed batch's reused indexes are objects as well).
    expect(fs.existsSync(orphanDir)).toBe(siblings.some((hex) => store.objects.hasObject(hex)));
    expect(fs.existsSync(path.join(objectsDir, '00', 'zz'))).toBe(false);
    expect(fs.readdirSync(path.join(objectsDir, '01', 'zz'))).toEqual(['.tmp-123']);
    // No empty directory is left, and every kept object is where it was.
    for (const aa of fs.readdirSync(objectsDir)) {
      const bbs = fs.readdirSync(path.join(objectsDir, aa));
      expect(bbs.length).toBeGreaterThan(0);
      for (const bb of bbs) expect(fs.readdirSync(path.join(objectsDir, aa, bb)).length).toBeGreaterThan(0);
    }
    expect((await cli(tmp.dir, 'verify', '--store', storeDir)).code).toBe(0);
  });

  it('finds refs in objects that mix them with non-ASCII text', async () => {
    const [, , b3] = await history();
    const store = openStore(storeDir);
    const leaf = store.objects.writeObject('leaf bytes ✓');
    const other = store.objects.writeObject('named only after a broken ref');
    const middle = store.objects.writeObject(
      JSON.stringify({ note: 'naïve → ✓', ref: `✓sha256:${leaf}`, broken: `sha256:${other.slice(0, 60)}` }),
    );
    const shardsDir = path.join(storeDir, 'batches', b3!, 'tasks', '01_parse', 'shards');
    const file = path.join(shardsDir, fs.readdirSync(shardsDir)[0]!, 'state.json');
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...state, manifest: `sha256:${middle}`, note: 'é' }));
    pruneStore(store, { keepBatches: 1, graceMs: 0 });
    expect(store.objects.hasObject(middle)).toBe(true);
    expect(store.objects.hasObject(leaf)).toBe(true);
    expect(store.objects.hasObject(other)).toBe(false);
  });

  it('--older-than removes only old batches; the newest snapshot always stays', async () => {
    const ids = await history();
    const store = openStore(storeDir);
    const later = Date.now() + 3 * 86_400_000;
    const report = pruneStore(store, { olderThanMs: parseDuration('1d'), now: later, graceMs: 0 });
    expect(report.batches.removed.sort()).toEqual([...ids].sort());
    expect(report.snapshots.kept).toBe(1);
    expect(fs.readdirSync(path.join(storeDir, 'snapshots'))).toHaveLength(1);
    expect((await cli(tmp.dir, 'verify', '--store', storeDir)).code).toBe(0);
    // The remaining snapshot's files are still there: a new run over the tree it holds works.
    writeSources(src, { ...SOURCES });
  });

  it('rejects bad options', async () => {
    await run(storeDir, src);
    const bad = await cli(tmp.dir, 'gc', '--store', storeDir, '--older-than', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid duration');
    expect(parseDuration('90m')).toBe(90 * 60_000);
  });
});
