import fs from 'node:fs';
import path from 'node:path';
import { readShardState } from '../../batch/shard-state';
import { TRAP_SOURCES, trapRegistry } from '../../query/__tests__/severity-traps';
import { queryDiagnostics } from '../../query/query-diagnostics';
import { openStore } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { analyze } from '../analyze';
import type { AnalyzeOptions } from '../types';

/**
 * `check --quiet` on an unchanged tree: the done-batch check hashes every index once, and the
 * report then opens only the indexes of shards whose stored counts hold something that fails.
 */
describe('analyze with diagnosticsFrom on a done batch', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let options: AnalyzeOptions & { registry: ReturnType<typeof trapRegistry> };

  beforeAll(() => {
    tmp = makeTempDir();
    const src = path.join(tmp.dir, 'src');
    writeTree(src, TRAP_SOURCES);
    options = {
      storeDir: path.join(tmp.dir, 'store'),
      sourceDir: src,
      pipeline: 'lint',
      parallel: 1,
      registry: trapRegistry(),
      reuseDoneBatch: true,
      diagnosticsFrom: 'error',
    };
  });
  afterAll(() => tmp.cleanup());

  it('reports what the first run did, opening only the indexes of shards with errors a second time', async () => {
    const first = await analyze(options);
    expect(first.shards.executed).toBeGreaterThan(0);
    const open = jest.spyOn(fs, 'openSync');
    let again: Awaited<ReturnType<typeof analyze>>;
    const opens = new Map<string, number>();
    try {
      again = await analyze(options);
      for (const [file] of open.mock.calls)
        if (String(file).endsWith('outputs.index.jsonl'))
          opens.set(String(file), (opens.get(String(file)) ?? 0) + 1);
    } finally {
      open.mockRestore();
    }
    expect(again.batchId).toBe(first.batchId);
    expect(again.shards.executed).toBe(0);
    expect({ diagnostics: again.diagnostics, counts: again.counts }).toEqual({
      diagnostics: first.diagnostics,
      counts: first.counts,
    });
    expect(again.diagnostics.map((d) => d.code)).toEqual(['E1', 'E1', 'E1']);

    const store = openStore(options.storeDir);
    const { layout } = store;
    const expected = new Map<string, number>();
    for (const taskId of ['01_parse', '04_lint'])
      for (const shardId of fs.readdirSync(layout.shardsDir(first.batchId, taskId))) {
        const errors = readShardState(store, first.batchId, taskId, shardId).diagnostic_counts!.error;
        expected.set(layout.outputsFile(first.batchId, taskId, shardId), errors > 0 ? 2 : 1);
      }
    expect([...expected.values()]).toContain(1);
    expect([...expected.values()]).toContain(2);
    expect(opens).toEqual(expected);
  });
});

describe('analyze without diagnosticsFrom', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let options: AnalyzeOptions & { registry: ReturnType<typeof trapRegistry> };

  beforeAll(() => {
    tmp = makeTempDir();
    const src = path.join(tmp.dir, 'src');
    writeTree(src, TRAP_SOURCES);
    options = {
      storeDir: path.join(tmp.dir, 'store'),
      sourceDir: src,
      pipeline: 'lint',
      parallel: 1,
      registry: trapRegistry(),
      reuseDoneBatch: true,
    };
  });
  afterAll(() => tmp.cleanup());

  it('returns every diagnostic the query does, opening no index a second time whose state counts none', async () => {
    const first = await analyze(options);
    const store = openStore(options.storeDir);
    const queried = queryDiagnostics(store, first.batchId, { useIndex: false });
    expect(first.diagnostics).toEqual(queried.records);
    expect(first.counts).toEqual(queried.by_severity);
    expect(first.diagnostics.length).toBeGreaterThan(0);

    const open = jest.spyOn(fs, 'openSync');
    const opens = new Map<string, number>();
    let again: Awaited<ReturnType<typeof analyze>>;
    try {
      again = await analyze(options);
      for (const [file] of open.mock.calls)
        if (String(file).endsWith('outputs.index.jsonl'))
          opens.set(String(file), (opens.get(String(file)) ?? 0) + 1);
    } finally {
      open.mockRestore();
    }
    expect(again.batchId).toBe(first.batchId);
    expect({ diagnostics: again.diagnostics, counts: again.counts }).toEqual({
      diagnostics: queried.records,
      counts: queried.by_severity,
    });
    const { layout } = store;
    const expected = new Map<string, number>();
    for (const taskId of ['01_parse', '04_lint'])
      for (const shardId of fs.readdirSync(layout.shardsDir(first.batchId, taskId))) {
        const counts = readShardState(store, first.batchId, taskId, shardId).diagnostic_counts!;
        const any = counts.error + counts.warning + counts.info + counts.hint + counts.none;
        expected.set(layout.outputsFile(first.batchId, taskId, shardId), any > 0 ? 2 : 1);
      }
    expect([...expected.values()]).toContain(1);
    expect([...expected.values()]).toContain(2);
    expect(opens).toEqual(expected);
  });
});
