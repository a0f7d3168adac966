import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../api/analyze';
import type { AnalyzeOptions, AnalyzeResult } from '../../api/types';
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

/** Every output record of a batch, without the fields that name the batch or the time. */
export function semanticRecords(storeDir: string, batchId: string): string[] {
  const tasksDir = path.join(storeDir, 'batches', batchId, 'tasks');
  const out: string[] = [];
  for (const task of fs.readdirSync(tasksDir).sort()) {
    const shardsDir = path.join(tasksDir, task, 'shards');
    for (const shard of fs.readdirSync(shardsDir).sort()) {
      const file = path.join(shardsDir, shard, 'outputs.index.jsonl');
      if (!fs.existsSync(file)) continue;
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        const { ts: _ts, batch_id: _b, ...rest } = JSON.parse(line) as Record<string, unknown>;
        out.push(JSON.stringify(rest));
      }
    }
  }
  return out.sort();
}

/** Every object named (`"object":"sha256:<hex>"`) by the files under `dir`. */
export function objectRefsUnder(dir: string): Set<string> {
  const refs = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/"object":"sha256:([a-f0-9]{64})"/g))
          refs.add(m[1]!);
    }
  };
  walk(dir);
  return refs;
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
