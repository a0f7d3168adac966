// The `scale` scenario of `npm run bench` (`--only scale`, never part of a plain run; also
// runnable alone, see the bottom of this file): how the cost of `codebatch` grows with the tree,
// on monorepos of 10k, 30k and 100k files (issue 13, "Scale").
//
// Trees, kept under <benchDir>/scale/ and reused by later invocations (building them takes
// about a minute; a `.done` stamp marks each finished one):
//   copies/copy-N/   a copy of the large corpus in which every text file ends with a line of its
//                    own (`// copy N` for scripts, trailing spaces for JSON), so no two copies
//                    share contents and the store cannot deduplicate one copy against another.
//   tree-S/          the S-file monorepo: packages/copy-0 ... copy-K, hard links to copies/;
//                    the last package takes the first files of its copy, in sorted path order.
// Stores and scratch files go to <benchDir>/scale/run-<pid>/ and are deleted at the end (not
// between sizes: deleting gigabytes right before a figure would charge the disk's discard work
// to it).
//
// Per size: the stat-walk floor; a cold `snapshot` (new store); a cold `check --pipeline lint`
// (new store, once: minutes at 100k); on that store, `check` with nothing changed and with one
// file changed (medians of --runs), each with peak RSS; then `verify` of the store.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertNoCliError,
  fileEditor,
  formatTable,
  measure,
  nodeStartFloor,
  nodeTypescriptFloor,
  series,
  statWalkFloor,
  verifyStore,
} from './warm-bench.mjs';

export const SCALE_SIZES = [10000, 30000, 100000];
/** Issue 13: a warm run's peak memory at 100k files. */
const WARM_RSS_LIMIT_MB = 1024;
const LIMIT_AT_FILES = 100000;

const SCRIPT_EXT = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/;
const JSON_EXT = /\.(json|map)$/;

/**
 * ESLint configs some corpus packages ship (ajv's `.eslintrc.yml`, ...). With one in the tree,
 * the lint pipeline adds the ESLint task, and eslintrc mode then fails the whole check on the
 * first file with no config above it (E_ESLINT_CONFIG): the scale trees measure the lint
 * pipeline without ESLint, as the warm scenario does.
 */
const ESLINT_CONFIG = /(^|\/)(\.eslintrc(\.[a-z]+)?|eslint\.config\.[cm]?[jt]s)$/;

/** Paths of the large corpus's files, sorted, relative to the corpus root, ESLint configs left out. */
function corpusFiles(largeDir) {
  return fs
    .readFileSync(path.join(largeDir, 'corpus.sha256'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(line.indexOf('  ') + 2).replace(/^\.\//, ''))
    .filter((rel) => !ESLINT_CONFIG.test(rel))
    .sort();
}

/** What copy N appends to a file so its contents are its own; undefined leaves it as is. */
function copyMarker(rel, bytes, n) {
  // Binary files (wasm, images) stay identical across copies: there are few of them, and
  // editing them could only make a task fail on input no real monorepo has.
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  if (SCRIPT_EXT.test(rel)) return `\n// copy ${n}\n`;
  // Trailing whitespace keeps JSON (and source maps) valid.
  if (JSON_EXT.test(rel)) return `\n${' '.repeat(n + 1)}\n`;
  return `\ncopy ${n}\n`;
}

function buildCopy(corpus, files, dest, n, log) {
  const stamp = `${dest}.done`;
  if (fs.existsSync(stamp)) return;
  log(`scale: building ${dest}`);
  fs.rmSync(dest, { recursive: true, force: true });
  for (const rel of files) {
    const bytes = fs.readFileSync(path.join(corpus, rel));
    const marker = copyMarker(rel, bytes, n);
    const out = path.join(dest, rel);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, marker === undefined ? bytes : Buffer.concat([bytes, Buffer.from(marker)]));
  }
  fs.writeFileSync(stamp, '');
}

/**
 * The S-file monorepo, built (or reused) under scaleDir.
 * @returns {string} the tree's root
 */
function ensureTree({ scaleDir, corpus, files, size, log }) {
  const tree = path.join(scaleDir, `tree-${size}`);
  const stamp = `${tree}.done`;
  if (fs.existsSync(stamp)) return tree;
  fs.rmSync(tree, { recursive: true, force: true });
  const copies = Math.ceil(size / files.length);
  for (let n = 0; n < copies; n += 1) {
    const copy = path.join(scaleDir, 'copies', `copy-${n}`);
    buildCopy(corpus, files, copy, n, log);
    const take = Math.min(files.length, size - n * files.length);
    for (const rel of files.slice(0, take)) {
      const out = path.join(tree, 'packages', `copy-${n}`, rel);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.linkSync(path.join(copy, rel), out);
    }
  }
  fs.writeFileSync(stamp, '');
  return tree;
}

/**
 * The file the one-file rows edit: the first TypeScript source of copy 0 (every tree, however
 * small, holds the first files of copy 0), so the parse task does real work.
 */
function editedFile(files) {
  const rel = files.find((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f)) ?? files[0];
  return `packages/copy-0/${rel}`;
}

/** Batch ids in a store (the directory names under batches/). */
function batchIds(store) {
  try {
    return new Set(fs.readdirSync(path.join(store, 'batches')));
  } catch {
    return new Set();
  }
}

/**
 * One `check --pipeline lint --format text --quiet`: at 100k files the report itself fails
 * (`--format json`: "Invalid string length" from JSON.stringify; text: "Maximum call stack size
 * exceeded" in formatDiagnosticsText), and --quiet with no error-level finding formats none, so
 * these rows time the engine. The work done comes from `status` of the batch the run created;
 * none created means a done batch of the same snapshot answered, executing nothing.
 * @returns {ReturnType<typeof measure> & { report: object }} report: { files, taskFiles } or
 *   { taskFiles: { executed: 0 }, reusedBatch: true }
 */
function checkQuiet({ cliBin, tree, store, tmp, cwd }) {
  const before = batchIds(store);
  const m = measure(
    process.execPath,
    [cliBin, 'check', tree, '--pipeline', 'lint', '--store', store, '--format', 'text', '--quiet'],
    { cwd, tmp, ok: [0, 1] },
  );
  assertNoCliError(m, `check ${tree}`);
  const created = [...batchIds(store)].filter((id) => !before.has(id));
  if (created.length === 0) return { ...m, report: { taskFiles: { executed: 0 }, reusedBatch: true } };
  if (created.length > 1)
    throw new Error(`one check created ${created.length} batches: ${created.join(', ')}`);
  const status = JSON.parse(
    execFileSync(process.execPath, [cliBin, 'status', '--batch', created[0], '--store', store, '--json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }),
  );
  const sum = (key) => status.tasks.reduce((n, t) => n + t.files[key], 0);
  return {
    ...m,
    report: {
      batch: created[0],
      status: status.status,
      files: (sum('executed') + sum('reused')) / status.tasks.length,
      taskFiles: { executed: sum('executed'), reused: sum('reused') },
      tasks: status.tasks.length,
    },
  };
}

/** "executed/reused" of a checkQuiet report. */
function workText(report) {
  if (report.reusedBatch) return 'done batch of the same snapshot reused, nothing executed';
  return `batch ${report.batch}: task-files ${report.taskFiles.executed}/${report.taskFiles.reused} (executed/reused), ${report.tasks} task(s)`;
}

/** Cold `codebatch snapshot` into a new store. */
function coldSnapshot({ cliBin, tree, store, tmp, cwd }) {
  execFileSync(process.execPath, [cliBin, 'init', store], { stdio: 'ignore' });
  return measure(process.execPath, [cliBin, 'snapshot', tree, '--store', store, '--json'], {
    cwd,
    tmp,
    stdoutFile: path.join(tmp, 'snapshot.json'),
  });
}

/** Measures one size; failures of a step are recorded (an out-of-memory is a finding). */
function measureSize({ size, tree, edited, work, runs, cliBin, repo, log }) {
  const tmp = path.join(work, 'tmp');
  const ctx = { runs, tmp, tree, cliBin, cwd: repo, store: path.join(work, `check-${size}`) };
  const out = { size, errors: [] };
  const step = (name, fn) => {
    log(`scale ${size}: ${name}`);
    try {
      return fn();
    } catch (err) {
      out.errors.push(`${name}: ${err.message}`);
      return undefined;
    }
  };
  out.walk = statWalkFloor(ctx);
  out.snapshot = step('cold snapshot', () =>
    coldSnapshot({ ...ctx, store: path.join(work, `snapshot-${size}`) }),
  );
  out.cold = step('cold check --pipeline lint', () => checkQuiet(ctx));
  if (!out.cold) return out;
  out.files = out.cold.report.files;
  const tasksPerFile = out.cold.report.tasks;
  out.noop = step('check, unchanged tree', () => series(runs, () => checkQuiet(ctx)));
  const editor = fileEditor(path.join(tree, edited));
  try {
    out.oneFile = step('check, one file changed', () =>
      series(runs, (i) => {
        editor.edit(i);
        return checkQuiet(ctx);
      }),
    );
  } finally {
    editor.restore();
  }
  out.verify = step('verify', () => verifyStore(ctx));
  const executed = (s) => s?.all.map((r) => r.report.taskFiles.executed) ?? [];
  out.work = [
    `cold ${workText(out.cold.report)}`,
    out.noop &&
      `unchanged: ${workText(out.noop.all.at(-1).report)}; task-files executed per run ${executed(out.noop).join(',')} (want 0)`,
    out.oneFile &&
      `one file: ${workText(out.oneFile.all.at(-1).report)}; task-files executed per run ${executed(out.oneFile).join(',')} (want ${tasksPerFile})`,
  ].filter(Boolean);
  out.workOk =
    executed(out.noop).every((n) => n === 0) && executed(out.oneFile).every((n) => n === tasksPerFile);
  return out;
}

const s3 = (m) => (m ? m.seconds.toFixed(3) : 'FAILED');
const mb = (m) => (m?.rssMB === undefined ? '-' : String(Math.round(m.rssMB)));

/** Verdicts across sizes: warm growth against the walk's, warm memory at 100k. */
function verdicts(results, node) {
  const lines = [];
  const done = results.filter((r) => r.noop && r.oneFile);
  if (done.length >= 2) {
    const [a, b] = [done[0], done.at(-1)];
    const walkGrowth = b.walk.seconds / a.walk.seconds;
    for (const [label, key] of [
      ['unchanged tree', 'noop'],
      ['one file changed', 'oneFile'],
    ]) {
      const growth = b[key].seconds / a[key].seconds;
      // Per added file, after the fixed cost drops out: what the engine spends per file it
      // only stats, next to what `find` spends.
      const perFile = ((b[key].seconds - a[key].seconds) / (b.size - a.size)) * 1e6;
      const walkPerFile = ((b.walk.seconds - a.walk.seconds) / (b.size - a.size)) * 1e6;
      lines.push(
        `growth ${a.size} -> ${b.size} files, ${label}: ${growth.toFixed(2)}x vs stat walk ${walkGrowth.toFixed(2)}x (${growth <= walkGrowth ? 'MET' : 'MISSED'}); per added file ${perFile.toFixed(1)} us vs walk ${walkPerFile.toFixed(1)} us (${(perFile / walkPerFile).toFixed(1)}x)`,
      );
    }
  }
  const at = results.find((r) => r.size >= LIMIT_AT_FILES);
  if (at?.noop && at.oneFile) {
    const peak = Math.max(at.noop.rssMB ?? 0, at.oneFile.rssMB ?? 0);
    lines.push(
      `warm peak RSS at ${at.size} files: ${Math.round(peak)} MB (target < ${WARM_RSS_LIMIT_MB} MB: ${peak < WARM_RSS_LIMIT_MB ? 'MET' : 'MISSED'})`,
    );
  } else {
    lines.push(`warm peak RSS at ${LIMIT_AT_FILES} files: not measured in this invocation`);
  }
  const cold = results.find((r) => r.size >= LIMIT_AT_FILES);
  if (cold)
    lines.push(
      `cold check at ${cold.size} files: ${cold.cold ? `completed in ${s3(cold.cold)} s, peak RSS ${mb(cold.cold)} MB` : 'FAILED (see errors)'}`,
    );
  lines.push(`Node start floor: ${node.seconds.toFixed(3)} s`);
  return lines;
}

/**
 * Runs the scale scenario.
 * @param {{ repo: string, benchDir: string, runs: number, cliBin: string, sizes?: number[],
 *   keep?: boolean, log?: (line: string) => void }} options
 * @returns {{ text: string, results: object[] }}
 */
export function runScaleBench({
  repo,
  benchDir,
  runs,
  cliBin,
  sizes = SCALE_SIZES,
  keep = false,
  log = () => {},
}) {
  // The large corpus lives apart from .bench/corpus, which stays the small one the other
  // scenarios measure.
  const largeDir = path.join(benchDir, 'large');
  execFileSync('bash', [path.resolve(repo, '../shared/bench/make-corpus.sh'), largeDir, 'large'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const scaleDir = path.join(benchDir, 'scale');
  const work = path.join(scaleDir, `run-${process.pid}`);
  fs.mkdirSync(path.join(work, 'tmp'), { recursive: true });
  const files = corpusFiles(largeDir);
  const corpus = path.join(largeDir, 'corpus');
  const tmp = path.join(work, 'tmp');
  const node = nodeStartFloor({ runs, tmp });
  const nodeTs = nodeTypescriptFloor({ runs, tmp, repo });
  const edited = editedFile(files);
  const results = [];
  try {
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const tree = ensureTree({ scaleDir, corpus, files, size, log });
      results.push(measureSize({ size, tree, edited, work, runs, cliBin, repo, log }));
    }
  } finally {
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
  const ratio = (m, walk) => (m ? `${(m.seconds / walk.seconds).toFixed(1)}x` : '-');
  const table = [
    [
      'files',
      'stat walk s',
      'cold snapshot s',
      'RSS MB',
      'cold check s',
      'RSS MB',
      'no-op check s',
      'RSS MB',
      '/walk',
      'one-file check s',
      'RSS MB',
      '/walk',
      'verify',
    ],
    ...results.map((r) => [
      String(r.files ?? r.size),
      r.walk.seconds.toFixed(3),
      s3(r.snapshot),
      mb(r.snapshot),
      s3(r.cold),
      mb(r.cold),
      r.cold ? s3(r.noop) : '-',
      mb(r.noop),
      ratio(r.noop, r.walk),
      r.cold ? s3(r.oneFile) : '-',
      mb(r.oneFile),
      ratio(r.oneFile, r.walk),
      r.verify ? `exit ${r.verify.exitCode}` : '-',
    ]),
  ];
  const lines = [
    `scale: monorepos of copies of the large corpus (${files.length} files per copy); warm rows are medians of ${runs} run(s), cold rows one run; peak RSS = highest of the runs (GNU time %M)`,
    `floors: Node start ${node.seconds.toFixed(3)} s, Node + TypeScript ${nodeTs.seconds.toFixed(3)} s; one-file rows edit ${edited}`,
    ...formatTable(table),
    ...verdicts(results, node),
    ...results.flatMap((r) => [
      ...(r.work ?? []).map((w) => `work at ${r.size}: ${w}${r.workOk === false ? ' (MISSED)' : ''}`),
      ...r.errors.map((e) => `ERROR at ${r.size}: ${e}`),
    ]),
  ];
  return { text: lines.join('\n'), results };
}

// Alone: node scripts/bench/scale-bench.mjs [--runs N] [--scale-sizes 10000,30000] [--keep]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const args = process.argv.slice(2);
  const arg = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const out = runScaleBench({
    repo,
    benchDir: path.join(repo, '.bench'),
    runs: Number(arg('runs', '3')),
    cliBin: path.join(repo, 'packages/core/bin/codebatch.js'),
    sizes: arg('scale-sizes', SCALE_SIZES.join(',')).split(',').filter(Boolean).map(Number),
    keep: args.includes('--keep'),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(out.text);
}
