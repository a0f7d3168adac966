import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeFixtureCorpus } from '../../test-support/fixture-corpus';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createSnapshot } from '../create-snapshot';
import { IS_ROOT, newStore } from './helpers';

describe('snapshot warnings (recorded, never fatal)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    writeFixtureCorpus(src);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    tmp.cleanup();
  });

  const snapshot = () =>
    createSnapshot(newStore(tmp.dir, `s${Math.random().toString(36).slice(2)}`), src, { git: false });

  it('does not follow symlinks (to files, directories or nowhere)', () => {
    fs.symlinkSync(path.join(src, 'aux.js'), path.join(src, 'link.js'));
    fs.symlinkSync(path.join(src, 'docs'), path.join(src, 'docs-link'));
    fs.symlinkSync('/nonexistent/target', path.join(src, 'dangling.ts'));
    fs.symlinkSync(tmp.dir, path.join(src, 'escape')); // would reach outside the tree
    const { files, record } = snapshot();
    expect(
      files.some(
        (f) =>
          ['link.js', 'dangling.ts'].includes(f.path) ||
          f.path.startsWith('docs-link') ||
          f.path.startsWith('escape'),
      ),
    ).toBe(false);
    expect(record.warnings.filter((w) => w.code === 'symlink_skipped').map((w) => w.path)).toEqual([
      'dangling.ts',
      'docs-link',
      'escape',
      'link.js',
    ]);
  });

  it('skips special files (FIFO) without blocking on them', () => {
    try {
      execFileSync('mkfifo', [path.join(src, 'pipe')]);
    } catch {
      return; // no mkfifo on this platform
    }
    const { files, record } = snapshot();
    expect(files.some((f) => f.path === 'pipe')).toBe(false);
    expect(record.warnings).toContainEqual(
      expect.objectContaining({ code: 'special_file_skipped', path: 'pipe' }),
    );
  });

  // As root, chmod 000 does not stop reads, so the permission case runs only for other users; the
  // injected EACCES below covers the same code path everywhere.
  (IS_ROOT ? it.skip : it)('an unreadable file or directory (chmod 000) is a warning', () => {
    fs.chmodSync(path.join(src, 'aux.js'), 0o000);
    fs.chmodSync(path.join(src, 'styles'), 0o000);
    try {
      const { files, record } = snapshot();
      expect(files.some((f) => f.path === 'aux.js' || f.path.startsWith('styles/'))).toBe(false);
      expect(record.warnings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'unreadable', path: 'aux.js' }),
          expect.objectContaining({ code: 'unreadable', path: 'styles' }),
        ]),
      );
    } finally {
      fs.chmodSync(path.join(src, 'aux.js'), 0o644);
      fs.chmodSync(path.join(src, 'styles'), 0o755);
    }
  });

  it('a file that cannot be opened (EACCES injected) is a warning, the rest is snapshotted', () => {
    const realOpen = fs.openSync;
    jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      if (String(file).endsWith(`${path.sep}aux.js`)) {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      }
      return (realOpen as (...a: unknown[]) => number)(file, ...rest);
    }) as typeof fs.openSync);
    const { files, record } = snapshot();
    expect(files.some((f) => f.path === 'aux.js')).toBe(false);
    expect(files.some((f) => f.path === 'a:b.ts')).toBe(true);
    expect(record.warnings).toEqual([
      { code: 'unreadable', path: 'aux.js', message: 'cannot read file (EACCES); skipped' },
    ]);
  });

  it('reports paths that collide by case or Unicode normalization, keeping both', () => {
    writeTree(src, {
      'src/Main.ts': 'export {};\n',
      'docs/Cafe\u0301.md': 'nfd\n',
      'docs/caf\u00e9.md': 'nfc\n',
    });
    const { files, record } = snapshot();
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['src/Main.ts', 'src/main.ts']));
    const collisions = record.warnings.filter((w) => w.code === 'case_collision');
    expect(collisions.map((w) => w.path)).toEqual(['docs/caf\u00e9.md', 'src/main.ts']);
    expect(collisions[1]).toMatchObject({ other: 'src/Main.ts' });
  });

  it('skips names that are not valid UTF-8 with an invalid_name warning', () => {
    const rawName = Buffer.concat([
      Buffer.from(`${src}/docs/bad-`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('.ts'),
    ]);
    try {
      fs.writeFileSync(rawName, 'x');
    } catch {
      return; // filesystems that enforce UTF-8 names (APFS) cannot hold such a name
    }
    writeTree(src, { 'docs/real-\ufffd.md': 'a valid name that contains U+FFFD\n' });
    const { files, record } = snapshot();
    expect(files.map((f) => f.path)).toContain('docs/real-\ufffd.md');
    expect(record.warnings).toEqual([
      expect.objectContaining({ code: 'invalid_name', path: 'docs/bad-\ufffd\ufffd.ts' }),
    ]);
  });
});
