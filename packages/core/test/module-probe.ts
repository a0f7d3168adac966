/**
 * Preloaded into the CLI (`node -r probe.cjs bin/codebatch.js ...`): records every module file
 * loaded, and the file of every worker thread started (the files a worker started from code
 * requires), and writes them as JSON to
 * `$CODEBATCH_TEST_PROBE` when the main thread exits.
 */
export const MODULE_PROBE = `
const Module = require('node:module');
const fs = require('node:fs');
const wt = require('node:worker_threads');
const loaded = [];
const workerFiles = [];
let workers = 0;
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const out = load.apply(this, arguments);
  try { loaded.push(Module._resolveFilename(request, parent, isMain)); } catch {}
  return out;
};
const Worker = wt.Worker;
// A worker started from code (the engine's bootstrap: compile cache on, then the worker script)
// counts as the modules that code requires.
wt.Worker = class extends Worker {
  constructor(file, options, ...rest) {
    super(file, options, ...rest);
    workers += 1;
    if (options && options.eval)
      for (const m of String(file).matchAll(/require\\(("(?:[^"\\\\]|\\\\.)*")\\)/g)) workerFiles.push(JSON.parse(m[1]));
    else workerFiles.push(String(file));
  }
};
if (wt.isMainThread)
  process.on('exit', () =>
    fs.writeFileSync(process.env.CODEBATCH_TEST_PROBE, JSON.stringify({ loaded, workers, workerFiles })),
  );
`;

export interface ModuleProbe {
  loaded: string[];
  workers: number;
  workerFiles: string[];
}
