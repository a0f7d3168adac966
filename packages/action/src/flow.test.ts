import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEngine } from './engine';
import { runAction } from './flow';
import type { ActionsHost } from './host';

/**
 * The whole flow on a real engine, with a fake runner: what the action writes, and where.
 * The cache service is unavailable (a cold run that saves nothing); no token, so annotations
 * are workflow commands.
 */
let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Every file under `dir`, relative, with '/' (directories by their files). */
function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, child));
    else out.push(child);
  }
  return out.sort();
}

function fakeHost(inputs: Record<string, string>) {
  const outputs: Record<string, string> = {};
  const warnings: string[] = [];
  const failures: string[] = [];
  const host: ActionsHost = {
    getInput: (name) => inputs[name] ?? '',
    setOutput: (name, value) => {
      outputs[name] = String(value);
    },
    setSecret: () => {},
    debug: () => {},
    info: () => {},
    warning: (message) => warnings.push(message),
    error: () => {},
    writeLine: () => {},
    group: (_name, fn) => fn(),
    setFailed: (message) => failures.push(message),
    appendSummary: async () => {},
    restoreCache: async () => undefined,
    saveCache: async () => -1,
    isCacheAvailable: () => false,
  };
  return { host, outputs, warnings, failures };
}

async function runOnce(
  inputs: (dirs: { workspace: string; runnerTemp: string }) => Record<string, string> = () => ({}),
) {
  const workspace = tempDir('cb-flow-ws-');
  const runnerTemp = tempDir('cb-flow-temp-');
  fs.mkdirSync(path.join(workspace, 'src'));
  fs.writeFileSync(path.join(workspace, 'src/a.ts'), 'export const a = 1; // TODO: rename\n');
  fs.writeFileSync(path.join(workspace, 'src/b.py'), 'import os\n\ndef f():\n    return 1\n');
  const before = listFiles(workspace);
  const fake = fakeHost({ 'fail-on': 'none', 'save-cache': 'false', ...inputs({ workspace, runnerTemp }) });
  await runAction({
    host: fake.host,
    env: {
      GITHUB_REPOSITORY: 'octo/repo',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF_NAME: 'main',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
    },
    loadEngine,
    readFile: (file) => fs.readFileSync(file, 'utf8'),
  });
  return { ...fake, workspace, runnerTemp, before };
}

test('the SARIF file goes under RUNNER_TEMP and nothing new lands in the analysed tree', async () => {
  const run = await runOnce();
  expect(run.failures).toEqual([]);
  // The store is the one thing in the workspace (store-path, which every snapshot skips).
  const added = listFiles(run.workspace).filter((f) => !run.before.includes(f));
  expect(added.filter((f) => !f.startsWith('.codebatch/'))).toEqual([]);
  const sarifFile = run.outputs['sarif-file']!;
  expect(sarifFile).toBe(path.join(run.runnerTemp, 'codebatch.sarif'));
  expect(JSON.parse(fs.readFileSync(sarifFile, 'utf8')).version).toBe('2.1.0');
  expect(run.warnings.filter((w) => w.startsWith('sarif-file'))).toEqual([]);
});

test('with the store outside it too, the workspace is left exactly as it was', async () => {
  const storeDir = tempDir('cb-flow-store-');
  const run = await runOnce(() => ({ 'store-path': storeDir, 'sarif-file': 'reports/out.sarif' }));
  expect(run.failures).toEqual([]);
  expect(listFiles(run.workspace)).toEqual(run.before);
  expect(run.outputs['sarif-file']).toBe(path.join(run.runnerTemp, 'reports/out.sarif'));
  expect(fs.existsSync(run.outputs['sarif-file']!)).toBe(true);
});

test('an absolute sarif-file is used as given; inside the analysed directory it warns', async () => {
  const outside = tempDir('cb-flow-other-');
  const run = await runOnce(() => ({ 'sarif-file': path.join(outside, 'x.sarif') }));
  expect(run.outputs['sarif-file']).toBe(path.join(outside, 'x.sarif'));
  expect(fs.existsSync(path.join(outside, 'x.sarif'))).toBe(true);
  expect(run.warnings.filter((w) => w.startsWith('sarif-file'))).toEqual([]);

  const inside = await runOnce(({ workspace }) => ({ 'sarif-file': path.join(workspace, 'src/x.sarif') }));
  expect(inside.failures).toEqual([]);
  expect(inside.outputs['sarif-file']).toBe(path.join(inside.workspace, 'src/x.sarif'));
  expect(inside.warnings).toContainEqual(
    expect.stringMatching(/^sarif-file: .* is inside the analysed directory/),
  );
});

test('the in-toto statement goes under RUNNER_TEMP and its path is the provenance-file output', async () => {
  const storeDir = tempDir('cb-flow-store-');
  const run = await runOnce(() => ({ 'store-path': storeDir }));
  expect(run.failures).toEqual([]);
  expect(run.warnings.filter((w) => /provenance|in-toto/.test(w))).toEqual([]);
  // Nothing new in the analysed tree: the next snapshot of it is unchanged.
  expect(listFiles(run.workspace)).toEqual(run.before);
  const file = run.outputs['provenance-file']!;
  expect(file).toBe(path.join(run.runnerTemp, 'codebatch.intoto.json'));
  const statement = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(statement).toMatchObject({
    _type: 'https://in-toto.io/Statement/v1',
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: { buildDefinition: { externalParameters: { batch_id: run.outputs['batch-id'] } } },
  });
  expect(statement.subject.length).toBeGreaterThan(0);
  for (const s of statement.subject) expect(s.digest.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test('provenance-file: a relative path is resolved under RUNNER_TEMP; none writes nothing', async () => {
  const nested = await runOnce(() => ({ 'provenance-file': 'attest/statement.json' }));
  expect(nested.outputs['provenance-file']).toBe(path.join(nested.runnerTemp, 'attest/statement.json'));
  expect(fs.existsSync(nested.outputs['provenance-file']!)).toBe(true);

  const none = await runOnce(() => ({ 'provenance-file': 'none' }));
  expect(none.failures).toEqual([]);
  expect(none.outputs).not.toHaveProperty('provenance-file');
  expect(listFiles(none.runnerTemp).filter((f) => f.endsWith('.intoto.json'))).toEqual([]);
});
