import { createHash } from 'node:crypto';
import type { TaskOutput } from '../schemas/output-record';

/**
 * A task's output record as the JSON text of its own fields (JSON.stringify of what the task
 * returned), with the three fields the runner reads without parsing: path, kind, severity.
 *
 * A one-file change re-executes the file's shard, and every other file of that shard takes its
 * records from the memo: the earlier shard's index. Those records are committed again
 * unchanged (under the new envelope), hashed for the digests downstream keys use, and counted.
 * Parsing each line, dropping its envelope and stringifying it again for all that was most of
 * re-executing a shard of a few thousand records; the text after the envelope already is the
 * stringified record, so it is kept as it is and parsed only when a task reads it.
 */
export class RecordText {
  private value: TaskOutput | undefined;

  constructor(
    /**
     * JSON.stringify of the record's task-owned fields without its opening brace: what follows
     * the envelope on an index line.
     */
    readonly tail: string,
    readonly path: string,
    readonly kind: unknown,
    readonly severity: unknown,
  ) {}

  /** JSON.stringify of the record's task-owned fields. */
  get text(): string {
    return `{${this.tail}`;
  }

  /** The record as a task sees it, parsed on first use. */
  get record(): TaskOutput {
    if (this.value === undefined) this.value = JSON.parse(this.text) as TaskOutput;
    return this.value;
  }
}

/**
 * A record a task just returned: stringified once, here, for the index and every digest. The
 * object itself is not kept: a shard's records wait as text for their commit (a later task that
 * reads one parses it), so the objects die young instead of surviving into the old generation.
 */
export function recordTextOf(record: TaskOutput): RecordText {
  return new RecordText(JSON.stringify(record).slice(1), record.path, record.kind, record.severity);
}

/** Digest of one file's records (the upstream part of a downstream file key), in emission order. */
export function digestRecordTexts(records: readonly { tail: string }[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(`{${r.tail}\n`);
  return h.digest('hex');
}

/** digestRecordTexts of records as objects (task-owned fields only). */
export function digestRecords(records: readonly TaskOutput[]): string {
  return digestRecordTexts(records.map(recordTextOf));
}

const ENVELOPE = ['schema_version', 'snapshot_id', 'batch_id', 'task_id', 'shard_id', 'ts'];

/** Removes the runner-stamped envelope, leaving the record as the task returned it. */
export function stripEnvelope(record: Record<string, unknown>): TaskOutput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!ENVELOPE.includes(k)) out[k] = v;
  return out as TaskOutput;
}

/**
 * The envelope as the runner writes it (serializeOutputs, restampIndex): the ids in this order,
 * none needing escapes (ids are validated), then the task's own fields.
 */
const ENVELOPE_PREFIX =
  /^\{"schema_version":\d+,"snapshot_id":"[^"\\]*","batch_id":"[^"\\]*","task_id":"[^"\\]*","shard_id":"[^"\\]*","ts":"[^"\\]*",/;

/**
 * The records of a committed index (one JSON object per line), without their envelope. A line
 * that starts with the envelope every line of a runner-written index shares is cut after it:
 * the rest is the record as the task returned it, stringified (JSON.stringify of JSON.parse of
 * JSON.stringify output is that output), and is not parsed unless its fields cannot be read
 * from the text. A task field named like an envelope field stays, as in a fresh run's index;
 * the runner's older path stripped it. Any other line (another writer's key order) is parsed,
 * stripped of its envelope and stringified. Lines are taken as committed: the caller has
 * checked the index against its digest. Throws on a line that is not JSON where it is parsed.
 */
export function splitIndexRecords(bytes: Buffer): RecordText[] {
  const out: RecordText[] = [];
  let prefix: Buffer | undefined;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const from = start;
    start = end + 1;
    // The envelope every line shares, from the first line that is not blank.
    if (prefix === undefined && end > from) {
      const first = bytes.toString('utf8', from, end);
      if (first.trim() !== '') prefix = Buffer.from(ENVELOPE_PREFIX.exec(first)?.[0] ?? '', 'utf8');
    }
    // Each record decoded on its own from the bytes: the index is never one string (a parse
    // shard's is about 150 MB at 100k files), and a kept record keeps only its own text.
    if (
      prefix !== undefined &&
      prefix.length > 0 &&
      end - from > prefix.length &&
      bytes.compare(prefix, 0, prefix.length, from, from + prefix.length) === 0 &&
      bytes[end - 1] === CLOSE_BRACE
    ) {
      out.push(cutRecord(bytes.toString('utf8', from + prefix.length, end)));
      continue;
    }
    const line = bytes.toString('utf8', from, end);
    if (line.trim() === '') continue;
    out.push(recordTextOf(stripEnvelope(JSON.parse(line) as Record<string, unknown>)));
  }
  return out;
}

/**
 * A record cut from its line: its fields read from the text. When the text cannot show them
 * (see topLevelString) or may not be JSON.stringify's own spelling (a `\u` escape, a space after
 * a colon: another writer's line), it is parsed and stringified again, as a line in another key
 * order is.
 */
function cutRecord(tail: string): RecordText {
  const path = topLevelString(tail, 'path');
  const kind = topLevelString(tail, 'kind');
  const severity = topLevelString(tail, 'severity');
  const plain =
    typeof path === 'string' &&
    typeof kind === 'string' &&
    severity !== UNREADABLE &&
    !NOT_STRINGIFY_SPELLING.test(tail);
  return plain
    ? new RecordText(tail, path, kind, severity)
    : recordTextOf(JSON.parse(`{${tail}`) as TaskOutput);
}

const UNREADABLE = Symbol('unreadable');
/** A `\u` escape or a space after a colon: possibly not JSON.stringify's spelling. */
const NOT_STRINGIFY_SPELLING = /\\u|": /;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const NEWLINE = 10;
const OPEN_BRACKET = 91;
const COMMA = 44;

/**
 * A top-level string field of a record's tail (JSON.stringify output after its opening brace),
 * read from the text: undefined when no key is spelled so, UNREADABLE when the text alone
 * cannot tell (a bracket before it, so it may be nested; a value that is not a plain string).
 * A key starts the tail or follows a comma; the needle found elsewhere (after the escaped quote
 * of a key or value such as `note"severity`) is inside a string, and the search goes on.
 */
function topLevelString(tail: string, key: string): string | undefined | typeof UNREADABLE {
  const needle = `"${key}":`;
  let at = tail.indexOf(needle);
  while (at > 0 && tail.charCodeAt(at - 1) !== COMMA) at = tail.indexOf(needle, at + 1);
  if (at === -1) return undefined;
  for (let i = 0; i < at; i += 1) {
    const c = tail.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return UNREADABLE;
  }
  const from = at + needle.length;
  if (tail[from] !== '"') return UNREADABLE;
  const close = tail.indexOf('"', from + 1);
  const value = tail.slice(from + 1, close);
  return close === -1 || value.includes('\\') ? UNREADABLE : value;
}
