import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test-support/temp-dir';
import { sha256Hex } from '../../util/hash';
import { createSnapshot } from '../create-snapshot';
import { loadGitBlobMap } from '../git-blob-map';
import { readFilesIndex } from '../read-snapshot';
import { LATER, newStore } from './helpers';

// A fresh checkout (a CI runner with a restored store) takes the digests of the files git
// vouches for from the store's blob map instead of reading them, and only those.

const FILES = 80; // above the 64 misses below which git is not asked

describe('snapshot of a fresh checkout', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let origin: string;
  beforeEach(() => {
    tmp = makeTempDir();
    origin = path.join(tmp.dir, 'origin');
    for (let i = 0; i < FILES; i += 1) {
      const file = path.join(origin, 'pkg', `m${i}.ts`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `export const m${i} = ${i};\nexport const line = 'one\\ntwo';\n`);
    }
    fs.writeFileSync(path.join(origin, 'pkg', 'notes.txt'), 'first line\nsecond line\n');
    fs.writeFileSync(path.join(origin, 'README.md'), '# above the analysed directory\n');
    git(origin, 'init', '-q', '-b', 'main');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'fixture');
  });
  afterEach(() => tmp.cleanup());

  function git(cwd: string, ...args: string[]): string {
    return execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@e', '-c', 'commit.gpgsign=false', ...args],
      { cwd, stdio: 'pipe' },
    ).toString();
  }

  function clone(name: string, config: string[] = []): string {
    const dir = path.join(tmp.dir, name);
    execFileSync('git', ['clone', '-q', ...config.flatMap((c) => ['-c', c]), origin, dir], { stdio: 'pipe' });
    return dir;
  }

  /** The snapshot a full read gives (ground truth): its files index, path -> object. */
  function readAll(dir: string): Map<string, string> {
    const store = newStore(tmp.dir, `truth-${path.basename(path.dirname(dir))}-${Date.now()}`);
    const r = createSnapshot(store, dir, { git: false, statCache: false });
    return new Map(readFilesIndex(store, r.record.snapshot_id).map((f) => [f.path, f.object]));
  }

  function objects(store: ReturnType<typeof newStore>, id: string): Map<string, string> {
    return new Map(readFilesIndex(store, id).map((f) => [f.path, f.object]));
  }

  it('takes every clean tracked file from git, reads an edited one, and gives the digests a full read gives', () => {
    const store = newStore(tmp.dir);
    const first = createSnapshot(store, path.join(clone('ci-main'), 'pkg'), { now: LATER });
    expect(first.stats.hashed).toBe(FILES + 1);

    const pr = clone('ci-pr');
    // Same size, other bytes, not committed: git status lists it, so it must be read.
    fs.writeFileSync(
      path.join(pr, 'pkg', 'm3.ts'),
      "export const m3 = 9;\nexport const line = 'one\\ntwo';\n",
    );
    const second = createSnapshot(store, path.join(pr, 'pkg'), { now: LATER });
    expect(second.stats).toMatchObject({ fromGit: FILES, hashed: 1, cached: 0 });
    expect(objects(store, second.record.snapshot_id)).toEqual(readAll(path.join(pr, 'pkg')));
    expect(objects(store, second.record.snapshot_id).get('m3.ts')).toBe(
      `sha256:${sha256Hex(fs.readFileSync(path.join(pr, 'pkg', 'm3.ts')))}`,
    );
    expect(second.record.source.git_dirty).toBe(true);
  });

  it('reads a file again when the object git vouches for is gone from the store (pruned with its snapshot)', () => {
    const store = newStore(tmp.dir);
    const first = createSnapshot(store, path.join(clone('ci-first'), 'pkg'), { now: LATER });
    const dir = path.join(clone('ci-again'), 'pkg');
    const truth = readAll(dir);
    const gone = truth.get('m1.ts')!.slice('sha256:'.length);
    // As gc leaves it: the snapshot removed first, then the objects no kept snapshot names.
    fs.rmSync(path.dirname(store.layout.snapshotFile(first.record.snapshot_id)), { recursive: true });
    fs.rmSync(store.objects.objectPath(gone));
    const again = createSnapshot(store, dir, { now: LATER });
    expect(again.stats).toMatchObject({ fromGit: FILES, hashed: 1, cached: 0 });
    expect(objects(store, again.record.snapshot_id)).toEqual(truth);
    expect(store.objects.hasObject(gone)).toBe(true);
  });

  it('looks up no object of the kept snapshot the map was saved with, and each of another', () => {
    const store = newStore(tmp.dir);
    createSnapshot(store, path.join(clone('ci-main'), 'pkg'), { now: LATER });
    const lookups = (dir: string) => {
      const exists = jest.spyOn(fs, 'existsSync');
      try {
        const r = createSnapshot(store, dir, { now: LATER });
        const objectsDir = `${path.sep}objects${path.sep}`;
        return { r, count: exists.mock.calls.filter(([f]) => String(f).includes(objectsDir)).length };
      } finally {
        exists.mockRestore();
      }
    };
    const anchored = lookups(path.join(clone('ci-pr'), 'pkg'));
    expect(anchored.r.stats).toMatchObject({ fromGit: FILES + 1, hashed: 0 });
    expect(anchored.count).toBeLessThan(5);
    expect(objects(store, anchored.r.record.snapshot_id)).toEqual(
      readAll(path.join(tmp.dir, 'ci-pr', 'pkg')),
    );

    // Its anchor gone (gc removed the snapshot), every vouched object is looked up again.
    const anchor = JSON.parse(fs.readFileSync(path.join(store.layout.indexesDir, 'git-blobs.json'), 'utf8'));
    fs.rmSync(path.dirname(store.layout.snapshotFile(anchor.snapshot.id)), { recursive: true });
    const unanchored = lookups(path.join(clone('ci-pr2'), 'pkg'));
    expect(unanchored.r.stats).toMatchObject({ fromGit: FILES + 1, hashed: 0 });
    expect(unanchored.count).toBeGreaterThanOrEqual(FILES + 1);
    // Saved again with the snapshot just made as its anchor.
    const saved = JSON.parse(fs.readFileSync(path.join(store.layout.indexesDir, 'git-blobs.json'), 'utf8'));
    expect(saved.snapshot.id).toBe(unanchored.r.record.snapshot_id);
  });

  it('takes no anchor that is not a snapshot id and an object reference (a doctored map)', () => {
    const store = newStore(tmp.dir);
    createSnapshot(store, path.join(clone('ci-main'), 'pkg'), { now: LATER });
    const file = path.join(store.layout.indexesDir, 'git-blobs.json');
    const map = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(loadGitBlobMap(store).anchor?.id).toBe(map.snapshot.id);
    for (const snapshot of [
      { id: '../../outside', files_index_digest: map.snapshot.files_index_digest },
      { id: map.snapshot.id, files_index_digest: 'sha256:../x' },
    ]) {
      fs.writeFileSync(file, JSON.stringify({ ...map, snapshot }));
      const loaded = loadGitBlobMap(store);
      expect(loaded.anchor).toBeUndefined();
      expect(loaded.entries.size).toBe(map.entries.length);
    }
  });

  it('still vouches with core.autocrlf=input (it converts on commit only)', () => {
    const store = newStore(tmp.dir);
    createSnapshot(store, path.join(clone('ci-main'), 'pkg'), { now: LATER });
    const input = clone('ci-input', ['core.autocrlf=input']);
    const r = createSnapshot(store, path.join(input, 'pkg'), { now: LATER });
    expect(r.stats).toMatchObject({ fromGit: FILES + 1, hashed: 0 });
  });

  it('vouches for nothing a checkout may convert (autocrlf, eol attributes) or git is told to ignore', () => {
    const store = newStore(tmp.dir);
    createSnapshot(store, path.join(clone('ci-main'), 'pkg'), { now: LATER });

    const crlf = clone('ci-crlf', ['core.autocrlf=true']);
    const converted = createSnapshot(store, path.join(crlf, 'pkg'), { now: LATER });
    expect(converted.stats.fromGit).toBe(0);
    expect(objects(store, converted.record.snapshot_id)).toEqual(readAll(path.join(crlf, 'pkg')));

    fs.writeFileSync(path.join(origin, 'pkg', '.gitattributes'), '*.txt text eol=crlf\n');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'attributes');
    const attributed = clone('ci-attr');
    const some = createSnapshot(store, path.join(attributed, 'pkg'), { now: LATER });
    // The .txt file is checked out with CRLF and the new .gitattributes is not in the map yet.
    expect(some.stats).toMatchObject({ fromGit: FILES, hashed: 2 });
    expect(objects(store, some.record.snapshot_id)).toEqual(readAll(path.join(attributed, 'pkg')));

    // Attributes that convert nothing leave a file vouched for; a macro that unsets text does not.
    fs.writeFileSync(
      path.join(origin, 'pkg', '.gitattributes'),
      '*.ts diff=typescript linguist-generated -merge\nnotes.txt binary\n',
    );
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'attributes that convert nothing');
    const harmless = clone('ci-harmless');
    const most = createSnapshot(store, path.join(harmless, 'pkg'), { now: LATER });
    expect(most.stats).toMatchObject({ fromGit: FILES, hashed: 2 });
    expect(objects(store, most.record.snapshot_id)).toEqual(readAll(path.join(harmless, 'pkg')));

    const hidden = clone('ci-hidden');
    git(hidden, 'update-index', '--assume-unchanged', 'pkg/m5.ts');
    fs.writeFileSync(
      path.join(hidden, 'pkg', 'm5.ts'),
      "export const m5 = 7;\nexport const line = 'one\\ntwo';\n",
    );
    const assumed = createSnapshot(store, path.join(hidden, 'pkg'), { now: LATER });
    expect(assumed.stats.fromGit).toBe(FILES);
    expect(objects(store, assumed.record.snapshot_id)).toEqual(readAll(path.join(hidden, 'pkg')));
  });
});
