import type { SeverityCounts } from '../api/types';
import type { OutputRecord, Severity } from '../schemas/output-record';

/**
 * What the renderers need from a diagnostic output record. A structural subset, so that the
 * Nx plugin and the Action can render records they read back from a JSON report, too.
 * `fingerprint` is an optional stable identity (content-based, not line-based) that the
 * engine may attach; SARIF carries it as a partial fingerprint.
 */
export type ReportDiagnostic = Pick<OutputRecord, 'path'> &
  Partial<
    Pick<OutputRecord, 'severity' | 'code' | 'message' | 'line' | 'col' | 'end_line' | 'end_col' | 'task_id'>
  > & {
    fingerprint?: string;
    /** The rule's documentation (ESLint rules' meta.docs.url): SARIF's helpUri. */
    docs_url?: string;
  };

/** Most severe first; the index is the rank used for sorting and threshold checks. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * The severity a diagnostic counts as. A record without one is treated as a warning: it was
 * emitted as a diagnostic, so it must not vanish from counts, and it should not fail a build
 * on its own. Every renderer goes through this one function so counts and output agree.
 */
export function severityOf(diagnostic: Pick<ReportDiagnostic, 'severity'>): Severity {
  return diagnostic.severity ?? 'warning';
}

/** True when `severity` is at least as severe as `threshold` (`error` > `warning` > `info` > `hint`). */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/**
 * Counts diagnostics per severity.
 * @param diagnostics records of kind `diagnostic`
 * @returns a count for each of the four severities (zeros included)
 */
export function countBySeverity(diagnostics: readonly Pick<ReportDiagnostic, 'severity'>[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) counts[severityOf(d)] += 1;
  return counts;
}

/**
 * Orders diagnostics by path (code-unit order, locale-independent), line, column, code, then
 * message, so that every rendering of the same set is byte-identical.
 */
export function compareDiagnostics(a: ReportDiagnostic, b: ReportDiagnostic): number {
  return (
    compareStrings(a.path, b.path) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.col ?? 0) - (b.col ?? 0) ||
    compareStrings(a.code ?? '', b.code ?? '') ||
    compareStrings(a.message ?? '', b.message ?? '')
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins a POSIX path prefix (for example a project root) and a snapshot path. */
export function prefixPath(prefix: string | undefined, path: string): string {
  if (!prefix || prefix === '.' || prefix === './') return path;
  return `${prefix.replace(/\/+$/, '')}/${path}`;
}
