import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../api/analyze';
import type { AnalyzeOptions, AnalyzeResult } from '../../api/types';
import { writeFileAtomic } from '../../store/atomic-write';
import { openStore } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { RACY_WINDOW_MS } from '../../util/time';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An unchanged `check` finds the batch of its snapshot done and verifies it; the verdict is
 * kept (indexes/verified-batches.json) and answers the next unchanged check while every file it
 * rests on stats as it did and the tasks' environments are the same.
 */
describe('verified batches', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let environment = 'first';
  let outside = 'first';
  let options: AnalyzeOptions & { registry: ReturnType<typeof createTestRegistry> };
  let first: AnalyzeResult;

  beforeAll(async () => {
    tmp = makeTempDir();
    const src = path.join(tmp.dir, 'src');
    const files: Record<string, string> = {};
    // Every third file holds a finding of the test lint task (the word BAD).
    for (let i = 0; i < 40; i += 1)
      files[`src/m${i}.ts`] = `export const v${i} = ${i}; // TODO ${i}${i % 3 === 0 ? ' BAD' : ''}\n`;
    writeTree(src, files);
    const base = createTestRegistry();
    const lint = base.get('lint');
    options = {
      storeDir: path.join(tmp.dir, 'store'),
      sourceDir: src,
      pipeline: 'lint',
      parallel: 1,
      // The lint task reads a fact outside the tree, as a tool's version or config file would be.
      registry: createTestRegistry({
        lint: {
          ...lint,
          environment: async () => ({ setting: environment }),
          // What a shard's files depend on beyond themselves (type-aware ESLint's type closures).
          shardInputs: () => ({ outside }),
        } as never,
      }),
      reuseDoneBatch: true,
    };
    first = await analyze(options);
    expect(first.shards.executed).toBeGreaterThan(0);
    // Every file of the batch is now older than the racy window of the checks below.
    await wait(RACY_WINDOW_MS + 100);
  });
  afterAll(() => tmp.cleanup());

  const verdictFile = () => path.join(options.storeDir, 'indexes', 'verified-batches.json');

  /** The files `fn` opened that `keep` selects. */
  async function filesOpened(
    fn: () => Promise<AnalyzeResult>,
    keep: (file: string) => boolean,
  ): Promise<[AnalyzeResult, string[]]> {
    const open = jest.spyOn(fs, 'openSync');
    try {
      const result = await fn();
      return [result, open.mock.calls.map(([file]) => String(file)).filter(keep)];
    } finally {
      open.mockRestore();
    }
  }

  /** The parse shards' indexes `fn` opened: a full verification reads every one of them. */
  const parseIndexesOpened = (fn: () => Promise<AnalyzeResult>) =>
    filesOpened(fn, (f) => f.includes(`${path.sep}01_parse${path.sep}`) && f.endsWith('outputs.index.jsonl'));

  /** Every shard index (of any task) `fn` opened, a stored one in objects/ included. */
  const indexesOpened = (fn: () => Promise<AnalyzeResult>) =>
    filesOpened(fn, (f) => f.endsWith('outputs.index.jsonl') || f.includes(`${path.sep}objects${path.sep}`));

  function sameReport(result: AnalyzeResult): void {
    expect(result.batchId).toBe(first.batchId);
    expect(result.shards.executed).toBe(0);
    expect({ diagnostics: result.diagnostics, counts: result.counts }).toEqual({
      diagnostics: first.diagnostics,
      counts: first.counts,
    });
  }

  it('keeps the verdict of a full verification and answers the next unchanged check from it', async () => {
    expect(fs.existsSync(verdictFile())).toBe(false);
    const [verified, read] = await parseIndexesOpened(() => analyze(options));
    sameReport(verified);
    expect(read.length).toBe(first.shards.total / 2);
    expect(fs.existsSync(verdictFile())).toBe(true);

    const [answered, readAgain] = await parseIndexesOpened(() => analyze(options));
    sameReport(answered);
    expect(readAgain).toEqual([]);
  });

  /** The kept reports' objects, by name, of the verdict of `batchId`. */
  function keptReports(storeDir: string, batchId: string): Map<string, string> {
    const file = JSON.parse(fs.readFileSync(path.join(storeDir, 'indexes', 'verified-batches.json'), 'utf8'));
    const verdict = file.verdicts.find((v: { batch_id: string }) => v.batch_id === batchId);
    return new Map(verdict?.derived ?? []);
  }

  it('keeps the report with the verdict: the next unchanged check reads no index at all', async () => {
    const store = openStore(options.storeDir);
    const index = store.layout.stateFile(first.batchId, '04_lint', '00');
    // A state rewritten: the next check verifies in full, keeps a verdict, and the report with it.
    writeFileAtomic(index, fs.readFileSync(index));
    await wait(RACY_WINDOW_MS + 100);
    const [verified, readFull] = await indexesOpened(() => analyze(options));
    sameReport(verified);
    expect(readFull.length).toBeGreaterThan(0);
    const kept = keptReports(options.storeDir, first.batchId);
    expect([...kept.keys()]).toEqual(['report/1/hint']);

    const [answered, read] = await indexesOpened(() => analyze(options));
    sameReport(answered);
    // The kept report's own object, and nothing else.
    expect(read).toEqual([store.layout.objectPath(kept.get('report/1/hint')!)]);
    expect(first.diagnostics.length).toBeGreaterThan(0);

    // Another severity is another report: derived once, kept beside the first.
    const errorsOnly = { ...options, diagnosticsFrom: 'error' as const };
    const quiet = await analyze(errorsOnly);
    expect(quiet.counts).toEqual(first.counts);
    expect(quiet.diagnostics).toEqual(first.diagnostics.filter((d) => d.severity === 'error'));
    const both = keptReports(options.storeDir, first.batchId);
    expect([...both.keys()].sort()).toEqual(['report/1/error', 'report/1/hint']);
    const [quietAgain, readQuiet] = await indexesOpened(() => analyze(errorsOnly));
    expect(quietAgain.diagnostics).toEqual(quiet.diagnostics);
    expect(readQuiet).toEqual([store.layout.objectPath(both.get('report/1/error')!)]);
  });

  it('derives the report again when its kept object is damaged or gone', async () => {
    await analyze(options);
    const kept = keptReports(options.storeDir, first.batchId).get('report/1/hint')!;
    const object = openStore(options.storeDir).layout.objectPath(kept);
    fs.chmodSync(object, 0o644);
    fs.writeFileSync(
      object,
      JSON.stringify({ diagnostics: [], counts: { error: 0, warning: 0, info: 0, hint: 0 } }),
    );
    const [damaged, read] = await indexesOpened(() => analyze(options));
    sameReport(damaged);
    expect(read.length).toBeGreaterThan(0);

    fs.rmSync(object);
    const [gone, readGone] = await indexesOpened(() => analyze(options));
    sameReport(gone);
    expect(readGone.length).toBeGreaterThan(0);
    // Derived again, and kept again: the check after it reads nothing.
    const [answered, readAfter] = await indexesOpened(() => analyze(options));
    sameReport(answered);
    expect(readAfter).toEqual([object]);
  });

  it('takes no kept report in a copied store, whatever its verdict file names', async () => {
    await analyze(options);
    const copy = path.join(tmp.dir, 'copied-store');
    fs.cpSync(options.storeDir, copy, { recursive: true });
    // A report with no diagnostics, named by the copy's verdict as a doctored cache could.
    const forged = openStore(copy).objects.writeObject(
      JSON.stringify({ diagnostics: [], counts: { error: 0, warning: 0, info: 0, hint: 0 } }),
    );
    const file = path.join(copy, 'indexes', 'verified-batches.json');
    const verdicts = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const v of verdicts.verdicts) v.derived = [['report/1/hint', forged]];
    fs.writeFileSync(file, JSON.stringify(verdicts));
    const fromCopy = await analyze({ ...options, storeDir: copy });
    sameReport(fromCopy);
  });

  it('verifies in full again once a file it rests on is replaced, and then finds a damaged index', async () => {
    const store = openStore(options.storeDir);
    const state = store.layout.stateFile(first.batchId, '01_parse', '00');
    // The same bytes under a new inode: nothing to tell from the content, but not what was verified.
    writeFileAtomic(state, fs.readFileSync(state));
    const [verified, read] = await parseIndexesOpened(() => analyze(options));
    sameReport(verified);
    expect(read.length).toBe(first.shards.total / 2);

    const index = store.layout.outputsFile(first.batchId, '01_parse', '01');
    fs.appendFileSync(index, '\n');
    const damaged = await analyze(options);
    // The done batch no longer verifies: a new batch, its shards reused or executed, not that one.
    expect(damaged.batchId).not.toBe(first.batchId);
    expect({ diagnostics: damaged.diagnostics.length, counts: damaged.counts }).toEqual({
      diagnostics: first.diagnostics.length,
      counts: first.counts,
    });
  });

  it('is not taken once a task environment differs', async () => {
    const before = await analyze(options);
    await wait(RACY_WINDOW_MS + 100);
    await analyze(options); // verifies the newest batch and keeps its verdict
    const [answered, read] = await parseIndexesOpened(() => analyze(options));
    expect(answered.batchId).toBe(before.batchId);
    expect(read).toEqual([]);
    environment = 'second';
    const changed = await analyze(options);
    expect(changed.batchId).not.toBe(before.batchId);
    expect(changed.shards.executed).toBeGreaterThan(0);
  });

  it("is not taken once a shard's inputs beyond its files differ, the environment being the same", async () => {
    const before = await analyze(options);
    await wait(RACY_WINDOW_MS + 100);
    await analyze(options);
    const [answered, read] = await parseIndexesOpened(() => analyze(options));
    expect(answered.batchId).toBe(before.batchId);
    expect(read).toEqual([]);
    outside = 'second';
    const changed = await analyze(options);
    expect(changed.batchId).not.toBe(before.batchId);
    expect(changed.shards.executed).toBeGreaterThan(0);
  });
});
