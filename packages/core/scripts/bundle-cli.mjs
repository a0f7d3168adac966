// Bundles the built CLI (dist/cli/main.js and the worker entry, dist/run/shard-worker.js, with
// zod and the other small dependencies) into dist/bundle/, one file each. Node then opens two
// files instead of some 250 at every start, and a file this large starts from V8's code cache
// (src/util/compile-cache.ts). The modules stay CommonJS closures that run on first require, as
// in dist/: what a command does not use is never executed. The TypeScript compiler and the
// WebAssembly parsers stay outside, where require.resolve finds them, and so does
// util/import-module.js (`import()` cannot run in code compiled from the cache on Node 20).
//
// Run by `npm run build` after `tsc -b` (and before packing). dist/bundle/built-from.json names
// the tsc build it was made from (the digest of dist/tsconfig.tsbuildinfo): bin/codebatch.js
// uses the bundle only while that is still tsc's last build, so a `tsc -b` alone runs dist/.
//
//   node scripts/bundle-cli.mjs [--dist <dir>]   (default: this package's dist/)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--dist');
const dist = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(packageDir, 'dist');
const outdir = path.join(dist, 'bundle');
const importModule = path.join(dist, 'util', 'import-module.js');

const keepImportModuleOutside = {
  name: 'keep-import-module-outside',
  setup(build) {
    build.onResolve({ filter: /[\\/]import-module(\.js)?$/ }, (args) => {
      const resolved = path.resolve(
        args.resolveDir,
        args.path.endsWith('.js') ? args.path : `${args.path}.js`,
      );
      if (resolved !== importModule) return undefined;
      return { path: '../util/import-module.js', external: true };
    });
  },
};

// Built to a temp folder and renamed into place: a CLI started meanwhile sees the old bundle
// or the new one, never half a file.
const staging = `${outdir}.${process.pid}.tmp`;
fs.rmSync(staging, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    codebatch: path.join(dist, 'cli/main.js'),
    'shard-worker': path.join(dist, 'run/shard-worker.js'),
  },
  // Path comments in the output are relative to this: the same bytes from any checkout.
  absWorkingDir: path.dirname(dist),
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['typescript', 'web-tree-sitter', 'tree-sitter-python'],
  plugins: [keepImportModuleOutside],
  logLevel: 'warning',
  legalComments: 'eof',
});
const tsbuildinfo = crypto
  .createHash('sha256')
  .update(fs.readFileSync(path.join(dist, 'tsconfig.tsbuildinfo')))
  .digest('hex');
fs.writeFileSync(path.join(staging, 'built-from.json'), `${JSON.stringify({ tsbuildinfo })}\n`);
const old = `${outdir}.${process.pid}.old`;
if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
fs.renameSync(staging, outdir);
fs.rmSync(old, { recursive: true, force: true });
