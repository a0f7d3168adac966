#!/usr/bin/env node
// node scripts/bench/nx-bench.mjs [--runs N] [--keep]
//
// Times `nx run-many -t codebatch-lint` (the @codebatch/nx plugin) on an Nx workspace whose
// projects hold the small benchmark corpus (.bench/corpus: date-fns, lodash-es, rxjs, tslib,
// zod; about 8.9k files), in five situations:
//   cold        no Nx cache, empty codebatch store: every file is parsed and linted
//   nx-hit      nothing changed: every project is an Nx cache hit (output replayed)
//   one-file    one file of one project changed: that project misses the Nx cache, and the
//               engine re-executes that one file (the rest comes from the shared store)
//   store-warm  Nx cache skipped (--skip-nx-cache), store warm: every project re-runs, but no
//               file is re-executed (what a fresh CI runner with a restored store sees); the
//               plugin's preferBatch makes Nx run all five in one process
//   per-process the same with --batch=false: one process per project (what Nx 21-23 do)
// and, as the floor of `cold`, one `codebatch check --pipeline lint` over a copy of the same
// files (the projects' trees less what .nxignore hides from Nx), from an empty store.
// Each figure is wall time of the whole command, the median of --runs runs (cold: one run
// per repetition, starting from an empty store and cache each time). The targets (issue 13):
//   store-warm <= nx-hit + 0.3 s per project;  cold <= 1.3 x check
//
// Needs both packages built (`npm run build`); the workspace lives in .bench/nx-workspace and
// installs nx and the packed packages from the npm cache.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const runs = Number(arg('runs', '3'));
const keep = args.includes('--keep');
const benchDir = path.join(repo, '.bench');
const corpus = path.join(benchDir, 'corpus');
const ws = path.join(benchDir, 'nx-workspace');
const checkDir = path.join(benchDir, 'nx-check');
const codebatchBin = path.join(repo, 'packages/core/bin/codebatch.js');
const WARM_ALLOWANCE_PER_PROJECT = 0.3;
const COLD_FACTOR = 1.3;
const env = {
  ...process.env,
  // Nx 24 keeps its cache under ~/.nx/<workspace hash>/ by default: keep it in the workspace.
  NX_CACHE_DIRECTORY: path.join(ws, '.nx', 'cache'),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_INTERACTIVE: 'false',
  CI: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

function ensureCorpus() {
  if (fs.existsSync(corpus)) return;
  const script = path.resolve(repo, '../shared/bench/make-corpus.sh');
  execFileSync('bash', [script, benchDir, 'small'], { stdio: 'inherit' });
}

function pack(dir, dest) {
  if (!fs.existsSync(path.join(dir, 'dist/index.js'))) {
    throw new Error(`${dir}/dist is missing: run \`npm run build\` first`);
  }
  const out = execFileSync('npm', ['pack', '--pack-destination', dest, '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return path.join(dest, JSON.parse(out)[0].filename);
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A hand-written Nx workspace: one project per corpus package, the plugin registered. */
function createWorkspace() {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(path.join(ws, 'tarballs'), { recursive: true });
  const core = pack(path.join(repo, 'packages/core'), path.join(ws, 'tarballs'));
  const nx = pack(path.join(repo, 'packages/nx-plugin'), path.join(ws, 'tarballs'));
  const nxVersion = JSON.parse(
    fs.readFileSync(path.join(repo, 'node_modules/nx/package.json'), 'utf8'),
  ).version;
  writeJson(path.join(ws, 'package.json'), {
    name: 'codebatch-nx-bench',
    private: true,
    devDependencies: { nx: nxVersion, '@codebatch/core': `file:${core}`, '@codebatch/nx': `file:${nx}` },
  });
  writeJson(path.join(ws, 'nx.json'), {
    analytics: false,
    neverConnectToCloud: true,
    plugins: ['@codebatch/nx'],
  });
  fs.writeFileSync(path.join(ws, '.gitignore'), 'node_modules\n.nx\n/.codebatch/\n/reports/\n/tarballs/\n');
  // The corpus's own package.json files are not projects, and Nx's package.json plugin cannot
  // read some of them (lodash-es has a string `keywords`): hide them from Nx (and so from the
  // engine, which leaves out what Nx leaves out).
  fs.writeFileSync(path.join(ws, '.nxignore'), 'libs/**/package.json\n');
  const projects = fs.readdirSync(corpus).filter((d) => fs.statSync(path.join(corpus, d)).isDirectory());
  for (const name of projects) {
    fs.cpSync(path.join(corpus, name), path.join(ws, 'libs', name), { recursive: true });
    writeJson(path.join(ws, 'libs', name, 'project.json'), { name });
  }
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ws,
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  return projects;
}

const nxBin = () => {
  const dir = path.join(ws, 'node_modules/nx');
  const { bin } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return path.join(dir, typeof bin === 'string' ? bin : bin.nx);
};

function nx(extra = []) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [nxBin(), 'run-many', '-t', 'codebatch-lint', '--output-style=static', ...extra],
    { cwd: ws, env, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`nx failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const out = r.stdout + r.stderr;
  fs.appendFileSync(
    path.join(benchDir, 'nx-bench.log'),
    `\n=== nx ${extra.join(' ')} (exit ${r.status})\n${out}`,
  );
  if (r.status !== 0) console.warn(`  note: nx exited ${r.status}; see .bench/nx-bench.log`);
  const hits = (out.match(/\[local cache\]|\[existing outputs match the cache, left as is\]/g) ?? []).length;
  return { seconds, status: r.status, hits, out };
}

/** The projects' files as one plain tree (what .nxignore hides from Nx left out), for `check`. */
function createCheckTree() {
  fs.rmSync(checkDir, { recursive: true, force: true });
  fs.cpSync(path.join(ws, 'libs'), path.join(checkDir, 'tree'), {
    recursive: true,
    filter: (src) => path.basename(src) !== 'package.json',
  });
}

/** One cold `codebatch check` over the same files, from an empty store. */
function checkCold() {
  const store = path.join(checkDir, 'store');
  fs.rmSync(store, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [
      codebatchBin,
      'check',
      path.join(checkDir, 'tree'),
      '--pipeline',
      'lint',
      '--store',
      store,
      '--format',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 29 },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`check failed (${r.status}):\n${r.stderr}`);
  return { seconds, files: JSON.parse(r.stdout).files };
}

function report(project) {
  return JSON.parse(
    fs.readFileSync(path.join(ws, 'reports/codebatch/libs', project, 'codebatch-lint/report.json'), 'utf8'),
  );
}

function totals(projects) {
  const t = { files: 0, executed: 0, reused: 0 };
  for (const p of projects) {
    const r = report(p);
    t.files += r.files;
    t.executed += r.taskFiles.executed;
    t.reused += r.taskFiles.reused;
  }
  return t;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function resetAll() {
  for (const d of ['.codebatch', '.nx', 'reports'])
    fs.rmSync(path.join(ws, d), { recursive: true, force: true });
}

ensureCorpus();
fs.rmSync(path.join(benchDir, 'nx-bench.log'), { force: true });
console.log('creating the workspace in .bench/nx-workspace ...');
const projects = createWorkspace();
const editProject = projects.includes('zod') ? 'zod' : projects[0];
const editFile = (() => {
  const dir = path.join(ws, 'libs', editProject);
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop();
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (/\.(ts|js)$/.test(e.name)) return p;
    }
  }
  throw new Error(`no source file in ${dir}`);
})();

createCheckTree();
const results = { check: [], cold: [], 'nx-hit': [], 'one-file': [], 'store-warm': [], 'per-process': [] };
let coldTotals;
let checkFiles;
let oneFile;
let warmTotals;
for (let i = 0; i < runs; i++) {
  const check = checkCold();
  results.check.push(check.seconds);
  checkFiles = check.files;
  resetAll();
  const cold = nx();
  results.cold.push(cold.seconds);
  coldTotals = totals(projects);
  const hit = nx();
  if (hit.hits !== projects.length) throw new Error(`expected ${projects.length} cache hits:\n${hit.out}`);
  results['nx-hit'].push(hit.seconds);
  fs.appendFileSync(editFile, `\nexport const __nxBench${Date.now()} = ${i};\n`);
  const miss = nx();
  results['one-file'].push(miss.seconds);
  oneFile = { hits: miss.hits, ...report(editProject).taskFiles };
  const warm = nx(['--skip-nx-cache']);
  results['store-warm'].push(warm.seconds);
  warmTotals = totals(projects);
  results['per-process'].push(nx(['--skip-nx-cache', '--batch=false']).seconds);
}

const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
const verdict = (ok) => (ok ? 'MET' : 'MISSED');
const warmLimit = med['nx-hit'] + WARM_ALLOWANCE_PER_PROJECT * projects.length;
const coldLimit = COLD_FACTOR * med.check;
console.log(
  `\nnx run-many -t codebatch-lint, ${projects.length} projects, ${coldTotals.files} files (median of ${runs})`,
);
console.log(
  `  check       ${med.check.toFixed(2)} s  (one cold \`codebatch check --pipeline lint\`, ${checkFiles} files)`,
);
console.log(
  `  cold        ${med.cold.toFixed(2)} s  (${coldTotals.executed} task-file executions; ` +
    `${(med.cold / med.check).toFixed(2)}x check, target <= ${COLD_FACTOR}x = ${coldLimit.toFixed(2)} s: ${verdict(med.cold <= coldLimit)})`,
);
console.log(
  `  nx-hit      ${med['nx-hit'].toFixed(2)} s  (${projects.length}/${projects.length} Nx cache hits)`,
);
console.log(
  `  one-file    ${med['one-file'].toFixed(2)} s  (${oneFile.hits} hits; ${editProject}: ${oneFile.executed} executed, ${oneFile.reused} reused)`,
);
console.log(
  `  store-warm  ${med['store-warm'].toFixed(2)} s  (--skip-nx-cache, one batch process, ${warmTotals.executed} executed; ` +
    `target <= nx-hit + ${WARM_ALLOWANCE_PER_PROJECT} s x ${projects.length} = ${warmLimit.toFixed(2)} s: ${verdict(med['store-warm'] <= warmLimit)})`,
);
console.log(`  per-process ${med['per-process'].toFixed(2)} s  (the same with --batch=false, for reference)`);
if (checkFiles !== coldTotals.files) {
  console.warn(`  note: check saw ${checkFiles} files, the projects ${coldTotals.files}: not the same files`);
}
console.log(`  runs: ${JSON.stringify(results)}`);
if (!keep) {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(checkDir, { recursive: true, force: true });
}
