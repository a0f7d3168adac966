import { type Severity, severitySchema } from '../schemas/output-record';
import type { DiagnosticCounts, ShardState } from '../schemas/state-record';
import { meetsSeverityThreshold } from './output-filter';
import type { SeverityCounts } from './query-diagnostics';

/**
 * Counting diagnostics per severity, one way for every writer and reader: the runner records
 * a shard's counts when it commits its index (from the records it wrote, or from a reused
 * index's bytes), `check --quiet` adds them up, and verify recounts the index to check them.
 */

const SEVERITIES: ReadonlySet<string> = new Set(severitySchema.options);

/**
 * A state's recorded counts when they describe its committed index (taken from the index its
 * outputs_digest names), else undefined: count the index instead.
 */
export function storedCounts(state: ShardState | undefined): DiagnosticCounts | undefined {
  const stored = state?.diagnostic_counts;
  if (!stored || stored.outputs_digest !== state?.outputs_digest) return undefined;
  const { outputs_digest: _of, ...counts } = stored;
  return counts;
}

/** A state's kind_counts, when they are those of its committed index (see storedCounts). */
export function storedKindCounts(state: ShardState | undefined): Record<string, number> | undefined {
  const stored = state?.kind_counts;
  if (!stored || stored.outputs_digest !== state?.outputs_digest) return undefined;
  return stored.counts;
}

/** Records per kind, keys sorted (the order manifests and states write them in). */
export function countKinds(records: Iterable<{ kind?: unknown }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) {
    const kind = typeof r.kind === 'string' ? r.kind : '';
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return sortCounts(counts);
}

export function sortCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function emptyDiagnosticCounts(): DiagnosticCounts {
  return { error: 0, warning: 0, info: 0, hint: 0, none: 0 };
}

/**
 * A diagnostic without a severity (absent or null) counts as `none`; one whose severity is not a
 * severity at all is neither counted nor ever shown (meetsSeverityThreshold rejects it), so it is
 * left out here too: `"severity":"none"` must not pass for a missing one.
 */
export function addRecord(counts: DiagnosticCounts, r: { kind?: unknown; severity?: unknown }): void {
  if (r.kind !== 'diagnostic') return;
  if (r.severity === undefined || r.severity === null) counts.none += 1;
  else if (typeof r.severity === 'string' && SEVERITIES.has(r.severity)) counts[r.severity as Severity] += 1;
}

export function countRecords(records: Iterable<{ kind?: unknown; severity?: unknown }>): DiagnosticCounts {
  const counts = emptyDiagnosticCounts();
  for (const r of records) addRecord(counts, r);
  return counts;
}

/** Adds `from` to `into`, leaving `none` out: reports count diagnostics by their own severity. */
export function addSeverityCounts(into: SeverityCounts, from: SeverityCounts): void {
  into.error += from.error;
  into.warning += from.warning;
  into.info += from.info;
  into.hint += from.hint;
}

/** How many of the counted diagnostics report at or above `min` (one without a severity as a warning). */
export function countAtLeast(counts: DiagnosticCounts, min: Severity): number {
  let n = meetsSeverityThreshold('warning', min) ? counts.none : 0;
  for (const s of severitySchema.options) if (meetsSeverityThreshold(s, min)) n += counts[s];
  return n;
}

export function sameCounts(a: DiagnosticCounts, b: DiagnosticCounts): boolean {
  return (
    a.error === b.error &&
    a.warning === b.warning &&
    a.info === b.info &&
    a.hint === b.hint &&
    a.none === b.none
  );
}

const KIND_MARK = '"kind":"';
const DIAGNOSTIC = 'diagnostic"';
const SEVERITY_MARK = '"severity":"';
const DIAGNOSTIC_WORD = '"diagnostic"';
const KIND_DIAGNOSTIC = `${KIND_MARK}${DIAGNOSTIC}`;

/**
 * The diagnostics of an index's bytes per severity. Only for bytes checked against their digest
 * (lines are passed over unvalidated). A line is read by substring only when it holds exactly
 * one `"kind":"`, naming a diagnostic, and one `"severity":"` (the runner writes records with
 * JSON.stringify, no spaces, and these keys once at the top level); any other line holding
 * `"diagnostic"` is parsed, so nested fields or other spacing cannot mislead it.
 *
 * The bytes are read as latin1 (one char per byte, no decoding work: the marks and severities
 * are ASCII) and searched with String#indexOf, which V8 runs in place: no string per line, and
 * lines of other kinds are jumped over. Only a line that needs a parse is decoded as UTF-8.
 */
export function countInBytes(bytes: Buffer): DiagnosticCounts {
  const counts = emptyDiagnosticCounts();
  const text = bytes.toString('latin1');
  for (let at = text.indexOf(DIAGNOSTIC_WORD); at !== -1; ) {
    const start = text.lastIndexOf('\n', at) + 1;
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    const severity = severityOfLine(text, start, end);
    if (severity !== undefined) addRecord(counts, { kind: 'diagnostic', severity });
    else addRecord(counts, JSON.parse(bytes.toString('utf8', start, end)) as { kind?: unknown });
    at = end >= text.length ? -1 : text.indexOf(DIAGNOSTIC_WORD, end + 1);
  }
  return counts;
}

/** The severity by substring, or undefined when only a parse can tell (see above). */
function severityOfLine(text: string, start: number, end: number): string | undefined {
  const kind = text.indexOf(KIND_MARK, start);
  if (kind === -1 || kind >= end || !text.startsWith(KIND_DIAGNOSTIC, kind)) return undefined;
  const kind2 = text.indexOf(KIND_MARK, kind + KIND_MARK.length);
  if (kind2 !== -1 && kind2 < end) return undefined;
  const mark = text.indexOf(SEVERITY_MARK, start);
  if (mark === -1 || mark >= end) return undefined;
  const mark2 = text.indexOf(SEVERITY_MARK, mark + SEVERITY_MARK.length);
  if (mark2 !== -1 && mark2 < end) return undefined;
  const from = mark + SEVERITY_MARK.length;
  const close = text.indexOf('"', from);
  if (close === -1 || close >= end) return undefined;
  return text.slice(from, close);
}
