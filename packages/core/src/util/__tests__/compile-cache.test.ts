import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test-support/temp-dir';

/**
 * Through child processes running the built module, since the cache is about what a fresh
 * process compiles. On Node 22+ Node's own compile cache serves instead (mode `node`).
 */
const BUILT = path.resolve(__dirname, '../../../dist/util/compile-cache.js');
const NATIVE = Number(process.versions.node.split('.')[0]) >= 22;

interface ChildReport {
  mode: string;
  hits: number;
  misses: number;
  value: unknown;
}

function load(
  modulePath: string,
  env: Record<string, string>,
  options = '{ minBytes: 1000, accepts: () => true }',
): ChildReport {
  const script = `
    const cache = require(${JSON.stringify(BUILT)});
    cache.enableCompileCache(${options});
    const value = require(${JSON.stringify(modulePath)});
    process.stdout.write(JSON.stringify({ ...cache.compileCacheStats(), value }));
  `;
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, CODEBATCH_COMPILE_CACHE: '', ...env },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as ChildReport;
}

/** A module over the size threshold whose export depends on one digit and on require(). */
function largeModule(digit: number): string {
  const filler = `// ${'x'.repeat(100)}\n`.repeat(20);
  return `${filler}const path = require('node:path');\nmodule.exports = { digit: ${digit}, dir: path.basename(__dirname), resolved: path.basename(require.resolve('./helper')) };\n`;
}

describe('compile cache', () => {
  let dir: string;
  let cleanup: () => void;
  let cacheDir: string;
  let mod: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir('codebatch-compile-cache-'));
    cacheDir = path.join(dir, 'cache');
    fs.mkdirSync(path.join(dir, 'lib'));
    mod = path.join(dir, 'lib', 'big.js');
    fs.writeFileSync(path.join(dir, 'lib', 'helper.js'), 'module.exports = 1;\n');
    fs.writeFileSync(mod, largeModule(1));
  });
  afterEach(() => cleanup());

  const expected = (digit: number) => ({ digit, dir: 'lib', resolved: 'helper.js' });

  (NATIVE ? it.skip : it)(
    'rewrites a new entry as the process ends, with the functions the process compiled after loading',
    () => {
      // A function that the module's body does not call: V8 compiles it when it is first run.
      const body = Array.from({ length: 200 }, (_, i) => `  total += (n * ${i}) % ${i + 7};`).join('\n');
      fs.writeFileSync(
        mod,
        `${largeModule(1)}module.exports.later = (n) => {\n  let total = 0;\n${body}\n  return total;\n};\n`,
      );
      const entrySize = (calls: boolean, cache: string) => {
        const script = `
          const cache = require(${JSON.stringify(BUILT)});
          cache.enableCompileCache({ minBytes: 1000, accepts: () => true });
          const m = require(${JSON.stringify(mod)});
          if (${calls}) m.later(3);
        `;
        const r = spawnSync(process.execPath, ['-e', script], {
          encoding: 'utf8',
          env: { ...process.env, CODEBATCH_COMPILE_CACHE: cache },
        });
        if (r.status !== 0) throw new Error(r.stderr);
        const entries = fs.readdirSync(cache, { recursive: true }).map((f) => path.join(cache, String(f)));
        const files = entries.filter((f) => fs.statSync(f).isFile());
        expect(files).toHaveLength(1);
        return fs.statSync(files[0]!).size;
      };
      expect(entrySize(true, path.join(dir, 'called'))).toBeGreaterThan(
        entrySize(false, path.join(dir, 'not-called')),
      );
    },
  );

  (NATIVE ? it.skip : it)(
    'a second process compiles a large module from the cached data, with the same exports',
    () => {
      const first = load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir });
      expect(first).toEqual({ mode: 'codebatch', hits: 0, misses: 1, value: expected(1) });
      const second = load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir });
      expect(second).toEqual({ mode: 'codebatch', hits: 1, misses: 0, value: expected(1) });
    },
  );

  (NATIVE ? it.skip : it)(
    'an edited module of the same length is compiled afresh, never from the old code',
    () => {
      load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir });
      const before = fs.statSync(mod).size;
      fs.writeFileSync(mod, largeModule(2));
      expect(fs.statSync(mod).size).toBe(before);
      expect(load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir })).toEqual({
        mode: 'codebatch',
        hits: 0,
        misses: 1,
        value: expected(2),
      });
    },
  );

  (NATIVE ? it.skip : it)(
    'a module holding text beyond ASCII reads as UTF-8, compiled afresh and from the cache',
    () => {
      // The compiler is all ASCII and is made text byte for byte; anything else must decode as Node would.
      const text = 'naïve – 日本語 😀';
      fs.writeFileSync(mod, `${largeModule(3)}module.exports.text = ${JSON.stringify(text)};\n`);
      const want = { ...expected(3), text };
      expect(load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir })).toEqual({
        mode: 'codebatch',
        hits: 0,
        misses: 1,
        value: want,
      });
      expect(load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir })).toEqual({
        mode: 'codebatch',
        hits: 1,
        misses: 0,
        value: want,
      });
    },
  );

  (NATIVE ? it.skip : it)('loads the real TypeScript compiler from the cache, and it still compiles', () => {
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(
      probe,
      `const ts = require(${JSON.stringify(require.resolve('typescript'))});\nmodule.exports = ts.transpileModule('const a: number = 1;', {}).outputText.trim();\n`,
    );
    const options = '{}';
    expect(load(probe, { CODEBATCH_COMPILE_CACHE: cacheDir }, options)).toMatchObject({
      misses: 1,
      value: 'var a = 1;',
    });
    expect(load(probe, { CODEBATCH_COMPILE_CACHE: cacheDir }, options)).toMatchObject({
      hits: 1,
      misses: 0,
      value: 'var a = 1;',
    });
  });

  it('never takes cached code from a directory others can write', () => {
    fs.mkdirSync(cacheDir, { mode: 0o700 });
    fs.chmodSync(cacheDir, 0o777);
    expect(load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir })).toEqual({
      mode: 'off',
      hits: 0,
      misses: 0,
      value: expected(1),
    });
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  it('CODEBATCH_COMPILE_CACHE=0 turns it off', () => {
    expect(load(mod, { CODEBATCH_COMPILE_CACHE: '0' })).toEqual({
      mode: 'off',
      hits: 0,
      misses: 0,
      value: expected(1),
    });
  });

  (NATIVE ? it.skip : it)('an unwritable cache location leaves loading as it was', () => {
    const file = path.join(dir, 'not-a-directory');
    fs.writeFileSync(file, '');
    expect(load(mod, { CODEBATCH_COMPILE_CACHE: file })).toEqual({
      mode: 'off',
      hits: 0,
      misses: 0,
      value: expected(1),
    });
  });

  (NATIVE ? it.skip : it)('damaged cached data is never handed to V8: the module compiles afresh', () => {
    load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir });
    const [versionDir] = fs.readdirSync(cacheDir);
    const [entry] = fs.readdirSync(path.join(cacheDir, versionDir!));
    const file = path.join(cacheDir, versionDir!, entry!);
    const bytes = fs.readFileSync(file);
    for (let i = 80; i < bytes.length; i += 7) bytes[i] = bytes[i]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    expect(load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir })).toEqual({
      mode: 'codebatch',
      hits: 0,
      misses: 1,
      value: expected(1),
    });
    // and the entry is whole again for the next process
    expect(load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir })).toMatchObject({ hits: 1, misses: 0 });
  });

  (NATIVE ? it.skip : it)(
    'compiles only the modules it accepts (by default the compiler and the bundle)',
    () => {
      expect(load(mod, { CODEBATCH_COMPILE_CACHE: cacheDir }, '{ minBytes: 1000 }')).toEqual({
        mode: 'codebatch',
        hits: 0,
        misses: 0,
        value: expected(1),
      });
    },
  );

  it('a relative CODEBATCH_COMPILE_CACHE is not taken as a directory where the command runs', () => {
    const cwd = path.join(dir, 'cwd');
    fs.mkdirSync(cwd);
    const script = `require(${JSON.stringify(BUILT)}).enableCompileCache();`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CODEBATCH_COMPILE_CACHE: '1' },
    });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
