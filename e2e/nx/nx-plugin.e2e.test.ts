/**
 * e2e of @codebatch/nx: one fresh Nx workspace in a temp dir (written by hand, not by
 * create-nx-workspace), @codebatch/core and @codebatch/nx installed from `npm pack` tarballs,
 * nx from the npm cache. Needs both packages built (`npm test` builds first).
 *
 * Two projects with seeded issues (app depends on lib), the real nx CLI, the real engine:
 * failing and passing runs with exit codes, --max-warnings and --output-format, cache hits that
 * restore reports and replay output, one edited file re-executing only that file, affected,
 * parallel and batch runs on one store (verify stays clean), `nx add` on a workspace without
 * the plugin, and the workspace's own ESLint (eslint.config.mjs at the root, @eslint/js from
 * the npm cache) run by codebatch-lint, which Nx runs again when a file that config imports or a
 * project it depends on changes. One install for the whole file; the tests run in
 * order on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createWorkspace, type RunResult, repoVersion, type Workspace } from './support/workspace';

const LINT_REPORT = (root: string) => `reports/codebatch/${root}/codebatch-lint/report.json`;

interface Report {
  success: boolean;
  batchId: string;
  files: number;
  counts: { error: number; warning: number; info: number; hint: number };
  taskFiles: { executed: number; reused: number };
  diagnostics: { path: string; line: number; code: string; severity: string; task_id: string }[];
}

interface Sarif {
  runs: { tool: { driver: { rules?: { id: string; helpUri?: string }[] } }; results: { ruleId: string }[] }[];
}

/** Which of `projects` Nx ran for real vs replayed from its cache, from static output. */
function cacheStatus(result: RunResult, project: string): 'cache' | 'ran' | 'absent' {
  const line = result.output.split('\n').find((l) => l.includes(`nx run ${project}:codebatch-lint`));
  if (!line) return 'absent';
  return /\[(local cache|existing outputs match the cache, left as is)\]/.test(line) ? 'cache' : 'ran';
}

function expectExit(result: RunResult, code: number): void {
  if (result.code !== code) throw new Error(`expected exit ${code}, got ${result.code}:\n${result.output}`);
}

// testTimeout in e2e/nx/jest.config.js is not applied under the root multi-project config.
jest.setTimeout(600_000);

describe('@codebatch/nx in a fresh Nx workspace', () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await createWorkspace(
      {
        'nx.json': {
          $schema: './node_modules/nx/schemas/nx-schema.json',
          analytics: false,
          neverConnectToCloud: true,
          plugins: ['@codebatch/nx'],
        },
        '.gitignore': 'node_modules\n.nx\n/.codebatch/\n/reports/codebatch/\n',
        // Unused imports are errors here, so the seeded one fails the target.
        'codebatch.config.json': {
          pipeline: 'lint',
          exclude: [],
          tasks: { lint: { rules: { L101: 'error' } } },
        },
        'apps/app/project.json': { name: 'app', implicitDependencies: ['lib'] },
        'apps/app/src/main.ts':
          "import { readFileSync } from 'node:fs';\nimport { greet } from '../../../libs/lib/src/index';\n\nexport const message = greet('app');   \n",
        'apps/app/src/other.ts': 'export const other = 1;\n',
        'libs/lib/project.json': { name: 'lib' },
        // A seeded warning (trailing whitespace): lib passes unless --max-warnings=0.
        'libs/lib/src/index.ts':
          'export function greet(name: string): string {\n  return "hello " + name; \n}\n',
        'libs/lib/src/extra.ts': 'export const extra = 2;\n',
        'libs/lib/src/more.ts': 'export const more = 3;\n',
        // Installed from the start (the versions this repository has, so from the npm cache);
        // the ESLint config that puts them to use comes with the last tests.
      },
      { devDependencies: { eslint: repoVersion('eslint'), '@eslint/js': repoVersion('@eslint/js') } },
    );
  });
  afterAll(() => ws?.cleanup());

  it('infers codebatch-lint for every project, with metadata, caching and engine inputs', async () => {
    const show = await ws.nx(['show', 'project', 'app', '--json']);
    expectExit(show, 0);
    const target = JSON.parse(show.stdout).targets['codebatch-lint'];
    expect(target).toMatchObject({
      executor: '@codebatch/nx:lint',
      cache: true,
      outputs: ['{options.reportDir}'],
      metadata: { technologies: ['codebatch'], description: expect.any(String) },
    });
    expect(target.inputs).toEqual(
      expect.arrayContaining([
        '{projectRoot}/**/*',
        '{workspaceRoot}/codebatch.config.json',
        { externalDependencies: ['@codebatch/core', '@codebatch/nx'] },
      ]),
    );
    const projects = await ws.nx(['show', 'projects', '--with-target', 'codebatch-lint', '--json']);
    expect(JSON.parse(projects.stdout).sort()).toEqual(['app', 'lib']);
  });

  it('fails app with its diagnostics and a non-zero exit code, and writes the reports', async () => {
    const r = await ws.nx(['run', 'app:codebatch-lint', '--output-style=static']);
    expectExit(r, 1);
    expect(r.output).toMatch(/apps\/app\/src\/main\.ts:1:\d+ +error +.* L101/);
    expect(r.output).toMatch(/apps\/app\/src\/main\.ts:4:\d+ +warning +.* L001/);
    // project.json is one of the project's files, as it is for Nx.
    expect(r.output).toMatch(/3 files: 6 executed, 0 reused; 1 error, 1 warning in /);
    expect(r.output).toContain('app:codebatch-lint failed: 1 error');
    const report = ws.readJson<Report>(LINT_REPORT('apps/app'));
    expect(report).toMatchObject({ success: false, files: 3, counts: { error: 1, warning: 1 } });
    expect(
      fs
        .readFileSync(path.join(ws.root, 'reports/codebatch/apps/app/codebatch-lint/batch-id'), 'utf8')
        .trim(),
    ).toBe(report.batchId);
    expect(
      ws.readJson<{ version: string }>('reports/codebatch/apps/app/codebatch-lint/report.sarif').version,
    ).toBe('2.1.0');
  });

  it('passes lib, and a second run is a cache hit that restores the report and replays the output', async () => {
    const first = await ws.nx(['run', 'lib:codebatch-lint', '--output-style=static']);
    expectExit(first, 0);
    expect(first.output).toMatch(/libs\/lib\/src\/index\.ts:2:\d+ +warning +trailing whitespace +L001/);
    const summary = first.output.match(/^4 files: .*; 0 errors, 1 warning in .*$/m)?.[0];
    expect(summary).toBeDefined();
    fs.rmSync(path.join(ws.root, 'reports/codebatch/libs/lib'), { recursive: true });

    const second = await ws.nx(['run', 'lib:codebatch-lint', '--output-style=static']);
    expectExit(second, 0);
    expect(second.output).toMatch(/read the output from the cache/);
    expect(second.output).toContain(summary!);
    expect(ws.readJson<Report>(LINT_REPORT('libs/lib')).success).toBe(true);
  });

  it('fails on more warnings than --max-warnings, and prints JSON or SARIF on request', async () => {
    const strict = await ws.nx(['run', 'lib:codebatch-lint', '--max-warnings=0', '--output-style=static']);
    expectExit(strict, 1);
    expect(strict.output).toContain('lib:codebatch-lint failed: 1 warning (more than --max-warnings=0)');

    const json = await ws.nx(['run', 'lib:codebatch-lint', '--output-format=json', '--output-style=static']);
    expectExit(json, 0);
    const report = JSON.parse(json.stdout.slice(json.stdout.indexOf('{'), json.stdout.lastIndexOf('}') + 1));
    expect(report).toMatchObject({ project: 'lib', success: true, counts: { warning: 1 } });

    const sarif = await ws.nx([
      'run',
      'lib:codebatch-lint',
      '--output-format=sarif',
      '--output-style=static',
    ]);
    expectExit(sarif, 0);
    expect(sarif.stdout).toContain('"version": "2.1.0"');
    expect(sarif.stdout).toContain('"uri": "libs/lib/src/index.ts"');
  });

  it('passes app once fixed', async () => {
    ws.write({
      'apps/app/src/main.ts':
        "import { greet } from '../../../libs/lib/src/index';\n\nexport const message = greet('app');\n",
    });
    const r = await ws.nx(['run', 'app:codebatch-lint', '--output-style=static']);
    expectExit(r, 0);
    expect(ws.readJson<Report>(LINT_REPORT('apps/app'))).toMatchObject({
      success: true,
      counts: { error: 0, warning: 0 },
    });
    await ws.git(['commit', '-q', '-am', 'fix app']);
  });

  it('re-runs only the project whose file changed, and the engine re-executes only that file', async () => {
    ws.write({ 'libs/lib/src/extra.ts': 'export const extra = 20;\n' });
    const r = await ws.nx(['run-many', '-t', 'codebatch-lint', '--output-style=static']);
    expectExit(r, 0);
    expect(cacheStatus(r, 'app')).toBe('cache');
    expect(cacheStatus(r, 'lib')).toBe('ran');
    // The lint pipeline is 01_parse + 04_lint: one changed file of four is two (task, file)
    // executions, the other three files' six come from the store.
    expect(ws.readJson<Report>(LINT_REPORT('libs/lib')).taskFiles).toEqual({ executed: 2, reused: 6 });
  });

  it('nx affected picks the changed project and its dependents only', async () => {
    const libChanged = await ws.nx(['show', 'projects', '--affected', '--base=HEAD', '--json']);
    expect(JSON.parse(libChanged.stdout).sort()).toEqual(['app', 'lib']);
    await ws.git(['commit', '-q', '-am', 'edit lib']);
    ws.write({ 'apps/app/src/other.ts': 'export const other = 10;\n' });
    const appChanged = await ws.nx([
      'affected',
      '-t',
      'codebatch-lint',
      '--base=HEAD',
      '--output-style=static',
    ]);
    expectExit(appChanged, 0);
    expect(cacheStatus(appChanged, 'app')).toBe('ran');
    expect(cacheStatus(appChanged, 'lib')).toBe('absent');
    await ws.git(['commit', '-q', '-am', 'edit app']);
  });

  it('parallel runs on one store leave `codebatch verify` clean', async () => {
    ws.write({
      'libs/lib2/project.json': { name: 'lib2' },
      'libs/lib2/src/a.ts': 'export const a = 1;\n',
      'libs/lib3/project.json': { name: 'lib3' },
      'libs/lib3/src/b.ts': 'export const b = 1;\n',
    });
    // --batch=false: one process per project (as on Nx 21-23), three at once on one store.
    const r = await ws.nx([
      'run-many',
      '-t',
      'codebatch-lint',
      '--parallel=3',
      '--batch=false',
      '--skip-nx-cache',
      '--output-style=static',
    ]);
    expectExit(r, 0);
    expect(r.output).not.toContain('tasks with @codebatch/nx:lint');
    const verify = await ws.codebatch(['verify', '--store', '.codebatch']);
    expectExit(verify, 0);
  });

  it('runs all projects in one batch process by default, and an unchanged project reports its done batch', async () => {
    const roots = ['apps/app', 'libs/lib', 'libs/lib2', 'libs/lib3'];
    const before = roots.map((root) => ws.readJson<Report>(LINT_REPORT(root)).batchId);
    const r = await ws.nx(['run-many', '-t', 'codebatch-lint', '--skip-nx-cache', '--output-style=static']);
    expectExit(r, 0);
    // executors.json prefers batch mode: Nx 24 hands the four tasks to one batchImplementation.
    expect(r.output).toContain('Running 4 tasks with @codebatch/nx:lint');
    for (const [i, root] of roots.entries()) {
      const report = ws.readJson<Report>(LINT_REPORT(root));
      expect(report.success).toBe(true);
      // Nothing changed since the last run: the engine verified that run's batch and reports
      // it, instead of re-stamping its records into a new one.
      expect(report.batchId).toBe(before[i]);
      expect(report.taskFiles.executed).toBe(0);
    }
    const forced = await ws.nx(['run', 'lib3:codebatch-lint', '--force', '--output-style=static']);
    expectExit(forced, 0);
    expect(ws.readJson<Report>(LINT_REPORT('libs/lib3')).batchId).not.toBe(before[3]);
    expectExit(await ws.codebatch(['verify', '--store', '.codebatch']), 0);
  });

  it('nx add wires the plugin into a workspace that does not have it; init again changes nothing', async () => {
    const nxJson = ws.readJson<Record<string, unknown>>('nx.json');
    const pkg = ws.readJson<{ devDependencies: Record<string, string> }>('package.json');
    delete pkg.devDependencies['@codebatch/nx'];
    ws.write({ 'nx.json': { ...nxJson, plugins: [] }, 'package.json': pkg });
    fs.rmSync(path.join(ws.root, 'codebatch.config.json'));
    const before = await ws.nx(['show', 'project', 'app', '--json']);
    expect(JSON.parse(before.stdout).targets).not.toHaveProperty('codebatch-lint');

    // `nx add` installs the package with npm, then runs its init generator. The registry does
    // not have @codebatch/nx, so the spec points at the packed tarball (npm's file: spec).
    const add = await ws.nx(['add', `@codebatch/nx@file:${ws.tarballs.nx}`]);
    expectExit(add, 0);
    expect(ws.readJson<{ plugins: unknown[] }>('nx.json').plugins).toEqual(['@codebatch/nx']);
    expect(ws.readJson<typeof pkg>('package.json').devDependencies).toHaveProperty('@codebatch/nx');
    expect(ws.readJson<{ pipeline: string }>('codebatch.config.json').pipeline).toBe('lint');
    expect(fs.readFileSync(path.join(ws.root, '.gitignore'), 'utf8')).toContain('/reports/codebatch/');
    const after = await ws.nx(['show', 'project', 'app', '--json']);
    expect(JSON.parse(after.stdout).targets).toHaveProperty('codebatch-lint');
    expectExit(await ws.nx(['run', 'app:codebatch-lint', '--output-style=static']), 0);

    // Running init again changes nothing.
    const snapshot = fs.readFileSync(path.join(ws.root, 'nx.json'), 'utf8');
    expectExit(await ws.nx(['g', '@codebatch/nx:init']), 0);
    expect(fs.readFileSync(path.join(ws.root, 'nx.json'), 'utf8')).toBe(snapshot);
  });
  it("runs the workspace's ESLint in codebatch-lint where an ESLint config covers the project", async () => {
    ws.write({
      'eslint.config.mjs': "import js from '@eslint/js';\n\nexport default [js.configs.recommended];\n",
      'apps/web/project.json': { name: 'web' },
      'apps/web/src/index.js': 'const unused = 1;\nexport const used = 2;\n',
    });
    const show = await ws.nx(['show', 'project', 'web', '--json']);
    expectExit(show, 0);
    // Nx accepted the ESLint packages as external dependencies (an unknown one fails the graph).
    expect(JSON.parse(show.stdout).targets['codebatch-lint'].inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/eslint.config.mjs',
        { externalDependencies: ['@eslint/js', 'eslint'] },
      ]),
    );

    const r = await ws.nx(['run', 'web:codebatch-lint', '--output-style=static']);
    expectExit(r, 1);
    expect(r.output).toMatch(
      /apps\/web\/src\/index\.js:1:7 +error +'unused' is assigned a value but never used\. +no-unused-vars/,
    );
    expect(r.output).toContain('web:codebatch-lint failed: 1 error');
    const report = ws.readJson<Report>(LINT_REPORT('apps/web'));
    expect(report.diagnostics.map((d) => [d.task_id, d.code, d.line])).toContainEqual([
      '05_eslint',
      'no-unused-vars',
      1,
    ]);
    const sarif = ws.readJson<Sarif>('reports/codebatch/apps/web/codebatch-lint/report.sarif');
    expect(sarif.runs[0]!.tool.driver.rules?.find((rule) => rule.id === 'no-unused-vars')?.helpUri).toMatch(
      /^https:\/\/eslint\.org\/docs\/.*no-unused-vars/,
    );
  });

  it('re-runs codebatch-lint when a file the ESLint config imports or a dependency project changes', async () => {
    ws.write({
      'eslint.config.mjs':
        "import js from '@eslint/js';\nimport { rules } from './tools/eslint/rules.mjs';\n\nexport default [js.configs.recommended, { rules }];\n",
      'tools/eslint/rules.mjs': "export const rules = { 'prefer-const': 'warn' };\n",
      'apps/cli/project.json': { name: 'cli', implicitDependencies: ['lib'] },
      'apps/cli/src/index.js': 'let answer = 42;\nexport const x = answer;\n',
    });
    const show = await ws.nx(['show', 'project', 'cli', '--json']);
    expectExit(show, 0);
    expect(JSON.parse(show.stdout).targets['codebatch-lint'].inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/tools/eslint/rules.mjs',
        '{workspaceRoot}/tsconfig*.json',
        '^default',
      ]),
    );
    const warned = await ws.nx(['run', 'cli:codebatch-lint', '--output-style=static']);
    expectExit(warned, 0);
    expect(warned.output).toMatch(/apps\/cli\/src\/index\.js:1:5 +warning +.* prefer-const/);
    expect(cacheStatus(await ws.nx(['run', 'cli:codebatch-lint', '--output-style=static']), 'cli')).toBe(
      'cache',
    );

    // The root config is unchanged; only the file it imports says error now.
    ws.write({ 'tools/eslint/rules.mjs': "export const rules = { 'prefer-const': 'error' };\n" });
    const failed = await ws.nx(['run', 'cli:codebatch-lint', '--output-style=static']);
    expect(cacheStatus(failed, 'cli')).toBe('ran');
    expectExit(failed, 1);
    expect(failed.output).toMatch(/apps\/cli\/src\/index\.js:1:5 +error +.* prefer-const/);

    // A change in lib, which cli depends on, is a change for cli's type-aware rules too.
    ws.write({ 'tools/eslint/rules.mjs': "export const rules = { 'prefer-const': 'off' };\n" });
    expectExit(await ws.nx(['run', 'cli:codebatch-lint', '--output-style=static']), 0);
    ws.write({ 'libs/lib/src/more.ts': 'export const more = 30;\n' });
    const depChanged = await ws.nx(['run', 'cli:codebatch-lint', '--output-style=static']);
    expectExit(depChanged, 0);
    expect(cacheStatus(depChanged, 'cli')).toBe('ran');
  });

  it('"eslint": false in codebatch.config.json leaves ESLint out of codebatch-lint and its inputs', async () => {
    ws.write({ 'codebatch.config.json': { pipeline: 'lint', exclude: [], eslint: false } });
    const show = await ws.nx(['show', 'project', 'web', '--json']);
    expect(JSON.stringify(JSON.parse(show.stdout).targets['codebatch-lint'].inputs)).not.toContain('eslint');
    const r = await ws.nx(['run', 'web:codebatch-lint', '--output-style=static']);
    expectExit(r, 0);
    expect(r.output).not.toContain('no-unused-vars');
  });
});
