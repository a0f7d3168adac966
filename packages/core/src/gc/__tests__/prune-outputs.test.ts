import fs from 'node:fs';
import path from 'node:path';
import { readShardState } from '../../batch/shard-state';
import { queryOutputs } from '../../query/query-outputs';
import { openStore } from '../../store/store';
import { makeTempDir } from '../../test-support/temp-dir';
import { verifyStore } from '../../verify/verify-store';
import { collectIndexRefs, pruneStore } from '../prune-store';
import { run, writeSources } from './stores';

/**
 * gc keeps a record's output objects without opening them (they are opaque to the store), and
 * still follows the one output that names objects: a chunk manifest. Also through a reused
 * shard, whose records are an index object its state references.
 */
describe('gc and output objects', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('keeps chunked and unchunked outputs of kept batches, opening only chunk manifests', async () => {
    const src = path.join(tmp.dir, 'src');
    const storeDir = path.join(tmp.dir, 'store');
    // ASTs of three sizes: kept in the record (at most 4 KB), an object, and chunked (over 8 KB).
    const list = (n: number) => Array.from({ length: n }, (_, i) => i).join(', ');
    writeSources(src, {
      'src/small.ts': 'export const a = 1;\n',
      'src/medium.ts': `export const medium = [${list(250)}];\n`,
      'src/big.ts': `export const big = [${list(1500)}];\n`,
    });
    const configPath = path.join(tmp.dir, 'codebatch.config.json');
    fs.writeFileSync(configPath, JSON.stringify({ chunkThreshold: 8192 }));
    const first = await run(storeDir, src, { configPath });
    // A second batch of another tree whose unchanged shards reference the first one's indexes.
    fs.writeFileSync(path.join(src, 'src/new.ts'), 'export const n = 2;\n');
    const second = await run(storeDir, src, { configPath });
    const store = openStore(storeDir);
    const before = queryOutputs(store, second.batchId).records;
    const outputs = before.filter((r) => r.object !== undefined);
    const chunked = outputs.filter((r) => r.format?.endsWith('+chunks'));
    const plain = outputs.filter((r) => !r.format?.endsWith('+chunks'));
    expect(chunked.length).toBeGreaterThan(0);
    expect(plain.length).toBeGreaterThan(0);
    expect(before.some((r) => r.kind === 'ast' && r.inline !== undefined)).toBe(true);
    const reusing = fs
      .readdirSync(store.layout.shardsDir(second.batchId, '01_parse'))
      .map((s) => readShardState(store, second.batchId, '01_parse', s))
      .filter((s) => s.outputs_ref !== undefined);
    expect(reusing.length).toBeGreaterThan(0);

    const opened = new Set<string>();
    const realOpen = fs.openSync.bind(fs) as (...args: unknown[]) => number;
    const spy = jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      opened.add(String(file));
      return realOpen(file, ...rest);
    }) as typeof fs.openSync);
    let report: ReturnType<typeof pruneStore>;
    try {
      report = pruneStore(store, { keepBatches: 1, graceMs: 0 });
    } finally {
      spy.mockRestore();
    }
    expect(report.batches.removed).toEqual([first.batchId]);
    for (const r of plain) expect(opened.has(store.objects.objectPath(r.object!.slice(7)))).toBe(false);
    for (const r of chunked) expect(opened.has(store.objects.objectPath(r.object!.slice(7)))).toBe(true);
    // Everything the kept batch names is still there and reads back the same.
    expect(queryOutputs(store, second.batchId).records).toEqual(before);
    expect(verifyStore(store).problems).toEqual([]);
  });
});

describe('collectIndexRefs', () => {
  it('keeps a plain output unopened, and scans chunk manifests and every other ref', () => {
    const hex = (c: string) => c.repeat(64);
    const lines = [
      { path: 'a.ts', kind: 'ast', format: 'ts-ast-json', object: `sha256:${hex('a')}` },
      { path: 'b.ts', kind: 'ast', format: 'ts-ast-json+chunks', object: `sha256:${hex('b')}` },
      // The reference implementation names a chunk manifest by kind.
      { path: 'c.ts', kind: 'chunk_manifest', format: 'json', object: `sha256:${hex('c')}` },
      { path: 'd.ts', kind: 'diagnostic', message: `see sha256:${hex('d')}` },
      {
        path: 'e.ts',
        kind: 'ast',
        format: 'x',
        object: `sha256:${hex('e')}`,
        note: `"object":"sha256:${hex('f')}"`,
      },
    ];
    const roots = new Set<string>();
    const outputs = new Set<string>();
    collectIndexRefs(Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join('')), roots, outputs);
    expect([...outputs].sort()).toEqual([hex('a'), hex('e')]);
    // An escaped look-alike inside a string is not a record's object: scanned.
    expect([...roots].sort()).toEqual([hex('b'), hex('c'), hex('d'), hex('f')]);
  });
});
