import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../api/analyze';
import type { AnalyzeOptions, AnalyzeResult } from '../../api/types';
import { openStore } from '../../store/store';
import { readAllShardRecords } from '../../test-support/read-shard-records';
import { writeTree } from '../../test-support/temp-dir';

/** Helpers shared by the gc, merge and find-batch tests (a test-support file of the gc module). */
export const SOURCES: Record<string, string> = {
  'src/a.ts': "import { unused } from './b';\nexport const a = 1;\n",
  'src/b.ts': 'export const unused = 2;\nexport function f(x: number) {\n  return x + 1;\n}\n',
  'src/c.ts': 'export const c = 3;\n',
  'src/d.js': 'export function helper(x) {\n  // FIXME: validate x\n  return x + 1;\n}\n',
  'py/m.py': 'import os\nimport sys\n\ndef f(a):\n    x = 1\n    return os.path.join(a)\n',
  'py/n.py': 'def g():\n    return 2\n',
  'src/e.ts': 'export const e = 5;\n',
  'src/f.ts': "import fs from 'node:fs';\nexport const f = 6;\n",
};

export function writeSources(dir: string, files: Record<string, string> = SOURCES): void {
  writeTree(dir, files);
}

export function run(
  storeDir: string,
  sourceDir: string,
  extra: Partial<AnalyzeOptions> = {},
): Promise<AnalyzeResult> {
  return analyze({ storeDir, sourceDir, pipeline: 'full', parallel: 1, ...extra });
}

/** Every output record of a batch, as readers get them, without the fields that name the batch or the time. */
export function semanticRecords(storeDir: string, batchId: string): string[] {
  const store = openStore(storeDir);
  return readAllShardRecords(store, batchId)
    .map(({ ts: _ts, batch_id: _b, ...rest }) => JSON.stringify(rest))
    .sort();
}

/**
 * Every object named (`"object":"sha256:<hex>"`) by the files under `dir` (a directory of the
 * store at `storeDir`), and by the index objects their states reference (a reused shard's
 * records are such an object: its own index file is a stub).
 */
export function objectRefsUnder(dir: string, storeDir = storeRootOf(dir)): Set<string> {
  const refs = new Set<string>();
  const scan = (text: string) => {
    for (const m of text.matchAll(/"object":"sha256:([a-f0-9]{64})"/g)) refs.add(m[1]!);
  };
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const text = fs.readFileSync(p, 'utf8');
        scan(text);
        if (e.name === 'state.json') {
          const ref = (JSON.parse(text) as { outputs_ref?: { object: string } }).outputs_ref;
          if (ref) scan(fs.readFileSync(openStore(storeDir).objects.objectPath(ref.object.slice(7)), 'utf8'));
        }
      }
    }
  };
  walk(dir);
  return refs;
}

function storeRootOf(dir: string): string {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d))
    if (fs.existsSync(path.join(d, 'objects')) && fs.existsSync(path.join(d, 'batches'))) return d;
  throw new Error(`${dir} is not inside a store`);
}

/** path -> size:mtime of every file under `dir`: equal before and after means nothing was written. */
export function treeFingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = fs.statSync(p);
        out.set(path.relative(dir, p), `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}
