/**
 * Public API of @codebatch/core. Named exports only; everything else is internal.
 * The Nx plugin and the GitHub Action use only what is exported here.
 */

export { analyze, defaultParallelism } from './api/analyze';
export { readBatchResult } from './api/batch-result';
export { type Analyzer, type AnalyzerOptions, createAnalyzer } from './api/create-analyzer';
export type { AnalyzeOptions, AnalyzeResult, PipelineName, ProgressEvent, SeverityCounts } from './api/types';
export { type FindBatchOptions, findBatchForCommit, GIT_SHA_METADATA_KEY } from './batch/find-batch';
export { type InitBatchOptions, type InitBatchResult, initBatch } from './batch/init-batch';
export { getPipeline, PIPELINES } from './batch/pipelines';
export { listBatches, readBatchRecord, readPlan, readTaskRecord } from './batch/read-batch';
export {
  type BatchStatusReport,
  type DerivedStatus,
  deriveBatchStatus,
  type TaskStatusReport,
} from './batch/status';
export { main as runCli } from './cli/main';
export { formatErrorHuman } from './cli/output';
export { type ConfigFile, configFileSchema } from './config/config-schema';
export { loadConfigFile, parseConfig } from './config/load-config';
export {
  CodebatchError,
  ERROR_CODES,
  type ErrorCode,
  InternalError,
  isCodebatchError,
} from './errors/codebatch-error';
export { type PruneOptions, type PruneReport, parseDuration, pruneStore } from './gc/prune-store';
export { reconstructPreimage } from './provenance/bundle-preimage';
export { captureEnvironment, type EnvironmentInfo } from './provenance/environment';
export {
  exportObservations,
  formatObservationsCsv,
  formatObservationsJsonl,
  type ObservationRow,
} from './provenance/events-export';
export {
  type BundleChange,
  type BundleMissReport,
  explainBundleMiss,
  formatBundleChange,
} from './provenance/explain-miss';
export { explainShardMiss, type ShardMissExplanation } from './provenance/explain-shard-miss';
export { exportProvenance, type ProvenanceFormat, toInToto, toProvO } from './provenance/export-provenance';
export {
  buildBatchManifest,
  deriveShardManifest,
  loadShardManifest,
  readBatchManifestRef,
  writeBatchManifest,
} from './provenance/run-manifest';
export {
  type ProvenanceRunOptions,
  type ProvenanceRunSummary,
  runBatchWithProvenance,
} from './provenance/run-with-provenance';
export {
  type ActionInput,
  listSessions,
  type OutputsVerification,
  readSession,
  type SessionMeta,
  SessionRecorder,
  verifyOutputsFile,
  verifyShardOutputs,
} from './provenance/session';
export { type BuildQueryIndexResult, buildQueryIndex } from './query/accel/build-query-index';
export { type BatchOutputCounts, countOutputs, type OutputCounts } from './query/count-outputs';
export {
  type DiagnosticDelta,
  type DiffOptions,
  type DiffResult,
  diffBatches,
  findImprovements,
  findRegressions,
} from './query/diff/diff-batches';
export { type InspectResult, inspectFile } from './query/inspect-file';
export {
  type DiagnosticsResult,
  type QueryDiagnosticsOptions,
  queryDiagnostics,
} from './query/query-diagnostics';
export { type ErrorsResult, type FailedShard, queryErrors } from './query/query-errors';
export {
  type FileSummary,
  type FilesResult,
  queryFiles,
  queryTop,
  type TopResult,
} from './query/query-files';
export { type OutputsResult, type QueryOutputsOptions, queryOutputs } from './query/query-outputs';
export { type GroupBy, type QueryStatsOptions, queryStats, type StatsResult } from './query/query-stats';
export * from './report';
export { type RunBatchOptions, type RunBatchSummary, runBatch } from './run/run-batch';
export {
  buildShardManifest,
  countOutputKinds,
  createStageTimer,
  currentVersions,
  readManifest,
  readManifestPreimage,
  recordShardManifest,
  type ShardManifestInput,
  writeShardManifest,
} from './run/shard-manifest';
export type { ShardOutcome, ShardRunResult } from './run/shard-outcome';
export * from './schemas/batch-record';
export * from './schemas/chunk-manifest';
export * from './schemas/common';
export * from './schemas/error-envelope';
export * from './schemas/event-record';
export * from './schemas/output-record';
export * from './schemas/run-manifest';
export * from './schemas/snapshot-record';
export * from './schemas/state-record';
export * from './schemas/store-record';
export { canonicalizePath, compareUtf8, isCanonicalPath, toPathKey } from './snapshot/canonical-path';
export type { CreateSnapshotOptions, SnapshotProgress, SnapshotStats } from './snapshot/create-snapshot';
export { createSnapshot, type SnapshotResult } from './snapshot/create-snapshot';
export { isProbablyText } from './snapshot/detect-binary';
export { langHint } from './snapshot/lang-hint';
export { listSnapshots, readFilesIndex, readSnapshotRecord } from './snapshot/read-snapshot';
export {
  INLINE_OUTPUT_MAX_BYTES,
  readOutputObject,
  type StoredOutputRef,
  writeOutputObject,
} from './store/chunking';
export { assertValidId, createLayout, type StoreLayout } from './store/layout';
export { type MergeStoresReport, mergeStores } from './store/merge-stores';
export { ObjectStore } from './store/object-store';
export { initStore, openStore, type Store } from './store/store';
export {
  isPipelineName,
  isTaskType,
  PIPELINE_CATALOG,
  PIPELINE_NAMES,
  pipelineTaskIds,
  TASK_CATALOG,
  TASK_TYPES,
  type TaskType,
} from './tasks/catalog';
export { createDefaultRegistry } from './tasks/default-registry';
export { findConfigImportsOnDisk } from './tasks/eslint/ancestor-configs';
export {
  ESLINT_FILE_NAMES,
  hasEslintConfig,
  isEslintConfigFile,
  isFlatConfigFile,
  isRcConfigFile,
} from './tasks/eslint/config-files';
export type { TaskContext, TaskDefinition, TaskFile } from './tasks/task-definition';
export type { TaskRegistry } from './tasks/task-registry';
export { canonicalJson } from './util/canonical-json';
export { sha256Hex } from './util/hash';
export { type VerifyProblem, type VerifyReport, verifyStore } from './verify/verify-store';
export { ENGINE_VERSION, PRODUCER, SCHEMA_VERSION } from './version';
