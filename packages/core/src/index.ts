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
