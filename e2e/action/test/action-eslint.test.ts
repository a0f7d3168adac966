import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAction } from '../support/action';
import { type Azurite, startAzurite } from '../support/azurite';
import { type CacheService, startCacheService } from '../support/cache-service';
import { type GitHubApi, startGitHubApi } from '../support/github-api';
import type { RunResult } from '../support/processes';
import { buildRunnerEnv, createGitRepo, type GitRepo } from '../support/runner-env';

/**
 * The repository's own ESLint through the action: a repository with an eslint.config.mjs
 * (@eslint/js recommended), its ESLint "installed" in each job's checkout as `npm ci` would (a
 * link to this repository's node_modules), the `lint` pipeline. A push annotates the ESLint
 * error and writes SARIF with the rule's help URI; a pull request annotates only the ESLint
 * finding it adds.
 */
// testTimeout in e2e/action/jest.config.cjs is not applied under the root multi-project config.
jest.setTimeout(180_000);

const REPOSITORY = 'octo-org/eslint-repo';
const REPO_ROOT = path.resolve(__dirname, '../../..');
const FILES: Record<string, string> = {
  'eslint.config.mjs': "import js from '@eslint/js';\n\nexport default [js.configs.recommended];\n",
  'src/app.js': 'const unused = 1;\nexport const used = 2;\n',
  'src/ok.js': 'export const ok = 1;\n',
  '.gitignore': '.codebatch/\nnode_modules/\n',
};

let azurite: Azurite;
let cache: CacheService;
let api: GitHubApi;
let repo: GitRepo;
let mainSha: string;
const jobDirs: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  cache = await startCacheService({ azurite });
  api = await startGitHubApi();
  repo = createGitRepo(FILES);
  mainSha = repo.git('rev-parse', 'HEAD');
});
afterAll(async () => {
  for (const dir of jobDirs) fs.rmSync(dir, { recursive: true, force: true });
  repo?.cleanup();
  await api?.stop();
  await cache?.stop();
  await azurite?.stop();
});
afterEach(() => api.assertClean());

interface Job {
  result: RunResult;
  outputs: Record<string, string>;
  workspace: string;
  /** The SARIF file the `sarif-file` output names (under RUNNER_TEMP), read before the job's temp dir goes. */
  sarif?: {
    runs: {
      results: { ruleId: string }[];
      tool: { driver: { rules: { id: string; helpUri?: string }[] } };
    }[];
  };
  sarifUnderRunnerTemp: boolean;
}

/** A checkout at `sha` with ESLint installed (linked), then the bundle with the `lint` pipeline. */
async function job(options: { sha: string; pullRequest?: { number: number; ref: string } }): Promise<Job> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-eslint-job-'));
  jobDirs.push(workspace);
  const gitEnv = { PATH: process.env.PATH, HOME: workspace };
  execFileSync('git', ['clone', '-q', repo.dir, workspace], { env: gitEnv });
  execFileSync('git', ['checkout', '-q', options.sha], { cwd: workspace, env: gitEnv });
  for (const pkg of ['eslint', '@eslint/js']) {
    const link = path.join(workspace, 'node_modules', pkg);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', pkg), link, 'dir');
  }
  const pr = options.pullRequest;
  const env = buildRunnerEnv({
    workspace,
    inputs: { 'github-token': api.token, pipeline: 'lint' },
    eventName: pr ? 'pull_request' : 'push',
    event: {
      repository: { default_branch: 'main', full_name: REPOSITORY },
      ...(pr
        ? {
            number: pr.number,
            pull_request: {
              number: pr.number,
              head: { sha: options.sha, ref: pr.ref, repo: { full_name: REPOSITORY } },
              base: { sha: mainSha, ref: 'main', repo: { full_name: REPOSITORY } },
            },
          }
        : { before: '0'.repeat(40) }),
    },
    repository: REPOSITORY,
    sha: options.sha,
    ref: pr ? `refs/pull/${pr.number}/merge` : 'refs/heads/main',
    headRef: pr?.ref,
    baseRef: pr ? 'main' : undefined,
    cache,
    api,
  });
  try {
    const result = await runAction(env, { timeoutMs: 180_000 });
    const outputs = env.readOutputs();
    const sarifFile = outputs['sarif-file'];
    return {
      result,
      outputs,
      workspace,
      sarif:
        sarifFile && fs.existsSync(sarifFile) ? JSON.parse(fs.readFileSync(sarifFile, 'utf8')) : undefined,
      sarifUnderRunnerTemp: sarifFile === path.join(env.runnerTemp, 'codebatch.sarif'),
    };
  } finally {
    env.cleanup();
  }
}

function expectExit(j: Job, code: number): void {
  if (j.result.code !== code)
    throw new Error(
      `expected exit ${code}, got ${j.result.code}\n--- stdout\n${j.result.stdout}\n--- stderr\n${j.result.stderr}`,
    );
}

const NO_UNUSED_VARS_DOCS = /^https:\/\/eslint\.org\/docs\/.*no-unused-vars$/;

test('push: the ESLint error is annotated with its rule and docs, fails the step, and SARIF links the rule', async () => {
  const j = await job({ sha: mainSha });
  expectExit(j, 1);
  expect(j.result.stdout).toContain('::error::codebatch: new problems at or above fail-on: error');
  expect(j.outputs.errors).toBe('1');
  const runs = [...api.checkRuns.values()];
  expect(runs).toHaveLength(1);
  // codebatch's own L102 (a warning) flags the same variable; ESLint's finding is the error.
  expect(runs[0]!.annotations.map((a) => a.title)).toEqual(['no-unused-vars (05_eslint)', 'L102 (04_lint)']);
  expect(runs[0]!.annotations[0]).toEqual(
    expect.objectContaining({
      path: 'src/app.js',
      start_line: 1,
      start_column: 7,
      annotation_level: 'failure',
      title: 'no-unused-vars (05_eslint)',
      message: "'unused' is assigned a value but never used.",
      raw_details: expect.stringMatching(/^no-unused-vars: https:\/\/eslint\.org\/docs\//),
    }),
  );
  expect(j.sarifUnderRunnerTemp).toBe(true);
  expect(fs.existsSync(path.join(j.workspace, 'codebatch.sarif'))).toBe(false);
  const run = j.sarif!.runs[0]!;
  expect(run.results.map((r) => r.ruleId).sort()).toEqual(['L102', 'no-unused-vars']);
  expect(run.tool.driver.rules.find((r) => r.id === 'no-unused-vars')!.helpUri).toMatch(NO_UNUSED_VARS_DOCS);
});

test('pull request: only the ESLint finding it adds is annotated and counts for fail-on', async () => {
  repo.git('checkout', '-q', '-B', 'feature', mainSha);
  const head = repo.commit({ 'src/ok.js': 'export const ok = missing + 1;\n' }, 'use an undefined name');
  repo.git('checkout', '-q', 'main');
  api.checkRuns.clear();
  const j = await job({ sha: head, pullRequest: { number: 3, ref: 'feature' } });
  expectExit(j, 1);
  expect(j.result.stdout).toContain(`of the base commit ${mainSha}: 1 new diagnostics`);
  expect(j.outputs['new-diagnostics']).toBe('1');
  // Both errors are in the batch; the pre-existing no-unused-vars is not annotated again.
  expect(j.outputs.errors).toBe('2');
  const runs = [...api.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs[0]!.head_sha).toBe(head);
  expect(runs[0]!.annotations).toEqual([
    expect.objectContaining({
      path: 'src/ok.js',
      start_line: 1,
      title: 'no-undef (05_eslint)',
      message: "'missing' is not defined.",
    }),
  ]);
});
