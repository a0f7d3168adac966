import type { OutputRecord } from '../schemas/output-record';
import type { PipelineName } from '../tasks/catalog';

export type { PipelineName } from '../tasks/catalog';

/** Progress as the engine reports it; wrappers render it (Nx terminal, Actions log). */
export type ProgressEvent =
  | { type: 'snapshot'; files: number; hashed: number; cached: number }
  | {
      type: 'shard';
      taskId: string;
      shardId: string;
      outcome: 'executed' | 'reused' | 'failed';
      done: number;
      total: number;
    }
  | { type: 'task'; taskId: string; status: 'done' | 'failed' | 'blocked' };

export interface AnalyzeOptions {
  /** Store directory; created when missing. */
  storeDir: string;
  /** Directory to snapshot and analyse. */
  sourceDir: string;
  include?: string[];
  exclude?: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Default `full`. */
  pipeline?: PipelineName;
  /**
   * Overrides the config's `eslint` setting: whether `lint` and `full` plan the workspace's
   * ESLint (`auto`: when ESLint finds a config for the tree, in it or in a folder above).
   */
  eslint?: 'auto' | boolean;
  /** codebatch config file (JSON). When absent, defaults apply. */
  configPath?: string;
  /** Worker threads (default: number of cores). */
  parallel?: number;
  /** Re-execute even when an identical input bundle already ran. */
  force?: boolean;
  /** Matrix slice: run only the shards whose index modulo `total` equals `index`. */
  shardSlice?: { index: number; total: number };
  /**
   * Stored in batch.json `metadata` (e.g. `{ git_sha }`, which `findBatchForCommit` matches).
   * Not part of any hash: two batches that differ only here reuse each other's results.
   */
  metadata?: Record<string, unknown>;
  /**
   * Explicit batch id (default: generated). Matrix slices pass the same id so their stores can
   * be merged. When a batch with this id already exists for the same snapshot and pipeline, it
   * is resumed instead of created (a re-run job); for anything else it is E_BATCH_EXISTS.
   */
  batchId?: string;
  onProgress?: (event: ProgressEvent) => void;
  /** Run manifests, a session record and the verify step (default true). */
  provenance?: boolean;
  /**
   * When the newest batch with the same snapshot and plan is done and every shard of it still
   * matches its inputs (task environments included), report that batch instead of creating a
   * new one (default false). What a repeated `codebatch check` over an unchanged tree does.
   */
  reuseDoneBatch?: boolean;
  /**
   * Return in `diagnostics` only those at or above this severity (a diagnostic without one
   * counts as a warning); `counts` still counts all. For reports that show only failures
   * (`check --quiet`): a batch of millions of warnings is then counted, never held.
   */
  diagnosticsFrom?: 'error' | 'warning' | 'info' | 'hint';
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

export interface AnalyzeResult {
  storeDir: string;
  snapshotId: string;
  batchId: string;
  pipeline: PipelineName;
  files: number;
  shards: { total: number; executed: number; reused: number; failed: number; blocked: number };
  /** File-level work: how many (task, file) pairs ran versus came from the memo. */
  taskFiles: { executed: number; reused: number };
  /** Every kind=diagnostic record of the batch, sorted by path, line, col, code. */
  diagnostics: OutputRecord[];
  counts: SeverityCounts;
  status: 'done' | 'failed';
  /** Shards that failed, with the error that failed them (E_ESLINT_CONFIG, E_OBJECT_CORRUPT, ...). */
  failures: { taskId: string; shardId: string; code: string; message: string }[];
  durationMs: number;
}
