import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  FIXTURE_IGNORED_PATHS,
  FIXTURE_SNAPSHOT_PATHS,
  fixturePath,
  writeFixtureCorpus,
} from '../../test-support/fixture-corpus';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { canonicalJson } from '../../util/canonical-json';
import { sha256Hex } from '../../util/hash';
import { createSnapshot } from '../create-snapshot';
import { readFilesIndex, readSnapshotRecord } from '../read-snapshot';
import { listTree, newStore } from './helpers';

describe('createSnapshot', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    writeFixtureCorpus(src);
  });
  afterEach(() => tmp.cleanup());

  it('indexes the fixture: canonical paths in UTF-8 order, gitignored files left out', () => {
    const store = newStore(tmp.dir);
    const result = createSnapshot(store, src, { git: false });
    expect(result.files.map((f) => f.path)).toEqual(FIXTURE_SNAPSHOT_PATHS);
    for (const ignored of FIXTURE_IGNORED_PATHS)
      expect(result.files.map((f) => f.path)).not.toContain(ignored);
    expect(result.reused).toBe(false);
    expect(result.stats).toMatchObject({
      files: FIXTURE_SNAPSHOT_PATHS.length,
      hashed: FIXTURE_SNAPSHOT_PATHS.length,
      cached: 0,
    });
    expect(result.record).toMatchObject({
      schema_name: 'codebatch.snapshot',
      snapshot_id: expect.stringMatching(/^[a-f0-9]{20}$/),
      source: { type: 'directory', path: fs.realpathSync(src) },
      file_count: FIXTURE_SNAPSHOT_PATHS.length,
      filters: { include: [], exclude: [], gitignore: true },
      warnings: [],
    });
    expect(result.record.total_bytes).toBe(result.files.reduce((n, f) => n + f.size, 0));
  });

  it('writes one canonical JSON line per file with object, size, lang_hint, text and path_key', () => {
    const store = newStore(tmp.dir);
    const { record, files } = createSnapshot(store, src, { git: false });
    const bytes = fs.readFileSync(store.layout.filesIndexFile(record.snapshot_id));
    expect(record.files_index_digest).toBe(`sha256:${sha256Hex(bytes)}`);
    const lines = bytes.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(files.map((f) => canonicalJson(f)));
    expect(bytes.toString('utf8')).not.toMatch(/mtime|created_at/);
    const byPath = new Map(files.map((f) => [f.path, f]));
    for (const f of files) {
      const content = fs.readFileSync(fixturePath(src, f.path));
      expect(f.object).toBe(`sha256:${sha256Hex(content)}`);
      expect(f.size).toBe(content.length);
      // frozen: the content is in the object store
      expect(fs.readFileSync(store.objects.objectPath(f.object.slice(7)))).toEqual(content);
      expect(f.schema_version).toBe(1);
    }
    expect(byPath.get('assets/logo.png')).toMatchObject({ text: false });
    expect(byPath.get('assets/logo.png')!.lang_hint).toBeUndefined();
    expect(byPath.get('data/latin1.py')).toMatchObject({ text: false, lang_hint: 'python' });
    expect(byPath.get('data/crlf.txt')).toMatchObject({ text: true, size: 20 });
    expect(byPath.get('data/empty.txt')).toMatchObject({
      text: true,
      size: 0,
      object: `sha256:${sha256Hex('')}`,
    });
    expect(byPath.get('aux.js')).toMatchObject({ lang_hint: 'javascript', text: true });
    expect(byPath.get('a:b.ts')).toMatchObject({ lang_hint: 'typescript', path_key: 'a:b.ts' });
    expect(byPath.get('src/😀.ts')).toMatchObject({ lang_hint: 'typescript' });
    expect(byPath.get('docs/日本語.md')).toMatchObject({ lang_hint: 'markdown' });
    expect(byPath.get('docs/README.md')!.path_key).toBe('docs/readme.md');
    for (const [p, lang] of [
      ['src/esm.mjs', 'javascript'],
      ['src/common.cjs', 'javascript'],
      ['src/types.mts', 'typescript'],
      ['src/legacy.cts', 'typescript'],
    ] as const) {
      expect(byPath.get(p)!.lang_hint).toBe(lang);
    }
  });

  it('is deterministic: same tree -> same id and byte-identical index, also from a copy elsewhere', () => {
    const store = newStore(tmp.dir);
    const first = createSnapshot(store, src, { git: false });
    const index1 = fs.readFileSync(store.layout.filesIndexFile(first.record.snapshot_id));
    const snapshotJson = fs.readFileSync(store.layout.snapshotFile(first.record.snapshot_id));

    const second = createSnapshot(store, src, { git: false });
    expect(second.record.snapshot_id).toBe(first.record.snapshot_id);
    expect(second.reused).toBe(true);
    // reuse writes nothing: snapshot.json (with its created_at) is untouched
    expect(fs.readFileSync(store.layout.snapshotFile(first.record.snapshot_id))).toEqual(snapshotJson);

    const copy = path.join(tmp.dir, 'elsewhere', 'copy');
    fs.cpSync(src, copy, { recursive: true });
    const otherStore = newStore(tmp.dir, 'store2');
    const fromCopy = createSnapshot(otherStore, copy, { git: false });
    expect(fromCopy.record.snapshot_id).toBe(first.record.snapshot_id);
    expect(fs.readFileSync(otherStore.layout.filesIndexFile(first.record.snapshot_id))).toEqual(index1);
  });

  it('a changed file gives a new id; the old snapshot stays as it was', () => {
    const store = newStore(tmp.dir);
    const first = createSnapshot(store, src, { git: false });
    fs.appendFileSync(path.join(src, 'src/main.ts'), '\n// changed\n');
    const second = createSnapshot(store, src, { git: false });
    expect(second.record.snapshot_id).not.toBe(first.record.snapshot_id);
    expect(readFilesIndex(store, first.record.snapshot_id)).toEqual(first.files);
    expect(readFilesIndex(store, second.record.snapshot_id)).toEqual(second.files);
  });

  it('explicit ids: reused when the content matches, E_SNAPSHOT_EXISTS when it does not', () => {
    const store = newStore(tmp.dir);
    const a = createSnapshot(store, src, { id: 'base', git: false });
    expect(a.record.snapshot_id).toBe('base');
    expect(createSnapshot(store, src, { id: 'base', git: false }).reused).toBe(true);
    fs.writeFileSync(path.join(src, 'new.ts'), 'export {};\n');
    expect(() => createSnapshot(store, src, { id: 'base', git: false })).toThrow(
      expect.objectContaining({ code: 'E_SNAPSHOT_EXISTS' }),
    );
    expect(readFilesIndex(store, 'base')).toEqual(a.files);
  });

  it.each(['../../x', 'a/b', '..', 'a b', ''])(
    'rejects --id %j with E_INVALID_ID and writes nothing anywhere',
    (id) => {
      const store = newStore(tmp.dir);
      const before = listTree(tmp.dir);
      expect(() => createSnapshot(store, src, { id })).toThrow(
        expect.objectContaining({ code: 'E_INVALID_ID' }),
      );
      expect(listTree(tmp.dir)).toEqual(before);
    },
  );

  it('E_SOURCE_NOT_FOUND for a missing source or a file', () => {
    const store = newStore(tmp.dir);
    expect(() => createSnapshot(store, path.join(tmp.dir, 'missing'))).toThrow(
      expect.objectContaining({ code: 'E_SOURCE_NOT_FOUND', hints: [expect.any(String)] }),
    );
    expect(() => createSnapshot(store, path.join(src, 'aux.js'))).toThrow(
      expect.objectContaining({ code: 'E_SOURCE_NOT_FOUND' }),
    );
    expect(listTree(store.layout.snapshotDir('x').replace(/x$/, ''))).toEqual([]);
  });

  it('skips a store that lives inside the source tree', () => {
    const store = newStore(src, '.codebatch-store');
    const { files } = createSnapshot(store, src, { gitignore: false, git: false });
    expect(files.some((f) => f.path.startsWith('.codebatch-store'))).toBe(false);
    expect(files.some((f) => f.path === 'node_modules/left-pad/index.js')).toBe(true);
  });

  it('always skips .git, with or without gitignore', () => {
    writeTree(src, { '.git/HEAD': 'ref: refs/heads/main\n', '.git/config': '' });
    const store = newStore(tmp.dir);
    for (const gitignore of [true, false]) {
      const { files } = createSnapshot(store, src, { gitignore, git: false });
      expect(files.some((f) => f.path.startsWith('.git/'))).toBe(false);
    }
  });

  it('reports progress and ends with the totals', () => {
    const store = newStore(tmp.dir);
    const seen: { files: number; hashed: number; cached: number }[] = [];
    createSnapshot(store, src, { git: false, onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({
      files: FIXTURE_SNAPSHOT_PATHS.length,
      hashed: FIXTURE_SNAPSHOT_PATHS.length,
      cached: 0,
    });
  });

  const hasGit = (() => {
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (hasGit ? it : it.skip)('records git_ref (HEAD commit) and git_dirty inside a checkout', () => {
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@e', '-c', 'commit.gpgsign=false', ...args],
        {
          cwd: src,
          stdio: 'pipe',
        },
      ).toString();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'fixture');
    const head = git('rev-parse', 'HEAD').trim();
    const store = newStore(tmp.dir);
    const clean = createSnapshot(store, src);
    expect(clean.record.source).toMatchObject({ git_ref: head, git_dirty: false });
    expect(clean.files.some((f) => f.path.startsWith('.git/'))).toBe(false);
    fs.appendFileSync(path.join(src, 'src/main.ts'), '\n');
    expect(createSnapshot(store, src).record.source).toMatchObject({ git_ref: head, git_dirty: true });
    // packed refs resolve too
    git('pack-refs', '--all');
    expect(createSnapshot(store, path.join(src, 'src')).record.source.git_ref).toBe(head);
  });

  it('records no git facts outside a checkout or with git: false', () => {
    const store = newStore(tmp.dir);
    const { record } = createSnapshot(store, src, { git: false });
    expect(record.source.git_ref).toBeUndefined();
    expect(record.source.git_dirty).toBeUndefined();
  });

  it('snapshot.json is the last thing to appear: no staging debris is left behind', () => {
    const store = newStore(tmp.dir);
    const { record } = createSnapshot(store, src, { git: false });
    expect(fs.readdirSync(store.layout.snapshotDir(record.snapshot_id)).sort()).toEqual([
      'files.index.jsonl',
      'snapshot.json',
    ]);
    expect(fs.readdirSync(store.layout.tmpDir)).toEqual([]);
    expect(readSnapshotRecord(store, record.snapshot_id)).toEqual(record);
  });

  it('replaces a crashed attempt (directory without snapshot.json)', () => {
    const store = newStore(tmp.dir);
    const { record } = createSnapshot(store, src, { git: false });
    const dir = store.layout.snapshotDir(record.snapshot_id);
    fs.rmSync(path.join(dir, 'snapshot.json'));
    fs.writeFileSync(path.join(dir, 'files.index.jsonl'), 'torn');
    const again = createSnapshot(store, src, { git: false });
    expect(again.reused).toBe(false);
    expect(readFilesIndex(store, record.snapshot_id)).toEqual(again.files);
  });
});
