import fs from 'node:fs';
import { readShardState } from '../../batch/shard-state';
import { readJsonl } from '../../store/jsonl';
import type { Store } from '../../store/store';
import { openBatchContext } from '../../test-support/batch-context-fixture';
import { makeTempDir } from '../../test-support/temp-dir';
import { createChainScope } from '../chain-scope';
import { buildInputBundle } from '../input-bundle';
import { markShardFailed, type ShardAttempt, startShardRun } from '../shard-attempt';
import { createStageTimer, readManifest } from '../shard-manifest';

/** shard-attempt.ts alone moves a shard's state; each move writes state, manifest and event together. */
describe('shard attempts', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  async function attemptOn(
    manifests: boolean,
  ): Promise<{ store: Store; attempt: ShardAttempt; close: () => void }> {
    const { store, ctx, records, members } = await openBatchContext(tmp.dir, 'parse', { manifests });
    const task = records.tasks.get('01_parse')!;
    const scope = createChainScope(ctx, task.sharding.shard_ids[0]!, members);
    const bundle = buildInputBundle({
      taskId: task.task_id,
      type: task.type,
      version: task.task_version,
      configDigest: task.config_digest,
      chunking: { threshold: ctx.chunking.threshold, chunk_size: ctx.chunking.chunkSize },
      members: members.map((m): [string, string] => [m.path, m.object]),
      upstream: [],
    });
    const attempt: ShardAttempt = {
      ctx,
      scope,
      taskId: task.task_id,
      provenance: { bundle, timer: createStageTimer(), upstream: [] },
    };
    return { store, attempt, close: () => scope.close() };
  }

  const stateOf = (store: Store, a: ShardAttempt) =>
    readShardState(store, 'b1', a.taskId, a.scope.shardId, { missingAsReady: true });
  const eventsOf = (store: Store, a: ShardAttempt) => {
    const file = store.layout.taskEventsFile('b1', a.taskId);
    return fs.existsSync(file)
      ? readJsonl<{ event: string; attempt?: number }>(file).records.map((e) => `${e.event}#${e.attempt}`)
      : [];
  };

  it('moves ready -> running -> failed, records the failure in a manifest, and a retry is a new attempt', async () => {
    const { store, attempt, close } = await attemptOn(true);
    const first = startShardRun(attempt, stateOf(store, attempt));
    expect(stateOf(store, attempt)).toMatchObject({ status: 'running', attempt: 1 });
    markShardFailed(attempt, first, { code: 'E_TEST', message: 'boom' });
    const failed = stateOf(store, attempt);
    expect(failed).toMatchObject({
      status: 'failed',
      attempt: 1,
      error: { code: 'E_TEST', message: 'boom' },
    });
    const manifest = readManifest(store, failed.manifest!);
    expect(manifest).toMatchObject({ kind: 'shard_run', run: { outcome: 'failed', attempt: 1 } });
    expect(manifest.kind === 'shard_run' && manifest.input_bundle.hash).toBe(attempt.provenance.bundle.hash);

    const retry = startShardRun(attempt, failed);
    expect(retry.state).toMatchObject({ status: 'running', attempt: 2 });
    expect(retry.state.error).toBeUndefined();
    markShardFailed(attempt, retry, { code: 'E_TEST', message: 'again' });
    const second = readManifest(store, stateOf(store, attempt).manifest!);
    expect(second.kind === 'shard_run' && second.run.previous_manifest).toBe(failed.manifest);

    // Events are the chain's: buffered, and appended together when the chain ends.
    expect(eventsOf(store, attempt)).toEqual([]);
    close();
    expect(eventsOf(store, attempt)).toEqual([
      'shard_started#1',
      'shard_failed#1',
      'shard_started#2',
      'shard_failed#2',
    ]);
  });

  it('writes no manifest when manifests are off, but still the state and the events', async () => {
    const { store, attempt, close } = await attemptOn(false);
    markShardFailed(attempt, startShardRun(attempt, stateOf(store, attempt)), {
      code: 'E_TEST',
      message: 'boom',
    });
    close();
    const state = stateOf(store, attempt);
    expect(state).toMatchObject({ status: 'failed', attempt: 1 });
    expect(state.manifest).toBeUndefined();
    expect(eventsOf(store, attempt)).toEqual(['shard_started#1', 'shard_failed#1']);
  });
});
