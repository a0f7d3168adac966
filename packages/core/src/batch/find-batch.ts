import { tryReadSnapshotRecord } from '../snapshot/read-snapshot';
import type { Store } from '../store/store';
import { listBatches } from './read-batch';
import { deriveBatchStatus } from './status';

export interface FindBatchOptions {
  /** Only batches of this pipeline (`parse`, `lint`, `full`, ...). */
  pipeline?: string;
}

/** The batch.json metadata key wrappers use for the commit a batch analysed. */
export const GIT_SHA_METADATA_KEY = 'git_sha';

/**
 * The newest complete batch (every shard done) that analysed commit `gitSha`, or undefined.
 *
 * A batch matches when its batch.json `metadata.git_sha` is the sha (what the GitHub Action
 * records; it is the authority, because a snapshot is content-addressed and so is shared by
 * every commit with the same tree), or, for batches without that metadata, when its
 * snapshot's `source.git_ref` is the sha and the checkout was clean (`git_dirty` not true).
 * Comparison is case-insensitive; an abbreviated sha (7+ hex digits) matches as a prefix.
 */
export function findBatchForCommit(
  store: Store,
  gitSha: string,
  options: FindBatchOptions = {},
): string | undefined {
  const wanted = gitSha.trim().toLowerCase();
  if (!/^[a-f0-9]{7,64}$/.test(wanted)) return undefined;
  const matches = (sha: unknown) =>
    typeof sha === 'string' && sha.toLowerCase().startsWith(wanted) && sha.length >= wanted.length;
  const newestFirst = listBatches(store).reverse();
  for (const batch of newestFirst) {
    if (options.pipeline !== undefined && batch.pipeline !== options.pipeline) continue;
    const recorded = batch.metadata?.[GIT_SHA_METADATA_KEY];
    let hit: boolean;
    if (recorded !== undefined) hit = matches(recorded);
    else {
      const snapshot = tryReadSnapshotRecord(store, batch.snapshot_id);
      hit = !!snapshot && snapshot.source.git_dirty !== true && matches(snapshot.source.git_ref);
    }
    if (!hit) continue;
    try {
      if (deriveBatchStatus(store, batch.batch_id).status === 'done') return batch.batch_id;
    } catch {
      // a damaged batch is reported by `verify`; look further back
    }
  }
  return undefined;
}
