import { spawn } from 'node:child_process';
import path from 'node:path';
import { main } from '../src/cli/main';

export const BIN = path.resolve(__dirname, '../bin/codebatch.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (fast; same code path as the binary, minus process start-up). */
export async function cli(argv: string[], cwd?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTty: false,
  });
  return { code, stdout, stderr };
}

/** Runs `cli` and parses its JSON stdout, failing loudly with stderr when it is not JSON. */
export async function cliJson<T = unknown>(argv: string[], cwd?: string): Promise<{ code: number; json: T }> {
  const r = await cli([...argv, '--json'], cwd);
  try {
    return { code: r.code, json: JSON.parse(r.stdout) as T };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}

/** Spawns the real binary (packages/core/dist must be built: `npm test` builds first). */
export function spawnCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...argv], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function waitExit(
  child: ReturnType<typeof spawnCli>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}
