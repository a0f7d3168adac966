#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
// Before anything loads: large modules (the bundle below, the TypeScript compiler when a task
// needs it) then start from code V8 cached on an earlier run (see src/util/compile-cache.ts).
require(path.join(dist, 'util/compile-cache.js')).enableCompileCache();
require(useBundle() ? path.join(dist, 'bundle/codebatch.js') : path.join(dist, 'cli/main.js')).runMain();

/**
 * `npm run build` bundles what `tsc -b` built (scripts/bundle-cli.mjs). A `tsc -b` alone, while
 * working on the code, leaves the bundle behind: it is used only while it is newer than tsc's
 * last build. CODEBATCH_BUNDLE=0 runs the modules of dist/ as they are.
 */
function useBundle() {
  if (process.env.CODEBATCH_BUNDLE === '0') return false;
  try {
    const bundled = fs.statSync(path.join(dist, 'bundle/codebatch.js')).mtimeMs;
    return bundled >= fs.statSync(path.join(dist, 'tsconfig.tsbuildinfo')).mtimeMs;
  } catch {
    return false;
  }
}
