import { readShardState } from '../batch/shard-state';
import { outputRecordSchema, taskOutputSchema } from '../schemas/output-record';
import { readIndexFile } from '../store/read-index-file';
import {
  readStoredOutputs,
  readStoredOutputsDigest,
  restampStoredOutputs,
  type StoredOutputs,
} from '../store/shard-outputs';
import type { Store } from '../store/store';

export interface OutputsVerification {
  ok: boolean;
  /** ok: index bytes hash to the expected digest; mismatch; missing: no index file; not_checked: no digest to compare. */
  outputs_rehash: 'ok' | 'mismatch' | 'missing' | 'not_checked';
  /** sha256:<hex> of the bytes on disk (absent when the file is missing). */
  actual_digest?: string;
  records: number;
  invalid: number;
  /** First few problems, `line N: path: message`. */
  problems: string[];
}

const MAX_PROBLEMS = 10;

/**
 * The verify step of the verified-action loop: re-hashes a committed outputs index against
 * the digest its state claims, and validates every record against the output-record schema
 * and the shard's own ids. Read-only. Not-done shards verify as not_checked (ok when there is
 * nothing to check).
 */
export function verifyShardOutputs(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
  options: { validate?: boolean } = {},
): OutputsVerification {
  const state = readShardState(store, batchId, taskId, shardId);
  if (state.status !== 'done')
    return {
      ok: state.status !== 'failed',
      outputs_rehash: 'not_checked',
      records: 0,
      invalid: 0,
      problems: [],
    };
  const ids = { batch_id: batchId, task_id: taskId, shard_id: shardId };
  // Without record validation only the digest is needed: the run that just committed or
  // reused this index knows it, so nothing is read again.
  let read: StoredOutputs | { hex: string; file: string } | undefined;
  try {
    read =
      options.validate === false
        ? readStoredOutputsDigest(store, ids, state)
        : readStoredOutputs(store, ids, state);
  } catch {
    read = undefined;
  }
  const file = read?.file ?? store.layout.outputsFile(batchId, taskId, shardId);
  // A reused shard's records are checked as its readers get them: re-stamped with its ids.
  const restamp = (r: StoredOutputs) => {
    try {
      return restampStoredOutputs(r, state);
    } catch {
      return undefined;
    }
  };
  return verifyOutputsRead(file, read, state.outputs_digest, ids, options, restamp);
}

/**
 * Same check on a file and an expected digest, for a runner that has not written state.json
 * yet (run manifests record it as `verification`).
 */
export function verifyOutputsFile(
  file: string,
  expectedDigest: string | undefined,
  ids: { batch_id: string; task_id: string; shard_id: string },
  options: { validate?: boolean } = {},
): OutputsVerification {
  let read: ReturnType<typeof readIndexFile>;
  try {
    read = readIndexFile(file);
  } catch {
    read = undefined;
  }
  return verifyOutputsRead(file, read && { ...read, file }, expectedDigest, ids, options);
}

function verifyOutputsRead(
  file: string,
  read: StoredOutputs | { hex: string; file: string } | undefined,
  expectedDigest: string | undefined,
  ids: { batch_id: string; task_id: string; shard_id: string },
  options: { validate?: boolean },
  restamp: (read: StoredOutputs) => Buffer | undefined = (r) => r.bytes,
): OutputsVerification {
  if (read === undefined)
    return { ok: false, outputs_rehash: 'missing', records: 0, invalid: 0, problems: [`${file}: missing`] };
  const actual = `sha256:${read.hex}`;
  const rehash = expectedDigest === undefined ? 'not_checked' : actual === expectedDigest ? 'ok' : 'mismatch';
  const problems: string[] = [];
  if (rehash === 'mismatch') problems.push(`outputs index hashes to ${actual}, state says ${expectedDigest}`);
  let records = 0;
  let invalid = 0;
  const bytes =
    options.validate === false || !('bytes' in read)
      ? Buffer.alloc(0)
      : rehash !== 'mismatch'
        ? restamp(read)
        : read.bytes;
  if (bytes === undefined) {
    invalid += 1;
    problems.push(`${file}: its lines do not carry the ids its outputs_ref names`);
  }
  if (options.validate !== false && bytes !== undefined) {
    const text = bytes.toString('utf8');
    if (text.length > 0 && !text.endsWith('\n')) {
      invalid += 1;
      problems.push('last line is not terminated (torn write)');
    }
    const seen = { envelope: '' };
    let start = 0;
    let line = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      line += 1;
      const raw = text.slice(start, end);
      start = end + 1;
      if (raw.trim() === '') continue;
      records += 1;
      const problem = checkRecord(raw, ids, seen);
      if (problem) {
        invalid += 1;
        if (problems.length < MAX_PROBLEMS) problems.push(`line ${line}: ${problem}`);
      }
    }
  }
  return {
    ok: rehash !== 'mismatch' && invalid === 0,
    outputs_rehash: rehash,
    actual_digest: actual,
    records,
    invalid,
    problems,
  };
}

const ENVELOPE_KEYS = {
  schema_version: true,
  snapshot_id: true,
  batch_id: true,
  task_id: true,
  shard_id: true,
  ts: true,
} as const;
const envelopeSchema = outputRecordSchema.pick(ENVELOPE_KEYS);

/**
 * outputRecordSchema, split for speed: every record of an index carries the same envelope
 * (the runner writes it as one prefix), so the envelope is validated once per distinct value
 * and each record's task-owned fields with taskOutputSchema. Same verdict, about half the cost.
 */
function checkRecord(
  raw: string,
  ids: { batch_id: string; task_id: string; shard_id: string },
  seen: { envelope: string },
): string | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'not valid JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return '(root): expected an object';
  const envelope = `${value.schema_version}\n${value.snapshot_id}\n${value.batch_id}\n${value.task_id}\n${value.shard_id}\n${value.ts}`;
  if (envelope !== seen.envelope) {
    const e = envelopeSchema.safeParse(value);
    if (!e.success) return formatIssue(e.error.issues[0]!);
    seen.envelope = envelope;
  }
  const parsed = taskOutputSchema.safeParse(value);
  if (!parsed.success) return formatIssue(parsed.error.issues[0]!);
  if (value.batch_id !== ids.batch_id || value.task_id !== ids.task_id || value.shard_id !== ids.shard_id) {
    return `record belongs to ${value.batch_id}/${value.task_id}/${value.shard_id}, not ${ids.batch_id}/${ids.task_id}/${ids.shard_id}`;
  }
  return undefined;
}

function formatIssue(issue: { path: PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}
