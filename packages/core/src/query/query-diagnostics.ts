import type { OutputRecord } from '../schemas/output-record';
import type { Store } from '../store/store';
import { type FactOptions, loadDiagnostics } from './batch-facts';
import { loadBatchView, resolveTaskIds } from './batch-view';
import { createOutputPredicate } from './output-filter';
import { applyLimit, definedFields } from './query-outputs';

export interface QueryDiagnosticsOptions extends FactOptions {
  task?: string;
  severity?: string;
  code?: string;
  path?: string;
  limit?: number;
}

export interface DiagnosticsResult {
  batch_id: string;
  filters: Record<string, string | number>;
  total: number;
  /** Matching diagnostics per severity (before --limit), zero-filled. */
  by_severity: SeverityCounts;
  records: OutputRecord[];
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

export function emptySeverityCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

/** SPEC 12 question 1: which files produced diagnostics (and which). kind=diagnostic only. */
export function queryDiagnostics(
  store: Store,
  batchId: string,
  options: QueryDiagnosticsOptions = {},
): DiagnosticsResult {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const keep = createOutputPredicate({ severity: options.severity, code: options.code, path: options.path });
  const all = loadDiagnostics(view, taskIds, { ...options, severity: options.severity }).filter(keep);
  const bySeverity = emptySeverityCounts();
  for (const r of all) if (r.severity && r.severity in bySeverity) bySeverity[r.severity] += 1;
  return {
    batch_id: batchId,
    filters: definedFields({
      task: options.task,
      severity: options.severity,
      code: options.code,
      path: options.path,
      limit: options.limit,
    }),
    total: all.length,
    by_severity: bySeverity,
    records: applyLimit(all, options.limit),
  };
}
