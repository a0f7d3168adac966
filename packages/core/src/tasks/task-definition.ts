import type { z } from 'zod';
import type { OutputKind, TaskOutput } from '../schemas/output-record';

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
   * Stores bytes as an object (chunked with a manifest above the store's threshold) and
   * returns the reference and format to put on an output record.
   */
  storeOutput(
    kind: OutputKind,
    format: string,
    data: string | Uint8Array,
  ): { object: string; format: string };
  /** Reads an object (or reassembles a chunked one) referenced by an upstream record. */
  loadOutput(ref: { object?: string; format?: string }): Buffer;
  /**
   * A cache shared by the tasks of one shard chain in one process (keyed by the caller, e.g.
   * `ts-ast:<object>`), so a tree parsed by 01_parse is reused by 03_symbols and 04_lint
   * without storing and reloading it. Results must not depend on whether it hits.
   */
  readonly memo: Map<string, unknown>;
}

/** The light half of a task: enough to plan a batch and hash its work, without its code. */
export type TaskMeta<C = unknown> = Omit<TaskDefinition<C>, 'runFile'>;

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
  runFile(file: TaskFile, ctx: TaskContext<C>): TaskOutput[];
}

/** Helps tasks build typed definitions without repeating the generic. */
export function defineTask<C>(definition: TaskDefinition<C>): TaskDefinition<C> {
  return definition;
}
