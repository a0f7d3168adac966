import fs from 'node:fs';
import path from 'node:path';
import type { AnalyzeOptions, AnalyzeResult } from '@codebatch/core';
import type { Diagnostic } from './diagnostics';
import { buildSarifLog } from './sarif';

/**
 * Everything the action asks of @codebatch/core, in one place. The action holds no analysis
 * logic: these are the only engine calls, and `flow.ts` makes each of them once.
 */
export interface Engine {
  /** Snapshot + batch + run (all shards or a slice). The facade of core `api/`. */
  analyze(options: AnalyzeOptions): Promise<AnalyzeResult>;
  /** The newest complete batch of `pipeline` whose recorded git commit is `sha`, if the store holds one. */
  findBatchForCommit(storeDir: string, sha: string, pipeline: string): Promise<string | undefined>;
  /** Diagnostics of `head` that `base` does not have, or has at a lower severity (core `findRegressions`). */
  diffBatches(storeDir: string, baseBatchId: string, headBatchId: string): Promise<{ added: Diagnostic[] }>;
  /**
   * Unions slice stores into `storeDir` (objects, snapshots, batches with their shards combined,
   * memo), checking that overlapping content is identical; the slices share `batchId`.
   */
  mergeStores(storeDir: string, sliceStoreDirs: string[], batchId: string): Promise<void>;
  /** The result of a batch already in the store (the merge job's view of the merged batch). */
  readBatchResult(storeDir: string, batchId: string): Promise<AnalyzeResult>;
  /**
   * SARIF 2.1.0 for a batch's diagnostics (core `report/`, rule help URIs included): the ones
   * `analyze` or `readBatchResult` returned, so the batch is not read a second time. Returns
   * how many results were written.
   */
  writeSarif(
    diagnostics: readonly Diagnostic[],
    file: string,
    options: { pathPrefix: string; category: string },
  ): Promise<{ results: number }>;
  /**
   * The batch's in-toto Statement v1 with a SLSA provenance predicate (core
   * `exportProvenance(store, batch, 'intoto')`), written as JSON; returns how many subjects
   * (shard results) it attests.
   */
  writeProvenance(storeDir: string, batchId: string, file: string): Promise<{ subjects: number }>;
  /**
   * core `gc` (auto): once the store holds more than `pruneAbove` batches, keeps `keepBatchIds`
   * and the newest `keepBatches` and drops what nothing kept references; until then (no batch
   * goes) it skips the sweep.
   */
  pruneStore(
    storeDir: string,
    options: { keepBatchIds: string[]; keepBatches: number; pruneAbove: number },
  ): Promise<{ removedBatches: number; removedBytes: number; skipped: boolean }>;
}

/**
 * Binds the engine. inputs.ts already imports core for its pipeline catalog (so the bundle
 * loads core's code before the inputs are checked); the task implementations, which run
 * typescript, tree-sitter and the workspace's ESLint, still initialise on first execution.
 */
export async function loadEngine(): Promise<Engine> {
  const core = await import('@codebatch/core');
  return {
    analyze: (options) => core.analyze(options),
    async findBatchForCommit(storeDir, sha, pipeline) {
      if (!fs.existsSync(path.join(storeDir, 'store.json'))) return undefined;
      return core.findBatchForCommit(core.openStore(storeDir), sha, { pipeline });
    },
    async diffBatches(storeDir, baseBatchId, headBatchId) {
      const delta = core.findRegressions(core.openStore(storeDir), baseBatchId, headBatchId);
      return { added: delta.records as Diagnostic[] };
    },
    async mergeStores(storeDir, sliceStoreDirs, batchId) {
      core.mergeStores(storeDir, sliceStoreDirs);
      // The slices must have left the batch they share; anything else is a broken matrix.
      core.readBatchRecord(core.openStore(storeDir), batchId);
    },
    readBatchResult: async (storeDir, batchId) => core.readBatchResult(core.openStore(storeDir), batchId),
    async writeSarif(diagnostics, file, options) {
      const log = buildSarifLog(diagnostics, options);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(log)}\n`);
      return { results: log.runs[0]?.results.length ?? 0 };
    },
    async writeProvenance(storeDir, batchId, file) {
      const statement = core.exportProvenance(core.openStore(storeDir), batchId, 'intoto') as {
        subject?: unknown[];
      };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(statement, null, 2)}\n`);
      return { subjects: statement.subject?.length ?? 0 };
    },
    async pruneStore(storeDir, options) {
      const report = core.pruneStore(core.openStore(storeDir), {
        keepBatchIds: options.keepBatchIds,
        keepBatches: options.keepBatches,
        // Nothing else writes to the store during the job.
        graceMs: 0,
        // A run that drops no batch leaves nothing to collect: skip the sweep.
        auto: true,
        autoBatchLimit: options.pruneAbove,
      });
      return {
        removedBatches: report.batches.removed.length,
        removedBytes: report.bytes_freed,
        skipped: report.skipped,
      };
    },
  };
}
