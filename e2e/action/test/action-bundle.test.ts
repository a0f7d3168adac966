import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAction } from '../support/action';
import { type Azurite, startAzurite } from '../support/azurite';
import { type CacheService, startCacheService } from '../support/cache-service';
import { type GitHubApi, startGitHubApi } from '../support/github-api';
import { buildRunnerEnv, createGitRepo, type GitRepo } from '../support/runner-env';

// The project's testTimeout does not apply when jest runs every project from the root (it is a
// global option): the action runs below take seconds each, more on a busy machine.
jest.setTimeout(120_000);

/**
 * The real bundle with the runner's environment: input validation, masking, and the cache
 * restore that precedes the first engine call.
 */
let azurite: Azurite;
let cache: CacheService;
let api: GitHubApi;
let repo: GitRepo;

beforeAll(async () => {
  azurite = await startAzurite();
  cache = await startCacheService({ azurite });
  api = await startGitHubApi();
  repo = createGitRepo({ 'src/a.ts': 'export const a = 1;\n', 'codebatch.json': '{}' });
});
afterAll(async () => {
  repo?.cleanup();
  await api?.stop();
  await cache?.stop();
  await azurite?.stop();
});
afterEach(() => api.assertClean());

function runner(inputs: Record<string, string>) {
  return buildRunnerEnv({
    workspace: repo.dir,
    inputs: { 'github-token': api.token, ...inputs },
    sha: repo.git('rev-parse', 'HEAD'),
    event: { repository: { default_branch: 'main' } },
    cache,
    api,
  });
}

test.each([
  [{ mode: 'rerun' }, 'mode: must be one of run | merge, got "rerun"'],
  [{ 'shard-index': '2', 'shard-total': '2' }, 'shard-index: must be less than shard-total (2)'],
  [{ mode: 'merge' }, 'shard-total: mode: merge needs shard-total'],
  [{ 'config-file': 'missing.json' }, 'config-file: missing.json does not exist in the workspace'],
])('bad input %j fails fast with a clear message', async (inputs, message) => {
  const env = runner(inputs);
  const result = await runAction(env);
  env.cleanup();
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(`::error::Invalid input: ${message}`);
  expect(cache.calls).toHaveLength(0);
  expect(result.durationMs).toBeLessThan(10000);
});

test('a malformed config file fails fast', async () => {
  fs.writeFileSync(path.join(repo.dir, 'broken.json'), '{ "pipeline": ');
  const env = runner({ 'config-file': 'broken.json' });
  const result = await runAction(env);
  env.cleanup();
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/::error::Invalid input: config-file: broken\.json is not valid JSON/);
});

test('the token is masked and never printed', async () => {
  const env = runner({});
  const result = await runAction(env);
  env.cleanup();
  expect(result.stdout).toContain(`::add-mask::${api.token}`);
  const withoutMask = result.stdout.replace(`::add-mask::${api.token}`, '');
  expect(withoutMask + result.stderr).not.toContain(api.token);
});

test('restores with the computed keys, then runs to completion', async () => {
  const env = runner({ 'save-cache': 'false' });
  const result = await runAction(env);
  env.cleanup();
  expect(result.stdout).toMatch(/primary key: codebatch-v1-Linux-cfg=[0-9a-f]{12}-ref=main-sha=[0-9a-f]{40}/);
  const lookup = cache.calls.find((c) => c.rpc === 'GetCacheEntryDownloadURL');
  expect(lookup?.body).toMatchObject({
    restore_keys: [expect.stringMatching(/-ref=main-sha=$/), 'codebatch-v1-Linux-'],
  });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/batch \S+: \d+ files/);
});

// The scenarios are in action-scenarios.test.ts.

/**
 * The bundle's worker threads (dist/shard-worker.js, an ES module) start and take shard chains:
 * a worker that fails to start leaves its chains to the main thread, so only a probe tells.
 */
// The Action runs as many threads as the runner has cores: a 1-core machine starts none.
const multiCore = (os.availableParallelism?.() ?? os.cpus().length) > 1 ? test : test.skip;

multiCore('a tree of a few thousand files runs its chains on the bundle’s worker threads', async () => {
  const files: Record<string, string> = { 'codebatch.json': '{ "pipeline": "lint" }' };
  for (let i = 0; i < 2100; i += 1)
    files[`gen/d${i % 21}/m${i}.ts`] = `export const m${i} = ${i}; // TODO ${i}\n`;
  const big = createGitRepo(files);
  const probe = path.join(big.dir, '..', `${path.basename(big.dir)}-probe.cjs`);
  const out = `${probe}.json`;
  fs.writeFileSync(
    probe,
    `const wt = require('node:worker_threads');
const fs = require('node:fs');
if (wt.isMainThread) {
  const counts = { constructed: 0, started: 0, chains: 0 };
  const Worker = wt.Worker;
  wt.Worker = class extends Worker {
    constructor(...args) {
      super(...args);
      counts.constructed += 1;
      this.on('message', (m) => {
        if (m && m.type === 'started') counts.started += 1;
        if (m && m.type === 'chain') counts.chains += 1;
      });

    }
  };
  // The bundle imports Worker as an ES module binding: let it see the patched class.
  require('node:module').syncBuiltinESMExports();
  process.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify(counts)));
}
`,
  );
  const env = buildRunnerEnv({
    workspace: big.dir,
    inputs: { 'github-token': api.token, 'save-cache': 'false', 'config-file': 'codebatch.json' },
    sha: big.git('rev-parse', 'HEAD'),
    event: { repository: { default_branch: 'main' } },
    cache,
    api,
  });
  try {
    const result = await runAction({ ...env, env: { ...env.env, NODE_OPTIONS: `--require ${probe}` } });
    expect(result.code).toBe(0);
    const counts = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      constructed: number;
      started: number;
      chains: number;
    };
    expect(counts.constructed).toBeGreaterThan(0);
    expect(counts.started).toBe(counts.constructed);
    expect(counts.chains).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/batch \S+: 2101 files/);
  } finally {
    env.cleanup();
    big.cleanup();
    fs.rmSync(probe, { force: true });
    fs.rmSync(out, { force: true });
  }
});
