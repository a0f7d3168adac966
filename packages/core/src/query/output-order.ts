import type { OutputRecord } from '../schemas/output-record';
import { canonicalJson } from '../util/canonical-json';

/**
 * The one total order of query results: path, line, col, code, then the fields that tell
 * records of one place apart, then the whole canonical record. Every query sorts with it, so
 * scan and index answers, and answers before and after deleting events.jsonl, are
 * byte-identical. Strings compare by code unit (not locale), identical on every machine.
 */
export function compareOutputs(a: OutputRecord, b: OutputRecord): number {
  return (
    compareStr(a.path, b.path) ||
    compareNum(a.line, b.line) ||
    compareNum(a.col, b.col) ||
    compareStr(a.code, b.code) ||
    compareStr(a.task_id, b.task_id) ||
    compareStr(a.kind, b.kind) ||
    compareStr(a.metric, b.metric) ||
    compareStr(a.symbol_type, b.symbol_type) ||
    compareStr(a.name, b.name) ||
    compareStr(a.edge_type, b.edge_type) ||
    compareStr(a.target, b.target) ||
    compareStr(a.message, b.message) ||
    compareStr(canonicalJson(a), canonicalJson(b)) ||
    // Same content, different key order: order by the bytes we would print, so that any two
    // records that compare equal here serialize identically and the output is still unique.
    compareStr(JSON.stringify(a), JSON.stringify(b))
  );
}

/** Sorts in place and returns the array. */
export function sortOutputs<T extends OutputRecord>(records: T[]): T[] {
  return records.sort(compareOutputs);
}

/** Absent sorts first (file-level records before positioned ones). */
export function compareNum(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a - b;
}

export function compareStr(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
