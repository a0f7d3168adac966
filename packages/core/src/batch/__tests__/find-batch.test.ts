import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readBatchResult } from '../../api/batch-result';
import { run, writeSources } from '../../gc/__tests__/stores';
import { openStore } from '../../store/store';
import { makeTempDir } from '../../test-support/temp-dir';
import { findBatchForCommit } from '../find-batch';

describe('findBatchForCommit', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('finds the newest done batch by metadata.git_sha, filtered by pipeline', async () => {
    const src = path.join(tmp.dir, 'src');
    const storeDir = path.join(tmp.dir, 'store');
    writeSources(src);
    const sha = 'a'.repeat(40);
    const first = await run(storeDir, src, { metadata: { git_sha: sha } });
    const second = await run(storeDir, src, { metadata: { git_sha: sha } });
    const lint = await run(storeDir, src, { pipeline: 'lint', metadata: { git_sha: sha } });
    await run(storeDir, src, { metadata: { git_sha: 'b'.repeat(40) } });
    const store = openStore(storeDir);
    expect(first.batchId).not.toBe(second.batchId);
    expect(findBatchForCommit(store, sha, { pipeline: 'full' })).toBe(second.batchId);
    expect(findBatchForCommit(store, sha)).toBe(lint.batchId);
    expect(findBatchForCommit(store, sha.toUpperCase().slice(0, 10), { pipeline: 'lint' })).toBe(
      lint.batchId,
    );
    expect(findBatchForCommit(store, 'c'.repeat(40))).toBeUndefined();
    expect(findBatchForCommit(store, 'not a sha')).toBeUndefined();
  });

  it('skips batches that are not done', async () => {
    const src = path.join(tmp.dir, 'src');
    const storeDir = path.join(tmp.dir, 'store');
    writeSources(src);
    const sha = 'd'.repeat(40);
    const done = await run(storeDir, src, { metadata: { git_sha: sha } });
    const slice = await run(storeDir, src, {
      metadata: { git_sha: sha },
      shardSlice: { index: 0, total: 2 },
    });
    // analyze reports the slice it ran; the batch as a whole is partial.
    expect(slice.shards.total).toBeLessThan(done.shards.total);
    expect(findBatchForCommit(openStore(storeDir), sha)).toBe(done.batchId);
  });

  it('falls back to the snapshot git_ref of a clean checkout', async () => {
    const repo = path.join(tmp.dir, 'repo');
    writeSources(repo);
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: tmp.dir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e.invalid',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e.invalid',
        },
      }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'x');
    const sha = git('rev-parse', 'HEAD');
    const storeDir = path.join(tmp.dir, 'store');
    const clean = await run(storeDir, repo);
    expect(findBatchForCommit(openStore(storeDir), sha)).toBe(clean.batchId);
    // A dirty tree is not that commit.
    fs.writeFileSync(path.join(repo, 'src/new.ts'), 'export const n = 1;\n');
    const store2 = path.join(tmp.dir, 'store2');
    await run(store2, repo);
    expect(findBatchForCommit(openStore(store2), sha)).toBeUndefined();
  });
});

describe('readBatchResult', () => {
  it('reads back what analyze returned', async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      writeSources(src);
      const storeDir = path.join(tmp.dir, 'store');
      const result = await run(storeDir, src);
      expect(result.diagnostics.length).toBeGreaterThan(0);
      const read = readBatchResult(openStore(storeDir), result.batchId);
      expect({ ...read, durationMs: 0 }).toEqual({ ...result, durationMs: 0 });
    } finally {
      tmp.cleanup();
    }
  });
});
