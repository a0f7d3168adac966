import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLINT_FILE_NAMES, isEslintConfigFile } from '@codebatch/core';
import { AggregateCreateNodesError, type CreateNodesContext, type TargetConfiguration } from '@nx/devkit';
import * as entry from '../../index';
import { isEslintPackage } from '../../shared/eslint-facts';
import { createNodes, excludesToInputs, makeCreateNodesFunction, PROJECT_FILE_GLOB } from '../create-nodes';
import type { CodebatchPluginOptions } from '../options';
import { engineInputs, eslintExternalDependencies, matchesWorkspaceGlobs } from '../workspace-facts';

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
  const configFiles = Object.keys(files).filter((f) => matchesProjectFileGlob(f));
  return { root, configFiles };
}

/** What Nx passes createNodes: the files whose name is one of the glob's alternatives. */
function matchesProjectFileGlob(file: string): boolean {
  const names = PROJECT_FILE_GLOB.slice('**/{'.length, -1).split(',');
  return names.includes(path.posix.basename(file));
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
    expect(PROJECT_FILE_GLOB).toBe(
      `**/{project.json,package.json,codebatch.config.json,${ESLINT_FILE_NAMES.join(',')}}`,
    );
  });

  it('matches every ESLint file name core knows, and only those, with no nested braces', () => {
    for (const name of ESLINT_FILE_NAMES) expect([name, isEslintConfigFile(name)]).toEqual([name, true]);
    // Nested alternations are not supported by every glob implementation Nx has used.
    expect(PROJECT_FILE_GLOB.slice(4)).not.toMatch(/\{[^}]*\{/);
    expect(isEslintConfigFile('eslint.config.json')).toBe(false);
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
                "description": "codebatch: Parse, then codebatch's lint rules; plus the workspace's ESLint when the tree has an ESLint config. Unchanged files are reused.",
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
      /plugin option "tasks" must list some of parse, analyze, symbols, lint, eslint; unknown: lnit/,
    );
    await expect(
      infer({ 'a/project.json': '{}' }, { tasks: ['parse', 'lint'], targetNames: { parse: 'x', lint: 'x' } }),
    ).rejects.toThrow(/same target name/);
  });
});

describe('createNodes with ESLint', () => {
  /** A root package.json naming ESLint packages (and others), and the lockfile npm wrote. */
  const eslintWorkspace = (lockfile: Record<string, object>) => ({
    'package.json': JSON.stringify({
      name: 'root',
      devDependencies: {
        eslint: '^9.0.0',
        '@eslint/js': '^9.0.0',
        'typescript-eslint': '^8.0.0',
        '@typescript-eslint/parser': '^8.0.0',
        'eslint-plugin-react': '^7.0.0',
        '@nx/eslint-plugin': '^21.0.0',
        'eslint-config-prettier': '^9.0.0',
        prettier: '^3.0.0',
        'eslint-plugin-local': 'workspace:*',
        typescript: '~5.9.3',
        '@types/node': '^20.0.0',
      },
    }),
    'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...lockfile } }),
  });
  const locked = Object.fromEntries(
    [
      'eslint',
      '@eslint/js',
      'typescript-eslint',
      '@typescript-eslint/parser',
      'eslint-plugin-react',
      'prettier',
      'typescript',
      '@types/node',
    ].map((n) => [`node_modules/${n}`, { version: '1.0.0' }]),
  );
  const lintInputs = (targets: Record<string, Record<string, TargetConfiguration>>, root: string) =>
    targets[root]!['codebatch-lint']!.inputs;

  it('adds the ESLint configs that cover a project and the locked ESLint packages to codebatch-lint', async () => {
    const targets = await targetsByRoot({
      ...eslintWorkspace(locked),
      'eslint.config.mjs': 'export default [];\n',
      '.eslintignore': 'dist\n',
      'apps/app/project.json': '{}',
      'apps/app/eslint.config.mjs': "export { default } from '../../eslint.config.mjs';\n",
      'libs/lib/project.json': '{}',
    });
    const eslintPackages = {
      // Sorted; the compiler and @types (type-aware rules read them); not prettier (not an ESLint
      // package), not the unlocked @nx/eslint-plugin and eslint-config-prettier (naming them is
      // a hard Nx error), not the workspace-linked one.
      externalDependencies: [
        '@eslint/js',
        '@types/node',
        '@typescript-eslint/parser',
        'eslint',
        'eslint-plugin-react',
        'typescript',
        'typescript-eslint',
      ],
    };
    expect(lintInputs(targets, 'apps/app')).toEqual([
      '{projectRoot}/**/*',
      '{workspaceRoot}/codebatch.config.json',
      { externalDependencies: ['@codebatch/core', '@codebatch/nx'] },
      '{workspaceRoot}/.eslintignore',
      '{projectRoot}/eslint.config.mjs',
      '{workspaceRoot}/eslint.config.mjs',
      '{workspaceRoot}/tsconfig*.json',
      '{workspaceRoot}/apps/tsconfig*.json',
      '^default',
      eslintPackages,
    ]);
    // Covered by the workspace's config only.
    expect(lintInputs(targets, 'libs/lib')).toEqual([
      '{projectRoot}/**/*',
      '{workspaceRoot}/codebatch.config.json',
      { externalDependencies: ['@codebatch/core', '@codebatch/nx'] },
      '{workspaceRoot}/.eslintignore',
      '{workspaceRoot}/eslint.config.mjs',
      '{workspaceRoot}/tsconfig*.json',
      '{workspaceRoot}/libs/tsconfig*.json',
      '^default',
      eslintPackages,
    ]);
  });

  it('leaves the inputs as they were where no ESLint config covers the project', async () => {
    const targets = await targetsByRoot({
      ...eslintWorkspace(locked),
      'apps/app/project.json': '{}',
      // A sibling's config covers the sibling only; an ignore file alone configures nothing.
      'apps/web/project.json': '{}',
      'apps/web/.eslintrc.json': '{}',
      'apps/app/.eslintignore': 'dist\n',
    });
    expect(lintInputs(targets, 'apps/app')).toEqual([
      '{projectRoot}/**/*',
      '{workspaceRoot}/codebatch.config.json',
      { externalDependencies: ['@codebatch/core', '@codebatch/nx'] },
    ]);
    expect(lintInputs(targets, 'apps/web')).toContain('{projectRoot}/.eslintrc.json');
  });

  it('hashes the ESLint packages for a config below the project root, which the engine finds by itself', async () => {
    const targets = await targetsByRoot({
      ...eslintWorkspace(locked),
      'apps/legacy/project.json': '{}',
      'apps/legacy/src/old/.eslintrc.json': '{}',
    });
    // The config itself is one of the project's files already.
    expect(lintInputs(targets, 'apps/legacy')).toEqual([
      '{projectRoot}/**/*',
      '{workspaceRoot}/codebatch.config.json',
      { externalDependencies: ['@codebatch/core', '@codebatch/nx'] },
      '{workspaceRoot}/tsconfig*.json',
      '{workspaceRoot}/apps/tsconfig*.json',
      '^default',
      {
        externalDependencies: [
          '@eslint/js',
          '@types/node',
          '@typescript-eslint/parser',
          'eslint',
          'eslint-plugin-react',
          'typescript',
          'typescript-eslint',
        ],
      },
    ]);
  });

  it('follows the "eslint" setting of the codebatch config: false drops ESLint, true keeps it without a config', async () => {
    const off = await targetsByRoot({
      ...eslintWorkspace(locked),
      'codebatch.config.json': JSON.stringify({ eslint: false }),
      'eslint.config.mjs': 'export default [];\n',
      'apps/app/project.json': '{}',
      // A project's own config replaces the workspace's, its `eslint` included.
      'apps/web/project.json': '{}',
      'apps/web/codebatch.config.json': JSON.stringify({ eslint: 'auto' }),
    });
    expect(lintInputs(off, 'apps/app')).toHaveLength(3);
    expect(lintInputs(off, 'apps/web')).toContain('{workspaceRoot}/eslint.config.mjs');

    const on = await targetsByRoot({
      ...eslintWorkspace(locked),
      'codebatch.config.json': JSON.stringify({ eslint: true }),
      'apps/app/project.json': '{}',
    });
    expect(lintInputs(on, 'apps/app')!.at(-1)).toEqual({
      externalDependencies: [
        '@eslint/js',
        '@types/node',
        '@typescript-eslint/parser',
        'eslint',
        'eslint-plugin-react',
        'typescript',
        'typescript-eslint',
      ],
    });
  });

  it('infers codebatch-eslint only where ESLint covers the project, and never gives codebatch-symbols ESLint inputs', async () => {
    const targets = await targetsByRoot(
      {
        ...eslintWorkspace(locked),
        'apps/app/project.json': '{}',
        'apps/app/eslint.config.js': 'module.exports = [];\n',
        'libs/lib/project.json': '{}',
      },
      { tasks: ['parse', 'symbols', 'eslint'] },
    );
    expect(Object.keys(targets['apps/app']!)).toEqual([
      'codebatch-parse',
      'codebatch-symbols',
      'codebatch-eslint',
    ]);
    expect(Object.keys(targets['libs/lib']!)).toEqual(['codebatch-parse', 'codebatch-symbols']);
    const eslint = targets['apps/app']!['codebatch-eslint']!;
    expect(eslint).toMatchObject({
      executor: '@codebatch/nx:run',
      options: { task: 'eslint' },
      metadata: { description: expect.stringContaining('ESLint') },
    });
    // 05_eslint reads no parse output: no dependsOn on codebatch-parse.
    expect(eslint.dependsOn).toBeUndefined();
    expect(eslint.inputs).toContain('{projectRoot}/eslint.config.js');
    expect(JSON.stringify(targets['apps/app']!['codebatch-symbols']!.inputs)).not.toContain('eslint');
  });

  /** A root config importing a shared base that imports its rules, as Nx workspaces split them. */
  const sharedConfigWorkspace = {
    ...eslintWorkspace(locked),
    'eslint.config.mjs':
      "import js from '@eslint/js';\nimport base from './tools/eslint/base.mjs';\n\nexport default [js.configs.recommended, ...base];\n",
    'tools/eslint/base.mjs': "import { rules } from './rules.mjs';\n\nexport default [{ rules }];\n",
    'tools/eslint/rules.mjs': "export const rules = { 'no-console': 'warn' };\n",
    'apps/app/project.json': '{}',
    'apps/app/src/index.ts': 'export const x = 1;\n',
  };

  it('hashes the files the ESLint configs import, transitively, where ESLint runs', async () => {
    const targets = await targetsByRoot(sharedConfigWorkspace, {
      tasks: ['parse', 'symbols', 'lint', 'eslint'],
    });
    for (const name of ['codebatch-lint', 'codebatch-eslint']) {
      expect(targets['apps/app']![name]!.inputs).toEqual(
        expect.arrayContaining([
          '{workspaceRoot}/eslint.config.mjs',
          '{workspaceRoot}/tools/eslint/base.mjs',
          '{workspaceRoot}/tools/eslint/rules.mjs',
        ]),
      );
    }
    expect(JSON.stringify(targets['apps/app']!['codebatch-symbols']!.inputs)).not.toContain('tools/eslint');
  });

  it("follows a project config's imports, inside the project as well as out of it", async () => {
    const targets = await targetsByRoot({
      ...sharedConfigWorkspace,
      'apps/web/project.json': '{}',
      'apps/web/eslint.config.cjs':
        "const root = require('../../eslint-shared');\nconst local = require('./eslint/local.cjs');\nmodule.exports = [...root, ...local];\n",
      'apps/web/eslint/local.cjs': 'module.exports = [];\n',
      'eslint-shared.js': "module.exports = require('./eslint-extra.js');\n",
      'eslint-extra.js': 'module.exports = [];\n',
    });
    const web = lintInputs(targets, 'apps/web')!.filter((i) => typeof i === 'string');
    expect(web.filter((i) => /eslint[-./]/.test(i))).toEqual([
      '{projectRoot}/eslint.config.cjs',
      '{workspaceRoot}/eslint.config.mjs',
      '{workspaceRoot}/apps/web/eslint/local.cjs',
      '{workspaceRoot}/eslint-extra.js',
      '{workspaceRoot}/eslint-shared.js',
      '{workspaceRoot}/tools/eslint/base.mjs',
      '{workspaceRoot}/tools/eslint/rules.mjs',
    ]);
    // The project covered by the root config only does not get what web's config imports.
    expect(JSON.stringify(lintInputs(targets, 'apps/app'))).not.toContain('eslint-shared');
  });

  it('gives a root project the files its config imports, which may belong to a project nested in it', async () => {
    const targets = await targetsByRoot({
      ...sharedConfigWorkspace,
      'package.json': JSON.stringify({ name: 'root', nx: {} }),
      // tools/eslint is a project of its own: its files are not in the root project's fileset.
      'tools/eslint/project.json': '{}',
    });
    expect(lintInputs(targets, '.')).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/tools/eslint/base.mjs',
        '{workspaceRoot}/tools/eslint/rules.mjs',
      ]),
    );
  });

  it('gives a project without ESLint neither the imports nor the dependency inputs', async () => {
    const targets = await targetsByRoot({
      ...sharedConfigWorkspace,
      'apps/app/codebatch.config.json': JSON.stringify({ eslint: false }),
    });
    expect(lintInputs(targets, 'apps/app')).toEqual([
      '{projectRoot}/**/*',
      '{workspaceRoot}/codebatch.config.json',
      { externalDependencies: ['@codebatch/core', '@codebatch/nx'] },
    ]);
  });

  it('hashes the files of the projects it depends on and the tsconfig files above it, for type-aware rules', async () => {
    const targets = await targetsByRoot({
      ...sharedConfigWorkspace,
      'libs/ui/button/project.json': '{}',
      'package.json': JSON.stringify({ name: 'root', nx: {} }),
    });
    const typeInputs = (root: string) =>
      lintInputs(targets, root)!.filter((i) => i === '^default' || /tsconfig/.test(String(i)));
    expect(typeInputs('libs/ui/button')).toEqual([
      '{workspaceRoot}/tsconfig*.json',
      '{workspaceRoot}/libs/tsconfig*.json',
      '{workspaceRoot}/libs/ui/tsconfig*.json',
      '^default',
    ]);
    // A root project's tsconfig files are its own files.
    expect(typeInputs('.')).toEqual(['^default']);
  });
});

describe('eslintExternalDependencies', () => {
  function workspace(files: Record<string, string>): string {
    return makeWorkspace({
      'package.json': JSON.stringify({
        devDependencies: { eslint: '9', '@eslint/js': '9', '@foo/eslint-config-x': '1', '@foo/eslint': '1' },
      }),
      ...files,
    }).root;
  }

  it('names only what a pnpm or yarn lockfile lists', () => {
    const pnpm =
      "lockfileVersion: '9.0'\npackages:\n  '@eslint/js@9.1.0':\n    resolution: {}\n  '@foo/eslint@1.0.0':\n";
    // `@foo/eslint@` must not count as `eslint`.
    expect(eslintExternalDependencies(workspace({ 'pnpm-lock.yaml': pnpm }))).toEqual(['@eslint/js']);
    const yarn =
      '"@foo/eslint-config-x@^1":\n  version "1.0.0"\n\neslint@9, eslint@^9.1:\n  version "9.1.0"\n';
    expect(eslintExternalDependencies(workspace({ 'yarn.lock': yarn }))).toEqual([
      '@foo/eslint-config-x',
      'eslint',
    ]);
  });

  it('names what is installed when there is no lockfile, and nothing without ESLint packages', () => {
    expect(
      eslintExternalDependencies(workspace({ 'node_modules/eslint/package.json': '{"version":"9.0.0"}' })),
    ).toEqual(['eslint']);
    expect(
      eslintExternalDependencies(makeWorkspace({ 'package.json': '{"devDependencies":{"jest":"30"}}' }).root),
    ).toEqual([]);
  });

  it('leaves out packages npm links from the workspace (Nx makes them projects)', () => {
    const lock = {
      lockfileVersion: 3,
      packages: { 'node_modules/eslint': { link: true }, 'node_modules/@eslint/js': {} },
    };
    expect(eslintExternalDependencies(workspace({ 'package-lock.json': JSON.stringify(lock) }))).toEqual([
      '@eslint/js',
    ]);
  });
});

describe('isEslintPackage', () => {
  it('picks eslint, its plugins, configs and parsers as @nx/eslint does', () => {
    const names = [
      'eslint',
      '@eslint/js',
      'typescript-eslint',
      '@typescript-eslint/parser',
      'eslint-plugin-import',
      'eslint-config-prettier',
      '@nx/eslint-plugin',
      '@vue/eslint-config-typescript',
      'prettier',
      'eslint-scope',
      '@nx/eslint',
      'my-eslint-plugin',
    ];
    expect(names.filter(isEslintPackage)).toEqual(names.slice(0, 8));
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
