import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const PACKAGES = {
  core: path.join(REPO_ROOT, 'packages/core'),
  nx: path.join(REPO_ROOT, 'packages/nx-plugin'),
};

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr, for assertions that do not care which stream. */
  output: string;
}

/** Runs a command to completion (bounded by `timeoutMs`), collecting its output. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${args.join(' ')} timed out after ${options.timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 300000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

/** What every nx invocation gets: no daemon, no cloud, no TUI, no colours, no prompts. */
export const NX_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_INTERACTIVE: 'false',
  CI: 'true',
  FORCE_COLOR: '0',
  NO_COLOR: '1',
};

/**
 * Packs the two packages as npm would publish them. They must be built first (dist/):
 * `npx tsc -b packages/core packages/nx-plugin`.
 */
export async function packTarballs(dest: string): Promise<{ core: string; nx: string }> {
  const out: Record<string, string> = {};
  for (const [key, dir] of Object.entries(PACKAGES)) {
    if (!fs.existsSync(path.join(dir, 'dist/index.js'))) {
      throw new Error(`${dir}/dist is missing: build first (npx tsc -b packages/core packages/nx-plugin)`);
    }
    const r = await run('npm', ['pack', '--pack-destination', dest, '--json', '--ignore-scripts'], {
      cwd: dir,
    });
    if (r.code !== 0) throw new Error(`npm pack in ${dir} failed:\n${r.output}`);
    const [info] = JSON.parse(r.stdout) as { filename: string }[];
    out[key] = path.join(dest, info!.filename);
  }
  return out as { core: string; nx: string };
}

export function writeTree(root: string, files: Record<string, string | object>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

/** The file behind an installed package's bin (its location moves between versions: nx 24 has dist/bin). */
export function binOf(root: string, pkg: string, name: string): string {
  const dir = path.join(root, 'node_modules', pkg);
  const { bin } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const rel = typeof bin === 'string' ? bin : bin?.[name];
  if (!rel) throw new Error(`${pkg} has no "${name}" bin`);
  return path.join(dir, rel);
}

export interface Workspace {
  root: string;
  /** The packed packages the workspace installed (for `nx add <name>@file:<tarball>`). */
  tarballs: { core: string; nx: string };
  nx(args: string[]): Promise<RunResult>;
  codebatch(args: string[]): Promise<RunResult>;
  git(args: string[]): Promise<RunResult>;
  readJson<T = unknown>(rel: string): T;
  write(files: Record<string, string | object>): void;
  cleanup(): void;
}

/**
 * The version of a package this repository has installed: a workspace that asks for exactly
 * it installs from the local npm cache.
 */
export function repoVersion(pkg: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

const NX_VERSION = repoVersion('nx');

/**
 * A fresh Nx workspace: the files given, package.json with nx (the version this repository
 * uses, from the local npm cache) and the packed tarballs, `npm install --prefer-offline`,
 * and a git repository with everything committed (for `nx affected`).
 */
export async function createWorkspace(
  files: Record<string, string | object>,
  options: { devDependencies?: Record<string, string> } = {},
): Promise<Workspace> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-e2e-nx-'));
  const tarballs = await packTarballs(fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-e2e-tgz-')));
  writeTree(root, {
    'package.json': {
      name: 'codebatch-e2e-workspace',
      private: true,
      devDependencies: {
        nx: NX_VERSION,
        ...options.devDependencies,
        '@codebatch/core': `file:${tarballs.core}`,
        '@codebatch/nx': `file:${tarballs.nx}`,
      },
    },
    ...files,
  });
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: root,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    timeoutMs: 480000,
  });
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.output}`);

  const git = (args: string[]) =>
    run('git', ['-c', 'user.email=e2e@codebatch.invalid', '-c', 'user.name=e2e', ...args], { cwd: root });
  await git(['init', '-q', '-b', 'main']);
  await git(['add', '-A']);
  await git(['commit', '-q', '-m', 'initial']);

  const nxBin = binOf(root, 'nx', 'nx');
  const codebatchBin = binOf(root, '@codebatch/core', 'codebatch');
  return {
    root,
    tarballs,
    nx: (args) =>
      run(process.execPath, [nxBin, ...args], {
        cwd: root,
        // Nx 24 keeps its cache under ~/.nx/<workspace hash>/ by default: keep it in the temp
        // workspace so that cleanup removes it.
        env: { ...NX_ENV, NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache') },
      }),
    codebatch: (args) =>
      run(process.execPath, [codebatchBin, ...args], {
        cwd: root,
      }),
    git,
    readJson: (rel) => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')),
    write: (more) => writeTree(root, more),
    cleanup: () => {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(path.dirname(tarballs.core), { recursive: true, force: true });
    },
  };
}
