import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../store/store';
import { makeTempDir } from '../../test-support/temp-dir';
import { pruneStore } from '../prune-store';
import { objectRefsUnder, run, writeSources } from './stores';

/** gc and a batch whose batch.json it cannot read (issue 12, item 5). */
describe('gc with a damaged batch.json', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('keeps the batch, every object it names and its snapshot, and reports it', async () => {
    const src = path.join(tmp.dir, 'src');
    const storeDir = path.join(tmp.dir, 'store');
    writeSources(src);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      // Each batch over its own version of the tree: its own snapshot and some objects of its own
      // (c.ts's AST is over 4 KB, so an object rather than kept in its record).
      const items = Array.from({ length: 300 * (i + 1) }, (_, k) => k).join(', ');
      fs.writeFileSync(path.join(src, 'src/c.ts'), `export const c${i} = [${items}];\n`);
      ids.push((await run(storeDir, src)).batchId);
    }
    const [damaged, removed, newest] = ids as [string, string, string];
    const batchFile = path.join(storeDir, 'batches', damaged, 'batch.json');
    const snapshotId = JSON.parse(fs.readFileSync(batchFile, 'utf8')).snapshot_id as string;
    const text = fs.readFileSync(batchFile, 'utf8');
    fs.writeFileSync(batchFile, text.slice(0, text.length >> 1)); // torn: not JSON any more
    const named = objectRefsUnder(path.join(storeDir, 'batches', damaged));
    expect(named.size).toBeGreaterThan(0);

    const store = openStore(storeDir);
    const report = pruneStore(store, { keepBatches: 1, graceMs: 0 });
    expect(report.batches.unreadable).toEqual([damaged]);
    expect(report.batches.removed).toEqual([removed]);
    expect(report.batches.kept.sort()).toEqual([damaged, newest].sort());
    expect(report.objects.removed).toBeGreaterThan(0); // gc still collects what nothing names
    for (const hex of named) expect(store.objects.hasObject(hex)).toBe(true);
    expect(fs.readFileSync(batchFile, 'utf8')).toBe(text.slice(0, text.length >> 1));
    // Which snapshot it used is unknown once batch.json is torn: none is removed.
    expect(fs.existsSync(path.join(storeDir, 'snapshots', snapshotId, 'files.index.jsonl'))).toBe(true);
    for (const hex of objectRefsUnder(path.join(storeDir, 'snapshots', snapshotId)))
      expect(store.objects.hasObject(hex)).toBe(true);

    // Once the damage is repaired the batch is an ordinary batch again, and may go.
    fs.writeFileSync(batchFile, text);
    const again = pruneStore(store, { keepBatches: 1, graceMs: 0 });
    expect(again.batches.unreadable).toEqual([]);
    expect(again.batches.removed).toEqual([damaged]);
  }, 60_000);
});
