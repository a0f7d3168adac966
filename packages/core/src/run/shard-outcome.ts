/**
 * `busy`: another process holds the shard. `deferred`: work must execute but this pass runs
 * with `canExecute: false` (the first, settle-only pass of a run). Neither is final; the
 * runner retries both.
 */
export type ShardOutcome = 'executed' | 'skipped' | 'reused' | 'failed' | 'blocked' | 'busy' | 'deferred';

export interface ShardRunResult {
  taskId: string;
  shardId: string;
  outcome: ShardOutcome;
  files: number;
  outputs: number;
  /** Files whose task ran in this shard run, and files whose records came from the memo or a reused shard. */
  filesExecuted: number;
  filesReused: number;
  durationMs: number;
  /**
   * outputs_digest (`sha256:…`) of the index this run committed, or checked before skipping:
   * a report in the same process need not hash it again (query/count-diagnostics.ts).
   */
  outputsDigest?: string;
  error?: { code: string; message: string };
}
