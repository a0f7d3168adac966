import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { initStore } from '../../store/store';
import { writeFixtureCorpus } from '../../test-support/fixture-corpus';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createSnapshot } from '../create-snapshot';
import { IS_ROOT, newStore } from './helpers';

// Issue 12 item 4: a tree (and its .git) from someone else must not run commands, hang, exhaust
// memory, or fail the snapshot.

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function tryMkfifo(file: string): boolean {
  try {
    execFileSync('mkfifo', [file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A reader blocked on a FIFO is a synchronous hang that no jest timeout can interrupt. This
 * child opens the FIFO for writing after `ms`, which releases such a reader, so old code fails
 * the elapsed-time assertion instead of hanging the suite.
 */
function releaseFifoAfter(fifo: string, ms: number): ChildProcess {
  return spawn('sh', ['-c', `sleep ${ms / 1000}; exec 3>"$0"`, fifo], { stdio: 'ignore' });
}

describe('untrusted trees are safe to snapshot', () => {
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

  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@e', '-c', 'commit.gpgsign=false', ...args],
      {
        cwd: src,
        stdio: 'pipe',
      },
    ).toString();

  (hasGit ? it : it.skip)(
    'runs nothing the repository configures (core.fsmonitor, clean filters), still records git facts',
    () => {
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'fixture');
      const head = git('rev-parse', 'HEAD').trim();
      const marker = path.join(tmp.dir, 'ran');
      const script = path.join(tmp.dir, 'evil.sh');
      // A clean filter must pass content through; this one also leaves the marker.
      fs.writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> "${marker}"\ncat\n`, { mode: 0o755 });
      git('config', 'core.fsmonitor', script);
      git('config', 'filter.evil.clean', script);
      git('config', 'filter.evil.process', script);
      fs.writeFileSync(path.join(src, '.git', 'info', 'attributes'), '* filter=evil\n');
      // New stat data, same content: git must look at the content, which runs the clean filter.
      const later = new Date(Date.now() + 5_000);
      fs.utimesSync(path.join(src, 'src', 'main.ts'), later, later);

      const { record } = createSnapshot(newStore(tmp.dir), src);
      expect(fs.existsSync(marker)).toBe(false);
      expect(record.source).toMatchObject({ git_ref: head, git_dirty: false });
      // and the dirty flag still sees a real change
      fs.appendFileSync(path.join(src, 'src', 'main.ts'), '\n');
      expect(createSnapshot(newStore(tmp.dir, 's2'), src).record.source.git_dirty).toBe(true);
      expect(fs.existsSync(marker)).toBe(false);
    },
  );

  (hasGit ? it : it.skip)(
    'the isolated dirty check works in a linked worktree and honours info/exclude',
    () => {
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'fixture');
      const head = git('rev-parse', 'HEAD').trim();
      const wt = path.join(tmp.dir, 'wt');
      git('worktree', 'add', '-q', '--detach', wt);
      fs.writeFileSync(path.join(src, '.git', 'info', 'exclude'), 'scratch.txt\n');
      fs.writeFileSync(path.join(wt, 'scratch.txt'), 'excluded through the common info/exclude\n');
      expect(createSnapshot(newStore(tmp.dir), wt).record.source).toMatchObject({
        git_ref: head,
        git_dirty: false,
      });
      fs.writeFileSync(path.join(wt, 'new.ts'), 'export {};\n');
      expect(createSnapshot(newStore(tmp.dir, 's2'), wt).record.source).toMatchObject({
        git_ref: head,
        git_dirty: true,
      });
    },
  );

  it('a FIFO named .gitignore neither hangs the snapshot nor is read', () => {
    const fifo = path.join(src, 'docs', '.gitignore');
    if (!tryMkfifo(fifo)) return; // no mkfifo on this platform
    const releaser = releaseFifoAfter(fifo, 6_000);
    try {
      const started = Date.now();
      const { files, record } = createSnapshot(newStore(tmp.dir), src, { git: false });
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(files.some((f) => f.path === 'docs/.gitignore')).toBe(false);
      expect(files.some((f) => f.path === 'docs/README.md')).toBe(true);
      expect(record.warnings).toEqual([
        {
          code: 'special_file_skipped',
          path: 'docs/.gitignore',
          message: 'not a regular file (FIFO, socket or device); its ignore rules were not applied',
        },
      ]);
    } finally {
      releaser.kill();
    }
  }, 15_000);

  it('a FIFO in .git (HEAD) does not hang the snapshot; no git facts are recorded', () => {
    fs.mkdirSync(path.join(src, '.git'));
    const fifo = path.join(src, '.git', 'HEAD');
    if (!tryMkfifo(fifo)) return;
    const releaser = releaseFifoAfter(fifo, 6_000);
    try {
      const started = Date.now();
      const { record } = createSnapshot(newStore(tmp.dir), src);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(record.source.git_ref).toBeUndefined();
    } finally {
      releaser.kill();
    }
  }, 15_000);

  it('a .gitignore symlink to /dev/zero is skipped with a warning, not read', () => {
    if (!fs.existsSync('/dev/zero')) return; // Windows
    fs.rmSync(path.join(src, '.gitignore'));
    fs.symlinkSync('/dev/zero', path.join(src, '.gitignore'));
    const { files, record } = createSnapshot(newStore(tmp.dir), src, { git: false });
    expect(record.warnings).toEqual([
      {
        code: 'symlink_skipped',
        path: '.gitignore',
        message: 'symbolic link not followed; its ignore rules were not applied',
      },
    ]);
    // The root rules are gone, so what they ignored is in the snapshot now.
    expect(files.some((f) => f.path.startsWith('node_modules/'))).toBe(true);
  });

  it('a .gitignore over 4 MiB is kept as a file but its rules are not applied, with a warning', () => {
    fs.writeFileSync(path.join(src, '.gitignore'), `node_modules/\n${'#'.repeat(4 * 1024 * 1024)}\n`);
    const { files, record } = createSnapshot(newStore(tmp.dir), src, { git: false });
    expect(files.some((f) => f.path === '.gitignore')).toBe(true);
    expect(files.some((f) => f.path.startsWith('node_modules/'))).toBe(true);
    expect(record.warnings).toEqual([
      {
        code: 'unreadable',
        path: '.gitignore',
        message: 'larger than 4 MiB; its ignore rules were not applied',
      },
    ]);
  });

  it('a store inside the source reached through a symlink is still excluded', () => {
    // The store is opened through src/alias -> src/real; the walk meets it as src/real/store.
    fs.mkdirSync(path.join(src, 'real'));
    writeTree(src, { 'real/kept.ts': 'export {};\n' });
    fs.symlinkSync(path.join(src, 'real'), path.join(src, 'alias'));
    const store = initStore(path.join(src, 'alias', 'store')).store;
    createSnapshot(store, src, { git: false }); // objects and snapshots now exist in the store
    const { files, record } = createSnapshot(store, src, { git: false });
    expect(files.map((f) => f.path)).toContain('real/kept.ts');
    expect(files.filter((f) => f.path.startsWith('real/store'))).toEqual([]);
    expect(record.warnings).toEqual([expect.objectContaining({ code: 'symlink_skipped', path: 'alias' })]);

    // The same through a symlink to the source itself: store path <link>/.cb, source <link>.
    const link = path.join(tmp.dir, 'src-link');
    fs.symlinkSync(src, link);
    const viaLink = initStore(path.join(link, '.cb')).store;
    createSnapshot(viaLink, link, { git: false });
    expect(
      createSnapshot(viaLink, link, { git: false }).files.filter((f) => f.path.startsWith('.cb/')),
    ).toEqual([]);
  });

  it('a symlink inside the source pointing at a store outside it is not followed', () => {
    const store = newStore(tmp.dir);
    fs.symlinkSync(store.layout.root, path.join(src, 'store-link'));
    const { files, record } = createSnapshot(store, src, { git: false });
    expect(files.some((f) => f.path.startsWith('store-link'))).toBe(false);
    expect(record.warnings).toEqual([
      expect.objectContaining({ code: 'symlink_skipped', path: 'store-link' }),
    ]);
  });

  it('a directory that can be listed but not traversed (EACCES injected) is a warning', () => {
    const blocked = `${fs.realpathSync(src)}${path.sep}styles${path.sep}`;
    const denied = (file: fs.PathLike) => String(file).startsWith(blocked);
    const eacces = () => Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const realLstat = fs.lstatSync;
    const realOpen = fs.openSync;
    jest.spyOn(fs, 'lstatSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      if (denied(file)) throw eacces();
      return (realLstat as (...a: unknown[]) => fs.Stats)(file, ...rest);
    }) as typeof fs.lstatSync);
    jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      if (denied(file)) throw eacces();
      return (realOpen as (...a: unknown[]) => number)(file, ...rest);
    }) as typeof fs.openSync);
    const { files, record } = createSnapshot(newStore(tmp.dir), src, { git: false });
    expect(files.some((f) => f.path.startsWith('styles/'))).toBe(false);
    expect(files.some((f) => f.path === 'docs/README.md')).toBe(true);
    expect(record.warnings).toEqual([
      { code: 'unreadable', path: 'styles/site.css', message: 'cannot read file (EACCES); skipped' },
    ]);
  });

  // The same without injection where permissions bind (not as root): mode r-- on a directory.
  (IS_ROOT ? it.skip : it)('a directory with mode r-- (listable, not traversable) is a warning', () => {
    fs.chmodSync(path.join(src, 'styles'), 0o444);
    try {
      const { files, record } = createSnapshot(newStore(tmp.dir), src, { git: false });
      expect(files.some((f) => f.path.startsWith('styles/'))).toBe(false);
      expect(record.warnings).toEqual([
        expect.objectContaining({ code: 'unreadable', path: 'styles/site.css' }),
      ]);
    } finally {
      fs.chmodSync(path.join(src, 'styles'), 0o755);
    }
  });
});
