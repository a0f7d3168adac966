import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readShardState } from '../src/batch/shard-state';
import { readManifest } from '../src/run/shard-manifest';
import { openStore } from '../src/store/store';
import { makeTempDir, writeTree } from '../src/test-support/temp-dir';
import { MODULE_PROBE, type ModuleProbe } from './module-probe';

/**
 * bin/codebatch.js runs dist/bundle/codebatch.js (scripts/bundle-cli.mjs) while it was made
 * from tsc's last build, else the modules of dist/. Both must give the same results; which one
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
    // A copy of the built package, bundled in place, so that nothing here touches the bundle
    // the other tests run.
    pkg = path.join(dir, 'pkg');
    for (const sub of ['bin', 'dist'])
      fs.cpSync(path.join(PACKAGE, sub), path.join(pkg, sub), { recursive: true });
    fs.rmSync(path.join(pkg, 'dist/bundle'), { recursive: true, force: true });
    fs.symlinkSync(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
    const built = spawnSync(
      process.execPath,
      [path.join(PACKAGE, 'scripts/bundle-cli.mjs'), '--dist', path.join(pkg, 'dist')],
      { encoding: 'utf8' },
    );
    if (built.status !== 0) throw new Error(built.stderr);
    fs.writeFileSync(path.join(dir, 'probe.cjs'), MODULE_PROBE);
    // Over the 200 files at which `--parallel 2` starts worker threads.
    const files: Record<string, string> = {
      'eslint.config.mjs': "export default [{ files: ['**/*.ts'], rules: { 'no-debugger': 'warn' } }];\n",
      'src/d.ts': 'debugger;\n',
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
      {
        encoding: 'utf8',
        // The copy's own cache directory: entries are per module path, and this path is new each run.
        env: {
          ...process.env,
          CODEBATCH_BUNDLE: '',
          CODEBATCH_COMPILE_CACHE: path.join(dir, 'compile-cache'),
          ...env,
          CODEBATCH_TEST_PROBE: out,
        },
      },
    );
    const probe = JSON.parse(fs.readFileSync(out, 'utf8')) as ModuleProbe;
    return {
      ...r,
      loaded: [...probe.loaded, ...probe.workerFiles].map((f) =>
        path.relative(pkg, f).split(path.sep).join('/'),
      ),
    };
  }

  const tsbuildinfo = () => path.join(pkg, 'dist/tsconfig.tsbuildinfo');

  it("runs the bundle while it was made from tsc's last build, whatever the file times, and the modules once tsc has built again", () => {
    // As npm pack leaves them: every file with the same time.
    const packed = new Date('1985-10-26T08:15:00Z');
    for (const f of ['dist/tsconfig.tsbuildinfo', 'dist/bundle/codebatch.js', 'dist/bundle/built-from.json'])
      fs.utimesSync(path.join(pkg, f), packed, packed);
    const bundled = run(['--version']);
    expect(bundled.status).toBe(0);
    expect(bundled.loaded).toContain('dist/bundle/codebatch.js');
    expect(bundled.loaded).not.toContain('dist/cli/main.js');

    // A later `tsc -b` rewrote its build info: the bundle is behind, even if its file is newer.
    const original = fs.readFileSync(tsbuildinfo());
    fs.writeFileSync(tsbuildinfo(), Buffer.concat([original, Buffer.from(' ')]));
    fs.utimesSync(path.join(pkg, 'dist/bundle/codebatch.js'), new Date(), new Date());
    try {
      const modules = run(['--version']);
      expect(modules.stdout).toBe(bundled.stdout);
      expect(modules.loaded).toContain('dist/cli/main.js');
      expect(modules.loaded).not.toContain('dist/bundle/codebatch.js');
    } finally {
      fs.writeFileSync(tsbuildinfo(), original);
    }
  });

  it('gives the same report as the modules, workers included', () => {
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
      const json = JSON.parse(r.stdout) as {
        batch_id: string;
        status: string;
        diagnostics: { task_id: string }[];
        counts: unknown;
      };
      return {
        loaded: r.loaded,
        result: {
          status: json.status,
          counts: json.counts,
          diagnostics: json.diagnostics,
          eslintEnvironment: eslintEnvironmentOf(path.join(dir, store), json.batch_id),
        },
      };
    };
    const bundled = report({}, 'store-bundle');
    const modules = report({ CODEBATCH_BUNDLE: '0' }, 'store-modules');
    expect(bundled.loaded).toEqual(
      expect.arrayContaining(['dist/bundle/codebatch.js', 'dist/bundle/shard-worker.js']),
    );
    expect(modules.loaded).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/run/shard-worker.js']));
    expect(bundled.result.status).toBe('done');
    expect(bundled.result.diagnostics.some((d) => d.task_id === '05_eslint')).toBe(true);
    // The environment reads the ESLint config with import(): a flat config without type
    // information is found to be so in the bundle too.
    expect(bundled.result.eslintEnvironment).toMatchObject({ type_aware: false });
    expect(bundled.result).toEqual(modules.result);
  });
});

/** The ESLint task's environment as its shard run manifest recorded it (bundle preimage). */
function eslintEnvironmentOf(storeDir: string, batchId: string): unknown {
  const store = openStore(storeDir);
  const [shardId] = fs.readdirSync(store.layout.shardsDir(batchId, '05_eslint'));
  const manifest = readManifest(store, readShardState(store, batchId, '05_eslint', shardId!).manifest!);
  if (manifest.kind !== 'shard_run') return undefined;
  const { shard: _shard, ...environment } = manifest.input_bundle.preimage.environment as Record<
    string,
    unknown
  >;
  return environment;
}
