/**
 * Preloaded into the CLI (`node -r probe.cjs bin/codebatch.js ...`): records every module file
 * loaded, and the file of every worker thread started, and writes them as JSON to
 * `$CODEBATCH_TEST_PROBE` when the main thread exits.
 */
export const MODULE_PROBE = `
const Module = require('node:module');
const fs = require('node:fs');
const wt = require('node:worker_threads');
const loaded = [];
const workerFiles = [];
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const out = load.apply(this, arguments);
  try { loaded.push(Module._resolveFilename(request, parent, isMain)); } catch {}
  return out;
};
const Worker = wt.Worker;
wt.Worker = class extends Worker { constructor(file, ...rest) { super(file, ...rest); workerFiles.push(String(file)); } };
if (wt.isMainThread)
  process.on('exit', () =>
    fs.writeFileSync(process.env.CODEBATCH_TEST_PROBE, JSON.stringify({ loaded, workers: workerFiles.length, workerFiles })),
  );
`;

export interface ModuleProbe {
  loaded: string[];
  workers: number;
  workerFiles: string[];
}
