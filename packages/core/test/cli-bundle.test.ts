import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, writeTree } from '../src/test-support/temp-dir';
import { MODULE_PROBE, type ModuleProbe } from './module-probe';

/**
 * bin/codebatch.js runs dist/bundle/codebatch.js (scripts/bundle-cli.mjs) while it is newer
 * than tsc's last build, else the modules of dist/. Both must give the same results; which one
 * ran is seen by a preloaded probe that records the module files loaded and the files worker threads start from.
 */
const PACKAGE = path.resolve(__dirname, '..');
const REPO_NODE_MODULES = path.resolve(PACKAGE, '../../node_modules');

jest.setTimeout(120_000);

describe('the bundled CLI', () => {
  let dir: string;
  let cleanup: () => void;
  let pkg: string;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir('codebatch-bundle-'));
    // A copy of the built package, so that its files' times can be set without touching the
    // package other tests run.
    pkg = path.join(dir, 'pkg');
    for (const sub of ['bin', 'dist'])
      fs.cpSync(path.join(PACKAGE, sub), path.join(pkg, sub), { recursive: true });
    fs.symlinkSync(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
    const built = spawnSync(process.execPath, [path.join(PACKAGE, 'scripts/bundle-cli.mjs')], {
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(built.stderr);
    fs.cpSync(path.join(PACKAGE, 'dist/bundle'), path.join(pkg, 'dist/bundle'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'probe.cjs'), MODULE_PROBE);
    // Over the 200 files at which `--parallel 2` starts worker threads.
    const files: Record<string, string> = {
      'src/a.ts': 'export function f(x: any) {\n  if (x == null) { return 1 }\n  return x\n}\n',
      'src/b.py': 'import os\n\ndef g():\n    return 1\n',
    };
    for (let i = 0; i < 220; i++) files[`src/m${i}.ts`] = `export const m${i}: any = ${i} == ${i};\n`;
    writeTree(path.join(dir, 'tree'), files);
  });
  afterAll(() => cleanup());

  function run(args: string[], env: NodeJS.ProcessEnv = {}) {
    const out = path.join(dir, 'probe.json');
    const r = spawnSync(
      process.execPath,
      ['-r', path.join(dir, 'probe.cjs'), path.join(pkg, 'bin/codebatch.js'), ...args],
      { encoding: 'utf8', env: { ...process.env, CODEBATCH_BUNDLE: '', ...env, CODEBATCH_TEST_PROBE: out } },
    );
    const probe = JSON.parse(fs.readFileSync(out, 'utf8')) as ModuleProbe;
    return {
      ...r,
      loaded: [...probe.loaded, ...probe.workerFiles].map((f) =>
        path.relative(pkg, f).split(path.sep).join('/'),
      ),
    };
  }

  const setTimes = (file: string, seconds: number) => fs.utimesSync(path.join(pkg, file), seconds, seconds);

  it('runs the bundle while it is newer than the tsc build, and the modules once tsc has built again', () => {
    setTimes('dist/tsconfig.tsbuildinfo', 1_000_000);
    setTimes('dist/bundle/codebatch.js', 2_000_000);
    const bundled = run(['--version']);
    expect(bundled.status).toBe(0);
    expect(bundled.loaded).toContain('dist/bundle/codebatch.js');
    expect(bundled.loaded).not.toContain('dist/cli/main.js');

    setTimes('dist/tsconfig.tsbuildinfo', 3_000_000);
    const modules = run(['--version']);
    expect(modules.stdout).toBe(bundled.stdout);
    expect(modules.loaded).toContain('dist/cli/main.js');
    expect(modules.loaded).not.toContain('dist/bundle/codebatch.js');
  });

  it('gives the same report as the modules, workers included', () => {
    setTimes('dist/tsconfig.tsbuildinfo', 1_000_000);
    setTimes('dist/bundle/codebatch.js', 2_000_000);
    const report = (env: NodeJS.ProcessEnv, store: string) => {
      const r = run(
        [
          'check',
          path.join(dir, 'tree'),
          '--store',
          path.join(dir, store),
          '--parallel',
          '2',
          '--format',
          'json',
        ],
        env,
      );
      const json = JSON.parse(r.stdout) as { status: string; diagnostics: unknown[]; counts: unknown };
      return {
        loaded: r.loaded,
        result: { status: json.status, counts: json.counts, diagnostics: json.diagnostics },
      };
    };
    const bundled = report({}, 'store-bundle');
    const modules = report({ CODEBATCH_BUNDLE: '0' }, 'store-modules');
    expect(bundled.loaded).toEqual(
      expect.arrayContaining(['dist/bundle/codebatch.js', 'dist/bundle/shard-worker.js']),
    );
    expect(modules.loaded).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/run/shard-worker.js']));
    expect(bundled.result.status).toBe('done');
    expect(bundled.result.diagnostics.length).toBeGreaterThan(0);
    expect(bundled.result).toEqual(modules.result);
  });
});
