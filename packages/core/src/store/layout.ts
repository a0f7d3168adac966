import path from 'node:path';
import { CodebatchError } from '../errors/codebatch-error';

/**
 * The on-disk layout (SPEC 3-8). Every path the engine touches is built here, from ids that
 * went through `assertValidId`, so no user-supplied id can name a path outside the store.
 */
export const STORE_FILE = 'store.json';
export const OBJECTS_DIR = 'objects';
export const SNAPSHOTS_DIR = 'snapshots';
export const BATCHES_DIR = 'batches';
export const INDEXES_DIR = 'indexes';
export const TMP_DIR = 'tmp';
/** Provenance sessions (provenance/session.ts): a record only, safely deletable. */
export const SESSIONS_DIR = 'sessions';

/** Top-level entries a store may hold (SPEC 3, plus `tmp/` for atomic writes and `indexes/`). */
export const ALLOWED_TOP_LEVEL = [
  STORE_FILE,
  OBJECTS_DIR,
  SNAPSHOTS_DIR,
  BATCHES_DIR,
  INDEXES_DIR,
  TMP_DIR,
  SESSIONS_DIR,
] as const;

/** Ids appear in paths and in JSON Schema patterns `^[a-zA-Z0-9_-]+$`; 1..128 characters. */
const ID_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;
const SHARD_PATTERN = /^[a-f0-9]{2}$/;

export type IdKind = 'snapshot' | 'batch' | 'task' | 'session';

/**
 * Whether `rel`, a path relative to the store root read from one of the store's own index files,
 * stays inside the store: not empty, not absolute, no `..` segment. Such files are restored from
 * caches and copied, so what they name is checked before it is opened.
 */
export function isStoreRelativePath(rel: string): boolean {
  return rel !== '' && !path.isAbsolute(rel) && !rel.split(/[\\/]/).includes('..');
}

/** Whether `id` may name a snapshot, batch, task or session (assertValidId without the error). */
export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function assertValidId(id: string, kind: IdKind): string {
  if (!isValidId(id)) {
    throw new CodebatchError('E_INVALID_ID', `invalid ${kind} id ${JSON.stringify(id)}`, {
      hints: [`A ${kind} id is 1-128 characters of letters, digits, '_' and '-' (no '/', '.' or '..').`],
      details: { kind, id },
    });
  }
  return id;
}

export function assertValidShardId(shardId: string): string {
  if (!SHARD_PATTERN.test(shardId)) {
    throw new CodebatchError('E_INVALID_ID', `invalid shard id ${JSON.stringify(shardId)}`, {
      hints: ['A shard id is two lowercase hex digits, 00 to ff.'],
      details: { kind: 'shard', id: shardId },
    });
  }
  return shardId;
}

export interface StoreLayout {
  root: string;
  storeFile: string;
  objectsDir: string;
  tmpDir: string;
  indexesDir: string;
  objectPath(hex: string): string;
  snapshotDir(snapshotId: string): string;
  snapshotFile(snapshotId: string): string;
  filesIndexFile(snapshotId: string): string;
  batchDir(batchId: string): string;
  batchFile(batchId: string): string;
  planFile(batchId: string): string;
  batchEventsFile(batchId: string): string;
  taskDir(batchId: string, taskId: string): string;
  taskFile(batchId: string, taskId: string): string;
  taskEventsFile(batchId: string, taskId: string): string;
  shardsDir(batchId: string, taskId: string): string;
  shardDir(batchId: string, taskId: string, shardId: string): string;
  stateFile(batchId: string, taskId: string, shardId: string): string;
  outputsFile(batchId: string, taskId: string, shardId: string): string;
}

export function createLayout(storeRoot: string): StoreLayout {
  const root = path.resolve(storeRoot);
  const snapshotDir = (id: string) => path.join(root, SNAPSHOTS_DIR, assertValidId(id, 'snapshot'));
  const batchDir = (id: string) => path.join(root, BATCHES_DIR, assertValidId(id, 'batch'));
  const taskDir = (b: string, t: string) => path.join(batchDir(b), 'tasks', assertValidId(t, 'task'));
  const shardDir = (b: string, t: string, s: string) =>
    path.join(taskDir(b, t), 'shards', assertValidShardId(s));
  return {
    root,
    storeFile: path.join(root, STORE_FILE),
    objectsDir: path.join(root, OBJECTS_DIR),
    tmpDir: path.join(root, TMP_DIR),
    indexesDir: path.join(root, INDEXES_DIR),
    objectPath: (hex) => path.join(root, OBJECTS_DIR, 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex),
    snapshotDir,
    snapshotFile: (id) => path.join(snapshotDir(id), 'snapshot.json'),
    filesIndexFile: (id) => path.join(snapshotDir(id), 'files.index.jsonl'),
    batchDir,
    batchFile: (id) => path.join(batchDir(id), 'batch.json'),
    planFile: (id) => path.join(batchDir(id), 'plan.json'),
    batchEventsFile: (id) => path.join(batchDir(id), 'events.jsonl'),
    taskDir,
    taskFile: (b, t) => path.join(taskDir(b, t), 'task.json'),
    taskEventsFile: (b, t) => path.join(taskDir(b, t), 'events.jsonl'),
    shardsDir: (b, t) => path.join(taskDir(b, t), 'shards'),
    shardDir,
    stateFile: (b, t, s) => path.join(shardDir(b, t, s), 'state.json'),
    outputsFile: (b, t, s) => path.join(shardDir(b, t, s), 'outputs.index.jsonl'),
  };
}
