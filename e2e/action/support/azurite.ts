import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killChild, registerForExitCleanup, WATCHDOG } from './processes';

/** The emulator's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const AZURITE_BLOB_MAIN = path.join(REPO_ROOT, 'node_modules/azurite/dist/src/blob/main.js');
const LISTENING = /successfully listens on (http:\/\/127\.0\.0\.1:(\d+))/;

export interface Azurite {
  port: number;
  pid: number;
  /** Path-style endpoint for the development account: http://127.0.0.1:<port>/devstoreaccount1 */
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
  /** Everything the emulator printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts azurite-blob on 127.0.0.1 with a port the kernel picks (`--blobPort 0`; azurite prints
 * the real one), in-memory persistence and a throwaway working directory. The process carries
 * the parent watchdog, so it exits with the test process even when `stop()` is never reached.
 *
 * @param options.timeoutMs how long to wait for the "listens on" line (default 20 s)
 * @returns a handle whose `stop()` kills the emulator and removes its directory
 */
export async function startAzurite(options: { timeoutMs?: number } = {}): Promise<Azurite> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-azurite-'));
  const args = [
    '--require',
    WATCHDOG,
    AZURITE_BLOB_MAIN,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--loose',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--inMemoryPersistence',
    // Azurite would otherwise size its in-memory extent store at half of the machine's memory.
    '--extentMemoryLimit',
    '256',
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const unregister = registerForExitCleanup(child);
  let output = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  const cleanup = async () => {
    unregister();
    await killChild(child);
    fs.rmSync(cwd, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`azurite did not start within ${options.timeoutMs ?? 20000} ms:\n${output}`)),
        options.timeoutMs ?? 20000,
      );
      const onData = (chunk: string) => {
        output += chunk;
        const match = LISTENING.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[2]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`azurite exited early (code ${code}, signal ${signal}):\n${output}`));
      });
    });
    return {
      port,
      pid: child.pid!,
      blobEndpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      log: () => output,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
