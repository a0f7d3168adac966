import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import type { OutputRecord } from '../../schemas/output-record';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { readJsonl } from '../../store/jsonl';
import { initStore } from '../../store/store';
import { createDefaultRegistry } from '../../tasks/default-registry';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { runBatch } from '../run-batch';

/** Reuse verifies every object a result references, transitively: a chunk manifest's chunks too. */
describe('reusing a shard checks the chunks behind its chunk manifests', () => {
  it('re-executes instead of reusing when a chunk of a stored AST is gone, and restores it', async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      const body = Array.from(
        { length: 80 },
        (_, i) => `export function f${i}(a: number) { return a + ${i}; }`,
      ).join('\n');
      writeTree(src, { 'big.ts': `${body}\n` });
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const registry = createDefaultRegistry();
      const snap = await createSnapshot(store, src, {});
      const plan = (id: string) =>
        initBatch(store, {
          snapshotId: snap.record.snapshot_id,
          pipeline: 'parse',
          shards: 1,
          registry,
          id,
          config: { chunkThreshold: 1024 },
        });
      plan('b1');
      await runBatch(store, { batchId: 'b1', registry });
      const shard = fs.readdirSync(store.layout.shardsDir('b1', '01_parse'))[0]!;
      const ast = readJsonl<OutputRecord>(store.layout.outputsFile('b1', '01_parse', shard)).records.find(
        (r) => r.kind === 'ast',
      )!;
      expect(ast.format).toMatch(/\+chunks$/);
      const manifest = JSON.parse(store.objects.readObject(ast.object!.slice(7)).toString('utf8')) as {
        chunks: { object: string }[];
      };
      const chunk = manifest.chunks[0]!.object.slice(7);
      fs.rmSync(store.objects.objectPath(chunk));

      plan('b2');
      const second = await runBatch(store, { batchId: 'b2', registry });
      expect(second.results.map((r) => r.outcome)).toEqual(['executed']);
      expect(store.objects.verifyObject(chunk)).toBe('ok');
    } finally {
      tmp.cleanup();
    }
  });
});
