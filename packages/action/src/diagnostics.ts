/**
 * A diagnostic as the engine emits it (a kind=diagnostic output record; only the fields the
 * action reads). Paths are relative to the analysed directory, lines and columns 1-based.
 */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Diagnostic {
  path: string;
  line?: number;
  col?: number;
  end_line?: number;
  end_col?: number;
  severity?: Severity;
  code?: string;
  message?: string;
  task_id: string;
  /** The rule's documentation (ESLint findings whose rule has a docs URL). */
  docs_url?: string;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

export const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

/** Counts by severity; a record without one counts as a warning, as the engine treats it. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) counts[d.severity ?? 'warning']++;
  return counts;
}

/** Most severe first, then path, line, column, code: the order annotations are sent in. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const rank = (d: Diagnostic) => SEVERITIES.indexOf(d.severity ?? 'warning');
  return (
    rank(a) - rank(b) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.col ?? 0) - (b.col ?? 0) ||
    (a.code ?? '').localeCompare(b.code ?? '')
  );
}

/** Whether `counts` reach the `fail-on` threshold. */
export function shouldFail(failOn: 'error' | 'warning' | 'none', counts: SeverityCounts): boolean {
  if (failOn === 'none') return false;
  return counts.error > 0 || (failOn === 'warning' && counts.warning > 0);
}

/** A shard the engine could not finish, and why (core `AnalyzeResult.failures`). */
export interface ShardFailure {
  taskId: string;
  shardId: string;
  code: string;
  message: string;
}

/**
 * Why shards failed, one line per distinct error: every shard of a task usually fails the same
 * way (ESLint not installed in the workspace, an ESLint config that does not load).
 */
export function describeFailures(failures: readonly ShardFailure[]): string[] {
  const groups = new Map<string, ShardFailure & { shards: number }>();
  for (const f of failures) {
    const key = `${f.taskId}\0${f.code}\0${f.message}`;
    const group = groups.get(key) ?? { ...f, shards: 0 };
    group.shards += 1;
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (g) =>
      `${g.taskId} failed in ${g.shards} ${g.shards === 1 ? 'shard' : 'shards'}: error[${g.code}]: ${g.message}`,
  );
}
