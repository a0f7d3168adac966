import type { AnalyzeResult, SeverityCounts } from '../api/types';
import type { Severity } from '../schemas/output-record';
import { compareDiagnostics, prefixPath, type ReportDiagnostic, severityOf } from './diagnostic';
import { escapeText } from './escape-text';

export interface TextFormatOptions {
  /** ANSI colours (default false: logs, pipes and cached Nx output stay plain). */
  color?: boolean;
  /** POSIX prefix for every path, e.g. the project root, so paths are workspace-relative. */
  pathPrefix?: string;
}

/** What the summary line reports; `summaryFromResult` builds it from an engine result. */
export interface ReportSummary {
  files: number;
  /** (task, file) pairs that ran in this invocation. */
  executed: number;
  /** (task, file) pairs that came from the memo or a verified earlier run. */
  reused: number;
  counts: SeverityCounts;
  durationMs: number;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  green: '\u001b[32m',
} as const;

const SEVERITY_COLOR: Record<Severity, string> = {
  error: ANSI.red,
  warning: ANSI.yellow,
  info: ANSI.cyan,
  hint: ANSI.dim,
};

function paint(enabled: boolean, code: string, text: string): string {
  return enabled ? `${code}${text}${ANSI.reset}` : text;
}

function location(d: ReportDiagnostic, pathPrefix: string | undefined): string {
  const p = escapeText(prefixPath(pathPrefix, d.path));
  if (d.line === undefined) return p;
  return d.col === undefined ? `${p}:${d.line}` : `${p}:${d.line}:${d.col}`;
}

/**
 * One line per diagnostic: a message with line breaks would break the columns and `grep`.
 * Line breaks of a multi-line message become a space (they are formatting); any control left
 * (a lone carriage return, ESC) is escaped so a message cannot forge or hide output.
 */
function oneLine(text: string): string {
  return escapeText(text.replace(/\s*\r?\n\s*/g, ' ').trim());
}

/**
 * Renders diagnostics as `path:line:col  severity  message  rule`, one per line, grouped by file
 * (a blank line between files), location and severity columns aligned. The order is fixed
 * (path, line, column, code), whatever the input order, so equal inputs give equal bytes.
 * Paths, messages and codes are escaped (`escapeText`): a file name with a newline or a
 * terminal escape sequence prints as `\n` / `\x1b`, never as a second line or a colour.
 * @param diagnostics diagnostic records (any order)
 * @param options colour and path prefix
 * @returns the text, ending in a newline; empty when there are no diagnostics
 */
export function formatDiagnosticsText(
  diagnostics: readonly ReportDiagnostic[],
  options: TextFormatOptions = {},
): string {
  const parts: string[] = [];
  writeDiagnosticsText(diagnostics, (chunk) => parts.push(chunk), options);
  return parts.join('');
}

/** Text of a report this size or more is handed to `write` in pieces of about this many chars. */
const CHUNK_CHARS = 1 << 20;

/**
 * formatDiagnosticsText for reports of any size: the same text, handed to `write` in pieces,
 * so that millions of diagnostics (a 100k-file monorepo) never become one string longer than
 * V8 allows.
 */
export function writeDiagnosticsText(
  diagnostics: readonly ReportDiagnostic[],
  write: (chunk: string) => void,
  options: TextFormatOptions = {},
): void {
  if (diagnostics.length === 0) return;
  const color = options.color ?? false;
  const rows = [...diagnostics].sort(compareDiagnostics).map((d) => ({
    path: d.path,
    location: location(d, options.pathPrefix),
    // Typed, but records read back from a JSON report (Nx, Action) are not re-validated.
    severity: escapeText(severityOf(d)) as Severity,
    message: oneLine(d.message ?? ''),
    rule: escapeText(d.code ?? ''),
  }));
  // Loops, not Math.max(...rows): a spread of a million arguments overflows the stack.
  let locationWidth = 0;
  let severityWidth = 0;
  for (const r of rows) {
    if (r.location.length > locationWidth) locationWidth = r.location.length;
    if (r.severity.length > severityWidth) severityWidth = r.severity.length;
  }

  let out = '';
  let previousPath: string | undefined;
  for (const row of rows) {
    if (previousPath !== undefined && row.path !== previousPath) out += '\n';
    previousPath = row.path;
    // Pad before colouring: escape codes have no width on screen but do have length.
    const loc = paint(color, ANSI.bold, row.location) + ' '.repeat(locationWidth - row.location.length);
    const sev =
      paint(color, SEVERITY_COLOR[row.severity], row.severity) +
      ' '.repeat(severityWidth - row.severity.length);
    const rule = row.rule ? `  ${paint(color, ANSI.dim, row.rule)}` : '';
    out += `${`${loc}  ${sev}  ${row.message}${rule}`.trimEnd()}\n`;
    if (out.length >= CHUNK_CHARS) {
      write(out);
      out = '';
    }
  }
  if (out.length > 0) write(out);
}

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** `850ms`, `1.25s`, `2m 05s`: short, and stable for a given number. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
}

/**
 * The one-line summary under the diagnostics, e.g.
 * `12 files: 2 executed, 22 reused; 1 error, 3 warnings in 412ms`. Info and hint counts appear
 * only when non-zero.
 * @param summary counts and duration
 * @param options `color` paints the error/warning counts when non-zero
 * @returns the line, ending in a newline
 */
export function formatSummaryLine(
  summary: ReportSummary,
  options: Pick<TextFormatOptions, 'color'> = {},
): string {
  const color = options.color ?? false;
  const { error, warning, info, hint } = summary.counts;
  const severities = [
    paint(color && error > 0, ANSI.red, plural(error, 'error')),
    paint(color && warning > 0, ANSI.yellow, plural(warning, 'warning')),
  ];
  if (info > 0) severities.push(`${info} info`);
  if (hint > 0) severities.push(plural(hint, 'hint'));
  return (
    `${plural(summary.files, 'file')}: ${summary.executed} executed, ${summary.reused} reused; ` +
    `${severities.join(', ')} in ${formatDuration(summary.durationMs)}\n`
  );
}

/**
 * The summary of an engine result: files, file-level executed vs reused work, counts, time.
 * @param result what `analyze` returned
 */
export function summaryFromResult(
  result: Pick<AnalyzeResult, 'files' | 'taskFiles' | 'counts' | 'durationMs'>,
): ReportSummary {
  return {
    files: result.files,
    executed: result.taskFiles.executed,
    reused: result.taskFiles.reused,
    counts: result.counts,
    durationMs: result.durationMs,
  };
}
