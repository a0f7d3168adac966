import fs from 'node:fs';
import path from 'node:path';
import {
  check,
  checkFindings,
  codebatchJson,
  eslintFindings,
  installLocalPackage,
  makeEslintWorkspace,
  REPO_NODE_MODULES,
  type Workspace,
} from './eslint-harness';

/**
 * What a file's cached ESLint result is keyed on: a change to a rule's severity or options, to a
 * plugin's version, to ESLint's version or to the config file re-lints exactly the files whose
 * result it can change, and the results still equal ESLint's.
 */
const pluginFiles = (version: string) => ({
  'package.json': JSON.stringify({ name: 'eslint-plugin-local', version, main: 'index.js' }),
  'index.js': `const pkg = require('./package.json');
module.exports = {
  meta: { name: pkg.name, version: pkg.version },
  rules: {
    'no-foo': {
      meta: { type: 'problem', docs: { url: 'https://example.test/no-foo' }, messages: { foo: 'No foo here.' } },
      create(context) {
        return {
          Identifier(node) {
            if (node.name === 'foo') context.report({ node, messageId: 'foo' });
            if (node.name === 'CRASH') throw new Error('boom from no-foo');
          },
        };
      },
    },
  },
};
`,
});

const config = (opts: {
  jsSeverity: string;
  tsOption: string;
  comment?: string;
}) => `import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from 'eslint-plugin-local';
${opts.comment ?? ''}
export default tseslint.config(
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js'], rules: { 'no-var': '${opts.jsSeverity}' } },
  { files: ['**/*.ts'], rules: { 'prefer-const': ['error', { destructuring: '${opts.tsOption}' }] } },
  { files: ['lib/**/*.js'], plugins: { local }, rules: { 'local/no-foo': 'error' } },
);
`;

const TREE = {
  'src/one.ts': 'let { a, b } = { a: 1, b: 2 };\nb = 3;\nexport { a, b };\n',
  'src/two.ts': 'let n = 1;\nexport { n };\n',
  'src/three.js': 'var three = 3;\nexport { three };\n',
  'lib/foo.js': 'export const foo = 1;\nvar bar = foo;\nexport { bar };\n',
  'lib/other.js': 'export const other = 2;\n',
};

jest.setTimeout(60_000);

describe('ESLint result keys', () => {
  let ws: Workspace;
  const executed = async () => {
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    expect(checkFindings(report)).toEqual(await eslintFindings(ws));
    return report.taskFiles.executed;
  };

  beforeAll(async () => {
    ws = makeEslintWorkspace(
      { ...TREE, 'eslint.config.mjs': config({ jsSeverity: 'warn', tsOption: 'all' }) },
      'farm',
    );
    installLocalPackage(ws, 'eslint-plugin-local', pluginFiles('1.0.0'));
    expect(await executed()).toBe(7); // five sources, the config file itself and .gitignore
  });
  afterAll(() => ws.cleanup());

  it('an unchanged tree re-lints nothing', async () => {
    expect(await executed()).toBe(0);
  });

  it('a rule severity change for .js files re-lints exactly the .js files (and the edited config)', async () => {
    ws.write({ 'eslint.config.mjs': config({ jsSeverity: 'error', tsOption: 'all' }) });
    // src/three.js, lib/foo.js, lib/other.js + eslint.config.mjs (its own bytes changed)
    expect(await executed()).toBe(4);
  });

  it('a rule options change for .ts files re-lints exactly the .ts files', async () => {
    ws.write({ 'eslint.config.mjs': config({ jsSeverity: 'error', tsOption: 'any' }) });
    expect(await executed()).toBe(3); // src/one.ts, src/two.ts + the config file
  });

  it('an edit of the config that changes no file config re-lints only the config file itself', async () => {
    ws.write({
      'eslint.config.mjs': config({ jsSeverity: 'error', tsOption: 'any', comment: '// a comment' }),
    });
    expect(await executed()).toBe(1);
  });

  it("a plugin version change re-lints exactly the files the plugin's rules apply to; explain-miss names it", async () => {
    installLocalPackage(ws, 'eslint-plugin-local', pluginFiles('1.1.0'));
    expect(await executed()).toBe(2); // lib/foo.js, lib/other.js
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    const shards = await codebatchJson<{ shard_id: string; task_id: string }[]>(ws, [
      'shards',
      '--batch',
      report.batch_id,
    ]);
    const shard = shards.find((s) => s.task_id === '05_eslint')!.shard_id;
    // The second check over the same tree reports the batch of the first (nothing re-ran), so
    // the batch before it is the last one with 1.0.0.
    const batches = await codebatchJson<{ batch_id: string }[]>(ws, ['batch', 'list']);
    expect(batches.at(-1)!.batch_id).toBe(report.batch_id);
    const before = batches.at(-2)!.batch_id;
    const why = await codebatchJson<{
      changes: { part: string; field?: string; from: unknown; to: unknown }[];
    }>(ws, [
      'explain-miss',
      '--batch',
      report.batch_id,
      '--task',
      '05_eslint',
      '--shard',
      shard,
      '--against',
      before,
    ]);
    expect(why.changes).toContainEqual({
      part: 'environment',
      field: 'packages.eslint-plugin-local',
      from: '1.0.0',
      to: '1.1.0',
    });
  });

  it('an ESLint version change re-lints every file', async () => {
    const eslintDir = path.join(ws.dir, 'node_modules', 'eslint');
    fs.rmSync(eslintDir, { recursive: true, force: true });
    fs.cpSync(fs.realpathSync(path.join(REPO_NODE_MODULES, 'eslint')), eslintDir, { recursive: true });
    const pkgFile = path.join(eslintDir, 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    pkg.version = `${pkg.version}-codebatch.test`;
    fs.writeFileSync(pkgFile, JSON.stringify(pkg));
    expect(await executed()).toBe(6);
  });

  it('a run over an unchanged tree and toolchain does not even load ESLint', async () => {
    // ESLint's entry point now throws on load: a run that loaded it would fail.
    const api = path.join(ws.dir, 'node_modules', 'eslint', 'lib', 'api.js');
    const original = fs.readFileSync(api);
    fs.writeFileSync(api, 'throw new Error("ESLint was loaded");\n');
    try {
      const { code, report } = await check(ws, ['--pipeline', 'eslint']);
      expect(report.failures).toEqual([]);
      expect(report.taskFiles.executed).toBe(0);
      expect(code).toBe(1); // the findings are still there, from the store
      expect(report.counts.error).toBeGreaterThan(0);
    } finally {
      fs.writeFileSync(api, original);
    }
  });

  it('a rule that crashes on one file is a diagnostic on that file naming the rule; the other files are linted', async () => {
    ws.write({ 'lib/crash.js': 'export const CRASH = 1;\n' });
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    const onCrash = report.diagnostics.filter((d) => d.path === 'lib/crash.js');
    expect(onCrash).toHaveLength(1);
    expect(onCrash[0]!.message).toMatch(/local\/no-foo/);
    expect(onCrash[0]!.message).toMatch(/boom from no-foo/);
    expect(report.diagnostics.some((d) => d.path === 'lib/foo.js' && d.code === 'local/no-foo')).toBe(true);
    // A crash is not remembered: the next run tries the file again.
    ws.write({ 'lib/crash.js': 'export const fine = 1;\n' });
    expect(await executed()).toBe(1);
  });
});

describe('an ESLint config above the checked directory (an Nx project under the workspace config)', () => {
  const rootConfig = (unused: string) =>
    `import js from '@eslint/js';\nexport default [js.configs.recommended, { rules: { 'no-unused-vars': '${unused}' } }];\n`;
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace({
      'eslint.config.mjs': rootConfig('error'),
      'app/src/a.js': 'const unused = 1;\n',
    });
  });
  afterAll(() => ws.cleanup());

  it('is found under "auto", and editing it re-lints the project', async () => {
    const app = { ...ws, dir: `${ws.dir}/app` };
    const first = await check(app, ['--pipeline', 'lint']);
    expect(first.report.diagnostics.some((d) => d.code === 'no-unused-vars')).toBe(true);
    ws.write({ 'eslint.config.mjs': rootConfig('off') });
    const second = await check(app, ['--pipeline', 'lint']);
    expect(second.report.diagnostics.some((d) => d.code === 'no-unused-vars')).toBe(false);
    expect(second.report.taskFiles.executed).toBeGreaterThan(0);
  });
});
