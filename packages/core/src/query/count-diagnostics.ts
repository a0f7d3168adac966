import type { OutputRecord, Severity } from '../schemas/output-record';
import { parseSelectedLines } from '../store/jsonl';
import type { BatchView } from './batch-view';
import { meetsSeverityThreshold } from './output-filter';
import { sortOutputs } from './output-order';
import { emptySeverityCounts, type SeverityCounts } from './query-diagnostics';
import { isShardVisible, listShards, readShardOutputs, readVerifiedOutputsBytes } from './shard-scan';

const KIND_MARK = '"kind":"';
const DIAGNOSTIC = 'diagnostic"';
const SEVERITY_MARK = '"severity":"';

/**
 * The diagnostics of the given tasks at or above `min` (a diagnostic without a severity reports
 * as a warning, as report/diagnostic.ts has it), in canonical order, and the count of all of
 * them per severity, from one read of each shard's index. A 100k-file monorepo's batch holds
 * millions of warnings; a report that shows only errors (`check --quiet`) needs their number, not
 * them. Counting reads a line by substring only when it holds exactly one `"kind":"`, naming a
 * diagnostic, and one `"severity":"` (the runner writes records with JSON.stringify, no spaces,
 * and these keys once at the top level); any other line holding `"diagnostic"` is parsed, so
 * nested fields or other spacing cannot mislead it. At `error`, only lines holding `"error"` are
 * parsed for the records. Both need the index checked against its digest (lines are passed over
 * unvalidated); without one, every line is parsed.
 */
export function scanDiagnosticsAtLeast(
  view: BatchView,
  taskIds: readonly string[],
  min: Severity,
): { records: OutputRecord[]; counts: SeverityCounts } {
  const counts = emptySeverityCounts();
  const records: OutputRecord[] = [];
  const keep = (r: OutputRecord) =>
    r.kind === 'diagnostic' && meetsSeverityThreshold(r.severity ?? 'warning', min);
  for (const taskId of taskIds) {
    for (const entry of listShards(view, taskId)) {
      if (!isShardVisible(entry)) continue;
      const { bytes, verified } = readVerifiedOutputsBytes(entry);
      if (!verified) {
        for (const r of readShardOutputs(entry)) {
          addRecord(counts, r);
          if (keep(r)) records.push(r);
        }
        continue;
      }
      countInBytes(bytes, counts);
      const select = min === 'error' ? '"error"' : DIAGNOSTIC_WORD;
      for (const r of parseSelectedLines<OutputRecord>(bytes, select, entry.outputsFile))
        if (keep(r)) records.push(r);
    }
  }
  return { records: sortOutputs(records), counts };
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
