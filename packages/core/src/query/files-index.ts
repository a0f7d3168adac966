import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { readFilesIndex } from '../snapshot/read-snapshot';
import type { Store } from '../store/store';

/** Files of a snapshot by path (read and digest-checked by the snapshot module). */
export function readFilesByPath(store: Store, snapshotId: string): Map<string, FilesIndexRecord> {
  return new Map(readFilesIndex(store, snapshotId).map((r) => [r.path, r]));
}

/** Files without a language hint are grouped as `unknown` rather than dropped. */
export const UNKNOWN_LANG = 'unknown';

export function langOf(files: Map<string, FilesIndexRecord>, path: string): string {
  return files.get(path)?.lang_hint ?? UNKNOWN_LANG;
}
