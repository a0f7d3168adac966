#!/usr/bin/env node

// Before anything loads: the TypeScript compiler, when a task needs it, then starts from code
// V8 cached on an earlier run (see src/util/compile-cache.ts).
require('../dist/util/compile-cache.js').enableCompileCache();
require('../dist/cli/main.js').runMain();
