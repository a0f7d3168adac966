import type { OutputRecord } from '../../schemas/output-record';
import type { BatchView } from '../batch-view';
import { storedKindCounts } from '../diagnostic-counts';
import { sortOutputs } from '../output-order';
import { isShardVisible, listShards, readShardOutputs, type ShardEntry } from '../shard-scan';

/** The shards of both batches a diff must read, and how many identical pairs it left out. */
export interface ChangedShards {
  base: ShardEntry[];
  head: ShardEntry[];
  /** Pairs (one shard of each batch) whose records are the same apart from the envelope. */
  identical: number;
}

/**
 * Leaves out every pair of done shards (same task, same shard id) that ran the same input
 * bundle and committed the same result digest. The bundle names each member file with its
 * content (path, object), so both snapshots agree on those files and every line fingerprint is
 * the same; the result digest covers every record field but the envelope; and a task's records
 * only name files of their own shard, so a file's records (and the occurrence index among
 * them) never straddle a left-out pair and a read one. Such a pair contributes only
 * `unchanged` records: a diff that reports no unchanged counts (regressions, improvements)
 * reads the shards that changed and nothing else. A warm pull request reads a few shards
 * instead of both batches.
 *
 * The states are trusted as the query index trusts them for freshness: a left-out index is
 * not re-hashed.
 */
export function listChangedShards(
  base: BatchView,
  head: BatchView,
  baseTasks: readonly string[],
  headTasks: readonly string[],
): ChangedShards {
  const out: ChangedShards = { base: [], head: [], identical: 0 };
  const headByTask = new Map(
    headTasks.map((t) => [t, new Map(visibleShards(head, t).map((e) => [e.shardId, e]))]),
  );
  const pairedHead = new Set<ShardEntry>();
  for (const taskId of baseTasks) {
    const heads = headByTask.get(taskId);
    for (const b of visibleShards(base, taskId)) {
      const h = heads?.get(b.shardId);
      if (h && sameResult(b, h)) {
        pairedHead.add(h);
        out.identical += 1;
      } else out.base.push(b);
    }
  }
  for (const shards of headByTask.values())
    for (const h of shards.values()) if (!pairedHead.has(h)) out.head.push(h);
  return out;
}

function visibleShards(view: BatchView, taskId: string): ShardEntry[] {
  return listShards(view, taskId).filter(isShardVisible);
}

function sameResult(a: ShardEntry, b: ShardEntry): boolean {
  const x = a.state;
  const y = b.state;
  return (
    x?.bundle_hash !== undefined &&
    x.result_digest !== undefined &&
    x.bundle_hash === y?.bundle_hash &&
    x.result_digest === y.result_digest
  );
}

/**
 * The records of `shards` that pass `keep`, in canonical order (as `scanOutputs` returns them).
 * With `only`, records of one kind are wanted: a shard whose state counts none of that kind is
 * not opened (trusted as listChangedShards trusts states), and only lines holding `select` are
 * parsed. A pull request's changed symbol shard is 3.6 MB of records that hold no diagnostic.
 */
export function readShardRecords(
  shards: readonly ShardEntry[],
  keep: (record: OutputRecord) => boolean,
  only?: { kind: string; select: string },
): OutputRecord[] {
  const out: OutputRecord[] = [];
  for (const entry of shards) {
    const kinds = only ? storedKindCounts(entry.state) : undefined;
    if (only && kinds && !kinds[only.kind]) continue;
    for (const record of readShardOutputs(entry, only?.select)) if (keep(record)) out.push(record);
  }
  return sortOutputs(out);
}
