import fs from 'node:fs';
import path from 'node:path';

/**
 * Preloaded into the CLI (`node -r probe.cjs bin/codebatch.js ...`): records every module file
 * loaded, and the file of every worker thread started (the files a worker started from code
 * requires), and writes them as JSON to
 * `$CODEBATCH_TEST_PROBE` when the main thread exits.
 *
 * Worker threads run it too (they inherit `-r`): each appends, as they happen, the requests it
 * receives and the per-file memo tables it opens (to read, or to append) to
 * `$CODEBATCH_TEST_PROBE.worker-<thread id>`
 * (appended at once, since a worker is terminated rather than left to exit).
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
else {
  const log = process.env.CODEBATCH_TEST_PROBE + '.worker-' + wt.threadId;
  const note = (event) => fs.appendFileSync(log, event + '\\n');
  const openSync = fs.openSync;
  fs.openSync = function (file, flags) {
    const m = /[\\\\/]indexes[\\\\/]memo[\\\\/]([^\\\\/]+)$/.exec(String(file));
    if (m) note((flags === undefined || flags === 'r' ? 'read ' : 'write ') + m[1]);
    return openSync.apply(this, arguments);
  };
  // Added before the worker's own listener, so each request is noted before it is handled.
  wt.parentPort.on('message', (m) => note('request ' + (m && m.type)));
}
`;

/** What each worker thread of the probed run noted, in order (see MODULE_PROBE). */
export function readWorkerNotes(probeFile: string): string[][] {
  const dir = path.dirname(probeFile);
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${path.basename(probeFile)}.worker-`))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
}

export interface ModuleProbe {
  loaded: string[];
  workers: number;
  workerFiles: string[];
}
