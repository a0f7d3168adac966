import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../api/analyze';
import { explainShardMiss } from '../../../provenance/explain-shard-miss';
import { computeFileKey } from '../../../run/file-memo';
import { openStore } from '../../../store/store';
import { makeTempDir, writeTree } from '../../../test-support/temp-dir';
import { analyzeMeta } from '../../analyze/analyze-meta';
import { lintMeta } from '../../lint/lint-meta';
import { parseMeta } from '../../parse/parse-meta';
import { symbolsMeta } from '../../symbols/symbols-meta';
import { overrideToolchain, readToolchain } from '../toolchain';

const TREE: Record<string, string> = {
  'src/a.ts': "import { b } from './b';\nexport const a = b + 1;\n",
  'src/b.ts': 'export const b = 2;\nexport function f(x: number) {\n  return x > 0 ? x : -x;\n}\n',
  'lib/c.js': 'export function helper(x) {\n  return x + 1;\n}\n',
  'py/m.py': 'import os\n\ndef f(a):\n    return os.path.join(a)\n',
  'py/n.py': 'def g():\n    return 2\n',
};

const TASK_IDS = ['01_parse', '02_analyze', '03_symbols', '04_lint'];

afterEach(() => overrideToolchain(undefined));

describe('readToolchain', () => {
  it('reports the installed parsers and the grammar the Python parser loads', () => {
    const t = readToolchain();
    expect(t.typescript).toBe((require('typescript') as typeof import('typescript')).version);
    const runtimeDir = path.dirname(require.resolve('web-tree-sitter/tree-sitter.wasm'));
    expect(t['web-tree-sitter']).toBe(
      JSON.parse(fs.readFileSync(path.join(runtimeDir, 'package.json'), 'utf8')).version,
    );
    const grammar = fs.readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    expect(t.grammars).toEqual({
      'tree-sitter-python.wasm': createHash('sha256').update(grammar).digest('hex'),
    });
  });

  it('is the environment of parse, analyze, symbols and lint', async () => {
    for (const meta of [parseMeta, analyzeMeta, symbolsMeta, lintMeta]) {
      const env = await meta.environment!({ snapshot: undefined as never, cacheDir: '', config: {} });
      expect(env).toEqual({ ...readToolchain() });
    }
  });
});

describe('computeFileKey', () => {
  const parts = {
    taskId: '01_parse',
    type: 'parse',
    version: '1.0.0',
    configDigest: 'sha256:c',
    chunking: { threshold: 1, chunk_size: 1 },
    path: 'a.ts',
    object: 'sha256:aa',
    upstream: [],
  };

  it('changes with the environment digest, and is unchanged without one', () => {
    const without = computeFileKey(parts);
    expect(computeFileKey({ ...parts, environment: undefined })).toBe(without);
    const one = computeFileKey({ ...parts, environment: 'e1' });
    expect(one).not.toBe(without);
    expect(computeFileKey({ ...parts, environment: 'e2' })).not.toBe(one);
  });
});

describe('a toolchain upgrade', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp?.cleanup());

  it('re-executes every shard and every file, and explain-miss names environment.typescript', async () => {
    tmp = makeTempDir('codebatch-toolchain-');
    const sourceDir = path.join(tmp.dir, 'src');
    const storeDir = path.join(tmp.dir, 'store');
    writeTree(sourceDir, TREE);
    const run = () => analyze({ storeDir, sourceDir, pipeline: 'full', parallel: 1 });

    const first = await run();
    expect(first.status).toBe('done');
    expect(first.taskFiles.executed).toBe(TASK_IDS.length * Object.keys(TREE).length);

    // Same tree, same toolchain: nothing executes.
    const second = await run();
    expect(second.shards.executed).toBe(0);
    expect(second.taskFiles.executed).toBe(0);

    const real = readToolchain().typescript;
    overrideToolchain({ typescript: '99.0.0-test' });
    const third = await run();
    expect(third.status).toBe('done');
    // Every shard's bundle missed (none skipped or reused) ...
    expect(third.shards.executed).toBe(third.shards.total);
    expect(third.shards.reused).toBe(0);
    // ... and so did every file's memo key: nothing came from the first run's results.
    expect(third.taskFiles.reused).toBe(0);
    expect(third.taskFiles.executed).toBe(TASK_IDS.length * Object.keys(TREE).length);

    const store = openStore(storeDir);
    let explained = 0;
    for (const taskId of TASK_IDS) {
      const shardsDir = path.join(storeDir, 'batches', third.batchId, 'tasks', taskId, 'shards');
      for (const shardId of fs.readdirSync(shardsDir)) {
        const r = explainShardMiss(store, {
          batchId: third.batchId,
          taskId,
          shardId,
          against: second.batchId,
        });
        expect(r.same).toBe(false);
        expect(r.parts).toContain('environment');
        expect(r.changes).toContainEqual({
          part: 'environment',
          field: 'typescript',
          from: real,
          to: '99.0.0-test',
        });
        explained++;
      }
    }
    expect(explained).toBeGreaterThanOrEqual(TASK_IDS.length);
  });
});
