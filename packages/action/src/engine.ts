import type { AnalyzeOptions, AnalyzeResult } from '../../core/src/api/types';
import type { Diagnostic } from './diagnostics';
import { ActionInternalError } from './errors';

/**
 * Everything the action asks of @codebatch/core, in one place. The action holds no analysis
 * logic: these are the only engine calls, and `flow.ts` makes each of them once.
 */
export interface Engine {
  /** Snapshot + batch + run (all shards or a slice). The facade of core `api/`. */
  analyze(options: AnalyzeOptions & { metadata?: Record<string, string> }): Promise<AnalyzeResult>;
  /** The newest batch of `pipeline` whose recorded git commit is `sha`, if the store holds one. */
  findBatchForCommit(storeDir: string, sha: string, pipeline: string): Promise<string | undefined>;
  /** Diagnostics of `head` that `base` does not have (core query `diffBatches`). */
  diffBatches(
    storeDir: string,
    baseBatchId: string,
    headBatchId: string,
  ): Promise<{ added: Diagnostic[]; removed: Diagnostic[] }>;
  /**
   * Unions slice stores into `storeDir` (objects, and the shard outputs of the one batch the
   * slices share), verifying that overlapping content is identical; returns that batch's id.
   */
  mergeStores(storeDir: string, sliceStoreDirs: string[]): Promise<{ batchId: string }>;
  /** The result of a batch already in the store (the merge job's view of the merged batch). */
  readBatchResult(storeDir: string, batchId: string): Promise<AnalyzeResult>;
  /** SARIF 2.1.0 for a batch (core `report/`); returns how many results were written. */
  writeSarif(storeDir: string, batchId: string, file: string): Promise<{ results: number }>;
  /** Drops batches and snapshots not in `keepBatchIds`, and unreferenced objects. */
  pruneStore(storeDir: string, options: { keepBatchIds: string[] }): Promise<{ removedBytes: number }>;
}

/**
 * Binds the engine.
 *
 * TODO(lead): import the functions from '@codebatch/core' once they exist and return them here:
 *   analyze (api/), diffBatches + findBatchForCommit (query/), writeSarif (report/),
 *   mergeStores + readBatchResult + pruneStore (store/ or batch/).
 * Add "@codebatch/core" to packages/action/package.json dependencies (and "zod", which the
 * action imports directly), then rebuild dist. Until then the action stops here, after the
 * inputs were checked and the cache restored, with this message.
 */
export async function loadEngine(): Promise<Engine> {
  throw new ActionInternalError('the codebatch engine is not wired into this build of the action yet');
}
