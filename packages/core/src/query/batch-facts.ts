import type { OutputRecord } from '../schemas/output-record';
import { readFreshQueryIndex } from './accel/read-query-index';
import type { BatchView } from './batch-view';
import { readFilesByPath } from './files-index';
import { forEachOutput, scanOutputs } from './scan-outputs';
import { aggregateTotals, type CountRow, createTally, type TotalRow } from './tally-outputs';

/**
 * The facts most queries need, from the acceleration index when it is fresh, else by scanning
 * the shard indexes. Both sources pass through the same functions (tally, aggregateTotals,
 * canonical sort) in the same order, so callers cannot tell them apart except by speed (gate 3).
 */
export interface FactOptions {
  /** false forces a scan (benchmarks, and tests that compare both paths). Default true. */
  useIndex?: boolean;
}

/** Per (task, kind, severity, code, lang) totals: stats and countOutputs. */
export function loadTotals(
  view: BatchView,
  taskIds: readonly string[],
  options: FactOptions = {},
): TotalRow[] {
  const index = options.useIndex === false ? undefined : readFreshQueryIndex(view);
  if (index) return index.totals.filter((r) => taskIds.includes(r.task_id));
  return aggregateTotals(scanCountRows(view, taskIds));
}

/** Per (task, path, kind, severity, code) counts: files and top. */
export function loadCountRows(
  view: BatchView,
  taskIds: readonly string[],
  options: FactOptions = {},
): CountRow[] {
  const index = options.useIndex === false ? undefined : readFreshQueryIndex(view, { countRows: true });
  if (index?.countRows) return index.countRows.filter((r) => taskIds.includes(r.task_id));
  return scanCountRows(view, taskIds);
}

function scanCountRows(view: BatchView, taskIds: readonly string[]): CountRow[] {
  const tally = createTally(readFilesByPath(view.store, view.batch.snapshot_id));
  forEachOutput(view, taskIds, tally.add);
  return tally.rows();
}

export const DIAGNOSTIC_LINE = '"diagnostic"';

/** Diagnostics of the given tasks (of one severity, when given) in canonical order. */
export function loadDiagnostics(
  view: BatchView,
  taskIds: readonly string[],
  options: FactOptions & { severity?: string } = {},
): OutputRecord[] {
  const { severity } = options;
  const index =
    options.useIndex === false ? undefined : readFreshQueryIndex(view, { diagnostics: severity ?? 'all' });
  if (index?.diagnostics) return index.diagnostics.filter((r) => taskIds.includes(r.task_id));
  // Every diagnostic's line holds this text, however its JSON is spaced: the far more numerous
  // ast, metric, symbol and edge lines are passed over without a JSON.parse.
  return scanOutputs(
    view,
    taskIds,
    (r) => r.kind === 'diagnostic' && (severity === undefined || r.severity === severity),
    DIAGNOSTIC_LINE,
  );
}
