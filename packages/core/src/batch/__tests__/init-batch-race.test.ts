import fs from 'node:fs';
import path from 'node:path';
import { spawnCli, waitExit } from '../../../test/cli-harness';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, type Store } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { initBatch } from '../init-batch';
import { listBatches } from '../read-batch';

const registry = createTestRegistry();

/** Two `batch init` with one id, and inits interrupted part-way (issue 12, item 5). */
describe('initBatch under races and crashes', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let storeDir: string;
  let snapshotId: string;
  beforeEach(async () => {
    tmp = makeTempDir();
    writeTree(path.join(tmp.dir, 'src'), { 'a.ts': 'export const a = 1;\n', 'b.ts': 'BAD\n' });
    storeDir = path.join(tmp.dir, 'store');
    store = initStore(storeDir).store;
    snapshotId = (await createSnapshot(store, path.join(tmp.dir, 'src'), {})).record.snapshot_id;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    tmp.cleanup();
  });

  const init = (pipeline: string, who: string) =>
    initBatch(store, { snapshotId, pipeline, id: 'X', registry, metadata: { who } });
  const batchDir = () => path.join(storeDir, 'batches', 'X');
  const taskDirs = () => fs.readdirSync(path.join(batchDir(), 'tasks')).sort();

  /**
   * Runs `outer`; at its first rename into batches/X (the moment it commits) runs `inner` to
   * completion: the tightest interleaving two processes can produce.
   */
  function interleave(outer: () => unknown, inner: () => unknown) {
    const realRename = fs.renameSync;
    let fired = false;
    let innerError: unknown;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (!fired && String(to).startsWith(batchDir())) {
        fired = true;
        try {
          inner();
        } catch (error) {
          innerError = error;
        }
      }
      return realRename(from, to);
    });
    let outerError: unknown;
    try {
      outer();
    } catch (error) {
      outerError = error;
    }
    expect(fired).toBe(true);
    return { outerError, innerError };
  }

  /** Exactly one of the two failed, with E_BATCH_EXISTS; the batch on disk is the other's alone. */
  function expectOneWinner(errors: { outerError: unknown; innerError: unknown }) {
    const failed = [errors.outerError, errors.innerError].filter((e) => e !== undefined);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'E_BATCH_EXISTS' });
    const winner = errors.outerError === undefined ? 'outer' : 'inner';
    const batch = listBatches(store);
    expect(batch.map((b) => [b.batch_id, b.metadata?.who])).toEqual([['X', winner]]);
    const plan = JSON.parse(fs.readFileSync(path.join(batchDir(), 'plan.json'), 'utf8'));
    const expected = winner === 'outer' ? ['01_parse'] : ['01_parse', '02_analyze', '03_symbols', '04_lint'];
    expect(plan.tasks.map((t: { task_id: string }) => t.task_id)).toEqual(expected);
    expect(taskDirs()).toEqual(expected);
  }

  it('two inits racing on one id: exactly one wins, the other gets E_BATCH_EXISTS, nothing is mixed', () => {
    expectOneWinner(
      interleave(
        () => init('parse', 'outer'),
        () => init('full', 'inner'),
      ),
    );
    // A third, later init fails the same way and changes nothing.
    expect(() => init('parse', 'late')).toThrow(expect.objectContaining({ code: 'E_BATCH_EXISTS' }));
  });

  it('a directory left by an interrupted init is replaced, never merged into', () => {
    writeTree(batchDir(), {
      'plan.json': '{"half":',
      'tasks/99_stale/task.json': '{}',
      'tasks/01_parse/shards/zz/state.json': '{"status":"done"}',
    });
    const { batch, tasks } = init('parse', 'retry');
    expect(batch.metadata).toEqual({ who: 'retry' });
    expect(taskDirs()).toEqual(tasks.map((t) => t.task_id));
    expect(fs.existsSync(path.join(batchDir(), 'tasks/01_parse/shards/zz'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(batchDir(), 'plan.json'), 'utf8')).batch_id).toBe('X');
  });

  it('two inits racing over such a leftover directory: still exactly one wins', () => {
    writeTree(batchDir(), { 'tasks/99_stale/task.json': '{}' });
    expectOneWinner(
      interleave(
        () => init('parse', 'outer'),
        () => init('full', 'inner'),
      ),
    );
  });

  it('an init that fails part-way leaves nothing under batches/, and a retry with the id works', () => {
    const realWrite = fs.writeFileSync;
    const spy = jest.spyOn(fs, 'writeFileSync').mockImplementation((file, ...rest) => {
      if (String(file).endsWith('plan.json'))
        throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
      return realWrite(file, ...rest);
    });
    expect(() => init('full', 'first')).toThrow(expect.objectContaining({ code: 'E_DISK_FULL' }));
    spy.mockRestore();
    expect(fs.existsSync(batchDir())).toBe(false);
    // Its staging directory went too (a kill -9 would leave it in tmp/ for gc).
    expect(fs.readdirSync(path.join(storeDir, 'tmp')).filter((n) => n.startsWith('batch-X'))).toEqual([]);
    expect(init('full', 'second').batch.metadata).toEqual({ who: 'second' });
    expect(listBatches(store).map((b) => b.batch_id)).toEqual(['X']);
  });

  // Real processes: needs packages/core/dist (`npx tsc -b packages/core`, as `npm test` does).
  it('two `batch init --id` processes at once: one exits 0, the other E_BATCH_EXISTS', async () => {
    for (const id of ['P1', 'P2', 'P3', 'P4']) {
      const args = ['batch', 'init', '--snapshot', snapshotId, '--id', id, '--store', storeDir, '--json'];
      const results = await Promise.all([waitExit(spawnCli(args)), waitExit(spawnCli(args))]);
      const codes = results.map((r) => r.code).sort();
      expect({ id, codes }).toEqual({ id, codes: [0, 2] });
      const loser = results.find((r) => r.code === 2)!;
      expect(JSON.parse(loser.stdout || loser.stderr).error.code).toBe('E_BATCH_EXISTS');
    }
    expect(
      listBatches(store)
        .map((b) => b.batch_id)
        .sort(),
    ).toEqual(['P1', 'P2', 'P3', 'P4']);
  }, 60_000);
});
