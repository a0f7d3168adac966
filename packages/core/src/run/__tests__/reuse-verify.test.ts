import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import type { OutputRecord } from '../../schemas/output-record';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { readJsonl } from '../../store/jsonl';
import { initStore } from '../../store/store';
import { createDefaultRegistry } from '../../tasks/default-registry';
import { objectAstSources } from '../../test-support/object-ast-sources';
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

describe('reusing an index whose objects were found present', () => {
  it('looks its objects up at the first reuse only, while the index file is as it was', async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      writeTree(src, objectAstSources(24));
      const { store } = initStore(path.join(tmp.dir, 'store'));
      const registry = createDefaultRegistry();
      const run = async (id: string, edit: string) => {
        fs.appendFileSync(path.join(src, 'm0.ts'), `export const edit = '${edit}';\n`);
        const snap = await createSnapshot(store, src, {});
        initBatch(store, { snapshotId: snap.record.snapshot_id, pipeline: 'parse', shards: 4, registry, id });
        const exists = jest.spyOn(fs, 'existsSync');
        try {
          const summary = await runBatch(store, { batchId: id, registry });
          return { summary, looked: exists.mock.calls.map(([f]) => String(f)) };
        } finally {
          exists.mockRestore();
        }
      };
      await run('b1', 'first');
      // The ASTs of the shards without the edited file, which every later run reuses whole.
      const asts = new Set<string>();
      for (const shard of fs.readdirSync(store.layout.shardsDir('b1', '01_parse'))) {
        const records = readJsonl<OutputRecord>(store.layout.outputsFile('b1', '01_parse', shard)).records;
        if (records.some((r) => r.path === 'm0.ts')) continue;
        for (const r of records) if (r.kind === 'ast') asts.add(store.objects.objectPath(r.object!.slice(7)));
      }
      expect(asts.size).toBeGreaterThan(10);
      const lookedUp = (looked: string[]) => looked.filter((f) => asts.has(f)).length;

      const second = await run('b2', 'second');
      expect(second.summary.results.filter((r) => r.outcome === 'reused').length).toBe(3);
      const firstReuse = lookedUp(second.looked);
      expect(firstReuse).toBeGreaterThan(0);

      const third = await run('b3', 'third');
      expect(third.summary.results.filter((r) => r.outcome === 'reused').length).toBe(3);
      expect(lookedUp(third.looked)).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });
});
