#!/usr/bin/env node
// Snapshot benchmark: cold snapshot (empty store), warm re-snapshot (unchanged tree, stat cache)
// and `sha256sum` over the same files, each as the median wall time of a few runs, Node startup
// included. Uses packages/core/dist (run `npm run build` first).
//
//   node scripts/bench/snapshot-bench.mjs [--corpus DIR] [--runs N] [--tmp DIR] [--json]
//
// The corpus defaults to .bench/corpus, made by ../shared/bench/make-corpus.sh .bench small.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const corpus = path.resolve(opt('corpus', path.join(root, '.bench', 'corpus')));
const runs = Number(opt('runs', '3'));
const asJson = args.includes('--json');
// Where the stores go (default: the OS temp dir); e.g. /dev/shm to factor out the disk.
const tmpRoot = path.resolve(opt('tmp', os.tmpdir()));
const dist = path.join(root, 'packages', 'core', 'dist');

if (!fs.existsSync(corpus)) {
  console.error(`no corpus at ${corpus}; make one with: ../shared/bench/make-corpus.sh .bench small`);
  process.exit(2);
}
if (!fs.existsSync(path.join(dist, 'snapshot', 'create-snapshot.js'))) {
  console.error('packages/core/dist is missing or stale; run `npm run build` first');
  process.exit(2);
}

// One child process per measurement, so every figure pays Node startup like a real CLI call.
const snapshotScript = `
const { initStore } = require(${JSON.stringify(path.join(dist, 'store', 'store.js'))});
const { createSnapshot } = require(${JSON.stringify(path.join(dist, 'snapshot', 'create-snapshot.js'))});
const { store } = initStore(process.argv[1]);
const r = createSnapshot(store, process.argv[2]);
process.stdout.write(JSON.stringify(r.stats));
`;

function timeSnapshot(storeDir) {
  const t = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['-e', snapshotScript, storeDir, corpus], { encoding: 'utf8' });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stats: JSON.parse(out) };
}

function timeSha256sum() {
  const t = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', 'find . -type f -print0 | xargs -0 sha256sum > /dev/null'], {
    cwd: corpus,
  });
  if (r.status !== 0) throw new Error('sha256sum failed');
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = fs.mkdtempSync(path.join(tmpRoot, 'codebatch-snapshot-bench-'));
try {
  timeSha256sum(); // warm the page cache so every contender reads from memory
  const sha = [];
  const cold = [];
  const warm = [];
  let files = 0;
  for (let i = 0; i < runs; i += 1) {
    sha.push(timeSha256sum());
    const storeDir = path.join(work, `store-${i}`);
    const c = timeSnapshot(storeDir);
    cold.push(c.ms);
    files = c.stats.files;
    if (c.stats.hashed !== files) throw new Error(`cold run hashed ${c.stats.hashed} of ${files}`);
    // The stat cache distrusts files touched in the 2 s before a run (racy-clean rule); the corpus
    // is older than that, so the warm run must take every digest from the cache.
    const w = timeSnapshot(storeDir);
    warm.push(w.ms);
    if (w.stats.cached !== files) throw new Error(`warm run cached ${w.stats.cached} of ${files}`);
  }
  const result = {
    corpus,
    files,
    runs,
    sha256sum_ms: median(sha),
    cold_ms: median(cold),
    warm_ms: median(warm),
  };
  result.sha256sum_files_per_s = Math.round(files / (result.sha256sum_ms / 1000));
  result.cold_files_per_s = Math.round(files / (result.cold_ms / 1000));
  result.warm_files_per_s = Math.round(files / (result.warm_ms / 1000));
  result.cold_vs_sha256sum = +(result.cold_files_per_s / result.sha256sum_files_per_s).toFixed(2);
  result.warm_speedup = +(result.cold_ms / result.warm_ms).toFixed(2);
  if (asJson) console.log(JSON.stringify(result, null, 2));
  else {
    const row = (name, ms) =>
      `${name.padEnd(22)} ${ms.toFixed(0).padStart(7)} ms  ${Math.round(files / (ms / 1000))
        .toString()
        .padStart(7)} files/s`;
    console.log(`snapshot bench: ${files} files in ${corpus}, median of ${runs}`);
    console.log(row('sha256sum', result.sha256sum_ms));
    console.log(row('snapshot cold', result.cold_ms));
    console.log(row('snapshot warm', result.warm_ms));
    console.log(
      `cold = ${result.cold_vs_sha256sum}x sha256sum files/s; warm is ${result.warm_speedup}x faster than cold`,
    );
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
