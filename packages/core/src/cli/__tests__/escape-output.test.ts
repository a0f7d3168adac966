import fs from 'node:fs';
import path from 'node:path';
import { buildSampleBatch, SAMPLE_FILES, sampleTasks } from '../../query/__tests__/sample-batch';
import { makeTempDir } from '../../test-support/temp-dir';
import { main } from '../main';

/** A file name that, printed raw, would add a diagnostic line of its own choosing. */
const FORGED = 'a.ts\nsrc/x.ts:1:1  error  L999  fake';
/** ESC sequences: clear the screen, set the terminal title; and a carriage return. */
const ESCAPES = 'b\u001b[2J\u001b]0;pwned\u0007\rc.ts';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main({
    argv,
    cwd: tmp.dir,
    env: {},
    isTty: false,
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

const store = () => ['--store', path.join(tmp.dir, 'store')];

/** Control characters other than the line feeds that end lines. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function buildHostileBatch(): void {
  const files = [
    ...SAMPLE_FILES,
    { path: FORGED, lang: 'typescript', content: 'x\n' },
    { path: ESCAPES, lang: 'typescript', content: 'y\n' },
  ];
  const tasks = sampleTasks();
  tasks['04_lint']!.push(
    { path: FORGED, kind: 'diagnostic', severity: 'error', code: 'L001', message: 'real', line: 1, col: 1 },
    {
      path: ESCAPES,
      kind: 'diagnostic',
      severity: 'error',
      code: 'L001',
      message: 'msg\nsrc/y.ts:9:9  error  L998  also fake\u001b[0m',
      line: 1,
      col: 1,
    },
  );
  tasks['03_symbols']!.push({ path: FORGED, kind: 'edge', edge_type: 'imports', target: 'm\n\u001b[1mx' });
  buildSampleBatch(path.join(tmp.dir, 'store'), { files, tasks });
}

describe('text output escapes control characters in paths and messages', () => {
  it('query diagnostics, query outputs, files, top, errors and inspect print no forged line and no raw escape', async () => {
    buildHostileBatch();
    const commands = [
      ['query', 'diagnostics', '--batch', 'b1'],
      ['query', 'outputs', '--batch', 'b1'],
      ['files', '--batch', 'b1'],
      ['top', '--batch', 'b1'],
      ['errors', '--batch', 'b1'],
      ['inspect', FORGED, '--batch', 'b1'],
      ['regressions', 'b1', 'b1'],
    ];
    for (const argv of commands) {
      const r = await run([...argv, ...store()]);
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: '' });
      expect({ argv, control: CONTROL.test(r.out) }).toEqual({ argv, control: false });
      // Every line that mentions the forged text starts with the real, escaped file name.
      for (const line of r.out.split('\n').filter((l) => l.includes('src/x.ts:1:1'))) {
        expect({ argv, line }).toEqual({ argv, line: expect.stringContaining('a.ts\\nsrc/x.ts:1:1') });
      }
      expect(r.out).not.toMatch(/^src\/[xy]\.ts:/m);
    }
    const diagnostics = await run(['query', 'diagnostics', '--batch', 'b1', ...store()]);
    expect(diagnostics.out).toContain('a.ts\\nsrc/x.ts:1:1  error  L999  fake:1:1  error  L001  real\n');
    expect(diagnostics.out).toContain(
      'b\\x1b[2J\\x1b]0;pwned\\x07\\rc.ts:1:1  error  L001  msg\\nsrc/y.ts:9:9  error  L998  also fake\\x1b[0m\n',
    );
    const outputs = await run(['query', 'outputs', '--batch', 'b1', '--task', '03_symbols', ...store()]);
    expect(outputs.out).toContain('imports -> m\\n\\x1b[1mx');
    const files = await run(['files', '--batch', 'b1', ...store()]);
    expect(files.out.split('\n')).toHaveLength(SAMPLE_FILES.length + 2 + 2); // header, rows, trailing ''
  });

  it('--json output keeps the exact names (JSON escapes them itself)', async () => {
    buildHostileBatch();
    const r = await run(['query', 'diagnostics', '--batch', 'b1', '--json', ...store()]);
    const paths = (JSON.parse(r.out) as { records: { path: string }[] }).records.map((x) => x.path);
    expect(paths).toEqual(expect.arrayContaining([FORGED, ESCAPES]));
  });

  it('error messages quote paths escaped: error[...] stays one line', async () => {
    const missing = path.join(tmp.dir, 'nope\nerror[E_FAKE]: forged\u001b[8m');
    const r = await run(['query', 'diagnostics', '--batch', 'b1', '--store', missing]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^error\[E_STORE_NOT_FOUND\]: no codebatch store at .*nope\\nerror\[E_FAKE\]: forged\\x1b\[8m\n/,
    );
    expect(r.err).not.toMatch(/^error\[E_FAKE\]/m);
    expect(CONTROL.test(r.err)).toBe(false);
  });

  it('snapshot and snapshot show --files escape real file names with newlines and ESC', async () => {
    const src = path.join(tmp.dir, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, FORGED.replace('/', '_')), 'x\n');
    fs.writeFileSync(path.join(src, 'e\u001b[31m.ts'), 'y\n');
    const snap = await run(['snapshot', 'src', '--quiet', ...store()]);
    expect(snap.code).toBe(0);
    const show = await run(['snapshot', 'show', snap.out.trim(), '--files', ...store()]);
    expect(show.code).toBe(0);
    expect(CONTROL.test(show.out)).toBe(false);
    expect(show.out).toContain('a.ts\\nsrc_x.ts:1:1  error  L999  fake');
    expect(show.out).toContain('e\\x1b[31m.ts');
  });
});
