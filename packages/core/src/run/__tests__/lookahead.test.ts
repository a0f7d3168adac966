import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../api/analyze';
import type { TaskDefinition } from '../../tasks/task-definition';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';

/** Every record of a store's batch, envelope ids and time left out, sorted. */
function recordsOf(storeDir: string, batchId: string): string[] {
  const out: string[] = [];
  const tasks = path.join(storeDir, 'batches', batchId, 'tasks');
  for (const task of fs.readdirSync(tasks)) {
    const shards = path.join(tasks, task, 'shards');
    for (const shard of fs.readdirSync(shards)) {
      const index = path.join(shards, shard, 'outputs.index.jsonl');
      for (const line of fs.readFileSync(index, 'utf8').split('\n')) {
        if (!line) continue;
        const { snapshot_id, batch_id, shard_id, ts, ...record } = JSON.parse(line);
        out.push(JSON.stringify(record));
      }
    }
  }
  return out.sort();
}

describe('chain lookahead', () => {
  it('runs the later tasks on each file right after the first, once each, with the records of a task-by-task run', async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      const files: Record<string, string> = {};
      for (let i = 0; i < 200; i += 1)
        files[`m${i}.ts`] = `function f${i}() {}\nexport const v${i} = ${i}; // TODO ${i}\n`;
      files['crash.ts'] = 'CRASH here\n';
      writeTree(src, files);
      const calls: string[] = [];
      const base = createTestRegistry();
      const traced = (type: string) => {
        const def = base.get(type) as TaskDefinition<unknown>;
        return {
          ...def,
          runFile(file, ctx) {
            calls.push(`${type} ${file.path}`);
            return def.runFile(file, ctx);
          },
        } as TaskDefinition<never>;
      };
      const registry = createTestRegistry({
        parse: traced('parse'),
        analyze: traced('analyze'),
        symbols: traced('symbols'),
        lint: traced('lint'),
      });
      const run = async (shards: number, name: string) => {
        const configPath = path.join(tmp.dir, `${name}.json`);
        fs.writeFileSync(configPath, JSON.stringify({ shards }));
        const storeDir = path.join(tmp.dir, name);
        const result = await analyze({
          storeDir,
          sourceDir: src,
          pipeline: 'full',
          parallel: 1,
          configPath,
          registry,
        });
        return { storeDir, result };
      };

      // Two shards of about 100 files: the chain looks ahead.
      const ahead = await run(2, 'ahead');
      expect(ahead.result.status).toBe('done');
      const first = calls.findIndex((c) => c.startsWith('parse '));
      const file = calls[first]!.slice('parse '.length);
      expect(calls.slice(first, first + 4)).toEqual([
        `parse ${file}`,
        `analyze ${file}`,
        `symbols ${file}`,
        `lint ${file}`,
      ]);
      // Each task ran each file once: nothing computed ahead was run again.
      expect(new Set(calls).size).toBe(calls.length);
      expect(calls.filter((c) => c.startsWith('lint ')).length).toBe(201);

      // Sixteen shards of about 13 files: task by task. Same records.
      calls.length = 0;
      const byTask = await run(16, 'by-task');
      const parsed = calls.indexOf(`parse ${file}`);
      expect(calls[parsed + 1]).not.toBe(`analyze ${file}`);
      const records = recordsOf(ahead.storeDir, ahead.result.batchId);
      expect(records.length).toBeGreaterThan(600);
      expect(records).toEqual(recordsOf(byTask.storeDir, byTask.result.batchId));
      // The file lint crashes on is a crash diagnostic either way.
      expect(ahead.result.diagnostics.map((d) => d.path)).toContain('crash.ts');
      expect(ahead.result.taskFiles).toEqual(byTask.result.taskFiles);
    } finally {
      tmp.cleanup();
    }
  });
});
