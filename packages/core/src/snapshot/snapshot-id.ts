import { sha256OfCanonical } from '../util/hash';

/** Salt of the default-id preimage; bump it only together with a files-index format change. */
export const SNAPSHOT_ID_SALT = 'codebatch.snapshot.v1';
export const SNAPSHOT_ID_HEX_LENGTH = 20;

export type SnapshotFilters = {
  include: string[];
  exclude: string[];
  gitignore: boolean;
};

/**
 * The default snapshot id: the first 20 hex digits (80 bits) of
 * sha256(canonicalJson({ salt, files_index_digest, filters })). It depends only on what the
 * snapshot contains and how it was selected, never on where the tree lives, when it was taken or
 * which host took it, so re-snapshotting an unchanged tree (or a copy of it) finds the same id.
 * Filters are part of it because snapshot.json records them.
 */
export function deriveSnapshotId(filesIndexDigest: string, filters: SnapshotFilters): string {
  const preimage = { salt: SNAPSHOT_ID_SALT, files_index_digest: filesIndexDigest, filters };
  return sha256OfCanonical(preimage).slice(0, SNAPSHOT_ID_HEX_LENGTH);
}
