import path from 'node:path';
import {
  FIXTURE_IGNORED_PATHS,
  FIXTURE_SNAPSHOT_PATHS,
  writeFixtureCorpus,
} from '../../test-support/fixture-corpus';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createSnapshot } from '../create-snapshot';
import { loadIgnoreLevel } from '../gitignore';
import { normalizeGlobs } from '../path-filter';
import { newStore } from './helpers';

describe('snapshot filters', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    writeFixtureCorpus(src);
  });
  afterEach(() => tmp.cleanup());

  const paths = (options: Parameters<typeof createSnapshot>[2]) =>
    createSnapshot(newStore(tmp.dir, `store-${Math.random().toString(36).slice(2)}`), src, {
      git: false,
      ...options,
    }).files.map((f) => f.path);

  it('gitignore: false takes everything except .git', () => {
    const all = paths({ gitignore: false });
    expect(all).toEqual(expect.arrayContaining([...FIXTURE_SNAPSHOT_PATHS, ...FIXTURE_IGNORED_PATHS]));
    expect(all).toHaveLength(FIXTURE_SNAPSHOT_PATHS.length + FIXTURE_IGNORED_PATHS.length);
  });

  it('nested .gitignore files apply to their subtree and override their parents (negation)', () => {
    const kept = paths({});
    expect(kept).toContain('packages/app/keep.log'); // *.log at the root, !keep.log below
    expect(kept).not.toContain('packages/app/generated/out.ts');
    expect(kept).not.toContain('debug.log');
  });

  it('gitignore matching follows git: anchored patterns, directory-only patterns, comments', () => {
    writeTree(src, {
      'lib/.gitignore': '# comment\n/build\ntmp/\n',
      'lib/build/a.js': '',
      'lib/sub/build/b.js': '', // `/build` is anchored to lib/
      'lib/sub/tmp/c.js': '',
      'lib/tmp': '', // a file named tmp: `tmp/` only matches directories
    });
    const kept = paths({});
    expect(kept).not.toContain('lib/build/a.js');
    expect(kept).toContain('lib/sub/build/b.js');
    expect(kept).not.toContain('lib/sub/tmp/c.js');
    expect(kept).toContain('lib/tmp');
  });

  it('include: only matching files; a directory match includes its subtree; basename globs match anywhere', () => {
    expect(paths({ include: ['src/**/*.ts'] })).toEqual(['src/main.ts', 'src/types.d.ts', 'src/😀.ts']);
    expect(paths({ include: ['docs'] })).toEqual(['docs/README.md', 'docs/日本語.md']);
    expect(paths({ include: ['*.md'] })).toEqual(['docs/README.md', 'docs/日本語.md']);
    expect(paths({ include: ['./styles/**'] })).toEqual(['styles/site.css']);
  });

  it('an ignore file of comments and blank lines sets up no matcher; any pattern line does', () => {
    const dir = path.join(tmp.dir, 'ignore-files');
    const level = (text: string) => {
      writeTree(dir, { '.gitignore': text });
      return loadIgnoreLevel(dir, '', true, false, []);
    };
    expect(level('# only a comment\n\n   \n\t\n# another\n')).toBeUndefined();
    for (const rule of [' leading-space', '\\#not-a-comment', '!negated', 'a\\ '])
      expect(level(`# comment\n${rule}\n`)).toBeDefined();
    // As git: the files the comment-only file is beside are all kept.
    writeTree(src, { '.gitignore': '# nothing ignored here\n' });
    expect(paths({})).toEqual(expect.arrayContaining(['.gitignore']));
  });

  it('exclude: wins over include, prunes directories, matches dotfiles', () => {
    const kept = paths({ exclude: ['src', '*.md', '.gitignore', 'deep/l1/l2'] });
    expect(kept.some((p) => p.startsWith('src/'))).toBe(false);
    expect(kept.some((p) => p.endsWith('.md'))).toBe(false);
    expect(kept.some((p) => p.endsWith('.gitignore'))).toBe(false);
    expect(kept.some((p) => p.startsWith('deep/'))).toBe(false);
    expect(kept).toContain('aux.js');
    expect(paths({ include: ['src/**'], exclude: ['**/*.ts'] })).toEqual([
      'src/common.cjs',
      'src/component.tsx',
      'src/esm.mjs',
      'src/legacy.cts',
      'src/tool.py',
      'src/types.mts',
      'src/util.js',
      'src/view.jsx',
    ]);
  });

  it('exclude with gitignore off: the usual way to drop node_modules by hand', () => {
    const kept = paths({ gitignore: false, exclude: ['node_modules', 'dist'] });
    expect(kept).toContain('debug.log');
    expect(kept.some((p) => p.startsWith('node_modules/') || p.startsWith('dist/'))).toBe(false);
  });

  it('include/exclude globs with eight stars against a long name that does not match finish at once', () => {
    // picomatch's backtracking RegExp needed seconds to minutes for this (each star multiplies
    // the time by the name length); the NFA matcher is linear.
    const name = `${'a'.repeat(52)}.ts`;
    writeTree(src, { [`deep/${name}`]: '' });
    const eight = '*a*a*a*a*a*a*a*a*b';
    const started = Date.now();
    expect(paths({ include: [eight, `deep/${eight}`] })).toEqual([]);
    expect(paths({ exclude: [eight, `deep/${eight}`] })).toContain(`deep/${name}`);
    expect(paths({ include: [`deep/${'*a'.repeat(8)}*.ts`] })).toEqual([`deep/${name}`]);
    // Synchronous work cannot be interrupted by the jest timeout: measure it (a snapshot of
    // this small tree takes milliseconds; the bound is generous for a loaded CI machine).
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  it('refuses a glob it cannot match safely with E_CONFIG_INVALID and a hint', () => {
    expect(() => paths({ exclude: ['!(keep).ts'] })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID', hints: [expect.stringContaining('exclude')] }),
    );
  });

  it('filters are normalized, recorded and part of the id', () => {
    const store = newStore(tmp.dir);
    const a = createSnapshot(store, src, { git: false, exclude: ['./dist/', 'b', 'a', 'a'] });
    expect(a.record.filters).toEqual({ include: [], exclude: ['a', 'b', 'dist'], gitignore: true });
    const b = createSnapshot(store, src, { git: false, exclude: ['b', 'dist', 'a'] });
    expect(b.record.snapshot_id).toBe(a.record.snapshot_id);
    expect(b.reused).toBe(true);
    // same files, different filters -> a different snapshot (its record states other filters)
    const c = createSnapshot(store, src, { git: false });
    expect(c.files).toEqual(a.files);
    expect(c.record.snapshot_id).not.toBe(a.record.snapshot_id);
    expect(normalizeGlobs([' ./x/ ', '', 'x'])).toEqual(['x']);
  });
});
