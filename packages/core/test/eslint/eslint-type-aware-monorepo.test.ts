import fs from 'node:fs';
import path from 'node:path';
import {
  check,
  checkFindings,
  compilerOptions,
  eslintFindings,
  installLocalPackage,
  makeEslintWorkspace,
  TYPE_AWARE_CONFIG,
  type Workspace,
} from './eslint-harness';

/**
 * Type-aware results of one package of a monorepo (what an Nx project's target analyses) depend
 * on files its snapshot does not hold: a sibling package's sources reached through tsconfig
 * paths, a sibling's build output reached through a workspace link, and what `npm install`
 * put in node_modules. Each changes here with the package's own files untouched; every check
 * is a new process, so the closure table the store kept from the run before is what is
 * tested, and the result must equal a cold `eslint` of the package each time.
 */
const BASE = JSON.stringify({
  compilerOptions: {
    ...compilerOptions(true),
    baseUrl: '.',
    paths: { '@ws/lib': ['packages/lib/src/index.ts'] },
  },
});
const APP = 'packages/app';
const load = (isAsync: boolean) =>
  isAsync
    ? 'export async function load(): Promise<number> { return 1; }\n'
    : 'export function load(): number { return 1; }\n';
const built = (isAsync: boolean) =>
  `export declare function save(): ${isAsync ? 'Promise<number>' : 'number'};\n`;
const installed = (isAsync: boolean) => ({
  'package.json': '{"name":"ext-lib","version":"1.0.0","types":"index.d.ts"}',
  'index.d.ts': `export declare function fetchIt(): ${isAsync ? 'Promise<number>' : 'number'};\n`,
});

const TREE: Record<string, string> = {
  'eslint.config.mjs': TYPE_AWARE_CONFIG,
  'tsconfig.base.json': BASE,
  'packages/lib/src/index.ts': "export * from './load';\n",
  'packages/lib/src/load.ts': load(false),
  // A built workspace package: only its dist is there, as after `tsc -b`.
  'packages/built/package.json': '{"name":"@ws/built","types":"dist/index.d.ts"}',
  'packages/built/dist/index.d.ts': built(false),
  [`${APP}/tsconfig.json`]: JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }),
  [`${APP}/src/main.ts`]: "import { load } from '@ws/lib';\nexport function run() {\n  load();\n}\n",
  [`${APP}/src/store.ts`]: "import { save } from '@ws/built';\nexport function keep() {\n  save();\n}\n",
  [`${APP}/src/remote.ts`]: "import { fetchIt } from 'ext-lib';\nexport function get() {\n  fetchIt();\n}\n",
  [`${APP}/src/plain.ts`]: 'export const plain = 1;\n',
};

jest.setTimeout(240_000);

const floating = (findings: { path: string; rule: string | null }[]) =>
  findings
    .filter((f) => f.rule === '@typescript-eslint/no-floating-promises')
    .map((f) => f.path)
    .sort();

/** Checks the package in a new process and compares with a cold `eslint` of it. */
async function expectEqualToEslint(ws: Workspace, expectedFloating: string[], maxExecuted?: number) {
  const { report } = await check(ws, ['--pipeline', 'eslint'], {}, APP);
  const expected = await eslintFindings(ws, [], {}, APP);
  expect(checkFindings(report)).toEqual(expected);
  expect(floating(expected)).toEqual(expectedFloating);
  if (maxExecuted !== undefined) expect(report.taskFiles.executed).toBeLessThanOrEqual(maxExecuted);
  return { report, expected };
}

describe('type-aware ESLint of one package of a monorepo, when what it depends on outside it changes', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace(TREE, 'farm');
    installLocalPackage(ws, 'ext-lib', installed(false));
    fs.mkdirSync(path.join(ws.dir, 'node_modules/@ws'), { recursive: true });
    fs.symlinkSync(path.join(ws.dir, 'packages/built'), path.join(ws.dir, 'node_modules/@ws/built'), 'dir');
  });
  afterAll(() => ws.cleanup());

  it('cold: equals eslint', async () => {
    await expectEqualToEslint(ws, []);
  });

  it('a sibling package source reached through tsconfig paths goes async: its importer is re-linted', async () => {
    ws.write({ 'packages/lib/src/load.ts': load(true) });
    await expectEqualToEslint(ws, ['src/main.ts'], 1);
  });

  it("a sibling package's build output is rebuilt: its importer is re-linted", async () => {
    ws.write({ 'packages/built/dist/index.d.ts': built(true) });
    await expectEqualToEslint(ws, ['src/main.ts', 'src/store.ts'], 1);
  });

  it('an npm install changes an installed package (and its install record): its importer is re-linted', async () => {
    installLocalPackage(ws, 'ext-lib', installed(true));
    ws.write({ 'node_modules/.package-lock.json': '{"name":"ws","lockfileVersion":3,"packages":{}}' });
    await expectEqualToEslint(ws, ['src/main.ts', 'src/remote.ts', 'src/store.ts']);
  });

  it('nothing changed: nothing is re-linted', async () => {
    const { report } = await expectEqualToEslint(ws, ['src/main.ts', 'src/remote.ts', 'src/store.ts']);
    expect(report.taskFiles.executed).toBe(0);
  });
});

/**
 * A package with no tsconfig of its own: typescript-eslint's project service uses the
 * workspace's tsconfig above it, and with it that config's type roots outside the package.
 */
describe('type-aware ESLint of a package without a tsconfig, under the workspace tsconfig', () => {
  const rootConfig = (strict: boolean) =>
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions(strict),
        typeRoots: ['./typings'],
      },
    });
  const clock = (isAsync: boolean) => `declare function tick(): ${isAsync ? 'Promise<number>' : 'number'};\n`;
  const unnecessaryAssertions = (findings: { path: string; rule: string | null }[]) =>
    findings.filter((f) => f.rule === '@typescript-eslint/no-unnecessary-type-assertion').map((f) => f.path);

  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace({
      'eslint.config.mjs': TYPE_AWARE_CONFIG,
      'tsconfig.json': rootConfig(true),
      'typings/clock/index.d.ts': clock(false),
      [`${APP}/src/timer.ts`]: 'export function start() {\n  tick();\n}\n',
      // The assertion is needed under strictNullChecks only.
      [`${APP}/src/name.ts`]: 'export function len(name: string | undefined) {\n  return name!.length;\n}\n',
      [`${APP}/src/plain.ts`]: 'export const plain = 1;\n',
    });
  });
  afterAll(() => ws.cleanup());

  it('cold: equals eslint', async () => {
    const { expected } = await expectEqualToEslint(ws, []);
    expect(unnecessaryAssertions(expected)).toEqual([]);
  });

  it('an automatic type outside the package goes async: every file of the project is re-linted', async () => {
    ws.write({ 'typings/clock/index.d.ts': clock(true) });
    await expectEqualToEslint(ws, ['src/timer.ts']);
  });

  it("the workspace tsconfig's strict flips off: the package is re-linted", async () => {
    ws.write({ 'tsconfig.json': rootConfig(false) });
    const { expected } = await expectEqualToEslint(ws, ['src/timer.ts']);
    expect(unnecessaryAssertions(expected)).toEqual(['src/name.ts']);
  });
});
