import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AggregateCreateNodesError, type CreateNodesContext, type TargetConfiguration } from '@nx/devkit';
import * as entry from '../../index';
import { createNodes, excludesToInputs, makeCreateNodesFunction, PROJECT_FILE_GLOB } from '../create-nodes';
import type { CodebatchPluginOptions } from '../options';
import { engineInputs, matchesWorkspaceGlobs } from '../workspace-facts';

let workspaces: string[] = [];
afterEach(() => {
  for (const w of workspaces) fs.rmSync(w, { recursive: true, force: true });
  workspaces = [];
});

/** Writes a workspace inline; returns its root and the files Nx would pass (matching the glob). */
function makeWorkspace(files: Record<string, string>): { root: string; configFiles: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-nx-infer-'));
  workspaces.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  const configFiles = Object.keys(files).filter((f) =>
    /(^|\/)(project|package|codebatch\.config)\.json$/.test(f),
  );
  return { root, configFiles };
}

/** As if both engine packages were installed from the registry (outside the workspace). */
const installed = (name: string) => `/elsewhere/node_modules/${name}`;

async function infer(files: Record<string, string>, options?: CodebatchPluginOptions, resolve = installed) {
  const { root, configFiles } = makeWorkspace(files);
  const context: CreateNodesContext = { workspaceRoot: root, nxJsonConfiguration: {} };
  return makeCreateNodesFunction(resolve)(configFiles, options, context);
}

/** project root -> targets, from createNodes results. */
async function targetsByRoot(
  files: Record<string, string>,
  options?: CodebatchPluginOptions,
): Promise<Record<string, Record<string, TargetConfiguration>>> {
  const results = await infer(files, options);
  const out: Record<string, Record<string, TargetConfiguration>> = {};
  for (const [, result] of results) {
    for (const [root, project] of Object.entries(result.projects ?? {})) out[root] = project.targets ?? {};
  }
  return out;
}

describe('createNodes', () => {
  it('is exported as both createNodes (Nx 22+) and createNodesV2 (Nx 21), the same tuple', () => {
    expect(entry.createNodes).toBe(createNodes);
    expect(entry.createNodesV2).toBe(createNodes);
    expect(createNodes[0]).toBe(PROJECT_FILE_GLOB);
    expect(PROJECT_FILE_GLOB).toBe('**/{project.json,package.json,codebatch.config.json}');
  });

  it('gives a project.json project one cacheable codebatch-lint target', async () => {
    const results = await infer({ 'apps/app/project.json': '{"name":"app"}' });
    expect(results).toMatchInlineSnapshot(`
[
  [
    "apps/app/project.json",
    {
      "projects": {
        "apps/app": {
          "targets": {
            "codebatch-lint": {
              "cache": true,
              "executor": "@codebatch/nx:lint",
              "inputs": [
                "{projectRoot}/**/*",
                "{workspaceRoot}/codebatch.config.json",
                {
                  "externalDependencies": [
                    "@codebatch/core",
                    "@codebatch/nx",
                  ],
                },
              ],
              "metadata": {
                "description": "Lint the project files with codebatch; only changed files are re-executed.",
                "technologies": [
                  "codebatch",
                ],
              },
              "options": {
                "configFile": "codebatch.config.json",
                "reportDir": "{workspaceRoot}/reports/codebatch/{projectRoot}/codebatch-lint",
                "storeDir": ".codebatch",
              },
              "outputs": [
                "{options.reportDir}",
              ],
            },
          },
        },
      },
    },
  ],
]
`);
  });

  it('maps each exposed task onto its own target, wired with dependsOn as in the plan', async () => {
    const targets = await targetsByRoot(
      { 'libs/lib/project.json': '{}' },
      {
        tasks: ['lint', 'parse', 'symbols'],
        targetNames: { lint: 'cb-lint' },
        storeDir: './cache/cb/',
        reportDir: 'out/cb',
      },
    );
    const lib = targets['libs/lib']!;
    expect(Object.keys(lib)).toEqual(['codebatch-parse', 'codebatch-symbols', 'cb-lint']);
    expect(
      Object.fromEntries(
        Object.entries(lib).map(([name, t]) => [name, [t.executor, t.dependsOn, t.options]]),
      ),
    ).toMatchInlineSnapshot(`
{
  "cb-lint": [
    "@codebatch/nx:lint",
    [
      "codebatch-parse",
    ],
    {
      "configFile": "codebatch.config.json",
      "reportDir": "{workspaceRoot}/out/cb/{projectRoot}/cb-lint",
      "storeDir": "cache/cb",
    },
  ],
  "codebatch-parse": [
    "@codebatch/nx:run",
    undefined,
    {
      "configFile": "codebatch.config.json",
      "reportDir": "{workspaceRoot}/out/cb/{projectRoot}/codebatch-parse",
      "storeDir": "cache/cb",
      "task": "parse",
    },
  ],
  "codebatch-symbols": [
    "@codebatch/nx:run",
    [
      "codebatch-parse",
    ],
    {
      "configFile": "codebatch.config.json",
      "reportDir": "{workspaceRoot}/out/cb/{projectRoot}/codebatch-symbols",
      "storeDir": "cache/cb",
      "task": "symbols",
    },
  ],
}
`);
    // Without parse exposed, lint has nothing to wait for.
    const lintOnly = await targetsByRoot({ 'libs/lib/project.json': '{}' }, { tasks: ['lint'] });
    expect(lintOnly['libs/lib']!['codebatch-lint']!.dependsOn).toBeUndefined();
  });

  it('treats workspace packages and package.json files with an nx key as projects, not other package.json files', async () => {
    const targets = await targetsByRoot({
      'package.json': JSON.stringify({
        name: 'root',
        workspaces: ['packages/*', 'tools/**', '!packages/skip'],
      }),
      'packages/core/package.json': '{"name":"core"}',
      'packages/skip/package.json': '{"name":"skip"}',
      'tools/deep/x/package.json': '{"name":"x"}',
      'fixtures/demo/package.json': '{"name":"demo"}',
      'standalone/package.json': '{"name":"standalone","nx":{}}',
      // project.json and package.json in one folder are one project.
      'apps/app/project.json': '{}',
      'apps/app/package.json': '{"name":"app"}',
    });
    expect(Object.keys(targets).sort()).toEqual(['apps/app', 'packages/core', 'standalone', 'tools/deep/x']);
  });

  it('leaves out a root package.json without an nx key (no root project is created)', async () => {
    expect(await targetsByRoot({ 'package.json': '{"name":"root","workspaces":["libs/*"]}' })).toEqual({});
    expect(Object.keys(await targetsByRoot({ 'package.json': '{"name":"root","nx":{}}' }))).toEqual(['.']);
  });

  it("excludes the codebatch config's excludes from the inputs; a project's own config wins", async () => {
    const targets = await targetsByRoot({
      'codebatch.config.json': JSON.stringify({
        pipeline: 'lint',
        exclude: ['**/*.test.ts', './generated/**'],
      }),
      'apps/a/project.json': '{}',
      'apps/b/project.json': '{}',
      'apps/b/codebatch.config.json': JSON.stringify({ exclude: ['vendor/**'] }),
    });
    const inputsOf = (root: string) =>
      targets[root]!['codebatch-lint']!.inputs!.filter((i) => typeof i === 'string');
    expect(inputsOf('apps/a')).toEqual([
      '{projectRoot}/**/*',
      '!{projectRoot}/**/*.test.ts',
      '!{projectRoot}/generated/**',
      '{workspaceRoot}/codebatch.config.json',
    ]);
    expect(inputsOf('apps/b')).toEqual([
      '{projectRoot}/**/*',
      '!{projectRoot}/vendor/**',
      '{workspaceRoot}/codebatch.config.json',
    ]);
  });

  it('keeps the graph when a codebatch config is broken: targets without excludes (the executor reports it)', async () => {
    const targets = await targetsByRoot({
      'codebatch.config.json': '{ not json',
      'apps/a/project.json': '{}',
      'apps/b/project.json': '{}',
      'apps/b/codebatch.config.json': '{"exclude": "not-an-array"}',
    });
    expect(Object.keys(targets).sort()).toEqual(['apps/a', 'apps/b']);
    expect(targets['apps/b']!['codebatch-lint']!.inputs![0]).toBe('{projectRoot}/**/*');
    expect(targets['apps/b']!['codebatch-lint']!.inputs![1]).toBe('{workspaceRoot}/codebatch.config.json');
  });

  it('reports an unreadable project file for that project only, keeping the others (createNodesFromFiles)', async () => {
    const error = await infer({
      'apps/good/project.json': '{}',
      'standalone/package.json': '{ broken',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateCreateNodesError);
    const aggregate = error as AggregateCreateNodesError;
    expect(aggregate.errors.map(([file]) => file)).toEqual(['standalone/package.json']);
    expect(aggregate.partialResults.map(([file]) => file)).toEqual(['apps/good/project.json']);
  });

  it('rejects unknown tasks and clashing target names with a message about nx.json', async () => {
    await expect(infer({ 'a/project.json': '{}' }, { tasks: ['lnit' as 'lint'] })).rejects.toThrow(
      /plugin option "tasks" must list some of parse, analyze, symbols, lint; unknown: lnit/,
    );
    await expect(
      infer({ 'a/project.json': '{}' }, { tasks: ['parse', 'lint'], targetNames: { parse: 'x', lint: 'x' } }),
    ).rejects.toThrow(/same target name/);
  });
});

describe('engineInputs', () => {
  it('names installed engine packages as externalDependencies and leaves out missing ones', () => {
    expect(engineInputs('/ws', installed)).toEqual([
      { externalDependencies: ['@codebatch/core', '@codebatch/nx'] },
    ]);
    expect(engineInputs('/ws', (n) => (n === '@codebatch/nx' ? installed(n) : undefined))).toEqual([
      { externalDependencies: ['@codebatch/nx'] },
    ]);
    expect(engineInputs('/ws', () => undefined)).toEqual([]);
  });

  it('hashes the files of engine packages linked from inside the workspace (Nx rejects them as external)', () => {
    const local = (name: string) =>
      name === '@codebatch/core' ? '/ws/packages/core' : '/ws/node_modules/@codebatch/nx';
    expect(engineInputs('/ws', local)).toEqual([
      '{workspaceRoot}/packages/core/**/*',
      { externalDependencies: ['@codebatch/nx'] },
    ]);
  });
});

describe('excludesToInputs', () => {
  it('turns excludes into negated project inputs, and uses none when one re-includes', () => {
    expect(excludesToInputs({ exclude: ['dist/**', '/abs/**', ' x.ts '] })).toEqual([
      '!{projectRoot}/dist/**',
      '!{projectRoot}/abs/**',
      '!{projectRoot}/x.ts',
    ]);
    expect(excludesToInputs({ exclude: ['dist/**', '!dist/keep.ts'] })).toEqual([]);
    expect(excludesToInputs({ exclude: [1] })).toEqual([]);
    expect(excludesToInputs(undefined)).toEqual([]);
  });
});

describe('matchesWorkspaceGlobs', () => {
  it('matches npm/yarn workspace globs', () => {
    const globs = ['packages/*', './apps/**', 'libs/a?c', '!packages/private'];
    expect(matchesWorkspaceGlobs('packages/core', globs)).toBe(true);
    expect(matchesWorkspaceGlobs('packages/core/sub', globs)).toBe(false);
    expect(matchesWorkspaceGlobs('apps/x/y', globs)).toBe(true);
    expect(matchesWorkspaceGlobs('libs/abc', globs)).toBe(true);
    expect(matchesWorkspaceGlobs('packages/private', globs)).toBe(false);
    expect(matchesWorkspaceGlobs('packagesX/core', globs)).toBe(false);
  });
});
