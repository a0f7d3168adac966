import fs from 'node:fs';
import { CodebatchError, InternalError } from '../errors/codebatch-error';
import { safeParseFast } from '../schemas/compile-acceptor';
import { type ShardState, type ShardStatus, shardStateSchema } from '../schemas/state-record';
import { writeFileAtomic } from '../store/atomic-write';
import type { Store } from '../store/store';

/**
 * Reads a shard's state. With `missingAsReady`, a deleted state.json of a shard the task
 * lists reads as a fresh `ready` shard: resetting a shard by deleting its files (acceptance
 * gate 4) then simply re-runs it.
 */
export function readShardState(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
  options: { missingAsReady?: boolean } = {},
): ShardState {
  const file = store.layout.stateFile(batchId, taskId, shardId);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    if (options.missingAsReady) {
      return {
        schema_name: 'codebatch.shard_state',
        schema_version: 1,
        shard_id: shardId,
        task_id: taskId,
        batch_id: batchId,
        status: 'ready',
        attempt: 1,
      };
    }
    throw new CodebatchError(
      'E_SHARD_NOT_FOUND',
      `shard ${shardId} of task ${taskId} in batch ${batchId} does not exist`,
      {
        hints: [`List shards with \`codebatch shards --batch ${batchId} --task ${taskId}\`.`],
        details: { batch_id: batchId, task_id: taskId, shard_id: shardId },
      },
    );
  }
  let parsed: ReturnType<typeof shardStateSchema.safeParse>;
  try {
    parsed = safeParseFast(shardStateSchema, JSON.parse(text));
  } catch {
    throw new CodebatchError('E_INDEX_CORRUPT', `${file} is not valid JSON`, {
      hints: ['Re-run the shard with --force to rewrite its state.'],
      details: { file },
    });
  }
  if (!parsed.success) {
    throw new CodebatchError('E_INDEX_CORRUPT', `${file} is not a valid shard state`, { details: { file } });
  }
  return parsed.data;
}

const RANK: Record<ShardStatus, number> = { ready: 0, running: 1, done: 2, failed: 2 };

/**
 * Monotonic transitions (SPEC 8.3): within one attempt a shard only moves forward, ready ->
 * running -> done | failed. A retry (after failure, a crash, or --force) is a new attempt
 * whose number is strictly greater, so (attempt, rank) never decreases.
 */
export function assertTransition(from: ShardState, to: ShardState): void {
  const forward =
    to.attempt > from.attempt
      ? to.status === 'running' || to.status === 'done'
      : to.attempt === from.attempt && RANK[to.status] > RANK[from.status];
  if (!forward) {
    throw new InternalError(
      `illegal shard state transition ${from.status}#${from.attempt} -> ${to.status}#${to.attempt} (${to.task_id}/${to.shard_id})`,
    );
  }
}

export function writeShardState(store: Store, previous: ShardState, next: ShardState): void {
  assertTransition(previous, next);
  // writeFileAtomic creates the shard directory itself if a user deleted it (gate 4).
  writeFileAtomic(
    store.layout.stateFile(next.batch_id, next.task_id, next.shard_id),
    `${JSON.stringify(next)}\n`,
  );
}
