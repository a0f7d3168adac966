import type { OutputRecord } from '../schemas/output-record';
import type { Store } from '../store/store';
import { type FactOptions, loadDiagnostics } from './batch-facts';
import { loadBatchView, resolveTaskIds } from './batch-view';
import { createOutputPredicate } from './output-filter';
import { scanOutputs } from './scan-outputs';

export interface QueryOutputsOptions extends FactOptions {
  task?: string;
  kind?: string;
  /** Exact path or glob. */
  path?: string;
  /** Keep the first `limit` records (of the canonical order); `total` still counts all. */
  limit?: number;
}

export interface OutputsResult {
  batch_id: string;
  filters: Record<string, string | number>;
  /** Matching records before --limit. */
  total: number;
  records: OutputRecord[];
}

/** SPEC 12 question 2: which outputs exist (for a task, kind, path). */
export function queryOutputs(
  store: Store,
  batchId: string,
  options: QueryOutputsOptions = {},
): OutputsResult {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const keep = createOutputPredicate({ kind: options.kind, path: options.path });
  // Diagnostics are the one kind the acceleration index holds whole.
  const all =
    options.kind === 'diagnostic'
      ? loadDiagnostics(view, taskIds, options).filter(keep)
      : scanOutputs(view, taskIds, keep);
  return {
    batch_id: batchId,
    filters: definedFields({
      task: options.task,
      kind: options.kind,
      path: options.path,
      limit: options.limit,
    }),
    total: all.length,
    records: applyLimit(all, options.limit),
  };
}

export function applyLimit<T>(items: T[], limit: number | undefined): T[] {
  return limit === undefined ? items : items.slice(0, limit);
}

/** Drops undefined members so the JSON echo of filters is the same however options were built. */
export function definedFields<T extends Record<string, unknown>>(value: T): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v as string | number;
  return out;
}
