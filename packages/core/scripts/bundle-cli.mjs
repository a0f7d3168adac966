// Bundles the built CLI (dist/cli/main.js and the worker entry, dist/run/shard-worker.js, with
// zod and the other small dependencies) into dist/bundle/, one file each. Node then opens two
// files instead of some 250 at every start, and a file this large starts from V8's code cache
// (src/util/compile-cache.ts). The modules stay CommonJS closures that run on first require, as
// in dist/: what a command does not use is never executed. The TypeScript compiler and the
// WebAssembly parsers stay outside, where require.resolve finds them. Run by `npm run build`
// after `tsc -b`; bin/codebatch.js uses the bundle only while it is newer than tsc's last build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await esbuild.build({
  entryPoints: {
    codebatch: path.join(root, 'dist/cli/main.js'),
    'shard-worker': path.join(root, 'dist/run/shard-worker.js'),
  },
  // Path comments in the output are relative to this: the same bytes from any checkout.
  absWorkingDir: root,
  outdir: path.join(root, 'dist/bundle'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['typescript', 'web-tree-sitter', 'tree-sitter-python'],
  logLevel: 'warning',
  legalComments: 'eof',
});
