#!/usr/bin/env node
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
// Before anything loads: large modules (the bundle below, the TypeScript compiler when a task
// needs it) then start from code V8 cached on an earlier run (see src/util/compile-cache.ts).
require(path.join(dist, 'util/compile-cache.js')).enableCompileCache();
require(useBundle() ? path.join(dist, 'bundle/codebatch.js') : path.join(dist, 'cli/main.js')).runMain();

/**
 * `npm run build` bundles what `tsc -b` built (scripts/bundle-cli.mjs) and records which build
 * that was. A `tsc -b` alone, while working on the code, leaves the bundle behind: it is used
 * only while it was made from tsc's last build (by content: copies and packed tarballs do not
 * keep file times in order). CODEBATCH_BUNDLE=0 runs the modules of dist/ as they are.
 */
function useBundle() {
  if (process.env.CODEBATCH_BUNDLE === '0') return false;
  try {
    const { tsbuildinfo } = JSON.parse(fs.readFileSync(path.join(dist, 'bundle/built-from.json'), 'utf8'));
    const built = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(dist, 'tsconfig.tsbuildinfo')));
    return built.digest('hex') === tsbuildinfo;
  } catch {
    return false;
  }
}
