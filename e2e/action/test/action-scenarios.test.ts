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
 * The scenarios, end to end: the committed bundle (`node dist/index.js`) with a runner's
 * environment, in a fresh clone of a throwaway git repository per job (as actions/checkout
 * gives), against the real @actions/cache client (cache stand-in + azurite) and the
 * OpenAPI-validating GitHub API. The tests run in order and share the cache: the push job's
 * entry is what the pull requests restore.
 */
// testTimeout in e2e/action/jest.config.cjs is not applied under the root multi-project config.
jest.setTimeout(180_000);

const REPOSITORY = 'octo-org/octo-repo';
const FILES: Record<string, string> = {
  'src/a.ts': 'export const a = 1;\n',
  'src/b.ts': 'export function b(x: number): number {\n  return x + 1;\n}\n',
  'src/c.ts': "import { a } from './a';\nexport const c = a + 2;\n",
  'src/d.js': 'export function helper(x) {\n  // TODO: validate x\n  return x + 1;\n}\n',
  'py/m.py': 'import os\n\n\ndef f(a):\n    return os.path.join(a)\n',
  'py/n.py': 'def g():\n    return 2\n',
  'README.md': '# fixture\n',
  // Only the store is ignored: anything else the action wrote into the checkout would show.
  '.gitignore': '.codebatch/\n',
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
afterEach(() => {
  api.denyCheckRunWrites(false);
  api.assertClean();
});

interface Job {
  result: RunResult;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  /** The runner's RUNNER_TEMP (removed when the job ends, like a runner's). */
  runnerTemp: string;
  /** The SARIF file the `sarif-file` output names, read before RUNNER_TEMP is removed. */
  sarif?: { version: string; runs: { results: unknown[] }[] };
  /** `git status --porcelain --ignored` of the checkout after the job, the store left out. */
  written: string[];
  /** From the log line `batch <id>: N files, E file tasks executed, R reused`. */
  executed: number;
  reused: number;
}

/** A job: a fresh clone at `sha`, the runner's environment, the bundle. */
async function job(options: {
  sha: string;
  eventName?: 'push' | 'pull_request';
  event?: Record<string, unknown>;
  inputs?: Record<string, string>;
  ref?: string;
  headRef?: string;
  baseRef?: string;
}): Promise<Job> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-job-'));
  jobDirs.push(workspace);
  execFileSync('git', ['clone', '-q', repo.dir, workspace], {
    env: { PATH: process.env.PATH, HOME: workspace },
  });
  execFileSync('git', ['checkout', '-q', options.sha], {
    cwd: workspace,
    env: { PATH: process.env.PATH, HOME: workspace },
  });
  const env = buildRunnerEnv({
    workspace,
    inputs: { 'github-token': api.token, ...options.inputs },
    eventName: options.eventName ?? 'push',
    event: { repository: { default_branch: 'main', full_name: REPOSITORY }, ...options.event },
    repository: REPOSITORY,
    sha: options.sha,
    ref: options.ref ?? 'refs/heads/main',
    headRef: options.headRef,
    baseRef: options.baseRef,
    cache,
    api,
  });
  try {
    const result = await runAction(env, { timeoutMs: 180_000 });
    const counts = /batch \S+: \d+ files, (\d+) file tasks executed, (\d+) reused/.exec(result.stdout);
    const outputs = env.readOutputs();
    const sarifFile = outputs['sarif-file'];
    const written = execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all'], {
      cwd: workspace,
      env: { PATH: process.env.PATH, HOME: workspace },
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => line !== '' && !line.slice(3).startsWith('.codebatch/'));
    return {
      result,
      outputs,
      summary: env.readSummary(),
      workspace,
      runnerTemp: env.runnerTemp,
      sarif:
        sarifFile && fs.existsSync(sarifFile) ? JSON.parse(fs.readFileSync(sarifFile, 'utf8')) : undefined,
      written,
      executed: counts ? Number(counts[1]) : Number.NaN,
      reused: counts ? Number(counts[2]) : Number.NaN,
    };
  } finally {
    env.cleanup();
  }
}

function pullRequestEvent(
  number: number,
  head: { sha: string; ref: string; repo?: string },
  base = { sha: mainSha, ref: 'main' },
) {
  return {
    eventName: 'pull_request' as const,
    sha: head.sha,
    ref: `refs/pull/${number}/merge`,
    headRef: head.ref,
    baseRef: base.ref,
    event: {
      number,
      pull_request: {
        number,
        head: { sha: head.sha, ref: head.ref, repo: { full_name: head.repo ?? REPOSITORY } },
        base: { sha: base.sha, ref: base.ref, repo: { full_name: REPOSITORY } },
      },
    },
  };
}

/** A commit on `branch` (created from main's first commit), leaving the repository on main. */
function commitOnBranch(branch: string, files: Record<string, string | null>): string {
  repo.git('checkout', '-q', '-B', branch, mainSha);
  const sha = repo.commit(files, `change on ${branch}`);
  repo.git('checkout', '-q', 'main');
  return sha;
}

function tasksInPlan(workspace: string, batchId: string): number {
  const plan = JSON.parse(
    fs.readFileSync(path.join(workspace, '.codebatch/batches', batchId, 'plan.json'), 'utf8'),
  );
  return plan.tasks.length;
}

/** The exit code, with the job's log in the failure message when it differs. */
function expectExit(j: Job, code: number): void {
  if (j.result.code !== code)
    throw new Error(
      `expected exit ${code}, got ${j.result.code}\n--- stdout\n${j.result.stdout}\n--- stderr\n${j.result.stderr}`,
    );
}

const keyPrefix = (ref: string) => new RegExp(`^codebatch-v1-Linux-cfg=[0-9a-f]{12}-ref=${ref}-sha=`);

test('push to the default branch: cold run, store saved under the primary key', async () => {
  const j = await job({ sha: mainSha, event: { before: '0'.repeat(40) } });
  expectExit(j, 0);
  expect(j.result.stdout).toContain('no cache entry matched: cold run');
  expect(j.outputs['cache-hit']).toBe('');
  expect(j.outputs['batch-id']).toMatch(/^b\d{8}T\d{6}Z-[0-9a-f]{6}$/);
  // Cold: every (task, file) pair executed.
  expect(j.executed).toBeGreaterThan(0);
  expect(j.reused).toBe(0);
  const saved = cache.entries().filter((e) => e.finalized);
  expect(saved.map((e) => e.key)).toEqual([
    expect.stringMatching(new RegExp(`${keyPrefix('main').source}${mainSha}$`)),
  ]);
  expect(saved[0]!.sizeBytes).toBeGreaterThan(0);
  // SARIF (under RUNNER_TEMP: the checkout gains nothing but the store) and summary.
  expect(j.outputs['sarif-file']).toBe(path.join(j.runnerTemp, 'codebatch.sarif'));
  expect(j.written).toEqual([]);
  const sarif = j.sarif!;
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.runs[0]!.results.length).toBe(
    Number(j.outputs.warnings) + Number(j.outputs.infos) + Number(j.outputs.errors) + Number(j.outputs.hints),
  );
  expect(j.summary).toContain('codebatch: full');
  // A push with no base: every diagnostic is new, and they go on the pushed commit.
  const runs = [...api.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs[0]!.head_sha).toBe(mainSha);
  expect(runs[0]!.annotations.length).toBe(Number(j.outputs['new-diagnostics']));
  expect(j.result.stdout).toMatch(/codebatch timings \{.*"restore".*"analyze".*"save".*\}/);
});

test('pull request changing one file: warm restore from the base branch entry, one file executed, only the new diagnostic annotated on the head sha', async () => {
  // One new warning: an unused import in a file that had none.
  const head = commitOnBranch('feature', {
    'src/b.ts': "import { a } from './a';\nexport function b(x: number): number {\n  return x + 1;\n}\n",
  });
  api.checkRuns.clear();
  const j = await job({ ...pullRequestEvent(7, { sha: head, ref: 'feature' }) });
  expectExit(j, 0);
  // Restored from main's entry (no entry of this branch yet).
  expect(j.outputs['cache-hit']).toMatch(new RegExp(`${keyPrefix('main').source}${mainSha}$`));
  // "One file executed": taskFiles.executed counts (task, file) pairs, so the one changed file
  // accounts for one execution per task of the pipeline (parse, analyze, symbols, lint for a
  // .ts file) and every other pair comes from the per-file memo or a reused shard.
  const tasks = tasksInPlan(j.workspace, j.outputs['batch-id']!);
  expect(tasks).toBe(4);
  expect(j.executed).toBe(tasks);
  expect(j.reused).toBeGreaterThan(0);
  expect(j.result.stdout).toContain(`of the base commit ${mainSha}: 1 new diagnostics`);
  expect(j.outputs['new-diagnostics']).toBe('1');
  const runs = [...api.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs[0]!.head_sha).toBe(head);
  expect(runs[0]!.annotations).toEqual([
    expect.objectContaining({
      path: 'src/b.ts',
      start_line: 1,
      annotation_level: 'warning',
      message: expect.stringContaining('a'),
    }),
  ]);
  expect(runs[0]!.annotations[0]!.title).toContain('L101');
  // Main's batch (the base) and this one: under the batch limit, nothing to collect, no sweep.
  expect(j.result.stdout).toMatch(/pruned nothing: \d+ batches or fewer/);
  expect(cache.entries().some((e) => e.finalized && e.key.endsWith(`ref=feature-sha=${head}`))).toBe(true);
});

test('pull request with more than 50 new diagnostics: one create and several PATCH requests, each valid', async () => {
  const lines = Array.from({ length: 120 }, (_, i) => `export const v${i} = ${i};   `).join('\n');
  const head = commitOnBranch('many', { 'src/many.ts': `${lines}\n` });
  api.checkRuns.clear();
  const before = api.requests.length;
  const j = await job({ ...pullRequestEvent(8, { sha: head, ref: 'many' }) });
  expectExit(j, 0);
  const added = Number(j.outputs['new-diagnostics']);
  expect(added).toBeGreaterThanOrEqual(120);
  const requests = api.requests.slice(before);
  const creates = requests.filter((r) => r.method === 'POST');
  const patches = requests.filter((r) => r.method === 'PATCH');
  expect(creates).toHaveLength(1);
  expect(patches).toHaveLength(Math.ceil(added / 50) - 1);
  for (const r of [...creates, ...patches]) {
    expect(r.status).toBeLessThan(300);
    expect((r.body as { output: { annotations: unknown[] } }).output.annotations.length).toBeLessThanOrEqual(
      50,
    );
  }
  const runs = [...api.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs[0]!.annotations).toHaveLength(added);
  expect(runs[0]!.head_sha).toBe(head);
  // Only the one new file ran (one execution per task).
  expect(j.executed).toBe(tasksInPlan(j.workspace, j.outputs['batch-id']!));
});

test('fork pull request: check-run creation answers 403, annotations fall back to workflow commands with the 10-per-level note; fail-on decides the outcome', async () => {
  const trailing = Array.from({ length: 12 }, (_, i) => `export const w${i} = ${i}; `).join('\n');
  const head = commitOnBranch('fork-change', {
    'src/w.ts': `${trailing}\n`,
    'src/broken.ts': 'export const broken = (;\n',
  });
  api.denyCheckRunWrites(true);
  api.checkRuns.clear();
  const pr = pullRequestEvent(9, { sha: head, ref: 'fork-change', repo: 'someone/octo-repo' });
  const failing = await job({ ...pr });
  expectExit(failing, 1);
  expect(failing.result.stdout).toContain('using workflow commands');
  expect(failing.result.stdout).toMatch(/::error title=E\d+ \(01_parse\),file=src\/broken\.ts,line=1,/);
  expect(failing.result.stdout).toMatch(/::warning title=L001 \(04_lint\),file=src\/w\.ts,line=\d+/);
  expect(failing.result.stdout).toContain(
    'GitHub shows only 10 workflow-command annotations per level per step',
  );
  expect(failing.result.stdout).toContain('::error::codebatch: new problems at or above fail-on: error');
  expect(api.checkRuns.size).toBe(0);
  expect(api.requests.at(-1)).toMatchObject({ method: 'POST', status: 403 });

  const passing = await job({ ...pr, inputs: { 'fail-on': 'none' } });
  expectExit(passing, 0);
  expect(passing.result.stdout).toMatch(/::error title=E\d+ \(01_parse\),file=src\/broken\.ts,line=1,/);
  expect(passing.result.stdout).not.toContain('fail-on');
});

test('2-slice matrix and a merge job: one cache entry per slice, merge restores both and annotates once', async () => {
  const head = repo.commit(
    { 'src/e.ts': "import fs from 'node:fs';\nexport const e = 5;\n" },
    'push for the matrix',
  );
  const push = { sha: head, event: { before: mainSha } };
  const slices: Job[] = [];
  for (const index of [0, 1]) {
    slices.push(
      await job({
        ...push,
        inputs: { 'shard-index': String(index), 'shard-total': '2', annotate: 'none', 'fail-on': 'none' },
      }),
    );
  }
  for (const [index, s] of slices.entries()) {
    expectExit(s, 0);
    expect(s.outputs['batch-id']).toBe(slices[0]!.outputs['batch-id']);
    expect(s.summary).toContain(`slice ${index + 1} of 2`);
    expect(cache.entries().some((e) => e.finalized && e.key.endsWith(`sha=${head}-slice=${index}of2`))).toBe(
      true,
    );
  }
  expect(slices[0]!.outputs['batch-id']).toMatch(/^gh-[0-9a-f]{12}-[0-9a-f]{12}-of2$/);
  api.checkRuns.clear();
  const merge = await job({ ...push, inputs: { mode: 'merge', 'shard-total': '2' } });
  expectExit(merge, 0);
  expect(merge.result.stdout).toContain(`merged 2 slices into batch ${slices[0]!.outputs['batch-id']}`);
  expect(merge.outputs['batch-id']).toBe(slices[0]!.outputs['batch-id']);
  // Compared with the base commit's batch (main's, in the slices' restored stores): one new diagnostic.
  expect(merge.outputs['new-diagnostics']).toBe('1');
  const runs = [...api.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs[0]!.head_sha).toBe(head);
  expect(runs[0]!.annotations).toEqual([expect.objectContaining({ path: 'src/e.ts' })]);
  expect(cache.entries().some((e) => e.finalized && e.key.endsWith(`sha=${head}`))).toBe(true);

  // The merged batch reports what a single job over the whole tree reports.
  api.checkRuns.clear();
  const single = await job({ ...push, inputs: { 'save-cache': 'false', annotate: 'none' } });
  for (const key of ['errors', 'warnings', 'infos', 'hints', 'new-diagnostics'])
    expect(`${key}=${merge.outputs[key]}`).toBe(`${key}=${single.outputs[key]}`);
  expect(merge.sarif!.runs[0]!.results).toEqual(single.sarif!.runs[0]!.results);
  expect(merge.written).toEqual([]);
});

test.each(['garbage', 'down'] as const)(
  'cache service %s: a warning, a cold run, the job completes',
  async (mode) => {
    const head = repo.commit({ [`src/${mode}.ts`]: `export const ${mode} = 1;\n` }, `push ${mode}`);
    await cache.setMode(mode);
    try {
      api.checkRuns.clear();
      const j = await job({ sha: head, event: { before: mainSha } });
      expectExit(j, 0);
      expect(j.outputs['cache-hit']).toBe('');
      expect(j.result.stdout).toMatch(/::warning::/);
      expect(j.reused).toBe(0);
      expect(j.executed).toBeGreaterThan(0);
      expect(j.outputs['batch-id']).toBeTruthy();
      expect(j.sarif?.version).toBe('2.1.0');
      expect(api.checkRuns.size).toBe(1);
      expect(cache.entries().some((e) => e.finalized && e.key.endsWith(`sha=${head}`))).toBe(false);
    } finally {
      await cache.setMode('ok');
    }
  },
);
