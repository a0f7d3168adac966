import type { OutputRecord } from '../schemas/output-record';
import type { BatchView } from './batch-view';
import { sortOutputs } from './output-order';
import { isShardVisible, listShards, readShardOutputs } from './shard-scan';

/**
 * Visits the committed outputs of the given tasks straight from the shard indexes (the
 * authoritative data; events.jsonl is never opened), one shard in memory at a time.
 */
export function forEachOutput(
  view: BatchView,
  taskIds: readonly string[],
  visit: (record: OutputRecord) => void,
  /** Text every wanted record's line contains (see parseJsonl): other lines are not parsed. */
  select?: string,
): void {
  for (const taskId of taskIds) {
    for (const entry of listShards(view, taskId)) {
      if (!isShardVisible(entry)) continue;
      for (const record of readShardOutputs(entry, select)) visit(record);
    }
  }
}

/**
 * Collects the outputs of the given tasks that pass `keep`, in canonical order. Filtering
 * while reading keeps a narrow query over a large batch from holding every record.
 */
export function scanOutputs(
  view: BatchView,
  taskIds: readonly string[],
  keep: (record: OutputRecord) => boolean = () => true,
  select?: string,
): OutputRecord[] {
  const out: OutputRecord[] = [];
  forEachOutput(
    view,
    taskIds,
    (record) => {
      if (keep(record)) out.push(record);
    },
    select,
  );
  return sortOutputs(out);
}
