/**
 * Public API of @codebatch/core. Named exports only; everything else is internal.
 * The Nx plugin and the GitHub Action use only what is exported here.
 */
export { CodebatchError, InternalError, isCodebatchError, ERROR_CODES, type ErrorCode } from './errors/codebatch-error';
export { ENGINE_VERSION, SCHEMA_VERSION, PRODUCER } from './version';
export { canonicalJson } from './util/canonical-json';
export { sha256Hex } from './util/hash';
export { initStore, openStore, type Store } from './store/store';
export { createLayout, assertValidId, type StoreLayout } from './store/layout';
export { ObjectStore } from './store/object-store';
export { verifyStore, type VerifyReport, type VerifyProblem } from './store/verify-store';
export { readOutputObject, writeOutputObject } from './store/chunking';
export { main as runCli } from './cli/main';
export * from './schemas/common';
export * from './schemas/store-record';
export * from './schemas/snapshot-record';
export * from './schemas/batch-record';
export * from './schemas/state-record';
export * from './schemas/output-record';
export * from './schemas/event-record';
export * from './schemas/chunk-manifest';
export * from './schemas/error-envelope';
export type { TaskDefinition, TaskFile, TaskContext } from './tasks/task-definition';
export * from './report';
export { formatErrorHuman } from './cli/output';
export { queryOutputs, type OutputsResult, type QueryOutputsOptions } from './query/query-outputs';
export { queryDiagnostics, type DiagnosticsResult, type QueryDiagnosticsOptions } from './query/query-diagnostics';
export { queryStats, type StatsResult, type QueryStatsOptions, type GroupBy } from './query/query-stats';
export { queryErrors, type ErrorsResult, type FailedShard } from './query/query-errors';
export { queryFiles, queryTop, type FilesResult, type TopResult, type FileSummary } from './query/query-files';
export { inspectFile, type InspectResult } from './query/inspect-file';
export { countOutputs, type BatchOutputCounts, type OutputCounts } from './query/count-outputs';
export { diffBatches, findRegressions, findImprovements, type DiffResult, type DiffOptions, type DiagnosticDelta } from './query/diff/diff-batches';
export { buildQueryIndex, type BuildQueryIndexResult } from './query/accel/build-query-index';
export type { AnalyzeOptions, AnalyzeResult, PipelineName, ProgressEvent, SeverityCounts } from './api/types';
export { createSnapshot, type SnapshotResult } from './snapshot/create-snapshot';
export type { CreateSnapshotOptions, SnapshotProgress, SnapshotStats } from './snapshot/create-snapshot';
export { readSnapshotRecord, readFilesIndex, listSnapshots } from './snapshot/read-snapshot';
export { langHint } from './snapshot/lang-hint';
export { toPathKey, canonicalizePath, compareUtf8, isCanonicalPath } from './snapshot/canonical-path';
export { isProbablyText } from './snapshot/detect-binary';
