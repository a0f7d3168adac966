import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AnalyzeOptions, type AnalyzeResult, CodebatchError, type OutputRecord } from '@codebatch/core';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import * as lintModule from '../lint/executor';
import lintSchema from '../lint/schema.json';
import * as runModule from '../run/executor';
import runSchema from '../run/schema.json';
import { evaluateOutcome } from '../shared/evaluate-outcome';
import { createBatchImplementation, createExecutor, orderBatchTasks } from '../shared/executor-factory';
import { LINT_DEFAULTS, RUN_DEFAULTS, resolveOptions, type TargetContext } from '../shared/options';
import { engineOptions, restrictToTask, runTarget, shouldUseColor } from '../shared/run-target';

function diag(
  pathName: string,
  line: number,
  severity: OutputRecord['severity'],
  code: string,
  message: string,
): OutputRecord {
  return {
    schema_version: 1,
    snapshot_id: 'snap1',
    batch_id: 'batch1',
    task_id: '04_lint',
    shard_id: 'ab',
    path: pathName,
    kind: 'diagnostic',
    ts: '2026-01-01T00:00:00Z',
    line,
    col: 1,
    severity,
    code,
    message,
  };
}

/** A real AnalyzeResult as the engine returns it; counts derived from the diagnostics. */
function result(diagnostics: OutputRecord[], overrides: Partial<AnalyzeResult> = {}): AnalyzeResult {
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) counts[d.severity ?? 'warning'] += 1;
  return {
    storeDir: '/ws/.codebatch',
    snapshotId: 'snap1',
    batchId: 'batch1',
    pipeline: 'lint',
    files: 3,
    shards: { total: 3, executed: 1, reused: 2, failed: 0, blocked: 0 },
    taskFiles: { executed: 2, reused: 4 },
    diagnostics,
    counts,
    status: 'done',
    failures: [],
    durationMs: 42,
    ...overrides,
  };
}

const withErrors = () =>
  result([
    diag('src/a.ts', 3, 'error', 'L101', "'fs' is imported but never used"),
    diag('src/a.ts', 1, 'warning', 'L001', 'Trailing whitespace'),
    diag('src/b.ts', 2, 'info', 'L003', 'TODO comment'),
  ]);
const clean = () => result([diag('src/b.ts', 2, 'info', 'L003', 'TODO comment')]);

let ws: string;
beforeEach(() => {
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-nx-exec-'));
});
afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

/** A stream.write stand-in: takes the chunk and reports it written, as a real stream does. */
function acceptWrite(_chunk: unknown, ...rest: unknown[]): boolean {
  const callback = rest.find((r): r is () => void => typeof r === 'function');
  callback?.();
  return true;
}

function target(overrides: Partial<TargetContext> = {}): TargetContext {
  return {
    workspaceRoot: ws,
    projectName: 'app',
    projectRoot: 'apps/app',
    targetName: 'codebatch-lint',
    allProjectRoots: ['apps/app', 'libs/lib'],
    ...overrides,
  };
}

function context(
  projects: Record<string, string>,
  projectName?: string,
  targetName?: string,
): ExecutorContext {
  return {
    root: ws,
    cwd: ws,
    isVerbose: false,
    projectName,
    targetName,
    projectsConfigurations: {
      version: 2,
      projects: Object.fromEntries(Object.entries(projects).map(([name, root]) => [name, { root }])),
    },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  };
}

describe('restrictToTask', () => {
  it("keeps a task target's own diagnostics and its inputs', and recounts", () => {
    const lintError = diag('src/a.ts', 3, 'error', 'L101', 'unused');
    const parseError = { ...diag('src/b.ts', 1, 'error', 'P001', 'syntax'), task_id: '01_parse' };
    const full = result([lintError, parseError]);
    const symbols = restrictToTask(full, 'symbols');
    expect(symbols.diagnostics).toEqual([parseError]);
    expect(symbols.counts).toEqual({ error: 1, warning: 0, info: 0, hint: 0 });
    expect(restrictToTask(full, 'lint')).toBe(full);
    expect(restrictToTask(full, undefined)).toBe(full);
  });

  it('gives ESLint findings to codebatch-lint and codebatch-eslint, not to codebatch-symbols', () => {
    const lintError = diag('src/a.ts', 3, 'error', 'L101', 'unused');
    const eslintError = {
      ...diag('src/a.js', 2, 'error', 'no-undef', "'x' is not defined."),
      task_id: '05_eslint',
    };
    const full = result([lintError, eslintError]);
    expect(restrictToTask(full, 'lint')).toBe(full);
    expect(restrictToTask(full, 'eslint').diagnostics).toEqual([eslintError]);
    expect(restrictToTask(full, 'symbols').diagnostics).toEqual([]);
  });
});

describe('evaluateOutcome', () => {
  const opts = { failLevel: 'error' as const, maxWarnings: -1 };

  it('fails on errors, passes warnings and info by default', () => {
    expect(evaluateOutcome(withErrors(), opts)).toEqual({ success: false, reasons: ['1 error'] });
    expect(evaluateOutcome(clean(), opts)).toEqual({ success: true, reasons: [] });
  });

  it('fails on anything at or above --fail-level, never with none', () => {
    expect(evaluateOutcome(clean(), { ...opts, failLevel: 'info' })).toEqual({
      success: false,
      reasons: ['1 diagnostic at or above --fail-level=info'],
    });
    expect(evaluateOutcome(withErrors(), { ...opts, failLevel: 'warning' }).reasons).toEqual([
      '2 diagnostics at or above --fail-level=warning',
    ]);
    expect(evaluateOutcome(withErrors(), { ...opts, failLevel: 'none' }).success).toBe(true);
  });

  it('fails when warnings exceed --max-warnings (0 allows none, -1 any number)', () => {
    const r = result([diag('a', 1, 'warning', 'W', 'w'), diag('b', 1, 'warning', 'W', 'w')]);
    expect(evaluateOutcome(r, { ...opts, maxWarnings: 2 }).success).toBe(true);
    expect(evaluateOutcome(r, { ...opts, maxWarnings: 1 })).toEqual({
      success: false,
      reasons: ['2 warnings (more than --max-warnings=1)'],
    });
    expect(evaluateOutcome(r, { ...opts, maxWarnings: 0 }).success).toBe(false);
  });

  it('fails when the engine did not finish, whatever the diagnostics', () => {
    const failed = result([], {
      status: 'failed',
      shards: { total: 4, executed: 1, reused: 0, failed: 2, blocked: 1 },
    });
    expect(evaluateOutcome(failed, { failLevel: 'none', maxWarnings: -1 })).toEqual({
      success: false,
      reasons: ['the engine did not finish: 2 shards failed, 1 blocked'],
    });
  });
});

describe('runTarget', () => {
  it('calls the engine on the project with the workspace store, config and implicit excludes', async () => {
    fs.mkdirSync(path.join(ws, 'apps/app'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'codebatch.config.json'), '{}');
    const calls: AnalyzeOptions[] = [];
    const engine = async (o: AnalyzeOptions) => {
      calls.push(o);
      return clean();
    };
    await runTarget(
      resolveOptions({ exclude: ['gen/**'] }, LINT_DEFAULTS, target()),
      target(),
      engine,
      false,
    );
    expect(calls).toEqual([
      {
        storeDir: path.join(ws, '.codebatch'),
        sourceDir: path.join(ws, 'apps/app'),
        pipeline: 'lint',
        configPath: path.join(ws, 'codebatch.config.json'),
        exclude: ['gen/**'],
        gitignore: true,
        force: false,
        reuseDoneBatch: true,
      },
    ]);
  });

  it("prefers the project's own config, and keeps nested projects, store and reports out of a root project", () => {
    fs.mkdirSync(path.join(ws, 'apps/app'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'apps/app/codebatch.config.json'), '{}');
    fs.writeFileSync(path.join(ws, 'codebatch.config.json'), '{}');
    expect(engineOptions(resolveOptions({}, LINT_DEFAULTS, target()), target()).configPath).toBe(
      path.join(ws, 'apps/app/codebatch.config.json'),
    );
    const root = target({
      projectName: 'root',
      projectRoot: '.',
      allProjectRoots: ['.', 'apps/app', 'libs/lib'],
    });
    const o = engineOptions(resolveOptions({}, LINT_DEFAULTS, root), root);
    expect(o.sourceDir).toBe(ws);
    expect(o.configPath).toBe(path.join(ws, 'codebatch.config.json'));
    expect(o.exclude).toEqual([
      '.codebatch/**',
      'apps/app/**',
      'libs/lib/**',
      'reports/codebatch/codebatch-lint/**',
    ]);
    // Without any config file the engine defaults apply.
    fs.rmSync(path.join(ws, 'codebatch.config.json'));
    expect(engineOptions(resolveOptions({}, LINT_DEFAULTS, root), root).configPath).toBeUndefined();
  });

  it('prints diagnostics grouped by file with workspace-relative paths, a summary, and why it failed', async () => {
    const out = await runTarget(
      resolveOptions({}, LINT_DEFAULTS, target()),
      target(),
      async () => withErrors(),
      false,
    );
    expect(out.success).toBe(false);
    expect(out.stdout).toMatchInlineSnapshot(`
"apps/app/src/a.ts:1:1  warning  Trailing whitespace  L001
apps/app/src/a.ts:3:1  error    'fs' is imported but never used  L101

apps/app/src/b.ts:2:1  info     TODO comment  L003

3 files: 2 executed, 4 reused; 1 error, 1 warning, 1 info in 42ms
batch batch1, report in reports/codebatch/apps/app/codebatch-lint
"
`);
    expect(out.stderr).toBe('app:codebatch-lint failed: 1 error\n');
  });

  it('writes report.json, report.sarif and batch-id into the report folder (the cached outputs)', async () => {
    await runTarget(resolveOptions({}, LINT_DEFAULTS, target()), target(), async () => withErrors(), false);
    const dir = path.join(ws, 'reports/codebatch/apps/app/codebatch-lint');
    expect(fs.readdirSync(dir).sort()).toEqual(['batch-id', 'report.json', 'report.sarif']);
    expect(fs.readFileSync(path.join(dir, 'batch-id'), 'utf8')).toBe('batch1\n');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({
      schema_name: 'codebatch.nx.report',
      project: 'app',
      projectRoot: 'apps/app',
      target: 'codebatch-lint',
      batchId: 'batch1',
      success: false,
      reasons: ['1 error'],
      counts: { error: 1, warning: 1, info: 1, hint: 0 },
      taskFiles: { executed: 2, reused: 4 },
    });
    expect(report.diagnostics).toHaveLength(3);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'report.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].automationDetails).toEqual({ id: 'codebatch-lint/apps/app/' });
    expect(
      sarif.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(['apps/app/src/a.ts', 'apps/app/src/a.ts', 'apps/app/src/b.ts']);
  });

  it('prints the JSON report or the SARIF document with --output-format', async () => {
    const json = await runTarget(
      resolveOptions({ outputFormat: 'json' }, LINT_DEFAULTS, target()),
      target(),
      async () => clean(),
      false,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ success: true, counts: { info: 1 } });
    expect(json.stderr).toBe('');
    const sarif = await runTarget(
      resolveOptions(
        { outputFormat: 'sarif', reportDir: '{workspaceRoot}/out/{projectName}' },
        LINT_DEFAULTS,
        target(),
      ),
      target(),
      async () => clean(),
      false,
    );
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(1);
    expect(fs.readFileSync(path.join(ws, 'out/app/report.sarif'), 'utf8')).toBe(sarif.stdout);
  });

  it('reports an engine error the user can act on, and removes a stale report', async () => {
    const options = resolveOptions({}, LINT_DEFAULTS, target());
    await runTarget(options, target(), async () => clean(), false);
    const out = await runTarget(
      options,
      target(),
      async () => {
        throw new CodebatchError('E_CONFIG_INVALID', 'codebatch.config.json: exclude: expected array', {
          hints: ['Fix the config file.'],
        });
      },
      false,
    );
    expect(out).toEqual({
      success: false,
      stdout: '',
      stderr:
        'error[E_CONFIG_INVALID]: codebatch.config.json: exclude: expected array\n  hint: Fix the config file.\n',
    });
    expect(fs.readdirSync(options.reportDir)).toEqual([]);
  });

  it('lets a defect (not a CodebatchError) propagate to Nx', async () => {
    await expect(
      runTarget(
        resolveOptions({}, LINT_DEFAULTS, target()),
        target(),
        async () => Promise.reject(new TypeError('bug')),
        false,
      ),
    ).rejects.toThrow('bug');
  });
});

describe('runTarget with ESLint', () => {
  /** Runs a target on apps/app; returns what the engine was asked for. */
  async function engineSaw(
    files: Record<string, string>,
    options: Parameters<typeof resolveOptions>[0] = {},
    defaults = LINT_DEFAULTS,
  ): Promise<{ configPath: string | undefined; eslint: unknown; pipeline?: string }> {
    for (const [rel, content] of Object.entries({ 'apps/app/src/a.js': 'x;\n', ...files })) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), content);
    }
    let seen: { configPath: string | undefined; eslint: unknown; pipeline?: string } = {
      configPath: undefined,
      eslint: undefined,
    };
    await runTarget(
      resolveOptions(options, defaults, target()),
      target(),
      async (o) => {
        seen = { configPath: o.configPath, eslint: o.eslint, pipeline: o.pipeline };
        return clean();
      },
      false,
    );
    return seen;
  }

  it("codebatch-lint hands the project's own codebatch config to the engine, whose auto finds ESLint configs above the project", async () => {
    const seen = await engineSaw({
      'eslint.config.mjs': 'export default [];\n',
      'codebatch.config.json': JSON.stringify({ tasks: { lint: { rules: { L002: 'off' } } } }),
    });
    expect(seen).toMatchObject({
      configPath: path.join(ws, 'codebatch.config.json'),
      eslint: undefined,
      pipeline: 'lint',
    });
  });

  it('keeps ESLint out of a target that does not report it (codebatch-symbols runs full)', async () => {
    const symbols = await engineSaw({ 'apps/app/.eslintrc.json': '{}' }, { task: 'symbols' }, RUN_DEFAULTS);
    expect(symbols).toMatchObject({ pipeline: 'full', eslint: false });
    // The eslint task runs the eslint pipeline, which plans ESLint unconditionally.
    const eslint = await engineSaw({}, { task: 'eslint' }, RUN_DEFAULTS);
    expect(eslint).toMatchObject({ pipeline: 'eslint', eslint: undefined });
  });

  it('prints ESLint findings with their rule ids, fails on an ESLint error, and links the rules in SARIF', async () => {
    const eslintDiag = (line: number, severity: OutputRecord['severity'], code: string, message: string) => ({
      ...diag('src/a.js', line, severity, code, message),
      task_id: '05_eslint',
      docs_url: `https://eslint.org/docs/latest/rules/${code}`,
      source: 'eslint',
    });
    const out = await runTarget(
      resolveOptions({}, LINT_DEFAULTS, target()),
      target(),
      async () =>
        result([
          eslintDiag(1, 'error', 'no-unused-vars', "'unused' is assigned a value but never used."),
          eslintDiag(2, 'warning', 'no-console', 'Unexpected console statement.'),
        ]),
      false,
    );
    expect(out.success).toBe(false);
    expect(out.stdout).toContain(
      "apps/app/src/a.js:1:1  error    'unused' is assigned a value but never used.  no-unused-vars",
    );
    expect(out.stdout).toContain('no-console');
    expect(out.stderr).toBe('app:codebatch-lint failed: 1 error\n');
    const sarif = JSON.parse(
      fs.readFileSync(path.join(ws, 'reports/codebatch/apps/app/codebatch-lint/report.sarif'), 'utf8'),
    );
    const rules = sarif.runs[0].tool.driver.rules as { id: string; helpUri?: string }[];
    expect(rules.find((r) => r.id === 'no-unused-vars')?.helpUri).toBe(
      'https://eslint.org/docs/latest/rules/no-unused-vars',
    );
  });

  it('says why shards failed (ESLint missing), once per distinct error', async () => {
    const failure = {
      taskId: '05_eslint',
      code: 'E_ESLINT_NOT_FOUND',
      message: 'ESLint is not installed in /ws',
    };
    const out = await runTarget(
      resolveOptions({}, LINT_DEFAULTS, target()),
      target(),
      async () =>
        result([], {
          status: 'failed',
          shards: { total: 4, executed: 2, reused: 0, failed: 2, blocked: 0 },
          failures: [
            { ...failure, shardId: '00' },
            { ...failure, shardId: '01' },
          ],
        }),
      false,
    );
    expect(out.success).toBe(false);
    expect(out.stderr).toBe(
      '05_eslint failed in 2 shards: error[E_ESLINT_NOT_FOUND]: ESLint is not installed in /ws\n' +
        'app:codebatch-lint failed: the engine did not finish: 2 shards failed, 0 blocked\n',
    );
  });
});

describe('executors', () => {
  it('lint and run export a default executor and a batchImplementation', () => {
    expect(typeof lintModule.default).toBe('function');
    expect(typeof lintModule.batchImplementation).toBe('function');
    expect(typeof runModule.default).toBe('function');
    expect(typeof runModule.batchImplementation).toBe('function');
  });

  it('the executor prints the report and returns success from the outcome', async () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(acceptWrite);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(acceptWrite);
    try {
      const ctx = context({ app: 'apps/app' }, 'app', 'codebatch-lint');
      expect(await createExecutor(LINT_DEFAULTS, async () => withErrors())({}, ctx)).toEqual({
        success: false,
      });
      expect(await createExecutor(LINT_DEFAULTS, async () => clean())({}, ctx)).toEqual({ success: true });
      expect(
        await createExecutor(LINT_DEFAULTS, async () => withErrors())({ failLevel: 'none' }, ctx),
      ).toEqual({
        success: true,
      });
      expect(stdout.mock.calls.map(([s]) => String(s)).join('')).toContain('apps/app/src/a.ts:3:1  error');
      expect(stderr.mock.calls.map(([s]) => String(s))).toEqual(['app:codebatch-lint failed: 1 error\n']);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });

  it('the run executor derives the pipeline from --task', async () => {
    const pipelines: (string | undefined)[] = [];
    const engine = async (o: AnalyzeOptions) => {
      pipelines.push(o.pipeline);
      return clean();
    };
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(acceptWrite);
    try {
      const ctx = context({ app: 'apps/app' }, 'app', 'codebatch-parse');
      await createExecutor(RUN_DEFAULTS, engine)({}, ctx);
      await createExecutor(RUN_DEFAULTS, engine)({ task: 'parse' }, ctx);
      await createExecutor(RUN_DEFAULTS, engine)({ pipeline: 'analyze' }, ctx);
    } finally {
      stdout.mockRestore();
    }
    expect(pipelines).toEqual(['full', 'parse', 'analyze']);
  });
});

describe('batchImplementation', () => {
  /** An engine as the batch opens it, recording when the batch releases it. */
  function opened(analyze: (o: AnalyzeOptions) => Promise<AnalyzeResult>) {
    const log: string[] = [];
    return {
      log,
      open: () => {
        log.push('open');
        return {
          analyze: (o: AnalyzeOptions) => {
            log.push('analyze');
            return analyze(o);
          },
          close: async () => {
            log.push('close');
          },
        };
      },
    };
  }

  function graph(tasks: string[], deps: Record<string, string[]> = {}, edges = false): TaskGraph {
    return {
      roots: tasks.filter((t) => !deps[t]?.length),
      tasks: Object.fromEntries(
        tasks.map((id) => {
          const [project, targetName] = id.split(':');
          return [id, { id, target: { project: project!, target: targetName! }, overrides: {}, outputs: [] }];
        }),
      ) as unknown as TaskGraph['tasks'],
      // Nx 24 gives edges ({ id }), Nx 21-23 plain ids: both must work.
      dependencies: Object.fromEntries(
        tasks.map((t) => [t, (deps[t] ?? []).map((d) => (edges ? { id: d } : d))]),
      ) as unknown as TaskGraph['dependencies'],
      continuousDependencies: {},
    };
  }

  it('runs every project in one process, in dependency order, and returns each terminal output', async () => {
    const seen: string[] = [];
    const engine = async (o: AnalyzeOptions) => {
      seen.push(`${path.relative(ws, o.sourceDir)}:${o.pipeline}`);
      return o.sourceDir.endsWith('app') ? withErrors() : clean();
    };
    const ctx = context({ app: 'apps/app', lib: 'libs/lib' });
    const tg = graph(['lib:codebatch-lint', 'app:codebatch-lint', 'app:codebatch-parse'], {
      'app:codebatch-lint': ['app:codebatch-parse'],
    });
    const results = [];
    const opening = opened(engine);
    for await (const r of createBatchImplementation(LINT_DEFAULTS, opening.open)(
      tg,
      { 'lib:codebatch-lint': {}, 'app:codebatch-lint': {}, 'app:codebatch-parse': { pipeline: 'parse' } },
      {},
      ctx,
    )) {
      results.push(r);
    }
    // app's parse fails (an error at the fail level), so its lint is skipped, as Nx does with dependsOn.
    expect(seen).toEqual(['apps/app:parse', 'libs/lib:lint']);
    // One engine for the whole batch (its worker threads serve every project), released at the end.
    expect(opening.log).toEqual(['open', 'analyze', 'analyze', 'close']);
    expect(results.map((r) => [r.task, r.result.success, r.result.status])).toEqual([
      ['app:codebatch-parse', false, 'failure'],
      ['lib:codebatch-lint', true, 'success'],
      ['app:codebatch-lint', false, 'skipped'],
    ]);
    expect(results[0]!.result.terminalOutput).toContain('apps/app/src/a.ts:3:1  error');
    expect(results[0]!.result.terminalOutput).toContain('app:codebatch-parse failed: 1 error');
    expect(results[1]!.result.terminalOutput).toContain('libs/lib/src/b.ts:2:1  info');
    expect(fs.existsSync(path.join(ws, 'reports/codebatch/libs/lib/codebatch-lint/report.json'))).toBe(true);
  });

  it('orders tasks with Nx 24 edges as well as Nx 21 ids', () => {
    const deps = { 'a:lint': ['a:parse'], 'b:lint': ['b:parse'] };
    const ids = ['b:lint', 'a:lint', 'b:parse', 'a:parse'];
    expect(orderBatchTasks(graph(ids, deps))).toEqual(['a:parse', 'b:parse', 'a:lint', 'b:lint']);
    expect(orderBatchTasks(graph(ids, deps, true))).toEqual(['a:parse', 'b:parse', 'a:lint', 'b:lint']);
  });

  it("keeps going when one project's run throws", async () => {
    const engine = async (o: AnalyzeOptions) => {
      if (o.sourceDir.endsWith('app')) throw new TypeError('boom');
      return clean();
    };
    const results = [];
    const opening = opened(engine);
    for await (const r of createBatchImplementation(LINT_DEFAULTS, opening.open)(
      graph(['app:codebatch-lint', 'lib:codebatch-lint']),
      {},
      {},
      context({ app: 'apps/app', lib: 'libs/lib' }),
    )) {
      results.push(r);
    }
    expect(results.map((r) => [r.task, r.result.success])).toEqual([
      ['app:codebatch-lint', false],
      ['lib:codebatch-lint', true],
    ]);
    expect(results[0]!.result.terminalOutput).toContain('TypeError: boom');
    expect(opening.log).toEqual(['open', 'analyze', 'analyze', 'close']);
  });

  it('releases the engine when the consumer stops after the first result', async () => {
    const opening = opened(async () => clean());
    const batch = createBatchImplementation(LINT_DEFAULTS, opening.open)(
      graph(['app:codebatch-lint', 'lib:codebatch-lint']),
      {},
      {},
      context({ app: 'apps/app', lib: 'libs/lib' }),
    );
    for await (const _ of batch) break;
    expect(opening.log).toEqual(['open', 'analyze', 'close']);
  });
});

describe('schema.json', () => {
  function defaultsOf(schema: { properties: object }): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(schema.properties as Record<string, { default?: unknown }>)
        .filter(([, p]) => 'default' in p)
        .map(([k, p]) => [k, p.default]),
    );
  }

  it('has the same defaults as the executors (lint and run)', () => {
    expect(defaultsOf(lintSchema)).toEqual(LINT_DEFAULTS);
    expect(defaultsOf(runSchema)).toEqual(RUN_DEFAULTS);
  });

  it('describes every option, and lint has every option run has but task', () => {
    for (const schema of [lintSchema, runSchema]) {
      for (const [name, p] of Object.entries(schema.properties)) {
        expect([name, typeof (p as { description?: string }).description]).toEqual([name, 'string']);
      }
    }
    expect(Object.keys(runSchema.properties).filter((k) => !(k in lintSchema.properties))).toEqual(['task']);
  });
});

describe('shouldUseColor', () => {
  it('colours terminals unless NO_COLOR; FORCE_COLOR decides either way', () => {
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});
