#!/usr/bin/env node
// The full pipeline with text-level tasks only (issue 3's speed condition: engine overhead
// without parsers): 01_parse stores a line-count summary object, 02_analyze emits the real text
// metrics, 03_symbols emits nothing, 04_lint applies the real L001-L005 rules. In-process (a
// custom registry does not cross into worker threads), so this is the single-thread figure.
//   node scripts/bench/text-tasks-bench.cjs [corpus dir] [runs]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const core = require('../../packages/core/dist');
const {
  countLines,
  countNonEmptyLines,
  metricRecord,
} = require('../../packages/core/dist/tasks/analyze/text-metrics');
const { checkTextRules, toDiagnostics } = require('../../packages/core/dist/tasks/lint/text-rules');
const { lintMeta } = require('../../packages/core/dist/tasks/lint/lint-meta');
const { z } = require('zod');

const corpus = path.resolve(process.argv[2] ?? path.join(__dirname, '../../.bench/corpus'));
const runs = Number(process.argv[3] ?? 3);
const empty = z.strictObject({});
const text = {
  parse: {
    type: 'parse',
    version: 'text-1',
    description: 'text summary',
    kindsOut: ['ast'],
    configSchema: empty,
    runFile(f, ctx) {
      if (!f.isText) return [];
      const ref = ctx.storeOutput('ast', 'json', JSON.stringify({ lines: countLines(f.text()) }));
      return [{ path: f.path, kind: 'ast', ...ref }];
    },
  },
  analyze: {
    type: 'analyze',
    version: 'text-1',
    description: 'text metrics',
    kindsOut: ['metric'],
    configSchema: empty,
    runFile(f) {
      if (!f.isText) return [];
      const t = f.text();
      return [
        metricRecord(f.path, 'bytes', f.size),
        metricRecord(f.path, 'loc', countNonEmptyLines(t)),
        metricRecord(f.path, 'lang', f.lang ?? 'unknown'),
      ];
    },
  },
  symbols: {
    type: 'symbols',
    version: 'text-1',
    description: 'none',
    kindsOut: ['symbol'],
    configSchema: empty,
    runFile: () => [],
  },
  lint: {
    ...lintMeta,
    version: 'text-1',
    runFile(f, ctx) {
      if (!f.isText) return [];
      return toDiagnostics(f.path, checkTextRules(f.path, f.text(), ctx.config), ctx.config, () => false);
    },
  },
};
const registry = { get: (t) => text[t], types: () => Object.keys(text).sort(), prepare: async () => {} };

(async () => {
  const times = [];
  let files = 0;
  for (let i = 0; i < runs; i += 1) {
    // A new directory per run, all deleted at the end (see run-bench.mjs: deletes are slow here).
    const dir = path.join(__dirname, `../../.bench/stores/text-tasks-${process.pid}-${i}`);
    const { store } = core.initStore(dir);
    const snap = core.createSnapshot(store, corpus, {});
    files = snap.record.file_count;
    const { batch } = core.initBatch(store, {
      snapshotId: snap.record.snapshot_id,
      pipeline: 'full',
      registry,
    });
    const t0 = process.hrtime.bigint();
    const r = await core.runBatch(store, { batchId: batch.batch_id, registry });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.counts.failed) throw new Error('failed shards');
  }
  // A new batch over the same snapshot: every shard reused by its bundle hash (batch init
  // included in the time, as a user would run it), on the last run's store.
  const store = core.openStore(
    path.join(__dirname, `../../.bench/stores/text-tasks-${process.pid}-${runs - 1}`),
  );
  const snapshotId = core.listSnapshots(store)[0].snapshot_id;
  const reuse = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = process.hrtime.bigint();
    const { batch } = core.initBatch(store, { snapshotId, pipeline: 'full', registry });
    const r = await core.runBatch(store, { batchId: batch.batch_id, registry });
    reuse.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.counts.executed !== 0) throw new Error('expected every shard reused');
  }
  for (let i = 0; i < runs; i += 1) {
    fs.rmSync(path.join(__dirname, `../../.bench/stores/text-tasks-${process.pid}-${i}`), {
      recursive: true,
      force: true,
    });
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const med = median(times);
  const medReuse = median(reuse);
  console.log(
    JSON.stringify({
      scenario: 'full pipeline, text-level tasks, in-process',
      files,
      median_s: med,
      files_per_s: Math.round(files / med),
      reuse_median_s: medReuse,
      reuse_files_per_s: Math.round(files / medReuse),
    }),
  );
})();
