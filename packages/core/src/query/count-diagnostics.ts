import type { OutputRecord } from '../schemas/output-record';
import { parseJsonl } from '../store/jsonl';
import type { BatchView } from './batch-view';
import { emptySeverityCounts, type SeverityCounts } from './query-diagnostics';
import { isShardVisible, listShards, readVerifiedOutputsBytes } from './shard-scan';

const KIND_MARK = '"kind":"';
const DIAGNOSTIC = 'diagnostic"';
const SEVERITY_MARK = '"severity":"';

/**
 * Diagnostics per severity of the given tasks, without turning each record into an object: a
 * 100k-file monorepo's batch holds millions of warnings, and a report that shows only errors
 * (`check --quiet`) needs their number, not them. A line is read by substring only when it holds
 * exactly one `"kind":"`, naming a diagnostic, and one `"severity":"` (the runner writes records with
 * JSON.stringify, no spaces, and these keys once at the top level); any other line holding
 * `"diagnostic"` is parsed, so nested fields or other spacing cannot mislead the count. Needs the
 * index checked against its digest (lines are passed over unvalidated); without one, it parses.
 */
export function countDiagnosticsBySeverity(view: BatchView, taskIds: readonly string[]): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const taskId of taskIds) {
    for (const entry of listShards(view, taskId)) {
      if (!isShardVisible(entry)) continue;
      const { bytes, verified } = readVerifiedOutputsBytes(entry);
      if (!verified) {
        const { records } = parseJsonl<OutputRecord>(bytes.toString('utf8'), entry.outputsFile, 'strict');
        for (const r of records) addRecord(counts, r);
        continue;
      }
      countInBytes(bytes, counts);
    }
  }
  return counts;
}

const DIAGNOSTIC_WORD = '"diagnostic"';
const KIND_DIAGNOSTIC = `${KIND_MARK}${DIAGNOSTIC}`;

/**
 * Reads the bytes as latin1 (one char per byte, no decoding work: the marks and severities are
 * ASCII) and searches with String#indexOf, which V8 runs in place: no string per line, and lines
 * of other kinds are jumped over. Only a line that needs a parse is decoded as UTF-8.
 */
function countInBytes(bytes: Buffer, counts: SeverityCounts): void {
  const text = bytes.toString('latin1');
  for (let at = text.indexOf(DIAGNOSTIC_WORD); at !== -1; ) {
    const start = text.lastIndexOf('\n', at) + 1;
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    const severity = severityOfLine(text, start, end);
    if (severity !== undefined) {
      if (severity in counts) counts[severity as keyof SeverityCounts] += 1;
    } else addRecord(counts, JSON.parse(bytes.toString('utf8', start, end)) as OutputRecord);
    at = end >= text.length ? -1 : text.indexOf(DIAGNOSTIC_WORD, end + 1);
  }
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

function addRecord(counts: SeverityCounts, r: OutputRecord): void {
  if (r.kind === 'diagnostic' && r.severity && r.severity in counts) counts[r.severity] += 1;
}
