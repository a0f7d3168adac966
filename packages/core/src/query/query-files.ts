import type { Store } from '../store/store';
import { type FactOptions, loadCountRows } from './batch-facts';
import { loadBatchView, resolveTaskIds } from './batch-view';
import { readFilesByPath, UNKNOWN_LANG } from './files-index';
import { assertSeverity, createPathMatcher } from './output-filter';
import { emptySeverityCounts, type SeverityCounts } from './query-diagnostics';
import { applyLimit, definedFields } from './query-outputs';

export interface FileSummary extends SeverityCounts {
  path: string;
  lang: string;
  /** null for a path that has outputs but is not in the snapshot (should not happen). */
  size: number | null;
  outputs: number;
  diagnostics: number;
}

export interface FilesResult {
  batch_id: string;
  filters: Record<string, string | number>;
  total: number;
  files: FileSummary[];
}

export interface QueryFilesOptions extends FactOptions {
  task?: string;
  path?: string;
}

/** Every file of the batch's snapshot with its output and diagnostic counts, by path. */
export function queryFiles(store: Store, batchId: string, options: QueryFilesOptions = {}): FilesResult {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const matchPath = createPathMatcher(options.path);
  const summaries = new Map<string, FileSummary>();
  for (const f of readFilesByPath(store, view.batch.snapshot_id).values()) {
    if (matchPath(f.path)) summaries.set(f.path, emptySummary(f.path, f.lang_hint ?? UNKNOWN_LANG, f.size));
  }
  for (const row of loadCountRows(view, taskIds, options)) {
    if (!matchPath(row.path)) continue;
    let s = summaries.get(row.path);
    if (!s) {
      s = emptySummary(row.path, row.lang, null);
      summaries.set(row.path, s);
    }
    addRow(s, row.kind, row.severity, row.count);
  }
  const files = [...summaries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task, path: options.path }),
    total: files.length,
    files,
  };
}

export interface QueryTopOptions extends FactOptions {
  task?: string;
  /** Count only diagnostics of this severity. */
  severity?: string;
  /** Default 10. */
  limit?: number;
}

export interface TopResult {
  batch_id: string;
  filters: Record<string, string | number>;
  /** Files with at least one counted diagnostic. */
  total: number;
  files: FileSummary[];
}

/** Files with the most diagnostics, most first, ties by path. */
export function queryTop(store: Store, batchId: string, options: QueryTopOptions = {}): TopResult {
  assertSeverity(options.severity);
  const limit = options.limit ?? 10;
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const summaries = new Map<string, FileSummary>();
  for (const row of loadCountRows(view, taskIds, options)) {
    if (row.kind !== 'diagnostic') continue;
    if (options.severity !== undefined && row.severity !== options.severity) continue;
    let s = summaries.get(row.path);
    if (!s) {
      s = emptySummary(row.path, row.lang, null);
      summaries.set(row.path, s);
    }
    addRow(s, row.kind, row.severity, row.count);
  }
  const sizes = readFilesByPath(store, view.batch.snapshot_id);
  const files = [...summaries.values()]
    .map((s) => ({ ...s, size: sizes.get(s.path)?.size ?? null }))
    .sort((a, b) => b.diagnostics - a.diagnostics || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task, severity: options.severity, limit }),
    total: files.length,
    files: applyLimit(files, limit),
  };
}

function emptySummary(path: string, lang: string, size: number | null): FileSummary {
  return { path, lang, size, outputs: 0, diagnostics: 0, ...emptySeverityCounts() };
}

/** Top's `outputs` counts only the diagnostics it selected: it is a diagnostics ranking. */
function addRow(s: FileSummary, kind: string, severity: string | null, count: number): void {
  s.outputs += count;
  if (kind !== 'diagnostic') return;
  s.diagnostics += count;
  if (severity !== null && severity in SEVERITY_KEYS) s[severity as keyof SeverityCounts] += count;
}

const SEVERITY_KEYS = emptySeverityCounts();
