import { spawn } from 'node:child_process';
import path from 'node:path';
import { startAzurite } from '../support/azurite';
import { WATCHDOG } from '../support/processes';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

test('stop() ends azurite', async () => {
  const azurite = await startAzurite();
  expect(alive(azurite.pid)).toBe(true);
  const response = await fetch(`http://127.0.0.1:${azurite.port}/${azurite.accountName}?comp=list`);
  expect(response.status).toBeGreaterThanOrEqual(200);
  await azurite.stop();
  expect(alive(azurite.pid)).toBe(false);
});

test('a child under the watchdog exits when its parent is killed with SIGKILL', async () => {
  // A parent that starts a long-lived grandchild under the watchdog, prints its pid, and idles.
  const script = `
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, ['--require', ${JSON.stringify(WATCHDOG)}, '-e', 'setInterval(() => {}, 1000)'], { stdio: ['pipe', 'ignore', 'ignore'] });
    console.log(c.pid);
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: path.dirname(WATCHDOG),
  });
  const grandchild = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
  );
  expect(alive(grandchild)).toBe(true);
  parent.kill('SIGKILL');
  expect(await waitFor(() => !alive(grandchild), 5000)).toBe(true);
});
