#!/usr/bin/env node
// GitHub Action benchmark: the committed bundle (packages/action/dist/index.js) on the small
// benchmark corpus as the repository, against the real @actions/cache client (azurite + the
// e2e cache-service stand-in) and the e2e GitHub API stand-in, as in e2e/action:
//   1. cold: a push to main with an empty cache (analyses everything, saves the store);
//   2. warm: a pull request that changes one file (restores main's entry, runs one file).
// Prints the time of each phase (restore, snapshot, run, compare, annotate, sarif, prune, save,
// as the action logs them in `codebatch timings {...}`), the work done and the cache entry size;
// writes the same as JSON to .bench/action-bench.json.
//
//   node scripts/bench/action-bench.mjs [--warm-runs N] [--cpu-prof-dir DIR] [--keep-store DIR]
//
// --cpu-prof-dir writes a V8 CPU profile of each warm run's action process (main thread and
// shard workers) into DIR; --keep-store copies the store the last warm run leaves behind (with
// its base and head batches) to DIR, to reproduce a phase in-process.
//
// Needs the corpus (`bash /work/shared/bench/make-corpus.sh .bench small`; done here when
// absent) and a built bundle (`npm run build -w @codebatch/action`).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const benchDir = path.join(root, '.bench');
const corpus = path.join(benchDir, 'corpus');
const bundle = path.join(root, 'packages/action/dist/index.js');
const option = (name) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const warmRuns = Number(option('--warm-runs')) || 1;
const cpuProfDir = option('--cpu-prof-dir') && path.resolve(option('--cpu-prof-dir'));
const keepStoreDir = option('--keep-store') && path.resolve(option('--keep-store'));

if (!fs.existsSync(corpus)) {
  execFileSync('bash', ['/work/shared/bench/make-corpus.sh', benchDir, 'small'], { stdio: 'inherit' });
}

// The e2e harness is TypeScript: compile its servers once into .bench/ (next to node_modules
// resolution, with __dirname pinned to the support folder it was written for).
const supportDir = path.join(root, 'e2e/action/support');
const harnessFile = path.join(benchDir, 'harness/support.cjs');
await esbuild.build({
  stdin: {
    contents: [
      "export { startAzurite } from './azurite';",
      "export { startCacheService } from './cache-service';",
      "export { startGitHubApi } from './github-api';",
      "export { buildRunnerEnv } from './runner-env';",
    ].join('\n'),
    resolveDir: supportDir,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  define: { __dirname: JSON.stringify(supportDir) },
  outfile: harnessFile,
  logLevel: 'warning',
});
const { startAzurite, startCacheService, startGitHubApi, buildRunnerEnv } = createRequire(import.meta.url)(
  harnessFile,
);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-action-bench-'));
const gitEnv = {
  PATH: process.env.PATH,
  HOME: tmp,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

const azurite = await startAzurite();
const cache = await startCacheService({ azurite });
const api = await startGitHubApi();
const results = [];
try {
  // The repository: the corpus, committed on main.
  const repo = path.join(tmp, 'repo');
  fs.cpSync(corpus, repo, { recursive: true });
  fs.writeFileSync(path.join(repo, '.gitignore'), '.codebatch/\ncodebatch.sarif\n');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'corpus');
  const mainSha = git(repo, 'rev-parse', 'HEAD');
  const files = git(repo, 'ls-files', '*.ts').split('\n');
  const changed =
    files.find((f) => f.includes('rxjs/src/internal/operators/')) ?? files[Math.floor(files.length / 2)];
  const fileCount = git(repo, 'ls-files').split('\n').length;

  results.push(
    await job('cold push (empty cache)', repo, mainSha, {
      eventName: 'push',
      event: { before: '0'.repeat(40) },
    }),
  );
  for (let i = 0; i < warmRuns; i++) {
    git(repo, 'checkout', '-q', '-B', `feature-${i}`, mainSha);
    fs.appendFileSync(path.join(repo, changed), `\nexport const benchChange${i} = ${i};\n`);
    git(repo, 'commit', '-q', '-am', `change ${changed}`);
    const head = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '-q', 'main');
    results.push(
      await job(`warm PR, 1 file changed (${changed})`, repo, head, {
        eventName: 'pull_request',
        ref: `refs/pull/${i + 1}/merge`,
        headRef: `feature-${i}`,
        baseRef: 'main',
        event: {
          pull_request: {
            number: i + 1,
            head: { sha: head, ref: `feature-${i}`, repo: { full_name: 'octo-org/octo-repo' } },
            base: { sha: mainSha, ref: 'main', repo: { full_name: 'octo-org/octo-repo' } },
          },
        },
      }),
    );
  }
  print(fileCount, results);
  fs.writeFileSync(
    path.join(benchDir, 'action-bench.json'),
    `${JSON.stringify({ files: fileCount, cpus: os.availableParallelism(), node: process.version, results }, null, 2)}\n`,
  );
} finally {
  await api.stop();
  await cache.stop();
  await azurite.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

async function job(name, repo, sha, ctx) {
  const workspace = fs.mkdtempSync(path.join(tmp, 'ws-'));
  git(tmp, 'clone', '-q', repo, workspace);
  git(workspace, 'checkout', '-q', sha);
  const runner = buildRunnerEnv({
    workspace,
    inputs: { 'github-token': api.token, 'fail-on': 'none' },
    eventName: ctx.eventName,
    event: { repository: { default_branch: 'main', full_name: 'octo-org/octo-repo' }, ...ctx.event },
    repository: 'octo-org/octo-repo',
    sha,
    ref: ctx.ref ?? 'refs/heads/main',
    headRef: ctx.headRef,
    baseRef: ctx.baseRef,
    cache,
    api,
  });
  const before = new Set(cache.entries().map((e) => e.key));
  const t0 = performance.now();
  const warm = ctx.eventName === 'pull_request';
  const nodeArgs = warm && cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const { code, stdout } = await runNode([...nodeArgs, bundle], runner.env, workspace);
  const wallMs = Math.round(performance.now() - t0);
  if (code !== 0) throw new Error(`${name}: exit ${code}\n${stdout.slice(-4000)}`);
  const timings = JSON.parse(/codebatch timings (\{.*\})/.exec(stdout)?.[1] ?? '{}');
  const work = /batch \S+: (\d+) files, (\d+) file tasks executed, (\d+) reused/.exec(stdout);
  const entry = cache.entries().find((e) => e.finalized && !before.has(e.key));
  const outputs = runner.readOutputs();
  if (warm && keepStoreDir) {
    fs.rmSync(keepStoreDir, { recursive: true, force: true });
    fs.cpSync(path.join(workspace, '.codebatch'), keepStoreDir, { recursive: true });
  }
  runner.cleanup();
  fs.rmSync(workspace, { recursive: true, force: true });
  return {
    name,
    wall_ms: wallMs,
    phases_ms: timings,
    files: Number(work?.[1]),
    file_tasks_executed: Number(work?.[2]),
    file_tasks_reused: Number(work?.[3]),
    new_diagnostics: Number(outputs['new-diagnostics']),
    cache_hit: outputs['cache-hit'] || null,
    cache_entry_bytes: entry?.sizeBytes ?? null,
  };
}

function runNode(args, env, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

function print(fileCount, rows) {
  const phases = ['restore', 'snapshot', 'run', 'compare', 'annotate', 'sarif', 'prune', 'save'];
  const s = (ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)}s`);
  console.log(
    `\naction bench: ${fileCount} files, ${os.availableParallelism()} cpus, node ${process.version}\n`,
  );
  // other: wall time outside the timed phases (process start, bundle load, inputs, finding the
  // base batch, the job summary).
  console.log(['run', 'wall', ...phases, 'other', 'executed', 'reused', 'new', 'entry'].join('\t'));
  for (const r of rows) {
    console.log(
      [
        r.name,
        s(r.wall_ms),
        ...phases.map((p) => s(r.phases_ms[p])),
        s(r.wall_ms - timedMs(r.phases_ms)),
        r.file_tasks_executed,
        r.file_tasks_reused,
        r.new_diagnostics,
        r.cache_entry_bytes === null ? '-' : `${(r.cache_entry_bytes / 1024 / 1024).toFixed(1)} MiB`,
      ].join('\t'),
    );
  }
}

/** The phases' total; `analyze` is `snapshot` + `run` when both are logged. */
function timedMs(phases) {
  const split = phases.snapshot !== undefined && phases.run !== undefined;
  return Object.entries(phases).reduce((sum, [name, ms]) => sum + (split && name === 'analyze' ? 0 : ms), 0);
}
