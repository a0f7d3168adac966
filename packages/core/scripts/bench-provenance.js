#!/usr/bin/env node
// Provenance overhead: runBatch vs runBatchWithProvenance over >= 1,000 shard runs
// (4 tasks x 256 shards). Run after `npx tsc -b packages/core`:
//   node packages/core/scripts/bench-provenance.js [files=3000] [reps=3] [parallel=1]

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const core = require('../dist/index.js');

const FILES = Number(process.argv[2] ?? 3000);
const REPS = Number(process.argv[3] ?? 3);
const PARALLEL = Number(process.argv[4] ?? 1);

function writeCorpus(dir) {
  for (let i = 0; i < FILES; i++) {
    const f = path.join(dir, `pkg${i % 30}`, `m${i}.ts`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(
      f,
      `export function f${i}(a: number): number {\n  const b = a * ${i};\n  if (b > 10) { return b - 1; }\n  return b + ${i % 7};\n}\nexport const k${i} = f${i}(${i});\n`,
    );
  }
}

let verifyMs = 0;
async function once(src, mode) {
  verifyMs = 0;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-bench-'));
  try {
    const { store } = core.initStore(path.join(tmp, 'store'));
    const snap = await core.createSnapshot(store, src, {});
    const registry = core.createDefaultRegistry();
    const plan = (id) =>
      core.initBatch(store, {
        snapshotId: snap.record.snapshot_id,
        pipeline: 'full',
        shards: 256,
        id,
        registry,
      }).batch.batch_id;
    const run = (batchId) => {
      const opts = { batchId, registry, parallel: PARALLEL, useDefaultRegistryInWorkers: true };
      // Same verify step as the default, timed.
      const verify = (st, b, t, sh, reused) => {
        const v0 = performance.now();
        const r = core.verifyShardOutputs(st, b, t, sh, { validate: !reused });
        verifyMs += performance.now() - v0;
        return r;
      };
      return mode === 'on'
        ? core.runBatchWithProvenance(store, opts, { live: () => {}, verify })
        : core.runBatch(store, opts);
    };
    const b1 = plan('b1');
    let t = performance.now();
    const cold = await run(b1);
    const coldMs = performance.now() - t;
    t = performance.now();
    await run(b1); // every shard skipped
    const warmMs = performance.now() - t;
    const b2 = plan('b2');
    t = performance.now();
    await run(b2); // every shard reused from b1 (identical bundles)
    const reuseMs = performance.now() - t;
    return { shardRuns: cold.results.length, coldMs, warmMs, reuseMs, verifyMs };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

(async () => {
  const corpus = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-bench-src-'));
  writeCorpus(corpus);
  const acc = { off: [], on: [] };
  for (let r = 0; r < REPS; r++) {
    for (const mode of r % 2 === 0 ? ['off', 'on'] : ['on', 'off']) acc[mode].push(await once(corpus, mode));
  }
  fs.rmSync(corpus, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (k) => {
    const off = median(acc.off.map((x) => x[k]));
    const on = median(acc.on.map((x) => x[k]));
    return `${k.padEnd(8)} off ${off.toFixed(0).padStart(6)} ms  on ${on.toFixed(0).padStart(6)} ms  overhead ${(((on - off) / off) * 100).toFixed(1)}%`;
  };
  console.log(
    `${FILES} files, ${acc.on[0].shardRuns} shard runs per pass, parallel ${PARALLEL}, median of ${REPS}`,
  );
  for (const k of ['coldMs', 'warmMs', 'reuseMs']) console.log(row(k));
  console.log(
    `verify step (all three passes, on): median ${median(acc.on.map((x) => x.verifyMs)).toFixed(0)} ms`,
  );
})();
