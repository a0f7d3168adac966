import { CodebatchError } from '../errors/codebatch-error';
import type { Store } from '../store/store';
import { type FactOptions, loadTotals } from './batch-facts';
import { loadBatchView, resolveTaskIds } from './batch-view';
import { assertKind } from './output-filter';
import { definedFields } from './query-outputs';
import type { TotalRow } from './tally-outputs';

export const GROUP_BY = ['kind', 'severity', 'code', 'lang', 'task'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface QueryStatsOptions extends FactOptions {
  task?: string;
  kind?: string;
  /** Default `kind`. */
  groupBy?: string;
}

export interface StatsResult {
  batch_id: string;
  filters: Record<string, string | number>;
  group_by: GroupBy;
  /** Records counted (only diagnostics when grouping by severity or code). */
  total: number;
  /** Largest group first; ties by key. */
  groups: { key: string; count: number }[];
}

/**
 * SPEC 12 question 4: aggregate counts by kind, severity, code, language (or task). Severity
 * and code exist on diagnostics only, so those groupings count diagnostics only; counting a
 * metric under severity "none" is how the reference came to report phantom diagnostics.
 */
export function queryStats(store: Store, batchId: string, options: QueryStatsOptions = {}): StatsResult {
  const groupBy = parseGroupBy(options.groupBy);
  assertKind(options.kind);
  const diagnosticOnly = groupBy === 'severity' || groupBy === 'code';
  if (diagnosticOnly && options.kind !== undefined && options.kind !== 'diagnostic') {
    throw new CodebatchError(
      'E_USAGE',
      `--group-by ${groupBy} applies to diagnostics only (got --kind ${options.kind})`,
      {
        hints: ['Drop --kind, or group by kind, lang or task.'],
      },
    );
  }
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const kind = diagnosticOnly ? 'diagnostic' : options.kind;
  const groups = new Map<string, number>();
  let total = 0;
  for (const row of loadTotals(view, taskIds, options)) {
    if (kind !== undefined && row.kind !== kind) continue;
    const key = groupKey(row, groupBy);
    groups.set(key, (groups.get(key) ?? 0) + row.count);
    total += row.count;
  }
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task, kind: options.kind }),
    group_by: groupBy,
    total,
    groups: [...groups]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

function groupKey(row: TotalRow, groupBy: GroupBy): string {
  switch (groupBy) {
    case 'kind':
      return row.kind;
    case 'severity':
      return row.severity ?? '(none)';
    case 'code':
      return row.code ?? '(none)';
    case 'lang':
      return row.lang;
    case 'task':
      return row.task_id;
  }
}

function parseGroupBy(value: string | undefined): GroupBy {
  if (value === undefined) return 'kind';
  if ((GROUP_BY as readonly string[]).includes(value)) return value as GroupBy;
  throw new CodebatchError('E_USAGE', `unknown --group-by ${JSON.stringify(value)}`, {
    hints: [`Use one of: ${GROUP_BY.join(', ')}.`],
  });
}
