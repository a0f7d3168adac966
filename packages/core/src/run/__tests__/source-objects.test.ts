import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { queryDiagnostics } from '../../query/query-diagnostics';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { writeFully } from '../../store/object-store';
import { initStore, type Store } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { sha256Hex } from '../../util/hash';
import { runBatch } from '../run-batch';

/**
 * No unverified byte reaches a task: the content of every file a task analyses is checked
 * against its digest; a bad object is re-ingested from the tree when the file still matches,
 * and otherwise the shard fails without committing or memoising anything derived from it.
 */
const registry = createTestRegistry();

describe('source objects read for execution', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  let store: Store;
  const content = 'const BAD = 1;\nexport const ok = 2;\n';
  const hex = sha256Hex(content);

  beforeEach(async () => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'src');
    writeTree(src, { 'a.ts': content, 'b.ts': 'export const b = 3;\n' });
    store = initStore(path.join(tmp.dir, 'store')).store;
  });
  afterEach(() => tmp.cleanup());

  async function run(force = true) {
    const snap = await createSnapshot(store, src, {});
    const { batch } = initBatch(store, {
      snapshotId: snap.record.snapshot_id,
      pipeline: 'lint',
      shards: 1,
      registry,
    });
    return runBatch(store, { batchId: batch.batch_id, registry, force });
  }
  const objectFile = () => store.objects.objectPath(hex);

  it('a corrupt object whose source file still matches is repaired and analysed as the original', async () => {
    const clean = await run();
    expect(clean.counts.failed).toBe(0);
    fs.writeFileSync(objectFile(), 'const GOOD = 1;\n'); // same length class, other bytes
    const again = await run();
    expect(again.counts.failed).toBe(0);
    expect(again.counts.executed).toBe(2);
    expect(store.objects.verifyObject(hex)).toBe('ok');
    // The task saw the original bytes: its finding on BAD (absent from the corrupt object) is there.
    const findings = (batchId: string) =>
      queryDiagnostics(store, batchId).records.map((d) => `${d.path} ${d.code} ${d.line}`);
    expect(findings(again.batchId)).toEqual(findings(clean.batchId));
    expect(findings(again.batchId).some((f) => f.startsWith('a.ts '))).toBe(true);
  });

  it('a missing object whose source file still matches is re-ingested', async () => {
    await run();
    fs.rmSync(objectFile());
    const again = await run();
    expect(again.counts.failed).toBe(0);
    expect(fs.readFileSync(objectFile(), 'utf8')).toBe(content);
  });

  it('a corrupt object whose source changed too fails the shard with E_OBJECT_CORRUPT, and nothing is memoised from it', async () => {
    const snap = await createSnapshot(store, src, {});
    fs.writeFileSync(objectFile(), 'const GOOD = 1;\n');
    fs.writeFileSync(path.join(src, 'a.ts'), 'changed since the snapshot\n');
    const { batch } = initBatch(store, {
      snapshotId: snap.record.snapshot_id,
      pipeline: 'lint',
      shards: 1,
      registry,
    });
    const summary = await runBatch(store, { batchId: batch.batch_id, registry });
    expect(summary.counts.failed).toBe(1);
    expect(summary.results.find((r) => r.outcome === 'failed')?.error?.code).toBe('E_OBJECT_CORRUPT');
    const memoDir = path.join(store.layout.indexesDir, 'memo');
    const memo = fs.existsSync(memoDir)
      ? fs
          .readdirSync(memoDir)
          .map((f) => fs.readFileSync(path.join(memoDir, f), 'utf8'))
          .join('')
      : '';
    expect(memo).not.toContain(`"b":"${batch.batch_id}"`);
  });
});

describe('object writes', () => {
  it('writes the rest after a short write, and refuses a write that makes no progress', () => {
    const tmp = makeTempDir();
    try {
      const file = path.join(tmp.dir, 'obj');
      const bytes = Buffer.from('0123456789');
      const real = fs.writeSync;
      let calls = 0;
      const spy = jest.spyOn(fs, 'writeSync').mockImplementation(((
        fd: number,
        buf: Uint8Array,
        offset: number,
        length: number,
      ) => {
        calls += 1;
        // The first call writes 3 bytes only, as a nearly full disk can.
        return real(fd, buf, offset, calls === 1 ? Math.min(3, length) : length);
      }) as typeof fs.writeSync);
      const fd = fs.openSync(file, 'w');
      writeFully(fd, bytes, 'test');
      fs.closeSync(fd);
      expect(fs.readFileSync(file, 'utf8')).toBe('0123456789');
      spy.mockImplementation((() => 0) as unknown as typeof fs.writeSync);
      const fd2 = fs.openSync(file, 'w');
      expect(() => writeFully(fd2, bytes, 'test')).toThrow(/short write/);
      fs.closeSync(fd2);
      spy.mockRestore();
    } finally {
      tmp.cleanup();
    }
  });
});
