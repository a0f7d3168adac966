// Bundles the action into dist/ with esbuild: dist/index.js (src/main.ts, with @codebatch/core
// inlined from source), dist/shard-worker.js (core's worker-thread entry, which core starts from
// next to the running file), shared chunks, the TypeScript compiler as dist/typescript.cjs
// (loaded when a task needs it), and the two WebAssembly files the Python parser loads at run
// time, so that dist/ runs with no node_modules at all.
// `node scripts/build.mjs --check` builds in memory and exits 1 when the committed dist differs:
// the CI check that dist is up to date (run by src/dist.test.ts under `npm test`).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coreSrc = path.resolve(root, '../core/src');
const outdir = path.join(root, 'dist');
const check = process.argv.includes('--check');
const require = createRequire(path.join(coreSrc, 'index.ts'));

/** Files copied verbatim into dist/ (name in dist -> source). */
const assets = {
  'tree-sitter.wasm': require.resolve('web-tree-sitter/tree-sitter.wasm'),
  'tree-sitter-python.wasm': require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  'typescript.cjs': require.resolve('typescript'),
};

/**
 * The TypeScript compiler (9 MB) ships beside the bundle as dist/typescript.cjs, not inside a
 * chunk: V8 parsed every byte of the chunk that held it when the action started, 0.15 s of the
 * main thread, which never executes a task when a worker does. `import ts from 'typescript'`
 * resolves to this stand-in, which the bundle initialises only when a task module loads.
 */
const typescriptBesideBundle = {
  name: 'typescript-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({
      path: 'typescript',
      namespace: 'typescript-beside',
    }));
    build.onLoad({ filter: /.*/, namespace: 'typescript-beside' }, () => ({
      contents: "module.exports = require(require('node:path').join(__dirname, 'typescript.cjs'));",
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * Core resolves the Python grammar with require.resolve(), which finds node_modules next to the
 * source; in the bundle it is the copy next to the running file. web-tree-sitter itself looks
 * for tree-sitter.wasm in `__dirname`, which the banner points at dist/.
 */
const wasmNextToBundle = {
  name: 'wasm-next-to-bundle',
  setup(build) {
    build.onLoad({ filter: /tasks[\\/]shared[\\/]python-tree\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const call = "require.resolve('tree-sitter-python/tree-sitter-python.wasm')";
      if (!source.includes(call))
        throw new Error(`${args.path} no longer contains ${call}: update build.mjs`);
      return {
        contents: source.replace(call, "require('node:path').join(__dirname, 'tree-sitter-python.wasm')"),
        loader: 'ts',
      };
    });
  },
};

const result = await esbuild.build({
  entryPoints: {
    index: path.join(root, 'src/main.ts'),
    'shard-worker': path.join(coreSrc, 'run/shard-worker.ts'),
  },
  // Path comments in the output are relative to this: the same bytes from any cwd.
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  // Runs on the runner's Node 24 and is tested here on Node 20: target the older one.
  target: 'node20',
  format: 'esm',
  outdir,
  write: false,
  minify: false,
  sourcemap: false,
  legalComments: 'eof',
  alias: { '@codebatch/core': path.join(coreSrc, 'index.ts') },
  plugins: [wasmNextToBundle, typescriptBesideBundle],
  // Bundled CommonJS code calls require(), __filename and __dirname: give the ESM output them.
  // Every output file sits directly in dist/ or dist/chunks/; both resolve to dist/.
  banner: {
    js: [
      "import { createRequire as __cbCreateRequire } from 'node:module';",
      "import { fileURLToPath as __cbFileURLToPath } from 'node:url';",
      "import { dirname as __cbDirname, basename as __cbBasename, join as __cbJoin } from 'node:path';",
      'const require = __cbCreateRequire(import.meta.url);',
      'const __cb_here = __cbDirname(__cbFileURLToPath(import.meta.url));',
      "const __cb_dirname = __cbBasename(__cb_here) === 'chunks' ? __cbDirname(__cb_here) : __cb_here;",
      "const __cb_filename = __cbJoin(__cb_dirname, 'index.js');",
    ].join('\n'),
  },
  // Free uses of the CommonJS globals point at the banner's values; modules that declare their
  // own `__filename` keep it (a banner `const __filename` would collide with those).
  define: { __filename: '__cb_filename', __dirname: '__cb_dirname' },
  logLevel: 'warning',
});

/** Everything dist/ should hold: relative path -> bytes. */
const wanted = new Map();
for (const file of result.outputFiles)
  wanted.set(path.relative(outdir, file.path), Buffer.from(file.contents));
for (const [name, from] of Object.entries(assets)) wanted.set(name, fs.readFileSync(from));
// dist/ carries its own package.json so that Node treats the .js files as ESM wherever dist is copied.
wanted.set('package.json', Buffer.from('{ "type": "module" }\n'));

function listDist(dir = outdir, prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listDist(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
}

if (check) {
  const present = new Set(listDist());
  const stale = [...wanted].filter(
    ([rel, bytes]) => !present.has(rel) || !fs.readFileSync(path.join(outdir, rel)).equals(bytes),
  );
  const extra = [...present].filter((rel) => !wanted.has(rel));
  if (stale.length > 0 || extra.length > 0) {
    console.error(
      `packages/action/dist is out of date (${[...stale.map(([rel]) => `changed: ${rel}`), ...extra.map((rel) => `not built: ${rel}`)].join(', ')}): ` +
        'run `npm run build -w @codebatch/action` and commit dist/.',
    );
    process.exit(1);
  }
  console.log('dist/ is up to date');
} else {
  for (const rel of listDist()) if (!wanted.has(rel)) fs.rmSync(path.join(outdir, rel));
  for (const [rel, bytes] of wanted) {
    fs.mkdirSync(path.dirname(path.join(outdir, rel)), { recursive: true });
    fs.writeFileSync(path.join(outdir, rel), bytes);
  }
  const total = [...wanted.values()].reduce((n, b) => n + b.length, 0);
  console.log(
    `wrote ${wanted.size} files to ${path.relative(process.cwd(), outdir)} (${(total / 1024 / 1024).toFixed(1)} MiB)`,
  );
}
