import type { OutputRecord } from '../../schemas/output-record';
import { canonicalJson } from '../../util/canonical-json';
import { sha256Hex } from '../../util/hash';
import { compareNum, compareStr } from '../output-order';

/** A record placed under its canonical diff key, with the content that decides "changed". */
export interface KeyedRecord {
  key: string;
  content: string;
  record: OutputRecord;
}

/**
 * Fields a diff ignores. Envelope fields differ between any two batches (the reference diffed
 * them and called every record changed); positions move when unrelated lines are edited, and
 * a move alone is not a change.
 */
const ENVELOPE = new Set(['schema_version', 'snapshot_id', 'batch_id', 'shard_id', 'ts']);
const POSITION = new Set(['line', 'col', 'end_line', 'end_col']);

/**
 * Identity of a record apart from its position, per kind (the occurrence index is added by
 * keyRecords):
 * - diagnostic: task, path, code, fingerprint of the flagged line
 * - metric: task, path, metric name (the value is content: a new value is `changed`)
 * - symbol: task, path, symbol_type, scope, name
 * - edge: task, path, edge_type, target (each edge its own key, never collapsed per file)
 * - ast: task, path
 * - other kinds: task, path, kind, format
 */
export function baseKey(record: OutputRecord, fingerprint: (r: OutputRecord) => string): unknown[] {
  const head = [record.task_id, record.path, record.kind];
  switch (record.kind) {
    case 'diagnostic':
      return [...head, record.code ?? null, fingerprint(record)];
    case 'metric':
      return [...head, record.metric ?? null];
    case 'symbol':
      return [...head, record.symbol_type ?? null, record.scope ?? null, record.name ?? null];
    case 'edge':
      return [...head, record.edge_type ?? null, record.target ?? null];
    case 'ast':
      return head;
    default:
      return [...head, record.format ?? null];
  }
}

/**
 * The record without envelope and position, canonically serialized. An output kept in its
 * record (`inline`) counts as the object its bytes would be (`object: sha256:<their digest>`):
 * an AST that moved into its record, or out of it, is the same content, and a comparison holds
 * 64 hex digits per AST instead of its text.
 */
export function recordContent(record: OutputRecord): string {
  const rest = fieldsOutside(record, POSITION);
  if (typeof rest.inline === 'string' && rest.object === undefined) {
    rest.object = `sha256:${sha256Hex(rest.inline)}`;
    delete rest.inline;
  }
  return canonicalJson(rest);
}

/**
 * The record without its envelope, positions included: two sets of a file's records equal in
 * these are keyed alike and compare as unchanged, when the file's bytes are the same too.
 */
export function positionedContent(record: OutputRecord): string {
  return canonicalJson(fieldsOutside(record));
}

/** The record's fields other than its envelope and `also`. */
function fieldsOutside(record: OutputRecord, also?: ReadonlySet<string>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!ENVELOPE.has(k) && !also?.has(k)) rest[k] = v;
  return rest;
}

/**
 * Keys every record: base key plus its occurrence index among records with the same base key,
 * counted in line order. So the third identical `console.log(x)` warning of a file stays the
 * third after lines are inserted above it, and two identical findings are never one key.
 */
export function keyRecords(
  records: readonly OutputRecord[],
  fingerprint: (r: OutputRecord) => string,
): Map<string, KeyedRecord> {
  const groups = new Map<string, { record: OutputRecord; content: string }[]>();
  for (const record of records) {
    const base = JSON.stringify(baseKey(record, fingerprint));
    const list = groups.get(base) ?? [];
    list.push({ record, content: recordContent(record) });
    groups.set(base, list);
  }
  const out = new Map<string, KeyedRecord>();
  for (const [base, list] of groups) {
    list.sort(
      (a, b) =>
        compareNum(a.record.line, b.record.line) ||
        compareNum(a.record.col, b.record.col) ||
        compareStr(a.content, b.content),
    );
    list.forEach((item, index) => {
      const key = `${base.slice(0, -1)},${index}]`;
      out.set(key, { key, content: item.content, record: item.record });
    });
  }
  return out;
}
