import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFixtureCorpus } from '../src/test-support/fixture-corpus';
import { MODULE_PROBE, type ModuleProbe, readWorkerNotes } from './module-probe';

/**
 * The runs people repeat (issue 13), through the real binary: what a no-op `check` must not
 * do (load task code, start workers), what a one-file change must do (execute that file once
 * per task and nothing else), and that a reused shard reads back as the new batch's.
 */
jest.setTimeout(120_000);

// Not from cli-harness: that loads the engine's sources, which this suite never needs.
const BIN = path.resolve(__dirname, '../bin/codebatch.js');

interface CheckJson {
  batch_id: string;
  snapshot_id: string;
  status: string;
  shards: { total: number; executed: number; reused: number; failed: number };
  taskFiles: { executed: number; reused: number };
  diagnostics: unknown[];
}

/** Modules that only a task's execution needs: its implementation, its parsers. */
const EXECUTION_ONLY = [
  /[\\/]dist[\\/]tasks[\\/](parse|analyze|symbols|lint|eslint)[\\/][^\\/]*-task\.js$/,
  /[\\/]dist[\\/]tasks[\\/]shared[\\/](ts|python)-tree\.js$/,
  /[\\/]node_modules[\\/]typescript[\\/]lib[\\/]typescript\.js$/,
  /[\\/]node_modules[\\/]web-tree-sitter[\\/]/,
  /[\\/]node_modules[\\/]eslint[\\/]/,
];

/** The task code a run loaded on this thread, from the module probe. */
const executionModules = (p: ModuleProbe) => p.loaded.filter((f) => EXECUTION_ONLY.some((re) => re.test(f)));

/**
 * Runs the CLI. With `probeFile`, the module probe (`probe.cjs` beside it) is preloaded and
 * writes there, and the modules of dist/ run rather than the bundle, so that the probe sees each
 * one load (the bundle keeps the same modules, each run on its first require).
 */
function runCli(args: string[], probeFile?: string): { code: number | null; stdout: string; stderr: string } {
  if (probeFile) fs.rmSync(probeFile, { force: true });
  const r = spawnSync(
    process.execPath,
    [...(probeFile ? ['-r', path.join(path.dirname(probeFile), 'probe.cjs')] : []), BIN, ...args],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: {
        ...process.env,
        ...(probeFile ? { CODEBATCH_TEST_PROBE: probeFile, CODEBATCH_BUNDLE: '0' } : {}),
      },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A `check --format json` run: its report, and with a probe what the probe saw. */
function runCheck(args: string[], probeFile?: string): { json: CheckJson; probe?: ModuleProbe } {
  const r = runCli(['check', ...args, '--format', 'json'], probeFile);
  if (r.code !== 0 && r.code !== 1) throw new Error(`check exited ${r.code}: ${r.stderr}`);
  const json = JSON.parse(r.stdout) as CheckJson;
  return probeFile
    ? { json, probe: JSON.parse(fs.readFileSync(probeFile, 'utf8')) as ModuleProbe }
    : { json };
}

describe('warm runs', () => {
  let root: string;
  let tree: string;
  let store: string;
  let probeFile: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-warm-'));
    tree = path.join(root, 'tree');
    store = path.join(root, 'store');
    writeFixtureCorpus(tree);
    // Enough files that a cold run starts worker threads (the runner keeps small runs inline).
    fs.mkdirSync(path.join(tree, 'gen'));
    for (let i = 0; i < 240; i += 1)
      fs.writeFileSync(path.join(tree, 'gen', `m${i}.ts`), `export const m${i} = ${i}; // TODO: ${i}\n`);
    fs.writeFileSync(path.join(root, 'probe.cjs'), MODULE_PROBE);
    probeFile = path.join(root, 'probe.json');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const codebatch = (args: string[], probe = false) => runCli(args, probe ? probeFile : undefined);

  function check(probe = false): { json: CheckJson; probe?: ModuleProbe } {
    return runCheck(
      [tree, '--pipeline', 'full', '--store', store, '--parallel', '2'],
      probe ? probeFile : undefined,
    );
  }

  function expectVerified(): void {
    const r = codebatch(['verify', '--store', store, '--json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  }

  let cold: CheckJson;

  it('a cold check starts workers (the probe sees them; the task code loads in the workers)', () => {
    const r = check(true);
    cold = r.json;
    expect(cold.status).toBe('done');
    expect(cold.shards.executed).toBeGreaterThan(1);
    expect(r.probe!.workers).toBeGreaterThan(0);
    expectVerified();
  });

  it('a no-op check loads no task module, starts no worker, and reports the same diagnostics', () => {
    const r = check(true);
    expect(executionModules(r.probe!)).toEqual([]);
    expect(r.probe!.workers).toBe(0);
    expect(r.json.taskFiles.executed).toBe(0);
    expect(r.json.diagnostics).toEqual(cold.diagnostics);
    expectVerified();
  });

  it('--quiet reports the same counts and exit code while holding only the failing diagnostics', () => {
    const text = (extra: string[]) =>
      codebatch(['check', tree, '--pipeline', 'full', '--store', store, '--fail-on', 'warning', ...extra]);
    const loud = text([]);
    const quiet = text(['--quiet']);
    expect(quiet.code).toBe(loud.code);
    const summary = (out: string) =>
      out
        .trim()
        .split('\n')
        .pop()!
        .replace(/ in [0-9.]+m?s\b.*$/, '')
        .replace(/^.*?; /, ''); // the counts, not the work (the first run of the file executes)
    expect(summary(quiet.stdout)).toBe(summary(loud.stdout));
    const warnings = Number(/(\d+) warnings?/.exec(summary(loud.stdout))?.[1]);
    // Columns are padded to the widest row shown, so lines are compared with spaces collapsed.
    const squeeze = (l: string) => l.replace(/ +/g, ' ');
    const diagnosticLines = (out: string) => out.split('\n').filter((l) => /:\d+:\d+ +\w+ /.test(l));
    const loudLines = new Set(diagnosticLines(loud.stdout).map(squeeze));
    // The full report has diagnostics below the fail level; the quiet one shows exactly the
    // failing ones (every warning, no info), each as the full report shows it.
    expect(diagnosticLines(loud.stdout).some((l) => / info /.test(l))).toBe(true);
    const shown = diagnosticLines(quiet.stdout);
    expect(shown.length).toBe(warnings);
    expect(warnings).toBeGreaterThan(0);
    for (const line of shown) {
      expect(line).toMatch(/:\d+:\d+ +warning /);
      expect(loudLines.has(squeeze(line))).toBe(true);
    }
  });

  it('one changed file executes exactly that file, once per task, and reused shards read back with the new batch ids', () => {
    const edited = 'src/main.ts';
    fs.appendFileSync(path.join(tree, edited), '\n// edited\n');
    const { json, probe } = check(true);
    // Four task-files run on this thread, so here the probe sees the task code load.
    expect(executionModules(probe!).length).toBeGreaterThan(0);
    expect(json.status).toBe('done');
    expect(json.batch_id).not.toBe(cold.batch_id);
    expect(json.snapshot_id).not.toBe(cold.snapshot_id);

    const status = JSON.parse(
      codebatch(['status', '--batch', json.batch_id, '--store', store, '--json']).stdout,
    ) as {
      tasks: { task_id: string; files: { executed: number; reused: number } }[];
    };
    // The full pipeline's four tasks all take TypeScript: one execution each, the rest reused.
    expect(status.tasks.map((t) => [t.task_id, t.files.executed])).toEqual(
      ['01_parse', '02_analyze', '03_symbols', '04_lint'].map((id) => [id, 1]),
    );
    expect(json.taskFiles.executed).toBe(4);
    // Shards follow paths, so this first edit after the cold run leaves the file in its shard:
    // one shard per task executes (by content, the shard it left executed as well).
    expect(json.shards.executed).toBe(4);
    expect(json.shards.reused).toBeGreaterThan(0);

    // Every record of the new batch, reused shards included, carries the new batch's ids.
    const outputs = JSON.parse(
      codebatch(['query', 'outputs', '--batch', json.batch_id, '--store', store, '--json']).stdout,
    ) as { total: number; records: { batch_id: string; snapshot_id: string; path: string }[] };
    expect(outputs.records.length).toBe(outputs.total);
    expect(outputs.total).toBeGreaterThan(1000);
    expect(new Set(outputs.records.map((o) => `${o.batch_id} ${o.snapshot_id}`))).toEqual(
      new Set([`${json.batch_id} ${json.snapshot_id}`]),
    );
    expect(outputs.records.some((o) => o.path === 'packages/app/src/index.ts')).toBe(true);
    expectVerified();
  });
});

describe('warm runs on a tree large enough to warm a worker', () => {
  let root: string;
  let tree: string;
  let probeFile: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-warm-big-'));
    tree = path.join(root, 'tree');
    writeFixtureCorpus(tree);
    // Above the 2,000 files at which a changed tree warms a worker while it is snapshotted.
    for (let d = 0; d < 21; d += 1) {
      fs.mkdirSync(path.join(tree, 'gen', `d${d}`), { recursive: true });
      for (let i = 0; i < 100; i += 1)
        fs.writeFileSync(
          path.join(tree, 'gen', `d${d}`, `m${i}.ts`),
          `export const m${i} = ${d}; // TODO: ${i}\n`,
        );
    }
    fs.writeFileSync(path.join(root, 'probe.cjs'), MODULE_PROBE);
    probeFile = path.join(root, 'probe.json');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function check(store: string, parallel: string): { json: CheckJson; probe: ModuleProbe } {
    const r = runCheck([tree, '--pipeline', 'lint', '--store', store, '--parallel', parallel], probeFile);
    return { json: r.json, probe: r.probe! };
  }

  const comparable = (json: CheckJson) =>
    (json.diagnostics as { batch_id: string; snapshot_id: string; ts?: string }[]).map(
      ({ batch_id: _b, snapshot_id: _s, ts: _t, ...d }) => d,
    );

  it('one changed file: one worker, warmed while the tree is snapshotted, executes it; this thread loads no task code', () => {
    const store = path.join(root, 'store');
    check(store, '2');
    fs.appendFileSync(path.join(tree, 'gen/d7/m42.ts'), '// edited: TODO again\n');
    const { json, probe } = check(store, '2');
    expect(json.status).toBe('done');
    expect(json.taskFiles.executed).toBe(2);
    expect(json.shards.executed).toBe(2);
    expect(probe.workers).toBe(1);
    expect(executionModules(probe)).toEqual([]);

    // The same tree from scratch on this thread alone: the same diagnostics.
    const inline = check(path.join(root, 'store-inline'), '1');
    expect(inline.probe.workers).toBe(0);
    expect(executionModules(inline.probe).length).toBeGreaterThan(0);
    expect(comparable(json)).toEqual(comparable(inline.json));
    expect(json.diagnostics.length).toBeGreaterThan(2000);
  });

  it('the run after the edit, its file still too recent for the stat cache to trust, warms no worker and loads no task code', () => {
    const { json, probe } = check(path.join(root, 'store'), '2');
    expect(json.taskFiles.executed).toBe(0);
    expect(probe.workers).toBe(0);
    expect(executionModules(probe)).toEqual([]);
  });

  it('the warmed worker reads the memo tables while the tree is snapshotted, and its run reads none again', () => {
    for (const f of fs.readdirSync(root)) if (f.includes('.worker-')) fs.rmSync(path.join(root, f));
    fs.appendFileSync(path.join(tree, 'gen/d3/m7.ts'), '// edited: TODO once more\n');
    const { json, probe } = check(path.join(root, 'store'), '2');
    expect(json.taskFiles.executed).toBe(2);
    expect(probe.workers).toBe(1);
    const [notes] = readWorkerNotes(probeFile);
    const opened = notes!.indexOf('request open');
    expect(notes!.indexOf('request prepare')).toBe(0);
    expect(opened).toBeGreaterThan(0);
    expect(notes!.slice(0, opened).filter((n) => n.startsWith('read '))).toEqual(
      expect.arrayContaining(['read 01_parse.jsonl', 'read 04_lint.jsonl']),
    );
    expect(notes!.slice(opened).filter((n) => n.startsWith('read '))).toEqual([]);
    expect(notes!.slice(opened)).toContain('request chain');
  });
});
