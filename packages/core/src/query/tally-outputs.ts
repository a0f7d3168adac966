import type { OutputRecord } from '../schemas/output-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { langOf } from './files-index';
import { compareStr } from './output-order';

/**
 * Output counts per (task, path, kind, severity, code). Every count-shaped answer (stats,
 * files, top, countOutputs) is computed from these rows (or from their path-free totals),
 * whether they come from a scan or from the acceleration index, by the same functions, so the
 * two paths cannot disagree (the reference's did: defect 1).
 * `severity` and `code` are set for diagnostics only: a metric has no severity to count.
 */
export interface CountRow {
  task_id: string;
  path: string;
  kind: string;
  severity: string | null;
  code: string | null;
  lang: string;
  count: number;
}

export function tallyOutputs(
  records: Iterable<OutputRecord>,
  files: Map<string, FilesIndexRecord>,
): CountRow[] {
  const tally = createTally(files);
  for (const r of records) tally.add(r);
  return tally.rows();
}

/** Streaming form of tallyOutputs: a scan adds records shard by shard without keeping them. */
export function createTally(files: Map<string, FilesIndexRecord>): {
  add(record: OutputRecord): void;
  rows(): CountRow[];
} {
  const rows = new Map<string, CountRow>();
  return {
    add(r) {
      const isDiagnostic = r.kind === 'diagnostic';
      const severity = isDiagnostic ? (r.severity ?? null) : null;
      const code = isDiagnostic ? (r.code ?? null) : null;
      const key = JSON.stringify([r.task_id, r.path, r.kind, severity, code]);
      const row = rows.get(key);
      if (row) row.count += 1;
      else
        rows.set(key, {
          task_id: r.task_id,
          path: r.path,
          kind: r.kind,
          severity,
          code,
          lang: langOf(files, r.path),
          count: 1,
        });
    },
    rows: () => [...rows.values()].sort(compareCountRows),
  };
}

export function compareCountRows(a: CountRow, b: CountRow): number {
  return (
    compareStr(a.task_id, b.task_id) ||
    compareStr(a.path, b.path) ||
    compareStr(a.kind, b.kind) ||
    compareStr(a.severity ?? undefined, b.severity ?? undefined) ||
    compareStr(a.code ?? undefined, b.code ?? undefined)
  );
}

/** Compact on-disk form for the acceleration index: one array per row. */
export type CountTuple = [string, string, string, string | null, string | null, string, number];

export function toCountTuple(r: CountRow): CountTuple {
  return [r.task_id, r.path, r.kind, r.severity, r.code, r.lang, r.count];
}

export function fromCountTuple(t: CountTuple): CountRow {
  return { task_id: t[0], path: t[1], kind: t[2], severity: t[3], code: t[4], lang: t[5], count: t[6] };
}

/** CountRow summed over paths: what stats and countOutputs need, a few hundred rows at most. */
export type TotalRow = Omit<CountRow, 'path'>;

export function aggregateTotals(rows: readonly CountRow[]): TotalRow[] {
  const totals = new Map<string, TotalRow>();
  for (const r of rows) {
    const key = JSON.stringify([r.task_id, r.kind, r.severity, r.code, r.lang]);
    const t = totals.get(key);
    if (t) t.count += r.count;
    else
      totals.set(key, {
        task_id: r.task_id,
        kind: r.kind,
        severity: r.severity,
        code: r.code,
        lang: r.lang,
        count: r.count,
      });
  }
  return [...totals.values()].sort(
    (a, b) =>
      compareStr(a.task_id, b.task_id) ||
      compareStr(a.kind, b.kind) ||
      compareStr(a.severity ?? undefined, b.severity ?? undefined) ||
      compareStr(a.code ?? undefined, b.code ?? undefined) ||
      compareStr(a.lang, b.lang),
  );
}

export type TotalTuple = [string, string, string | null, string | null, string, number];

export function toTotalTuple(r: TotalRow): TotalTuple {
  return [r.task_id, r.kind, r.severity, r.code, r.lang, r.count];
}

export function fromTotalTuple(t: TotalTuple): TotalRow {
  return { task_id: t[0], kind: t[1], severity: t[2], code: t[3], lang: t[4], count: t[5] };
}
