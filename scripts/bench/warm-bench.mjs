// The `warm` scenario of `npm run bench` (also runnable alone, see the bottom of this file):
// the runs people repeat — `codebatch check --pipeline lint` on an unchanged tree with a warm
// store, and with one file changed — next to the floors they are held to (issue 13), all
// measured in the same invocation because this machine's speed drifts from minute to minute.
//
// Workspace, rebuilt under <benchDir>/warm/ on every invocation and deleted at the end:
//   tree/      a copy of the benchmark corpus (the one-file rows edit it)
//   store-*/   the store `check` fills (outside the tree, so the walk never sees it)
//   cp-*/      `cp -r` floor copies, each deleted once its figure is taken
//
// The floor primitives (measure, series, the four floors) are exported for scale-bench.mjs,
// which holds the same runs to the same floors at 10k-100k files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file the one-file rows edit: TypeScript, so the parse task does real work. */
const EDITED = 'rxjs/src/internal/Observable.ts';

/** Slack the issue allows on top of each floor, seconds. */
const NOOP_SLACK_S = 0.25;
/** RACY_WINDOW_MS (2 s) and a margin. */
const RACY_SETTLE_MS = 2100;
const ONE_FILE_SLACK_S = 0.3;

const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Middle value (mean of the two middle ones for an even count). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs one command, timed from outside, with its peak RSS in MB when GNU time is there (%M: the
 * largest process of the tree; worker threads count, child processes are not summed).
 * @param {string} cmd
 * @param {string[]} argv
 * @param {{ cwd?: string, tmp: string, stdoutFile?: string, ok?: number[] }} options stdout goes
 *   to `stdoutFile` when given (check's JSON at 100k files is tens of MB), else is discarded.
 * @returns {{ seconds: number, rssMB?: number, exitCode: number, stderr: string }}
 */
export function measure(cmd, argv, { cwd, tmp, stdoutFile, ok = [0] }) {
  const rssFile = path.join(tmp, `rss-${process.pid}.txt`);
  const [file, args] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...argv]] : [cmd, argv];
  const out = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'ignore';
  const t0 = process.hrtime.bigint();
  let r;
  try {
    r = spawnSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', out, 'pipe'], maxBuffer: 1 << 30 });
  } finally {
    if (typeof out === 'number') fs.closeSync(out);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  let rssMB;
  if (GNU_TIME) {
    // GNU time writes "Command exited with non-zero status N" before %M when the command fails.
    const kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) rssMB = kb / 1024;
  }
  if (!ok.includes(r.status)) {
    const err = new Error(
      `${path.basename(cmd)} ${argv.join(' ')} exited ${r.status ?? r.signal} after ${seconds.toFixed(1)} s (peak RSS ${rssMB?.toFixed(0) ?? '?'} MB): ${r.stderr.slice(-3000)}`,
    );
    err.status = r.status;
    throw err;
  }
  return { seconds, rssMB, exitCode: r.status, stderr: r.stderr };
}

/**
 * Repeats `one(i)` (which returns a measure() result) n times.
 * @returns {{ seconds: number, rssMB?: number, all: object[] }} median seconds, highest RSS
 */
export function series(n, one) {
  const all = Array.from({ length: n }, (_, i) => one(i));
  const rss = all.map((r) => r.rssMB).filter((x) => x !== undefined);
  return {
    seconds: median(all.map((r) => r.seconds)),
    rssMB: rss.length ? Math.max(...rss) : undefined,
    all,
  };
}

/** Floor: start Node and exit. */
export function nodeStartFloor({ runs, tmp }) {
  return series(runs, () => measure(process.execPath, ['-e', '0'], { tmp }));
}

/** Floor: start Node and load the TypeScript compiler, resolved from the repository. */
export function nodeTypescriptFloor({ runs, tmp, repo }) {
  return series(runs, () => measure(process.execPath, ['-e', "require('typescript')"], { cwd: repo, tmp }));
}

/** Floor: stat every file of the tree, as a warm run's change detection must. */
export function statWalkFloor({ runs, tmp, tree }) {
  const walk = () =>
    measure('find', [tree, '-type', 'f', '-printf', '%s %T@ %p\\n'], {
      tmp,
      stdoutFile: '/dev/null',
    });
  // The first walk after building the tree may read inodes from disk; the runs we hold to the
  // floor find them cached, so the floor should too.
  walk();
  return series(runs, walk);
}

/**
 * Floor: `cp -r` of the tree into a new directory per run. The copies are deleted only after the
 * last run: deleting between runs would charge the disk's discard work to the next figure.
 */
export function copyTreeFloor({ runs, tmp, tree, work }) {
  const dirs = [];
  const r = series(runs, (i) => {
    const dest = path.join(work, `cp-${process.pid}-${i}`);
    dirs.push(dest);
    return measure('cp', ['-r', tree, dest], { tmp });
  });
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  return r;
}

/** Appends `// bench edit <tag>` to a file; returns the functions to edit and restore it. */
export function fileEditor(file) {
  const original = fs.readFileSync(file);
  // Write a new file and rename it over: a tree built from hard links (scale-bench) must change
  // in this tree alone, not in every tree that shares the inode.
  const put = (bytes) => {
    const tmp = `${file}.bench-tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  };
  return {
    edit(tag) {
      put(Buffer.concat([original, Buffer.from(`\n// bench edit ${tag}\n`)]));
    },
    restore() {
      put(original);
    },
  };
}

/**
 * Exit 1 means findings to `check` and problems to `verify`, but also an internal error (at 100k
 * files, "Invalid string length" from the JSON report): the error envelope on stderr tells them
 * apart.
 */
export function assertNoCliError(m, what) {
  if (/error\[E_[A-Z_]+\]/.test(m.stderr))
    throw new Error(
      `${what} exited ${m.exitCode} after ${m.seconds.toFixed(1)} s (peak RSS ${m.rssMB?.toFixed(0) ?? '?'} MB): ${m.stderr.slice(-2000)}`,
    );
}

/**
 * One `codebatch check --pipeline lint --format json` with its report read back.
 * @returns {ReturnType<typeof measure> & { report: object }}
 */
export function checkOnce({ cliBin, tree, store, tmp, cwd }) {
  const outFile = path.join(tmp, `check-${process.pid}.json`);
  const m = measure(
    process.execPath,
    [cliBin, 'check', tree, '--pipeline', 'lint', '--store', store, '--format', 'json'],
    { cwd, tmp, stdoutFile: outFile, ok: [0, 1] },
  );
  assertNoCliError(m, `check ${tree}`);
  const report = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  fs.rmSync(outFile, { force: true });
  if (report.status !== 'done')
    throw new Error(`check ended ${report.status}: ${JSON.stringify(report.failures)}`);
  return { ...m, report };
}

/** `codebatch verify`: exit status (0 = no problems) with time and peak RSS. */
export function verifyStore({ cliBin, store, tmp, cwd }) {
  return measure(process.execPath, [cliBin, 'verify', '--store', store, '--quiet'], { cwd, tmp, ok: [0, 1] });
}

/** "a/b executed/reused" of a check report: (task, file) pairs and shards. */
export function workDone(report) {
  const t = report.taskFiles ?? {};
  const s = report.shards ?? {};
  return `task-files ${t.executed}/${t.reused}, shards ${s.executed}/${s.reused} (executed/reused)`;
}

const fmtS = (x) => (x === undefined ? '-' : x.toFixed(3));
const fmtMB = (x) => (x === undefined ? '-' : String(Math.round(x)));

/** Aligned text table; the first row is the header. */
export function formatTable(table) {
  const widths = table[0].map((_, i) => Math.max(...table.map((t) => String(t[i]).length)));
  return table.map((t) =>
    t
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Runs the warm scenario.
 * @param {{ repo: string, benchDir: string, corpus: string, runs: number, cliBin: string,
 *   keep?: boolean, log?: (line: string) => void }} options
 * @returns {{ text: string, ok: boolean }} the table and notes; ok is false when a target or a
 *   behavioural check (work done, verify) was missed
 */
export function runWarmBench({ repo, benchDir, corpus, runs, cliBin, keep = false, log = () => {} }) {
  const work = path.join(benchDir, 'warm');
  const tree = path.join(work, 'tree');
  const store = path.join(work, `store-${process.pid}`);
  const tmp = path.join(work, 'tmp');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.cpSync(corpus, tree, { recursive: true });
  const ctx = { runs, tmp, tree, work, repo, cliBin, store, cwd: repo };

  log('warm: floors');
  const node = nodeStartFloor(ctx);
  const nodeTs = nodeTypescriptFloor(ctx);
  const walk = statWalkFloor(ctx);
  const copy = copyTreeFloor(ctx);

  const notes = [];
  const verifies = [];
  let ok = true;
  const afterScenario = (name) => {
    const v = verifyStore(ctx);
    verifies.push(`${name}: exit ${v.exitCode} (${v.seconds.toFixed(2)} s, ${fmtMB(v.rssMB)} MB)`);
    if (v.exitCode !== 0) ok = false;
  };

  log('warm: cold check');
  const cold = checkOnce(ctx);
  const coldEnded = Date.now();
  const files = cold.report.files;
  // Tasks that see every file: the lint pipeline without an ESLint config has two (01_parse,
  // 04_lint); read from the cold run so a pipeline change does not silently break the check.
  const tasksPerFile = cold.report.taskFiles.executed / files;
  notes.push(`cold: ${files} files, ${workDone(cold.report)} -> ${tasksPerFile} task(s) per file`);
  afterScenario('cold');

  // A store file written less than 2 s ago is not vouched for by the stat fingerprints the
  // index digest cache and the verified-batch verdicts keep (the racy rule, RACY_WINDOW_MS in
  // packages/core/src/util/time.ts): checks started right after the cold run verify and hash
  // everything again. The unchanged rows start once the cold run's files are that old, as the
  // next check of someone who just ran one does; the first of them still verifies in full (its
  // time is in the per-run list below).
  const settleMs = coldEnded + RACY_SETTLE_MS - Date.now();
  if (settleMs > 0) {
    log(`warm: waiting ${(settleMs / 1000).toFixed(1)} s for the cold run's files to leave the racy window`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, settleMs);
  }
  log('warm: unchanged tree');
  const noop = series(runs, () => checkOnce(ctx));
  const noopExecuted = noop.all.map((r) => r.report.taskFiles.executed);
  const noopOk = noopExecuted.every((n) => n === 0);
  notes.push(
    `unchanged tree: ${workDone(noop.all.at(-1).report)}; task-files executed per run ${noopExecuted.join(',')} (want 0: ${noopOk ? 'MET' : 'MISSED'}); seconds per run ${noop.all.map((r) => r.seconds.toFixed(3)).join(',')}`,
  );
  afterScenario('unchanged tree');

  log('warm: one file changed');
  const editor = fileEditor(path.join(tree, EDITED));
  let oneFile;
  try {
    oneFile = series(runs, (i) => {
      editor.edit(i);
      return checkOnce(ctx);
    });
  } finally {
    editor.restore();
  }
  const oneExecuted = oneFile.all.map((r) => r.report.taskFiles.executed);
  const oneOk = oneExecuted.every((n) => n === tasksPerFile);
  notes.push(
    `one file changed (${EDITED}): ${workDone(oneFile.all.at(-1).report)}; task-files executed per run ${oneExecuted.join(',')} (want ${tasksPerFile}: ${oneOk ? 'MET' : 'MISSED'})`,
  );
  afterScenario('one file changed');
  if (!noopOk || !oneOk) ok = false;

  const noopTarget = walk.seconds + node.seconds + NOOP_SLACK_S;
  const oneTarget = nodeTs.seconds + walk.seconds + ONE_FILE_SLACK_S;
  const verdict = (s, target) => {
    const met = s <= target;
    if (!met) ok = false;
    return met ? 'MET' : 'MISSED';
  };
  const rows = [
    ['operation', 'median s', 'peak RSS MB', 'target s', ''],
    ['floor: Node start (node -e 0)', fmtS(node.seconds), fmtMB(node.rssMB), '', ''],
    ["floor: Node start + require('typescript')", fmtS(nodeTs.seconds), fmtMB(nodeTs.rssMB), '', ''],
    [`floor: stat walk (find -printf, ${files} files)`, fmtS(walk.seconds), fmtMB(walk.rssMB), '', ''],
    ['floor: cp -r of the tree', fmtS(copy.seconds), fmtMB(copy.rssMB), '', ''],
    ['check --pipeline lint, cold store (1 run)', fmtS(cold.seconds), fmtMB(cold.rssMB), '', ''],
    [
      'check, unchanged tree, warm store',
      fmtS(noop.seconds),
      fmtMB(noop.rssMB),
      `<= ${fmtS(noopTarget)} (walk + Node + ${NOOP_SLACK_S})`,
      verdict(noop.seconds, noopTarget),
    ],
    [
      'check, one file changed',
      fmtS(oneFile.seconds),
      fmtMB(oneFile.rssMB),
      `<= ${fmtS(oneTarget)} (Node+TS + walk + ${ONE_FILE_SLACK_S})`,
      verdict(oneFile.seconds, oneTarget),
    ],
  ];
  const lines = [
    `warm runs on a copy of the small corpus (${files} files); medians of ${runs} run(s), peak RSS = highest of the runs (${GNU_TIME ? 'GNU time %M, largest process' : 'no /usr/bin/time'})`,
    ...formatTable(rows),
    ...notes.map((n) => `work: ${n}`),
    ...verifies.map((v) => `verify after ${v}`),
  ];
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  return { text: lines.join('\n'), ok };
}

// Alone: node scripts/bench/warm-bench.mjs [--runs N] [--keep]
// (builds the small corpus in .bench/corpus first when it is not there, as `npm run bench` does).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const args = process.argv.slice(2);
  const i = args.indexOf('--runs');
  const benchDir = path.join(repo, '.bench');
  if (!fs.existsSync(path.join(benchDir, 'corpus'))) {
    const script = path.resolve(repo, '../shared/bench/make-corpus.sh');
    const made = spawnSync('bash', [script, benchDir, 'small'], { stdio: 'inherit' });
    if (made.status !== 0) process.exit(made.status ?? 1);
  }
  const out = runWarmBench({
    repo,
    benchDir,
    corpus: path.join(benchDir, 'corpus'),
    runs: Number(i >= 0 ? args[i + 1] : '5'),
    cliBin: path.join(repo, 'packages/core/bin/codebatch.js'),
    keep: args.includes('--keep'),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(out.text);
}
