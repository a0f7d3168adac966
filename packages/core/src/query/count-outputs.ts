import type { Store } from '../store/store';
import { type FactOptions, loadTotals } from './batch-facts';
import { loadBatchView } from './batch-view';
import { emptySeverityCounts, type SeverityCounts } from './query-diagnostics';

export interface OutputCounts {
  total: number;
  /** Every kind found, plus the five standard kinds zero-filled; keys sorted. */
  by_kind: Record<string, number>;
  /** kind=diagnostic records only, zero-filled. */
  diagnostics: number;
  by_severity: SeverityCounts;
}

export interface BatchOutputCounts extends OutputCounts {
  batch_id: string;
  /** The same counts per task, in plan order. */
  by_task: Record<string, OutputCounts>;
}

const STANDARD_KINDS = ['ast', 'diagnostic', 'edge', 'metric', 'symbol'];

/**
 * Counts a batch's committed outputs by kind, and its diagnostics by severity, for `summary`.
 * Only records whose kind is `diagnostic` are diagnostics: the reference counted every record
 * as one (29 "diagnostics" on a corpus without any, defect 1).
 */
export function countOutputs(store: Store, batchId: string, options: FactOptions = {}): BatchOutputCounts {
  const view = loadBatchView(store, batchId);
  const total = emptyCounts();
  const byTask = new Map<string, OutputCounts>(view.taskIds.map((t) => [t, emptyCounts()]));
  for (const row of loadTotals(view, view.taskIds, options)) {
    for (const counts of [total, byTask.get(row.task_id)]) {
      if (!counts) continue;
      counts.total += row.count;
      counts.by_kind[row.kind] = (counts.by_kind[row.kind] ?? 0) + row.count;
      if (row.kind !== 'diagnostic') continue;
      counts.diagnostics += row.count;
      const severity = row.severity as keyof SeverityCounts | null;
      if (severity !== null && severity in counts.by_severity) counts.by_severity[severity] += row.count;
    }
  }
  return {
    batch_id: batchId,
    ...sortKinds(total),
    by_task: Object.fromEntries([...byTask].map(([t, c]) => [t, sortKinds(c)])),
  };
}

function emptyCounts(): OutputCounts {
  return {
    total: 0,
    by_kind: Object.fromEntries(STANDARD_KINDS.map((k) => [k, 0])),
    diagnostics: 0,
    by_severity: emptySeverityCounts(),
  };
}

function sortKinds(counts: OutputCounts): OutputCounts {
  const keys = Object.keys(counts.by_kind).sort();
  return { ...counts, by_kind: Object.fromEntries(keys.map((k) => [k, counts.by_kind[k] ?? 0])) };
}
