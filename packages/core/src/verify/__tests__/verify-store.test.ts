import fs from 'node:fs';
import path from 'node:path';
import { initBatch } from '../../batch/init-batch';
import { buildQueryIndex } from '../../query/accel/build-query-index';
import { queryIndexFile } from '../../query/accel/query-index-file';
import { runBatch } from '../../run/run-batch';
import { createSnapshot } from '../../snapshot/create-snapshot';
import { initStore, type Store } from '../../store/store';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { verifyStore } from '../verify-store';

/** `verify` checks the store's records against their schemas, the memo tables and manifest pointers. */
describe('verifyStore: records, memo tables and manifest pointers', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let batchId: string;
  const registry = createTestRegistry();

  beforeEach(async () => {
    tmp = makeTempDir();
    const src = path.join(tmp.dir, 'src');
    writeTree(src, { 'a.ts': 'const BAD = 1;\n', 'b.ts': 'export const b = 2;\n' });
    store = initStore(path.join(tmp.dir, 'store')).store;
    const snap = await createSnapshot(store, src, {});
    batchId = initBatch(store, { snapshotId: snap.record.snapshot_id, pipeline: 'lint', shards: 1, registry })
      .batch.batch_id;
    await runBatch(store, { batchId, registry, manifests: true });
  });
  afterEach(() => tmp.cleanup());

  const kinds = () => verifyStore(store).problems.map((p) => `${p.kind} ${p.file}`);
  const edit = (file: string, change: (v: Record<string, unknown>) => void) => {
    const v = JSON.parse(fs.readFileSync(file, 'utf8'));
    change(v);
    fs.writeFileSync(file, JSON.stringify(v));
  };

  it('passes on a store a run left', () => {
    expect(kinds()).toEqual([]);
  });

  it('reports batch.json, plan.json, task.json and state.json that break their schemas', () => {
    edit(store.layout.batchFile(batchId), (v) => {
      v.shard_count = 'many';
    });
    edit(store.layout.planFile(batchId), (v) => {
      v.tasks = 'none';
    });
    edit(store.layout.taskFile(batchId, '04_lint'), (v) => {
      delete v.config_digest;
    });
    const shard = fs.readdirSync(store.layout.shardsDir(batchId, '01_parse'))[0]!;
    edit(store.layout.stateFile(batchId, '01_parse', shard), (v) => {
      v.status = 'finished';
    });
    const problems = kinds();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^record_invalid .*batch\.json$/),
        expect.stringMatching(/^record_invalid .*plan\.json$/),
        expect.stringMatching(/^record_invalid .*04_lint.task\.json$/),
        expect.stringMatching(/^record_invalid .*state\.json$/),
      ]),
    );
  });

  it('reports a snapshot.json that breaks its schema', () => {
    const snapshots = path.join(store.layout.root, 'snapshots');
    const snap = fs.readdirSync(snapshots)[0]!;
    edit(path.join(snapshots, snap, 'snapshot.json'), (v) => {
      v.file_count = -1;
    });
    expect(kinds()).toEqual([expect.stringMatching(/^record_invalid .*snapshot\.json$/)]);
  });

  it('reports memo lines that are not entries, but not a torn last line', () => {
    const memo = path.join(store.layout.indexesDir, 'memo', '04_lint.jsonl');
    fs.appendFileSync(memo, '{"k":"x","b":"b","s":"01","n":1}\n{"k":"torn');
    expect(kinds()).toEqual([]);
    fs.appendFileSync(memo, '\nnull\n');
    expect(kinds()).toEqual([expect.stringMatching(/^index_corrupt .*memo.04_lint\.jsonl$/)]);
  });

  it('reports a state whose diagnostic_counts disagree with its index (state_mismatch)', () => {
    const shard = fs.readdirSync(store.layout.shardsDir(batchId, '04_lint'))[0]!;
    const stateFile = store.layout.stateFile(batchId, '04_lint', shard);
    const recorded = JSON.parse(fs.readFileSync(stateFile, 'utf8')).diagnostic_counts;
    // a.ts has one BAD line: one warning, as the index says.
    expect(recorded).toEqual({
      error: 0,
      warning: 1,
      info: 0,
      hint: 0,
      none: 0,
      outputs_digest: JSON.parse(fs.readFileSync(stateFile, 'utf8')).outputs_digest,
    });
    edit(stateFile, (v) => {
      v.diagnostic_counts = { ...recorded, warning: 0 };
    });
    const problems = verifyStore(store).problems;
    expect(problems.map((p) => `${p.kind} ${p.file}`)).toEqual([
      expect.stringMatching(/^state_mismatch .*04_lint.shards.[a-f0-9]{2}.state\.json$/),
    ]);
    expect(problems[0]!.message).toMatch(
      /diagnostic_counts .*warning 0.* do not match the outputs index .*warning 1/,
    );
    expect(verifyStore(store).ok).toBe(false);
  });

  it('passes a done state without diagnostic_counts (a store from before they were recorded)', () => {
    for (const shard of fs.readdirSync(store.layout.shardsDir(batchId, '04_lint')))
      edit(store.layout.stateFile(batchId, '04_lint', shard), (v) => {
        delete v.diagnostic_counts;
      });
    expect(kinds()).toEqual([]);
  });

  it('reports a manifest pointer that names an object which is not a manifest', () => {
    const shard = fs.readdirSync(store.layout.shardsDir(batchId, '04_lint'))[0]!;
    const hex = store.objects.writeObject('not a manifest');
    edit(store.layout.stateFile(batchId, '04_lint', shard), (v) => {
      v.manifest = `sha256:${hex}`;
    });
    expect(kinds()).toEqual([expect.stringMatching(/^bad_reference .*state\.json$/)]);
  });

  describe('query acceleration indexes', () => {
    const indexProblems = () =>
      verifyStore(store).problems.filter((p) => p.file.startsWith(path.join('indexes', 'query')));

    it('passes a fresh index, and counts it among the indexes checked', () => {
      const before = verifyStore(store).indexes_checked;
      buildQueryIndex(store, batchId);
      const report = verifyStore(store);
      expect(report.problems).toEqual([]);
      expect(report.indexes_checked).toBe(before + 1);
    });

    it('reports an index whose source digests no longer match the shards (index_stale)', () => {
      buildQueryIndex(store, batchId);
      const shard = fs.readdirSync(store.layout.shardsDir(batchId, '04_lint'))[0]!;
      // A re-run of the shard after the build: a new attempt in its state.
      edit(store.layout.stateFile(batchId, '04_lint', shard), (v) => {
        v.attempt = Number(v.attempt) + 1;
      });
      expect(indexProblems()).toEqual([
        {
          kind: 'index_stale',
          file: path.join('indexes', 'query', `${batchId}.jsonl`),
          message: expect.stringMatching(
            new RegExp(
              `source digests do not match.*queries ignore it.*delete it or rebuild it with \`codebatch index build --batch ${batchId}\``,
            ),
          ),
        },
      ]);
    });

    it('reports an index that does not parse (index_corrupt), and one whose batch is gone (index_stale)', () => {
      buildQueryIndex(store, batchId);
      const file = queryIndexFile(store, batchId);
      fs.copyFileSync(file, queryIndexFile(store, 'gone'));
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, -20));
      const problems = indexProblems();
      expect(problems.map((p) => `${p.kind} ${path.basename(p.file)}`).sort()).toEqual(
        [`index_corrupt ${batchId}.jsonl`, 'index_stale gone.jsonl'].sort(),
      );
      for (const p of problems) expect(p.message).toMatch(/queries ignore it and scan instead/);
    });
  });
});
