/**
 * The same plugin on the oldest supported Nx: 21 (which reads only `createNodesV2`). The
 * workspace carries `@nx/devkit` of its own Nx version, as Nx workspaces do; the plugin takes
 * devkit as a peer so that it is the one loaded.
 */
import { createWorkspace, type RunResult, repoVersion, type Workspace } from './support/workspace';

// testTimeout in e2e/nx/jest.config.js is not applied under the root multi-project config.
jest.setTimeout(600_000);

const NX_21 = '21.6.4';
const DEVKIT_21 = '21.6.9';

function expectExit(result: RunResult, code: number): void {
  if (result.code !== code) throw new Error(`expected exit ${code}, got ${result.code}:\n${result.output}`);
}

describe('@codebatch/nx on Nx 21', () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await createWorkspace(
      {
        'nx.json': { analytics: false, neverConnectToCloud: true, plugins: ['@codebatch/nx'] },
        '.gitignore': 'node_modules\n.nx\n/.codebatch/\n/reports/codebatch/\n',
        'codebatch.config.json': { pipeline: 'lint', tasks: { lint: { rules: { L101: 'error' } } } },
        'apps/app/project.json': { name: 'app' },
        'apps/app/src/main.ts': "import { readFileSync } from 'node:fs';\n\nexport const message = 'app';\n",
      },
      { devDependencies: { nx: NX_21, '@nx/devkit': DEVKIT_21, eslint: repoVersion('eslint') } },
    );
  });
  afterAll(() => ws?.cleanup());

  it('runs Nx 21 with its own devkit', async () => {
    expect(ws.readJson<{ version: string }>('node_modules/nx/package.json').version).toBe(NX_21);
    expect(ws.readJson<{ version: string }>('node_modules/@nx/devkit/package.json').version).toBe(DEVKIT_21);
  });

  it('infers the cacheable codebatch-lint target through createNodesV2', async () => {
    const show = await ws.nx(['show', 'project', 'app', '--json']);
    expectExit(show, 0);
    expect(JSON.parse(show.stdout).targets['codebatch-lint']).toMatchObject({
      executor: '@codebatch/nx:lint',
      cache: true,
      inputs: expect.arrayContaining([{ externalDependencies: ['@codebatch/core', '@codebatch/nx'] }]),
    });
  });

  it('fails the target on the seeded unused import; a re-run executes nothing in the engine', async () => {
    const first = await ws.nx(['run', 'app:codebatch-lint']);
    expectExit(first, 1);
    expect(first.output).toMatch(/apps\/app\/src\/main\.ts:1:\d+\s+error\s+.*L101/);
    // Nx does not cache failed tasks; the engine's memo makes the re-run free instead.
    const second = await ws.nx(['run', 'app:codebatch-lint']);
    expectExit(second, 1);
    expect(second.output).toMatch(/0 executed/);
  });

  it('passes once fixed, and the next run is a Nx cache hit replaying the output', async () => {
    ws.write({ 'apps/app/src/main.ts': "export const message = 'app';\n" });
    const fixed = await ws.nx(['run', 'app:codebatch-lint']);
    expectExit(fixed, 0);
    const again = await ws.nx(['run', 'app:codebatch-lint']);
    expectExit(again, 0);
    expect(again.output).toMatch(/local cache|existing outputs match the cache/);
    expect(again.output).toMatch(/0 errors/);
  });

  it("hashes ESLint's imported config files and the dependency input '^default' on Nx 21", async () => {
    ws.write({
      'eslint.config.mjs':
        "import { rules } from './tools/eslint/rules.mjs';\n\nexport default [{ rules }];\n",
      'tools/eslint/rules.mjs': "export const rules = { 'prefer-const': 'warn' };\n",
      'apps/app/src/extra.js': 'let answer = 42;\nexport const x = answer;\n',
    });
    const show = await ws.nx(['show', 'project', 'app', '--json']);
    expectExit(show, 0);
    expect(JSON.parse(show.stdout).targets['codebatch-lint'].inputs).toEqual(
      expect.arrayContaining(['{workspaceRoot}/tools/eslint/rules.mjs', '^default']),
    );
    expectExit(await ws.nx(['run', 'app:codebatch-lint']), 0);
    expect((await ws.nx(['run', 'app:codebatch-lint'])).output).toMatch(/local cache|existing outputs match/);
    ws.write({ 'tools/eslint/rules.mjs': "export const rules = { 'prefer-const': 'error' };\n" });
    const failed = await ws.nx(['run', 'app:codebatch-lint']);
    expectExit(failed, 1);
    expect(failed.output).toMatch(/apps\/app\/src\/extra\.js:1:5\s+error\s+.*prefer-const/);
  });
});
