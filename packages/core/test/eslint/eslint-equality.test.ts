import path from 'node:path';
import {
  check,
  checkFindings,
  eslintFindings,
  makeEslintWorkspace,
  run,
  type Workspace,
} from './eslint-harness';

/**
 * Equality with ESLint itself: on real workspaces, the (path, line, col, rule, severity,
 * message) set codebatch reports equals `eslint -f json .` on the same tree and config, on a
 * cold store, a warm one, and after edits.
 */
const FLAT_CONFIG = `import js from '@eslint/js';
import tseslint from 'typescript-eslint';
export default tseslint.config(
  { ignores: ['ignored/**', 'vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } } },
  { rules: { 'no-console': 'warn', eqeqeq: 'error', 'prefer-const': ['error', { destructuring: 'all' }] } },
);
`;

const MIXED_TREE: Record<string, string> = {
  'eslint.config.mjs': FLAT_CONFIG,
  'src/a.ts': `const unused = 1;\nexport function f(x: any) {\n  console.log(x);\n  return x == 2;\n}\n`,
  'src/view.tsx': `export function View(props: { name: string }) {\n  let greeting = 'hi';\n  return <div title={greeting}>{props.name}</div>;\n}\n`,
  'src/mod.mjs': `import fs from 'node:fs';\nexport const read = (p) => fs.readFileSync(p) == null;\n`,
  'src/legacy.cjs': `const path = require('node:path');\nmodule.exports = function (a, b) { return path.join(a) };\n`,
  'src/broken.ts': `export const x = ;\n`,
  'src/disabled.js': [
    '/* eslint-disable no-undef */',
    'undefinedThing();',
    '// eslint-disable-next-line no-unused-vars',
    'var keep = 1;',
    '// eslint-disable-next-line no-debugger',
    'const fine = 2;',
    'export { fine };',
    '',
  ].join('\n'),
  'ignored/skip.js': 'var skipped = undefinedGlobal;\n',
  'vendor/lib.js': 'debugger;\n',
  'README.md': '# fixture\n',
  'data.json': '{"a": 1}\n',
};

jest.setTimeout(60_000);

describe('codebatch check --pipeline eslint equals eslint', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace(MIXED_TREE);
  });
  afterAll(() => ws.cleanup());

  it('cold: the same findings as eslint -f json, parse errors and disable directives included', async () => {
    const expected = await eslintFindings(ws);
    // The fixture must exercise what the test claims: a parse error, an unused directive, TSX, cjs.
    expect(expected.some((f) => f.rule === null && /Parsing error/.test(f.message))).toBe(true);
    expect(expected.some((f) => f.rule === null && /Unused eslint-disable/.test(f.message))).toBe(true);
    expect(new Set(expected.map((f) => f.path))).toEqual(
      new Set([
        'src/a.ts',
        'src/view.tsx',
        'src/mod.mjs',
        'src/legacy.cjs',
        'src/broken.ts',
        'src/disabled.js',
      ]),
    );
    const { code, report } = await check(ws, ['--pipeline', 'eslint']);
    expect(checkFindings(report)).toEqual(expected);
    expect(code).toBe(1);
    expect(report.taskFiles.executed).toBeGreaterThan(0);
  });

  it('warm: nothing re-linted, same findings', async () => {
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    expect(report.taskFiles.executed).toBe(0);
    expect(checkFindings(report)).toEqual(await eslintFindings(ws));
  });

  it('after edits (a fix, a new problem, a new file, a deleted file): same findings, only the edited files re-linted', async () => {
    ws.write({
      'src/a.ts': `export function f(x: number) {\n  console.log(x);\n  return x === 2 && y;\n}\n`,
      'src/new.js': `let neverReassigned = 1;\nexport default neverReassigned;\n`,
    });
    ws.remove('src/broken.ts');
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    expect(checkFindings(report)).toEqual(await eslintFindings(ws));
    expect(report.taskFiles.executed).toBe(2);
  });

  it('the lint pipeline adds ESLint when the tree has an ESLint config, with the same findings', async () => {
    const { report } = await check(ws, ['--pipeline', 'lint']);
    expect(checkFindings(report)).toEqual(await eslintFindings(ws));
    expect(report.diagnostics.some((d) => d.task_id === '04_lint')).toBe(true);
  });

  it('records carry the rule docs URL and whether a fix exists', async () => {
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    const preferConst = report.diagnostics.find((d) => d.code === 'prefer-const');
    expect(preferConst?.docs_url).toBe('https://eslint.org/docs/latest/rules/prefer-const');
    expect(preferConst?.fixable).toBe(true);
  });
});

describe('two ESLint configs for two folders', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace({
      'eslint.config.mjs': `import js from '@eslint/js';\nexport default [js.configs.recommended, { rules: { 'no-console': 'warn' } }];\n`,
      'packages/a/eslint.config.mjs': `import js from '@eslint/js';\nexport default [js.configs.recommended, { rules: { 'no-console': 'error', 'no-var': 'error' } }];\n`,
      'packages/a/src/index.js': 'var a = 1;\nconsole.log(a);\n',
      'packages/b/src/index.js': 'var b = 1;\nconsole.log(b);\n',
      'tools/run.js': 'console.log(undefinedName);\n',
    });
  });
  afterAll(() => ws.cleanup());

  it('each file is linted with the config nearest to it, as eslint does with config lookup from the file', async () => {
    const expected = await eslintFindings(ws, ['--flag', 'v10_config_lookup_from_file']);
    expect(
      expected.find((f) => f.path === 'packages/a/src/index.js' && f.rule === 'no-console')?.severity,
    ).toBe(2);
    expect(
      expected.find((f) => f.path === 'packages/b/src/index.js' && f.rule === 'no-console')?.severity,
    ).toBe(1);
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    expect(checkFindings(report)).toEqual(expected);
  });
});

describe('configs in some folders only', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace({
      'packages/a/eslint.config.mjs': `import js from '@eslint/js';\nexport default [js.configs.recommended, { rules: { 'no-var': 'error' } }];\n`,
      'packages/a/src/index.js': 'var a = undefinedA;\n',
      'vendor/lib/.eslintrc.json': JSON.stringify({
        root: true,
        parserOptions: { ecmaVersion: 2022 },
        rules: { semi: ['error', 'always'] },
      }),
      'vendor/lib/index.js': 'const v = 1\n',
      'tools/run.js': 'console.log(undefinedName);\n',
    });
  });
  afterAll(() => ws.cleanup());

  it('flat config: files no config covers are not linted; the others equal eslint run in their folder', async () => {
    // ESLint run in packages/a (its config's folder) is the oracle; `eslint .` at the top
    // would stop at tools/run.js ("Could not find config file").
    const bin = path.join(ws.dir, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const r = await run(process.execPath, [bin, '-f', 'json', 'src'], path.join(ws.dir, 'packages/a'));
    const expected = (JSON.parse(r.stdout) as { messages: { ruleId: string; line: number }[] }[]).flatMap(
      (f) => f.messages.map((m) => ({ path: 'packages/a/src/index.js', rule: m.ruleId, line: m.line })),
    );
    expect(expected.map((f) => f.rule)).toContain('no-var');
    const { code, report } = await check(ws, ['--pipeline', 'eslint']);
    expect(code).toBe(1);
    expect(checkFindings(report).map((f) => ({ path: f.path, rule: f.rule, line: f.line }))).toEqual(
      expected,
    );
  });

  it('eslintrc: a file no .eslintrc covers is not linted, instead of failing the check', async () => {
    const { code, report, stderr } = await check(ws, ['--pipeline', 'eslint'], {
      ESLINT_USE_FLAT_CONFIG: 'false',
    });
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(checkFindings(report).map((f) => `${f.path} ${f.rule}`)).toEqual(['vendor/lib/index.js semi']);
  });
});

describe('an eslintrc workspace', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace({
      '.eslintrc.json': JSON.stringify({
        root: true,
        extends: 'eslint:recommended',
        env: { node: true, es2022: true },
        parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
        rules: { 'no-console': 'warn', semi: ['error', 'always'] },
      }),
      '.eslintignore': 'build/\n',
      'src/index.js': 'const x = 1\nconsole.log(y)\n',
      'src/other.js': '/* eslint-disable-next-line no-undef */\nfoo();\n',
      'build/out.js': 'var z = undefinedThing\n',
      'src/types.ts': 'const q: number = 1\n',
    });
  });
  afterAll(() => ws.cleanup());

  it('uses the eslintrc files and .eslintignore, with the same findings as eslint (ESLINT_USE_FLAT_CONFIG=false)', async () => {
    const env = { ESLINT_USE_FLAT_CONFIG: 'false' };
    const expected = await eslintFindings(ws, [], env);
    expect(expected.some((f) => f.path === 'src/index.js' && f.rule === 'semi')).toBe(true);
    expect(expected.some((f) => f.path.startsWith('build/'))).toBe(false);
    // Detected from the tree (only eslintrc files): no environment variable needed.
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    expect(checkFindings(report)).toEqual(expected);
  });
});
