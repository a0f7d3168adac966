import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** Preload that makes a child exit when its parent (the test process) goes away. */
export const WATCHDOG = path.join(__dirname, 'parent-watchdog.cjs');

const live = new Set<ChildProcess>();
let hooked = false;

/**
 * Remembers a child so that it is killed synchronously if the test process exits without
 * running its teardown (an uncaught error, `process.exit`). The watchdog covers SIGKILL.
 *
 * @returns a function that forgets the child again (after a normal stop)
 */
export function registerForExitCleanup(child: ChildProcess): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const c of live) {
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
    });
  }
  live.add(child);
  return () => live.delete(child);
}

/**
 * Stops a child by its own pid: SIGTERM, then SIGKILL after `graceMs`. Resolves once it exited.
 */
export async function killChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Runs `node <args>` with exactly the given environment (nothing inherited except what the
 * caller passes), under the watchdog and a hard timeout. Never rejects on a non-zero exit:
 * tests assert on the result.
 */
export async function runNode(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--require', WATCHDOG, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const unregister = registerForExitCleanup(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const timeoutMs = options.timeoutMs ?? 60000;
  const timer = setTimeout(() => {
    stderr += `\n[harness] killed after ${timeoutMs} ms`;
    child.kill('SIGKILL');
  }, timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('close', (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  unregister();
  return { code, signal, stdout, stderr, durationMs: Date.now() - started };
}
