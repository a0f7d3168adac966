import path from 'node:path';
import wt from 'node:worker_threads';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { analyze } from '../analyze';
import { createAnalyzer } from '../create-analyzer';
import type { AnalyzeOptions, AnalyzeResult } from '../types';

/**
 * createAnalyzer against separate analyze() calls, with the real engine and real worker
 * threads (from the build output): the Nx plugin's run-many makes one call per project, and
 * must get the same batches while starting its threads once.
 */
jest.setTimeout(180_000);

/** Enough files that the runner hands chains to worker threads (it keeps small runs inline). */
function writeProject(root: string, name: string): void {
  const files: Record<string, string> = {
    'src/index.ts': `export const project = '${name}';\n`,
    // Lint findings, so the comparison covers diagnostics and not only counts.
    'src/todo.ts': `// TODO: ${name}\nexport const x = 1;   \n`,
  };
  for (let i = 0; i < 220; i += 1) files[`gen/m${i}.ts`] = `export const ${name}${i} = ${i}; // FIXME ${i}\n`;
  writeTree(root, files);
}

/**
 * Counts worker threads as the engine constructs them (it reads Worker from the module at call
 * time), and the shard chains handed to them.
 */
function countWorkers(): { count: () => number; chains: () => number; restore: () => void } {
  const Original = wt.Worker;
  let count = 0;
  let chains = 0;
  wt.Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      count += 1;
    }
    override postMessage(message: unknown, transfer?: readonly wt.TransferListItem[]): void {
      if ((message as { type?: string }).type === 'chain') chains += 1;
      super.postMessage(message, transfer);
    }
  };
  return {
    count: () => count,
    chains: () => chains,
    restore: () => {
      wt.Worker = Original;
    },
  };
}

/** What must not depend on how the call was made: everything but ids, paths and times. */
function comparable(r: AnalyzeResult) {
  return {
    pipeline: r.pipeline,
    files: r.files,
    shards: r.shards,
    taskFiles: r.taskFiles,
    counts: r.counts,
    status: r.status,
    failures: r.failures,
    diagnostics: r.diagnostics.map(({ batch_id: _b, snapshot_id: _s, ts: _t, ...d }) => d),
  };
}

describe('createAnalyzer', () => {
  let root: string;
  let cleanup: () => void;
  let workers: ReturnType<typeof countWorkers>;

  beforeAll(() => {
    ({ dir: root, cleanup } = makeTempDir('cb-analyzer-'));
    writeProject(path.join(root, 'a'), 'alpha');
    writeProject(path.join(root, 'b'), 'beta');
    // Too small for a run to start threads of its own.
    writeTree(path.join(root, 'tiny'), { 'src/t.ts': '// TODO: tiny\nexport const t = 1;\n' });
  });
  afterAll(() => cleanup());
  beforeEach(() => {
    workers = countWorkers();
  });
  afterEach(() => workers.restore());

  const call = (store: string, project: string): AnalyzeOptions => ({
    storeDir: path.join(root, store),
    sourceDir: path.join(root, project),
    pipeline: 'full',
    parallel: 2,
  });

  it('serves several calls with the worker threads it started once, with the results of separate calls', async () => {
    const separate = [await analyze(call('separate', 'a')), await analyze(call('separate', 'b'))];
    // Each separate call starts its own threads: what the analyzer is there to avoid.
    expect(workers.count()).toBe(4);

    const analyzer = createAnalyzer();
    let shared: AnalyzeResult[];
    let again: AnalyzeResult;
    let tiny: AnalyzeResult;
    try {
      shared = [await analyzer.analyze(call('shared', 'a')), await analyzer.analyze(call('shared', 'b'))];
      again = await analyzer.analyze(call('shared', 'a'));
      expect(analyzer.workersStarted).toBe(2);
      // A small tree runs on the warm threads (the compiler is loaded there) instead of this one.
      const chainsBefore = workers.chains();
      tiny = await analyzer.analyze(call('shared', 'tiny'));
      expect(workers.chains()).toBeGreaterThan(chainsBefore);
      expect(analyzer.workersStarted).toBe(2);
    } finally {
      await analyzer.close();
    }
    expect(workers.count()).toBe(4 + 2);
    const chainsBefore = workers.chains();
    expect(comparable(await analyze(call('separate', 'tiny')))).toEqual(comparable(tiny));
    expect([workers.count(), workers.chains()]).toEqual([6, chainsBefore]);

    for (const r of [...separate, ...shared]) {
      // The work really went through the workers: every shard of every task executed.
      expect(r.status).toBe('done');
      expect(r.shards.executed).toBe(r.shards.total);
      expect(r.counts.warning + r.counts.info).toBeGreaterThan(0);
    }
    expect(shared.map(comparable)).toEqual(separate.map(comparable));
    expect(new Set(shared.map((r) => r.batchId)).size).toBe(2);

    // Reuse is unchanged: the same tree again executes nothing and reports the same diagnostics.
    expect(again.taskFiles.executed).toBe(0);
    expect(again.shards.executed).toBe(0);
    expect(comparable(again).diagnostics).toEqual(comparable(separate[0]!).diagnostics);
    expect(tiny.shards.executed).toBeGreaterThan(0);
  });

  it('gives overlapping calls threads of their own, and results as separate calls give', async () => {
    const analyzer = createAnalyzer({ parallel: 2 });
    let both: AnalyzeResult[];
    try {
      both = await Promise.all([
        analyzer.analyze({ ...call('overlap-a', 'a'), parallel: undefined }),
        analyzer.analyze({ ...call('overlap-b', 'b'), parallel: undefined }),
      ]);
      // A thread runs one chain at a time: two runs at once lease two threads each.
      expect(analyzer.workersStarted).toBe(4);
    } finally {
      await analyzer.close();
    }
    const alone = await analyze(call('alone', 'b'));
    expect(both.map((r) => r.shards.executed)).toEqual(both.map((r) => r.shards.total));
    expect(comparable(both[1]!)).toEqual(comparable(alone));
  });
});
