import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { sarifSubsetSchema } from '../../src/report/__tests__/sarif-subset-schema';
import { BIN } from '../cli-harness';
import {
  type CheckReport,
  check,
  checkRaw,
  makeEslintWorkspace,
  run,
  type Workspace,
} from './eslint-harness';

/** `codebatch check` as a linter's users expect it: formats, exit codes, clear errors. */
const CONFIG = `import js from '@eslint/js';
export default [js.configs.recommended, { languageOptions: { globals: { console: 'readonly' } }, rules: { 'no-console': 'warn' } }];
`;

jest.setTimeout(60_000);

describe('codebatch check', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace({
      'eslint.config.mjs': CONFIG,
      'src/bad.js': 'console.log(notDefined);\n',
      'src/warn only.js': 'console.log(1);\n',
    });
  });
  afterAll(() => ws.cleanup());

  it('--format sarif is valid SARIF 2.1.0 with the ESLint rule id, level, relative file URI, region and help URI', async () => {
    const r = await checkRaw(ws, ['--pipeline', 'eslint', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true, strict: false });
    addFormats(validate);
    expect(validate.validate(sarifSubsetSchema, sarif)).toBe(true);
    const results = sarif.runs[0].results as {
      ruleId: string;
      level: string;
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
    }[];
    const noUndef = results.find((x) => x.ruleId === 'no-undef')!;
    expect(noUndef.level).toBe('error');
    expect(noUndef.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/bad.js');
    expect(noUndef.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 1, startColumn: 13 });
    const warn = results.find(
      (x) => x.locations[0]!.physicalLocation.artifactLocation.uri === 'src/warn%20only.js',
    );
    expect(warn?.level).toBe('warning');
    const rule = sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'no-undef');
    expect(rule.helpUri).toBe('https://eslint.org/docs/latest/rules/no-undef');
  });

  it('text format prints path:line:col, severity, message and rule, then the summary line; exit 1 on errors', async () => {
    const r = await checkRaw(ws, ['--pipeline', 'eslint']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^src\/bad\.js:1:13\s+error\s+'notDefined' is not defined\.\s+no-undef$/m);
    expect(r.stdout).toMatch(/^\d+ files: \d+ executed, \d+ reused; 1 error, 2 warnings in /m);
  });

  it('exit 0 when only warnings remain, 1 when they exceed --max-warnings', async () => {
    ws.write({ 'src/bad.js': 'console.log(2);\n' });
    expect((await checkRaw(ws, ['--pipeline', 'eslint'])).code).toBe(0);
    expect((await checkRaw(ws, ['--pipeline', 'eslint', '--max-warnings', '2'])).code).toBe(0);
    const over = await checkRaw(ws, ['--pipeline', 'eslint', '--max-warnings', '1']);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/too many warnings \(maximum: 1\)/);
  });

  it('usage errors exit 2 with a code and a hint, never a stack trace', async () => {
    const r = await checkRaw(ws, ['--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[E_USAGE\]: --format must be one of text, json, sarif/);
    const missing = await checkRaw(ws, ['--pipeline', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/hint: Choose one of: parse, analyze, lint, full, eslint/);
    expect(`${r.stderr}${missing.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('the store defaults to DIR/.codebatch and is not itself linted', async () => {
    // Run from another directory, so DIR/.codebatch and ./.codebatch are told apart.
    const elsewhere = await run(
      process.execPath,
      [BIN, 'check', ws.dir, '--pipeline', 'eslint', '--json'],
      os.tmpdir(),
    );
    const report = JSON.parse(elsewhere.stdout) as CheckReport;
    expect(report.store).toBe(path.join(ws.dir, '.codebatch'));
    expect(fs.existsSync(path.join(os.tmpdir(), '.codebatch'))).toBe(false);
    expect(report.diagnostics.some((d) => d.path.startsWith('.codebatch'))).toBe(false);
    const again = await check(ws, ['--pipeline', 'eslint']);
    expect(again.report.taskFiles.executed).toBe(0);
  });
});

describe('bad ESLint input', () => {
  it('ESLint not installed where the config asks for it: E_ESLINT_NOT_FOUND naming the package to install, exit 2', async () => {
    const ws = makeEslintWorkspace({ 'eslint.config.mjs': CONFIG, 'a.js': 'x;\n' }, 'none');
    try {
      const r = await checkRaw(ws, ['--pipeline', 'eslint']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/error\[E_ESLINT_NOT_FOUND\]: ESLint is not installed/);
      expect(r.stderr).toMatch(/hint: .*npm install --save-dev eslint/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      ws.cleanup();
    }
  });

  it("a config that throws while loading: E_ESLINT_CONFIG with ESLint's message; nothing completed is lost", async () => {
    const ws = makeEslintWorkspace({
      'eslint.config.mjs': `throw new Error('config exploded on purpose');\n`,
      'a.js': 'const a = 1;\n',
      'b.py': 'import os\n',
    });
    try {
      const r = await checkRaw(ws, ['--pipeline', 'lint', '--json']);
      expect(r.code).toBe(2);
      const error = JSON.parse(r.stdout).error;
      expect(error.code).toBe('E_ESLINT_CONFIG');
      expect(error.message).toMatch(/config exploded on purpose/);
      expect(error.hints.join(' ')).toMatch(/npx eslint/);
      // codebatch's own lint shards finished and stay finished: fixing the config re-runs ESLint only.
      ws.write({ 'eslint.config.mjs': CONFIG });
      const { report } = await check(ws, ['--pipeline', 'lint']);
      expect(report.failures).toEqual([]);
      expect(report.diagnostics.some((d) => d.task_id === '04_lint' && d.path === 'b.py')).toBe(true);
      // ESLint over its four files (a.js, b.py, eslint.config.mjs, .gitignore), and parse + lint of
      // the edited config file only: the other files' codebatch results were kept.
      expect(report.taskFiles.executed).toBe(6);
    } finally {
      ws.cleanup();
    }
  });
});
