import type { z } from 'zod';
import type { OutputKind, TaskOutput } from '../schemas/output-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { SnapshotView } from '../snapshot/snapshot-view';
import type { StoredOutputRef } from '../store/chunking';

export type { SnapshotView } from '../snapshot/snapshot-view';

/**
 * One file as a task sees it. Content is read lazily from the object store, so tasks that
 * only look at metadata (or skip binary files) never pay for I/O.
 */
export interface TaskFile {
  /** Canonical snapshot path (SPEC 5.3). */
  readonly path: string;
  /** Hex sha256 of the content (the object id). */
  readonly object: string;
  readonly size: number;
  /** Language hint from the snapshot (`typescript`, `javascript`, `python`, `json`, ...). */
  readonly lang: string | undefined;
  /** false when the snapshot detected binary content. */
  readonly isText: boolean;
  bytes(): Buffer;
  /** UTF-8 decoding of the content (invalid sequences become U+FFFD). */
  text(): string;
  /** Outputs that upstream task `taskId` produced for this same file (empty if none). */
  upstream(taskId: string): readonly TaskOutput[];
}

/** What a task may do besides returning records. */
export interface TaskContext<C> {
  /** The task's validated, defaults-applied configuration. */
  readonly config: C;
  /** Deterministic per-shard seed (from batch-independent inputs), for tasks that sample. */
  readonly seed: number;
  /**
   * Stores an output and returns the fields to spread onto its record: `format` and either
   * `object` (chunked with a manifest above the store's threshold) or, with `inline: true`,
   * `inline` for UTF-8 text of at most INLINE_OUTPUT_MAX_BYTES (kept in the record: no file).
   */
  storeOutput(
    kind: OutputKind,
    format: string,
    data: string | Uint8Array,
    options?: { inline?: boolean },
  ): StoredOutputRef;
  /** Reads an upstream record's output: inline, an object, or a chunked one reassembled. */
  loadOutput(ref: { object?: string; format?: string; inline?: string }): Buffer;
  /**
   * A cache shared by the tasks of one shard chain in one process (keyed by the caller, e.g.
   * `ts-ast:<object>`), so a tree parsed by 01_parse is reused by 03_symbols and 04_lint
   * without storing and reloading it. Results must not depend on whether it hits.
   */
  readonly memo: Map<string, unknown>;
  /** The snapshot the batch reads: for tasks whose result for one file depends on others. */
  readonly snapshot: SnapshotView;
  /** The store's directory for acceleration records a task may keep (deletable). */
  readonly cacheDir: string;
}

/** What a task's `environment` hook may look at: cheap facts only, never the task's code. */
export interface TaskEnvironmentInput {
  readonly snapshot: SnapshotView;
  /** The store's directory for acceleration records a task may keep (deletable). */
  readonly cacheDir: string;
  readonly config: unknown;
}

export interface ShardInputsInput extends TaskEnvironmentInput {
  readonly members: readonly FilesIndexRecord[];
  /** What `environment` returned for this run. */
  readonly environment: Record<string, unknown>;
}

/** The result of one file in `runFiles`: its records, or a crash recorded as a diagnostic. */
export type FileRunResult = { outputs: TaskOutput[] } | { crash: string };

/** The light half of a task: enough to plan a batch and hash its work, without its code. */
export type TaskMeta<C = unknown> = Omit<
  TaskDefinition<C>,
  'runFile' | 'runFiles' | 'fileKeys' | 'warmUp'
> & {
  /** The implementation has `fileKeys` and `runFiles` (the lazy registry forwards them). */
  readonly batched?: boolean;
};

/**
 * A task is a pure function of (its version, its config, one file, that file's upstream
 * outputs). Per-file purity is what makes shard-level idempotency and the per-file memo sound.
 */
export interface TaskDefinition<C = unknown> {
  /** Task type, e.g. `parse`; the plan's task id (e.g. `01_parse`) names an instance of it. */
  readonly type: string;
  /** Bumped on any change to outputs: part of every input-bundle hash. */
  readonly version: string;
  readonly description: string;
  readonly kindsOut: readonly OutputKind[];
  /** zod schema of the task config; must accept `{}` and fill defaults. */
  readonly configSchema: z.ZodType<C>;
  /**
   * Whether a conditional pipeline task applies to a tree (ESLint when it has an ESLint config),
   * from the snapshot's paths and, outside it, the directories above `root`.
   */
  detect?(files: readonly { path: string }[], root?: string): boolean;
  /**
   * Facts outside a shard's files that decide its results (a tool's version, its config files,
   * lockfiles), computed once per run without loading the task's implementation, and part of
   * every input bundle of the task: an unchanged tree and environment skip without loading it.
   */
  environment?(input: TaskEnvironmentInput): Promise<Record<string, unknown>>;
  /**
   * What one shard's results depend on beyond its own files and the environment (for
   * type-aware ESLint: the type closure digests of its files), added to its input bundle, so
   * an edit re-executes only the shards whose files it can affect.
   */
  shardInputs?(input: ShardInputsInput): unknown;
  /**
   * Per-file key parts beyond path and content (the config that applies to the file, what its
   * types depend on), for the per-file memo. Called only for shards that execute.
   */
  fileKeys?(files: readonly TaskFile[], ctx: TaskContext<C>): Promise<Map<string, unknown>>;
  /**
   * Runs the task's code once on a synthetic input before a run with many files to execute, once
   * per thread, so that V8 optimises it on type feedback covering rare paths (see
   * shared/ts-warmup.ts). Speed only: it must not change any result.
   */
  warmUp?(): void;
  /** Runs many files at once, for analysers with an asynchronous API; used instead of runFile. */
  runFiles?(files: readonly TaskFile[], ctx: TaskContext<C>): Promise<FileRunResult[]>;
  runFile(file: TaskFile, ctx: TaskContext<C>): TaskOutput[];
}

/** Helps tasks build typed definitions without repeating the generic. */
export function defineTask<C>(definition: TaskDefinition<C>): TaskDefinition<C> {
  return definition;
}
