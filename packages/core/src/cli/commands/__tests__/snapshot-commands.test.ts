import fs from 'node:fs';
import path from 'node:path';
import { FIXTURE_SNAPSHOT_PATHS, writeFixtureCorpus } from '../../../test-support/fixture-corpus';
import { makeTempDir } from '../../../test-support/temp-dir';
import { main } from '../../main';

/** Runs the CLI in-process and captures its output. */
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

describe('codebatch snapshot commands', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
    writeFixtureCorpus(path.join(tmp.dir, 'src'));
  });
  afterEach(() => tmp.cleanup());

  it('snapshot creates the store on first use, then reports a reused snapshot', async () => {
    const first = await cli(tmp.dir, 'snapshot', 'src');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Created store');
    expect(first.stdout).toMatch(/^snapshot [a-f0-9]{20} \(created\)/);
    expect(first.stdout).toContain(`files     ${FIXTURE_SNAPSHOT_PATHS.length} (`);
    expect(first.stdout).toContain('warnings  0');
    expect(fs.existsSync(path.join(tmp.dir, '.codebatch', 'store.json'))).toBe(true);

    const second = await cli(tmp.dir, 'snapshot', 'src', '--json');
    expect(second.code).toBe(0);
    const out = JSON.parse(second.stdout);
    expect(out.reused).toBe(true);
    expect(out.record.snapshot_id).toBe(first.stdout.split(' ')[1]);
    expect(out.stats).toMatchObject({ files: FIXTURE_SNAPSHOT_PATHS.length });
  });

  it('--include, --exclude (repeatable), --no-gitignore, --id, --quiet', async () => {
    const r = await cli(
      tmp.dir,
      'snapshot',
      'src',
      '--id',
      'mine',
      '--include',
      'src/**',
      '--include',
      'docs',
      '--exclude',
      '*.py',
      '--json',
    );
    expect(r.code).toBe(0);
    const { record } = JSON.parse(r.stdout);
    expect(record.snapshot_id).toBe('mine');
    expect(record.filters).toEqual({ include: ['docs', 'src/**'], exclude: ['*.py'], gitignore: true });
    const all = await cli(tmp.dir, 'snapshot', 'src', '--no-gitignore', '--quiet');
    expect(all.stdout).toMatch(/^[a-f0-9]{20}\n$/);
    const shown = JSON.parse(
      (await cli(tmp.dir, 'snapshot', 'show', all.stdout.trim(), '--files', '--json')).stdout,
    );
    expect(shown.files.map((f: { path: string }) => f.path)).toContain('node_modules/left-pad/index.js');
  });

  it('rejects --id ../../x and a/b with E_INVALID_ID (exit 2) and writes nothing outside the store', async () => {
    await cli(tmp.dir, 'init');
    const before = fs.readdirSync(tmp.dir).sort();
    // The machine may hold an unrelated /tmp/x: compare with its state before the attempts.
    const outside = path.join(path.dirname(tmp.dir), 'x');
    const outsideBefore = fs.existsSync(outside) ? fs.readdirSync(outside).sort() : null;
    for (const id of ['../../x', 'a/b']) {
      const r = await cli(tmp.dir, 'snapshot', 'src', '--id', id);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('error[E_INVALID_ID]');
      const j = await cli(tmp.dir, 'snapshot', 'src', '--id', id, '--json');
      expect(JSON.parse(j.stdout).error.code).toBe('E_INVALID_ID');
    }
    expect(fs.readdirSync(tmp.dir).sort()).toEqual(before);
    expect(fs.readdirSync(path.join(tmp.dir, '.codebatch', 'snapshots'))).toEqual([]);
    expect(fs.existsSync(outside) ? fs.readdirSync(outside).sort() : null).toEqual(outsideBefore);
  });

  it('missing source: E_SOURCE_NOT_FOUND', async () => {
    const r = await cli(tmp.dir, 'snapshot', 'no-such-dir', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'E_SOURCE_NOT_FOUND',
      hints: [expect.any(String)],
    });
  });

  it('list and show are read-only: on a missing store they fail and create nothing', async () => {
    for (const argv of [
      ['snapshot', 'list'],
      ['snapshot-list'],
      ['snapshot', 'show', 'x'],
      ['snapshot-show', 'x'],
    ]) {
      const r = await cli(tmp.dir, ...argv, '--store', 'missing-store');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('E_STORE_NOT_FOUND');
    }
    expect(fs.existsSync(path.join(tmp.dir, 'missing-store'))).toBe(false);
  });

  it('snapshot list and show (human and --json), aliases included', async () => {
    await cli(tmp.dir, 'init');
    expect((await cli(tmp.dir, 'snapshot', 'list')).stdout).toContain('No snapshots yet');
    await cli(tmp.dir, 'snapshot', 'src', '--id', 'one');
    await cli(tmp.dir, 'snapshot', 'src', '--id', 'two', '--exclude', 'docs');
    const list = await cli(tmp.dir, 'snapshot', 'list');
    expect(list.stdout).toMatch(/^ID\s+CREATED\s+FILES\s+BYTES\s+WARNINGS\s+SOURCE/);
    expect(list.stdout).toContain('one');
    const listJson = JSON.parse((await cli(tmp.dir, 'snapshot-list', '--json')).stdout);
    expect(listJson.map((r: { snapshot_id: string }) => r.snapshot_id).sort()).toEqual(['one', 'two']);

    const show = await cli(tmp.dir, 'snapshot', 'show', 'two');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('snapshot two');
    expect(show.stdout).toContain('exclude docs');
    const files = await cli(tmp.dir, 'snapshot-show', 'one', '--files');
    expect(files.stdout).toMatch(/assets\/logo\.png\s+14\s+-\s+binary/);
    expect(files.stdout).toContain('src/😀.ts');

    const missing = await cli(tmp.dir, 'snapshot', 'show', 'nope', '--json');
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('E_SNAPSHOT_NOT_FOUND');
  });

  it('shows warnings on stderr', async () => {
    fs.symlinkSync('/nonexistent', path.join(tmp.dir, 'src', 'dangling'));
    const r = await cli(tmp.dir, 'snapshot', 'src');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning[symlink_skipped]: dangling');
    expect(r.stdout).toContain('warnings  1');
  });
});
