import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OutputKind, TaskOutput } from '../schemas/output-record';
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CHUNK_THRESHOLD,
  readOutputObject,
  writeOutputObject,
} from '../store/chunking';
import { initStore, type Store } from '../store/store';
import { TASK_CATALOG } from '../tasks/catalog';
import { getTaskDefinition, prepareTasks, type TaskType } from '../tasks/registry';
import type { TaskContext, TaskFile } from '../tasks/task-definition';
import { sha256Hex } from '../util/hash';

/** Task ids of the `full` pipeline, as the plan names them. */
export const TASK_IDS = Object.fromEntries(
  Object.entries(TASK_CATALOG).map(([type, entry]) => [type, entry.taskId]),
) as Record<TaskType, string>;

export interface RunTaskOptions {
  /** Raw task config (validated with the task's schema, so defaults apply). */
  config?: unknown;
  /** Config for the upstream 01_parse run (default `{}`). */
  parseConfig?: unknown;
  /** Shared memo; pass the same map to chain tasks like one shard does. A fresh one by default. */
  memo?: Map<string, unknown>;
  /** Store to write objects into (default: one temp store per test process). */
  store?: Store;
  chunkThreshold?: number;
  chunkSize?: number;
  /** Snapshot language hint. */
  lang?: string;
  /** Override binary detection (default: content containing a NUL byte is binary). */
  isText?: boolean;
  /** Upstream outputs by task id; by default 01_parse is run first for non-parse tasks. */
  upstream?: Record<string, readonly TaskOutput[]>;
}

let sharedStore: Store | undefined;

/** One temp store per test process, removed when the process exits. */
export function getTestStore(): Store {
  if (!sharedStore) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-task-test-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    sharedStore = initStore(path.join(dir, 'store')).store;
  }
  return sharedStore;
}

/** A TaskFile over in-memory content, as the runner would build it from a snapshot entry. */
export function makeTaskFile(
  filePath: string,
  source: string | Buffer,
  options: Pick<RunTaskOptions, 'lang' | 'isText'> & {
    upstream?: Record<string, readonly TaskOutput[]>;
  } = {},
): TaskFile {
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  const upstream = options.upstream ?? {};
  return {
    path: filePath,
    object: sha256Hex(bytes),
    size: bytes.length,
    lang: options.lang,
    isText: options.isText ?? !bytes.includes(0),
    bytes: () => bytes,
    text: () => bytes.toString('utf8'),
    upstream: (taskId) => upstream[taskId] ?? [],
  };
}

/** A TaskContext whose outputs go to `store` with the given chunking threshold. */
export function makeTaskContext<C>(
  config: C,
  options: Pick<RunTaskOptions, 'memo' | 'store' | 'chunkThreshold' | 'chunkSize'> = {},
): TaskContext<C> {
  const store = options.store ?? getTestStore();
  const chunking = {
    threshold: options.chunkThreshold ?? DEFAULT_CHUNK_THRESHOLD,
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
  };
  return {
    config,
    seed: 0,
    memo: options.memo ?? new Map(),
    storeOutput: (kind: OutputKind, format: string, data: string | Uint8Array, o?: { inline?: boolean }) =>
      writeOutputObject(store.objects, kind, format, data, chunking, o?.inline),
    loadOutput: (ref) => readOutputObject(store.objects, ref),
    cacheDir: path.join(store.layout.root, 'indexes'),
    snapshot: {
      root: process.cwd(),
      digest: '0'.repeat(64),
      files: () => [],
      read: (object) => store.objects.readObject(object),
    },
  };
}

/**
 * Runs one task over one in-memory file the way a shard runner would: prepares the tasks,
 * validates the config, runs 01_parse first for downstream tasks (sharing `memo`), and
 * returns the task's outputs.
 */
export async function runTaskOnSource(
  type: TaskType,
  filePath: string,
  source: string | Buffer,
  options: RunTaskOptions = {},
): Promise<TaskOutput[]> {
  await prepareTasks();
  const memo = options.memo ?? new Map<string, unknown>();
  let upstream = options.upstream;
  if (!upstream && type !== 'parse') {
    const parseOutputs = runTaskSync('parse', filePath, source, {
      ...options,
      config: options.parseConfig,
      memo,
    });
    upstream = { [TASK_IDS.parse]: parseOutputs };
  }
  return runTaskSync(type, filePath, source, { ...options, memo, upstream });
}

/** As runTaskOnSource without the upstream chaining; call after `await prepareTasks()`. */
export function runTaskSync(
  type: TaskType,
  filePath: string,
  source: string | Buffer,
  options: RunTaskOptions = {},
): TaskOutput[] {
  const definition = getTaskDefinition(type);
  const config = definition.configSchema.parse(options.config ?? {});
  const file = makeTaskFile(filePath, source, options);
  return definition.runFile(file, makeTaskContext(config, options));
}

/** Reads and parses the object of an `ast` record (reassembling chunks). */
export function loadJsonOutput(record: TaskOutput, store: Store = getTestStore()): unknown {
  return JSON.parse(readOutputObject(store.objects, record).toString('utf8'));
}
