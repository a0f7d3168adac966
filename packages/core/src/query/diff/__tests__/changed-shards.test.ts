import fs from 'node:fs';
import path from 'node:path';
import { readTaskRecord } from '../../../batch/read-batch';
import { shardOf } from '../../../batch/shard-assignment';
import { readShardState } from '../../../batch/shard-state';
import { run, SOURCES, writeSources } from '../../../gc/__tests__/stores';
import type { OutputRecord } from '../../../schemas/output-record';
import { readStoredOutputs } from '../../../store/shard-outputs';
import { openStore, type Store } from '../../../store/store';
import { makeTempDir } from '../../../test-support/temp-dir';
import { loadBatchView } from '../../batch-view';
import { readFilesByPath } from '../../files-index';
import { SEVERITY_RANK } from '../../output-filter';
import { compareOutputs } from '../../output-order';
import { listChangedShards } from '../changed-shards';
import { diffBatches, findImprovements, findRegressions } from '../diff-batches';

/**
 * A real engine run, then one with two files edited: src/c.ts gains findings (trailing
 * whitespace, a long line) and src/a.ts loses its unused import. Every other shard is reused.
 */
let tmp: ReturnType<typeof makeTempDir>;
let storeDir: string;
let store: Store;
let base: string;
let head: string;
let shardCount: number;

beforeAll(async () => {
  tmp = makeTempDir();
  const src = path.join(tmp.dir, 'src');
  storeDir = path.join(tmp.dir, 'store');
  writeSources(src);
  base = (await run(storeDir, src)).batchId;
  writeSources(src, {
    ...SOURCES,
    'src/a.ts': 'export const a = 1;\n',
    'src/c.ts': `export const c = 3;   \nexport const long = '${'x'.repeat(130)}';\n`,
  });
  head = (await run(storeDir, src)).batchId;
  store = openStore(storeDir);
  shardCount = JSON.parse(fs.readFileSync(store.layout.batchFile(head), 'utf8')).shard_count;
});
afterAll(() => tmp.cleanup());

/** What regressions were before shards were paired: every diagnostic of both batches keyed. */
function regressionsByFullScan(from: string, to: string): OutputRecord[] {
  const diff = diffBatches(store, from, to, { kind: 'diagnostic' });
  const rank = (r: OutputRecord) => SEVERITY_RANK[r.severity ?? ''] ?? Number.MAX_SAFE_INTEGER;
  const raised = diff.changed.filter((c) => rank(c.head) < rank(c.base)).map((c) => c.head);
  return [...diff.added, ...raised].sort(compareOutputs);
}

/** Shard ids holding the edited files, before and after the edit, as each batch placed them. */
function shardsOfEditedFiles(): Set<string> {
  const ids = new Set<string>();
  for (const batchId of [base, head]) {
    const view = loadBatchView(store, batchId);
    const sharding = {
      ...readTaskRecord(store, batchId, view.taskIds[0]!).sharding,
      shard_count: shardCount,
    };
    const files = readFilesByPath(store, view.batch.snapshot_id);
    for (const p of ['src/a.ts', 'src/c.ts']) ids.add(shardOf(sharding, files.get(p)!));
  }
  return ids;
}

describe('listChangedShards', () => {
  it('leaves out every shard pair that ran the same bundle, and reads the shards of edited files', () => {
    const b = loadBatchView(store, base);
    const h = loadBatchView(store, head);
    const shards = listChangedShards(b, h, b.taskIds, h.taskIds);
    const edited = shardsOfEditedFiles();
    const idsOf = (list: { taskId: string; shardId: string }[], taskId: string) =>
      new Set(list.filter((e) => e.taskId === taskId).map((e) => e.shardId));
    for (const taskId of h.taskIds) {
      const onDisk = (batchId: string) =>
        fs.readdirSync(path.join(store.layout.batchDir(batchId), 'tasks', taskId, 'shards'));
      expect(idsOf(shards.base, taskId)).toEqual(new Set(onDisk(base).filter((s) => edited.has(s))));
      expect(idsOf(shards.head, taskId)).toEqual(new Set(onDisk(head).filter((s) => edited.has(s))));
    }
    expect(shards.identical).toBeGreaterThan(0);
  });

  it('reads a pair with the same bundle but another result (a task that is not deterministic)', () => {
    const b = loadBatchView(store, base);
    const h = loadBatchView(store, head);
    const before = listChangedShards(b, h, b.taskIds, h.taskIds);
    const reused = fs
      .readdirSync(path.join(store.layout.batchDir(head), 'tasks', '04_lint', 'shards'))
      .find((s) => !before.head.some((e) => e.taskId === '04_lint' && e.shardId === s))!;
    const stateFile = store.layout.stateFile(head, '04_lint', reused);
    const original = fs.readFileSync(stateFile, 'utf8');
    try {
      fs.writeFileSync(stateFile, JSON.stringify({ ...JSON.parse(original), result_digest: 'f'.repeat(64) }));
      const after = listChangedShards(b, h, b.taskIds, h.taskIds);
      expect(after.identical).toBe(before.identical - 1);
      expect(after.head.map((e) => `${e.taskId}/${e.shardId}`)).toContain(`04_lint/${reused}`);
      expect(after.base.map((e) => `${e.taskId}/${e.shardId}`)).toContain(`04_lint/${reused}`);
    } finally {
      fs.writeFileSync(stateFile, original);
    }
  });
});

describe('findRegressions and findImprovements on paired shards', () => {
  it('answer exactly what keying every diagnostic of both batches answers', () => {
    const regressions = findRegressions(store, base, head);
    expect(regressions.records.map((r) => `${r.path} ${r.code}`)).toEqual(['src/c.ts L001', 'src/c.ts L002']);
    expect(regressions.records).toEqual(regressionsByFullScan(base, head));
    const improvements = findImprovements(store, base, head);
    expect(improvements.records.map((r) => `${r.path} ${r.code}`)).toEqual(['src/a.ts L101']);
    expect(improvements.records).toEqual(regressionsByFullScan(head, base));
    expect(findRegressions(store, head, head).total).toBe(0);
  });

  it('never open the outputs of a changed shard whose state counts no diagnostic', () => {
    const expected = findRegressions(store, base, head);
    const expectedImprovements = findImprovements(store, base, head);
    const b = loadBatchView(store, base);
    const h = loadBatchView(store, head);
    const changed = listChangedShards(b, h, b.taskIds, h.taskIds);
    const files: string[] = [];
    let skippedState: string | undefined;
    for (const [batchId, entries] of [
      [base, changed.base],
      [head, changed.head],
    ] as const)
      for (const e of entries) {
        const state = readShardState(store, batchId, e.taskId, e.shardId);
        expect(state.kind_counts?.outputs_digest).toBe(state.outputs_digest);
        if (state.kind_counts!.counts.diagnostic) continue;
        skippedState ??= store.layout.stateFile(batchId, e.taskId, e.shardId);
        files.push(
          readStoredOutputs(store, { batch_id: batchId, task_id: e.taskId, shard_id: e.shardId }, state)!
            .file,
        );
      }
    expect(files.length).toBeGreaterThan(0);
    const saved = [...new Set(files)];
    try {
      for (const f of saved) {
        fs.renameSync(f, `${f}.away`);
        fs.writeFileSync(f, 'not an index\n');
      }
      expect(findRegressions(store, base, head)).toEqual(expected);
      expect(findImprovements(store, base, head)).toEqual(expectedImprovements);
      expect(() => diffBatches(store, base, head, { kind: 'diagnostic' })).toThrow(/does not match/);
      // Counts bound to another digest prove nothing: that shard is read (and found damaged).
      const original = fs.readFileSync(skippedState!, 'utf8');
      try {
        const state = JSON.parse(original);
        fs.writeFileSync(
          skippedState!,
          JSON.stringify({
            ...state,
            kind_counts: { ...state.kind_counts, outputs_digest: `sha256:${'0'.repeat(64)}` },
          }),
        );
        expect(() => findRegressions(store, base, head)).toThrow(/does not match/);
      } finally {
        fs.writeFileSync(skippedState!, original);
      }
    } finally {
      for (const f of saved) fs.renameSync(`${f}.away`, f);
    }
  });

  it('never open the outputs of a shard whose bundle and result are unchanged', () => {
    const expected = findRegressions(store, base, head);
    const b = loadBatchView(store, base);
    const h = loadBatchView(store, head);
    const read = listChangedShards(b, h, b.taskIds, h.taskIds).head;
    const tasksDir = path.join(store.layout.batchDir(head), 'tasks');
    const unread: string[] = [];
    for (const taskId of h.taskIds)
      for (const shardId of fs.readdirSync(path.join(tasksDir, taskId, 'shards')))
        if (!read.some((e) => e.taskId === taskId && e.shardId === shardId))
          unread.push(
            // The file that holds the records: a reused shard's is the object its state names
            // (a hard link shared with its source shard's index, so it is moved away rather than
            // overwritten).
            readStoredOutputs(
              store,
              { batch_id: head, task_id: taskId, shard_id: shardId },
              readShardState(store, head, taskId, shardId),
            )!.file,
          );
    // Shards may share one referenced object (empty indexes do): each file is moved once.
    const saved = [...new Set(unread)].map((f) => [f, fs.readFileSync(f)] as const);
    try {
      for (const [f] of saved) {
        fs.renameSync(f, `${f}.away`);
        fs.writeFileSync(f, 'not an index\n');
      }
      // A full scan now fails on the first damaged index; the paired query never opens one.
      expect(() => diffBatches(store, base, head, { kind: 'diagnostic' })).toThrow(/does not match/);
      expect(findRegressions(store, base, head)).toEqual(expected);
    } finally {
      for (const [f] of saved) fs.renameSync(`${f}.away`, f);
    }
  });
});
