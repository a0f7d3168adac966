import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';

export const registry = createTestRegistry();

export const TREE: Record<string, string> = {
  'src/a.ts': 'function alpha() {}\nconst x = "BAD";\n',
  'src/b.ts': 'function beta() {}\n',
  'src/c.py': 'def gamma():\n    pass  # BAD\n',
  'docs/readme.md': '# Title\n\nBAD words here\n',
  'lib/d.js': 'function delta() { return 1; }\n',
};

/**
 * A store with one snapshot of `tree`; `newBatch` plans a batch over it (test registry), by path
 * unless given `hash_prefix` (a batch as versions before path_hash planned it).
 */
export async function setupStore(tree: Record<string, string> = TREE, shards = 4) {
  const tmp = makeTempDir('codebatch-prov-');
  const src = path.join(tmp.dir, 'src');
  writeTree(src, tree);
  const { store } = initStore(path.join(tmp.dir, 'store'));
  const snap = await createSnapshot(store, src, {});
  const newBatch = (
    id?: string,
    config?: Parameters<typeof initBatch>[1]['config'],
    snapshotId = snap.record.snapshot_id,
    strategy?: Parameters<typeof initBatch>[1]['strategy'],
  ) =>
    initBatch(store, { snapshotId, pipeline: 'full', shards, id, registry, config, strategy }).batch.batch_id;
  const snapshotOf = async (next: Record<string, string>, dir = 'src2') => {
    const d = path.join(tmp.dir, dir);
    writeTree(d, next);
    return (await createSnapshot(store, d, {})).record.snapshot_id;
  };
  return { tmp, src, store, snapshotId: snap.record.snapshot_id, newBatch, snapshotOf };
}
