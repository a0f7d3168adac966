import { readShardState } from '../batch/shard-state';
import { CodebatchError } from '../errors/codebatch-error';
import type { Store } from '../store/store';
import type { RunBatchOptions, RunBatchSummary } from './run-batch';

export interface ReplicateReport {
  replicates: number;
  shardRuns: number;
  /** (task, shard) whose semantic outputs differed between replicates. */
  mismatches: { task_id: string; shard_id: string; digests: string[] }[];
}

/**
 * Determinism check (seed 001 `replicates`): every shard of the run is executed again
 * `replicates - 1` times with force (bypassing bundle reuse and the memo), and its semantic
 * result digest must be identical each time. A difference is a nondeterministic task.
 */
export async function checkReplicates(
  store: Store,
  first: RunBatchSummary,
  replicates: number,
  /** One forced pass; `replicate` is its number (2 for the first re-execution). */
  run: (options: Partial<RunBatchOptions>, replicate: number) => Promise<RunBatchSummary>,
): Promise<ReplicateReport> {
  const done = first.results.filter(
    (r) => r.outcome !== 'failed' && r.outcome !== 'blocked' && r.outcome !== 'busy',
  );
  const digestsOf = () =>
    new Map(
      done.map((r) => [
        `${r.taskId}/${r.shardId}`,
        readShardState(store, first.batchId, r.taskId, r.shardId).result_digest ?? '',
      ]),
    );
  const seen = new Map([...digestsOf()].map(([k, v]) => [k, [v]]));
  const shardIds = [...new Set(done.map((r) => r.shardId))];
  const taskIds = [...new Set(done.map((r) => r.taskId))];
  for (let i = 1; i < replicates; i += 1) {
    const again = await run({ force: true, shardIds, taskIds }, i + 1);
    if (again.counts.failed > 0) {
      throw new CodebatchError(
        'E_TASK_FAILED',
        `replicate ${i + 1} of ${replicates} failed where the first run succeeded`,
        {
          hints: [
            'A task that fails only sometimes is nondeterministic; run `codebatch errors` for the failures.',
          ],
        },
      );
    }
    for (const [k, v] of digestsOf()) seen.get(k)?.push(v);
  }
  const mismatches = [...seen]
    .filter(([, ds]) => new Set(ds).size > 1)
    .map(([k, digests]) => {
      const [task_id, shard_id] = k.split('/') as [string, string];
      return { task_id, shard_id, digests };
    });
  return { replicates, shardRuns: seen.size, mismatches };
}
