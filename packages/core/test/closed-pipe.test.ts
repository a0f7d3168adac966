import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { makeTempDir, writeTree } from '../src/test-support/temp-dir';
import { BIN } from './cli-harness';

/**
 * `codebatch ... | head -1`: the reader closes the pipe after one line while the CLI still has
 * hundreds of kilobytes to write (more than a 64 KiB pipe buffer: `files` prints 185 KB,
 * `query diagnostics` 3.8 MB), so a write fails with EPIPE. Needs packages/core/dist
 * (`npx tsc -b packages/core`).
 */
describe('a closed stdout pipe (real process)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: string;
  let batch: string;

  beforeAll(() => {
    tmp = makeTempDir();
    // Long paths make wide `files` rows: 1,000 rows are well over one pipe buffer.
    const dir = 'a_rather_long_directory_name_for_wide_rows/'.repeat(2);
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i += 1) {
      files[`${dir}file_with_a_long_name_number_${String(i).padStart(4, '0')}.ts`] =
        '// TODO item  \n'.repeat(12);
    }
    writeTree(path.join(tmp.dir, 'src'), files);
    store = path.join(tmp.dir, 'store');
    const cb = (...argv: string[]) =>
      execFileSync(process.execPath, [BIN, ...argv, '--store', store], {
        cwd: tmp.dir,
        encoding: 'utf8',
      }).trim();
    cb('init');
    const snapshot = cb('snapshot', 'src', '--quiet');
    batch = cb('batch', 'init', '--snapshot', snapshot, '--pipeline', 'lint', '--quiet');
    cb('run', '--batch', batch, '--quiet', '--parallel', '1');
  }, 60_000);
  afterAll(() => tmp.cleanup());

  /**
   * Runs `codebatch <argv> | head -1` in bash with pipefail, so the exit status is the CLI's
   * whenever it fails, and stderr is the CLI's alone (head writes none). A real pipe, not the
   * socketpair `spawn` would give: its 64 KiB buffer is what the reader's exit leaves the CLI
   * writing into.
   */
  function headOne(argv: string[]) {
    const child = spawn(
      'bash',
      ['-o', 'pipefail', '-c', '"$@" | head -1', 'bash', process.execPath, BIN, ...argv, '--store', store],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
  }

  it('query diagnostics | head -1 ends quietly: exit 0, empty stderr, no stack trace', async () => {
    const r = await headOne(['query', 'diagnostics', '--batch', batch]);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |Error:/);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^a_rather_long_.*\.ts:1:\d+ {2}\w+ {2}L00\d {2}.*\n$/);
  }, 30_000);

  it('files | head -1 ends quietly: exit 0, empty stderr, no stack trace', async () => {
    const r = await headOne(['files', '--batch', batch]);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |Error:/);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^path +lang +outputs +diagnostics.*\n$/);
  }, 30_000);
});
