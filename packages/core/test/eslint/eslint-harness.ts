import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, writeTree } from '../../src/test-support/temp-dir';
import { BIN } from '../cli-harness';

/** The repository's installed packages: the real ESLint and typescript-eslint under test. */
export const REPO_NODE_MODULES = path.resolve(__dirname, '../../../../node_modules');

/**
 * typescript-eslint's type-checked recommended rules through its project service, rooted at the
 * config's folder (the workspace root), with the type-aware rules off for the config itself.
 */
export const TYPE_AWARE_CONFIG = `import tseslint from 'typescript-eslint';
export default tseslint.config(
  ...tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  { files: ['**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
);
`;

/** The compiler options of the type-aware fixtures' tsconfig files: a bundler-era project. */
export const compilerOptions = (strict: boolean) => ({
  strict,
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  noEmit: true,
  skipLibCheck: true,
});

/** One finding as ESLint reports it: the tuple equality with ESLint is judged on. */
export interface Finding {
  path: string;
  line: number | undefined;
  col: number | undefined;
  rule: string | null;
  severity: 1 | 2;
  message: string;
}

export interface Workspace {
  dir: string;
  cleanup(): void;
  write(files: Record<string, string>): void;
  remove(rel: string): void;
}

/**
 * A workspace on disk whose node_modules resolves ESLint and its plugins. `link` symlinks the
 * repository's node_modules; `farm` makes a real directory of symlinks to each of its packages,
 * so a test can add a local plugin or replace a package without touching the repository.
 */
export function makeEslintWorkspace(
  files: Record<string, string>,
  nodeModules: 'link' | 'farm' | 'none' = 'link',
): Workspace {
  const tmp = makeTempDir('codebatch-eslint-');
  const dir = path.join(tmp.dir, 'ws');
  fs.mkdirSync(dir);
  writeTree(dir, { '.gitignore': 'node_modules/\n', ...files });
  if (nodeModules === 'link') fs.symlinkSync(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  if (nodeModules === 'farm') linkFarm(REPO_NODE_MODULES, path.join(dir, 'node_modules'));
  return {
    dir,
    cleanup: tmp.cleanup,
    write: (more) => writeTree(dir, more),
    remove: (rel) => fs.rmSync(path.join(dir, rel), { recursive: true, force: true }),
  };
}

function linkFarm(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from)) {
    if (name === '.bin' || name === '.package-lock.json') continue;
    const src = path.join(from, name);
    if (name.startsWith('@')) {
      fs.mkdirSync(path.join(to, name));
      for (const inner of fs.readdirSync(src))
        fs.symlinkSync(path.join(src, inner), path.join(to, name, inner), 'dir');
    } else fs.symlinkSync(src, path.join(to, name), 'dir');
  }
}

/** Writes a package into a `farm` workspace's node_modules (replacing any link of that name). */
export function installLocalPackage(ws: Workspace, name: string, files: Record<string, string>): void {
  const dir = path.join(ws.dir, 'node_modules', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  writeTree(dir, files);
}

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `eslint -f json <target>` with the workspace's own ESLint, run from the workspace root: the
 * oracle. Paths come back relative to the target, as codebatch gives them for that root.
 */
export async function eslintFindings(
  ws: Workspace,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  target = '.',
): Promise<Finding[]> {
  const bin = path.join(ws.dir, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const r = await run(process.execPath, [bin, '-f', 'json', ...args, target], ws.dir, env);
  if (r.code !== 0 && r.code !== 1) throw new Error(`eslint exited ${r.code}: ${r.stderr}`);
  const results = JSON.parse(r.stdout) as {
    filePath: string;
    messages: { ruleId: string | null; severity: 1 | 2; message: string; line?: number; column?: number }[];
  }[];
  return sortFindings(
    results.flatMap((res) =>
      res.messages.map((m) => ({
        path: path.relative(path.join(ws.dir, target), res.filePath).split(path.sep).join('/'),
        line: m.line,
        col: m.column,
        rule: m.ruleId,
        severity: m.severity,
        message: m.message,
      })),
    ),
  );
}

export interface CheckReport {
  batch_id: string;
  store: string;
  status: string;
  taskFiles: { executed: number; reused: number };
  counts: { error: number; warning: number };
  failures: { code: string; message: string }[];
  diagnostics: {
    path: string;
    line?: number;
    col?: number;
    code?: string;
    severity?: string;
    message?: string;
    task_id: string;
    docs_url?: string;
    fixable?: boolean;
  }[];
}

/** `codebatch check --format json` of the workspace (or a folder of it) through the real binary. */
export async function check(
  ws: Workspace,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  target = '.',
): Promise<{ code: number | null; report: CheckReport; stderr: string }> {
  const dir = path.join(ws.dir, target);
  const r = await run(process.execPath, [BIN, 'check', dir, '--format', 'json', ...args], ws.dir, env);
  try {
    return { code: r.code, report: JSON.parse(r.stdout) as CheckReport, stderr: r.stderr };
  } catch {
    throw new Error(`check did not print JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}

/** Any codebatch command through the real binary, parsed as JSON (`--json` added). */
export async function codebatchJson<T>(ws: Workspace, args: string[]): Promise<T> {
  const r = await run(
    process.execPath,
    [BIN, ...args, '--store', path.join(ws.dir, '.codebatch'), '--json'],
    ws.dir,
  );
  if (r.code !== 0) throw new Error(`codebatch ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** `codebatch check` exactly as a person runs it (any format), for exit codes and errors. */
export function checkRaw(ws: Workspace, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  return run(process.execPath, [BIN, 'check', ws.dir, ...args], ws.dir, env);
}

const NO_RULE = new Set(['eslint/parse-error', 'eslint/directive']);

/** The ESLint findings of a check report, as the same tuples ESLint's JSON gives. */
export function checkFindings(report: CheckReport): Finding[] {
  return sortFindings(
    report.diagnostics
      .filter((d) => d.task_id === '05_eslint')
      .map((d) => ({
        path: d.path,
        line: d.line,
        col: d.col,
        rule: d.code && !NO_RULE.has(d.code) ? d.code : null,
        severity: d.severity === 'error' ? 2 : 1,
        message: d.message ?? '',
      })),
  );
}

function sortFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) =>
    JSON.stringify([f.path, f.line ?? 0, f.col ?? 0, f.rule ?? '', f.severity, f.message]);
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
