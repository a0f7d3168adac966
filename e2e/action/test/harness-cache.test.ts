import fs from 'node:fs';
import path from 'node:path';
import { type Azurite, startAzurite } from '../support/azurite';
import { type CacheService, startCacheService } from '../support/cache-service';
import { runNode } from '../support/processes';
import { buildRunnerEnv, type RunnerEnv } from '../support/runner-env';

// Each test runs the real cache client in several processes: seconds each on a loaded machine.
jest.setTimeout(60_000);

const CLIENT = path.join(__dirname, '../support/cache-client.mjs');

let azurite: Azurite;
let service: CacheService;
let runner: RunnerEnv;
let workspace: string;

beforeAll(async () => {
  azurite = await startAzurite();
  service = await startCacheService({ azurite });
});

afterAll(async () => {
  await service?.stop();
  await azurite?.stop();
});

beforeEach(async () => {
  await service.setMode('ok');
  runner = buildRunnerEnv({ workspace: '/nonexistent', cache: service });
  workspace = path.join(runner.runnerTemp, 'ws');
  fs.mkdirSync(workspace);
  runner.env.GITHUB_WORKSPACE = workspace;
});

afterEach(() => runner.cleanup());

async function client(command: 'save' | 'restore', args: Record<string, unknown>) {
  const run = await runNode([CLIENT, command, JSON.stringify(args)], {
    env: runner.env,
    cwd: workspace,
    timeoutMs: 60000,
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.code !== 0 || !last.startsWith('{"result"')) {
    throw new Error(`cache client failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return {
    result: (JSON.parse(last) as { result: unknown }).result,
    log: run.stdout,
    durationMs: run.durationMs,
  };
}

function writeStore(files: Record<string, string>) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(workspace, '.codebatch', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

test('the real @actions/cache client saves and restores through the stand-in and azurite', async () => {
  writeStore({ 'store.json': '{"v":1}', 'objects/sha256/aa/bb/aabb': 'object bytes' });
  const saved = await client('save', { paths: ['.codebatch'], key: 'cb-Linux-main-sha1' });
  expect(saved.result).toEqual(expect.any(Number));
  expect(saved.result).toBeGreaterThan(0);
  expect(service.entries()).toEqual([
    expect.objectContaining({ key: 'cb-Linux-main-sha1', finalized: true }),
  ]);

  fs.rmSync(path.join(workspace, '.codebatch'), { recursive: true });
  const restored = await client('restore', { paths: ['.codebatch'], key: 'cb-Linux-main-sha1' });
  expect(restored.result).toBe('cb-Linux-main-sha1');
  expect(fs.readFileSync(path.join(workspace, '.codebatch/objects/sha256/aa/bb/aabb'), 'utf8')).toBe(
    'object bytes',
  );
  expect(service.calls.map((c) => c.rpc)).toEqual([
    'CreateCacheEntry',
    'FinalizeCacheEntryUpload',
    'GetCacheEntryDownloadURL',
  ]);
});

test('restore keys match by prefix, newest first, in the order given', async () => {
  writeStore({ 'store.json': 'feature-old' });
  await client('save', { paths: ['.codebatch'], key: 'pfx-Linux-feature-c1' });
  writeStore({ 'store.json': 'main' });
  await client('save', { paths: ['.codebatch'], key: 'pfx-Linux-main-c2' });
  writeStore({ 'store.json': 'feature-new' });
  await client('save', { paths: ['.codebatch'], key: 'pfx-Linux-feature-c3' });

  fs.rmSync(path.join(workspace, '.codebatch'), { recursive: true });
  const branch = await client('restore', {
    paths: ['.codebatch'],
    key: 'pfx-Linux-feature-c4',
    restoreKeys: ['pfx-Linux-feature-', 'pfx-Linux-main-'],
  });
  expect(branch.result).toBe('pfx-Linux-feature-c3');
  expect(fs.readFileSync(path.join(workspace, '.codebatch/store.json'), 'utf8')).toBe('feature-new');

  const fallback = await client('restore', {
    paths: ['.codebatch'],
    key: 'pfx-Linux-other-c5',
    restoreKeys: ['pfx-Linux-other-', 'pfx-Linux-main-'],
  });
  expect(fallback.result).toBe('pfx-Linux-main-c2');

  // The cache version hashes the literal path strings: another spelling is another cache.
  const otherPath = await client('restore', { paths: ['./.codebatch'], key: 'pfx-Linux-main-c2' });
  expect(otherPath.result).toBeNull();
});

test('an existing key is not overwritten (entries are immutable)', async () => {
  writeStore({ 'store.json': 'first' });
  await client('save', { paths: ['.codebatch'], key: 'immutable-key' });
  writeStore({ 'store.json': 'second' });
  const again = await client('save', { paths: ['.codebatch'], key: 'immutable-key' });
  expect(again.result).toBe(-1);
  expect(service.entries().filter((e) => e.key === 'immutable-key')).toHaveLength(1);
});

test.each(['down', 'garbage', 'rejected'] as const)(
  'service %s: warnings, a miss, no save, and no retry delay',
  async (mode) => {
    writeStore({ 'store.json': 'x' });
    await client('save', { paths: ['.codebatch'], key: `before-${mode}` });
    await service.setMode(mode);
    const restore = await client('restore', { paths: ['.codebatch'], key: `before-${mode}` });
    expect(restore.result).toBeNull();
    expect(restore.log).toMatch(/::warning::Failed to restore/);
    const save = await client('save', { paths: ['.codebatch'], key: `during-${mode}` });
    expect(save.result).toBe(-1);
    // The client retries 5xx and non-JSON answers with 3 s+ backoff; these modes must not.
    expect(restore.durationMs + save.durationMs).toBeLessThan(15000);
    await service.setMode('ok');
    expect(service.entries().some((e) => e.key === `during-${mode}` && e.finalized)).toBe(false);
  },
);

test('failure modes can target a single RPC', async () => {
  writeStore({ 'store.json': 'x' });
  await service.setMode('rejected', ['FinalizeCacheEntryUpload']);
  const save = await client('save', { paths: ['.codebatch'], key: 'finalize-fails' });
  expect(save.result).toBe(-1);
  expect(service.calls.at(-1)).toMatchObject({ rpc: 'FinalizeCacheEntryUpload', status: 403 });
});

test('requests without the runtime token are refused', async () => {
  const response = await fetch(
    `${service.url}twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'k', version: 'v' }),
    },
  );
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
});
