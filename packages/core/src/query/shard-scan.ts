import fs from 'node:fs';
import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';
import { safeParseFast } from '../schemas/compile-acceptor';
import type { OutputRecord } from '../schemas/output-record';
import { type ShardState, shardStateSchema } from '../schemas/state-record';
import { parseJsonl, parseSelectedLines } from '../store/jsonl';
import { outputsRefOf, readStoredOutputs, restampStoredOutputs } from '../store/shard-outputs';
import type { Store } from '../store/store';
import { sha256Hex, toObjectRef } from '../util/hash';
import { verifiesReads } from '../util/read-verification';
import type { BatchView } from './batch-view';

/** One shard directory of one task, as found on disk. */
export interface ShardEntry {
  taskId: string;
  shardId: string;
  /** `missing` when the directory exists but no state.json has been written yet. */
  status: ShardState['status'] | 'missing';
  state: ShardState | undefined;
  /** Raw state.json bytes: the index freshness check hashes them. */
  stateBytes: Buffer | undefined;
  stateFile: string;
  outputsFile: string;
  /** The store and batch the shard is in: a reused shard's records are an object of the store. */
  store: Store;
  batchId: string;
}

const SHARD_DIR = /^[a-f0-9]{2}$/;

/** Every shard directory of a task, sorted by shard id. */
export function listShards(view: BatchView, taskId: string): ShardEntry[] {
  const { layout } = view.store;
  let names: string[];
  try {
    names = fs.readdirSync(layout.shardsDir(view.batchId, taskId));
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return [];
    throw toCodebatchError(error, `listing shards of ${taskId}`);
  }
  return names
    .filter((name) => SHARD_DIR.test(name))
    .sort()
    .map((shardId) => readShardEntry(view, taskId, shardId));
}

export function readShardEntry(view: BatchView, taskId: string, shardId: string): ShardEntry {
  const { layout } = view.store;
  const stateFile = layout.stateFile(view.batchId, taskId, shardId);
  const outputsFile = layout.outputsFile(view.batchId, taskId, shardId);
  let stateBytes: Buffer;
  try {
    stateBytes = fs.readFileSync(stateFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {
        taskId,
        shardId,
        status: 'missing',
        state: undefined,
        stateBytes: undefined,
        stateFile,
        outputsFile,
        store: view.store,
        batchId: view.batchId,
      };
    }
    throw toCodebatchError(error, `reading ${stateFile}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stateBytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = safeParseFast(shardStateSchema, parsed);
  if (!result.success) {
    // state.json is replaced atomically, so a bad one was edited or damaged, not torn by a crash.
    throw new CodebatchError('E_RECORD_INVALID', `${stateFile} is not a valid shard state`, {
      hints: ['Re-run the shard (run-shard --force) to rewrite it, or run `codebatch verify`.'],
      details: { file: stateFile },
    });
  }
  return {
    taskId,
    shardId,
    status: result.data.status,
    state: result.data,
    stateBytes,
    stateFile,
    outputsFile,
    store: view.store,
    batchId: view.batchId,
  };
}

/**
 * Visibility rule: a shard's outputs count iff its state.json says `done`. The runner commits
 * outputs.index.jsonl (atomically, whole file) before it flips the state to done, so a done
 * state always has a complete index beside it; an index next to a ready, running or failed
 * state is a previous attempt being replaced or an uncommitted one, and answering from it
 * would mix attempts. A done shard without an index file produced no outputs.
 */
export function isShardVisible(entry: ShardEntry): boolean {
  return entry.status === 'done';
}

/**
 * A shard's stored index bytes and their sha256 (what outputs_digest names), with the file they
 * came from; a done shard without an index produced no outputs. A reused shard's bytes carry
 * the ids of the shard they were written for (readVerifiedOutputsBytes re-stamps them).
 */
export function readOutputsBytes(entry: ShardEntry): { bytes: Buffer; hex: string; file: string } {
  try {
    const read = readStoredOutputs(
      entry.store,
      { batch_id: entry.batchId, task_id: entry.taskId, shard_id: entry.shardId },
      entry.state,
    );
    return read ?? { bytes: Buffer.alloc(0), hex: EMPTY_HEX, file: entry.outputsFile };
  } catch (error) {
    throw toCodebatchError(error, `reading the outputs of ${entry.outputsFile}`);
  }
}

const EMPTY_HEX = sha256Hex(Buffer.alloc(0));

/**
 * A done shard's records as bytes, checked against the digest its state recorded
 * (E_INDEX_CORRUPT), a reused shard's re-stamped with its own ids. `verified` is false only for
 * a state without a digest (older stores) or with verification off (the benchmark's switch):
 * then no line may be passed over unread.
 */
export function readVerifiedOutputsBytes(entry: ShardEntry): { bytes: Buffer; verified: boolean } {
  const read = readOutputsBytes(entry);
  const expected = entry.state?.outputs_digest;
  const ref = outputsRefOf(entry.state);
  // A reference names an object that must be there: with verification off (the benchmark's
  // switch) a missing one must not read as a shard without outputs.
  const missing = ref !== undefined && read.file === entry.outputsFile;
  if ((expected && verifiesReads() && toObjectRef(read.hex) !== expected) || missing) {
    throw new CodebatchError(
      'E_INDEX_CORRUPT',
      ref
        ? `${read.file} (the records ${entry.outputsFile} reuses) does not match the digest its state recorded`
        : `${read.file} does not match the digest its state recorded`,
      {
        hints: ['Re-run the affected shard with --force to rewrite its index, or run `codebatch verify`.'],
        details: { file: read.file, expected },
      },
    );
  }
  const bytes = entry.state && ref ? restampStoredOutputs(read, entry.state) : read.bytes;
  return { bytes, verified: expected !== undefined && verifiesReads() };
}

/**
 * Reads a committed outputs index, checked against the digest its state recorded: a truncated
 * or edited index (a restored cache, a hand edit) would otherwise give wrong counts and wrong
 * regression exit codes. Strict mode: the file is written whole and renamed into place, so a
 * malformed line is damage (E_INDEX_CORRUPT naming file and line), never a crash artefact.
 */
export function readShardOutputs(entry: ShardEntry, select?: string): OutputRecord[] {
  const { bytes, verified } = readVerifiedOutputsBytes(entry);
  // Lines passed over by `select` go unvalidated, so selection needs the digest check above.
  const records =
    verified && select !== undefined
      ? parseSelectedLines<OutputRecord>(bytes, select, entry.outputsFile)
      : parseJsonl<OutputRecord>(bytes, entry.outputsFile, 'strict').records;
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i] as Partial<OutputRecord> | null;
    // A cheap shape check instead of zod per record: 200k records would otherwise cost seconds.
    if (r === null || typeof r !== 'object' || typeof r.path !== 'string' || typeof r.kind !== 'string') {
      throw new CodebatchError(
        'E_INDEX_CORRUPT',
        `${entry.outputsFile}: record ${i + 1} is not an output record (path and kind are required)`,
        {
          hints: ['Re-run the affected shard with --force to rewrite its index, or run `codebatch verify`.'],
          details: { file: entry.outputsFile, record: i + 1 },
        },
      );
    }
  }
  return records;
}
