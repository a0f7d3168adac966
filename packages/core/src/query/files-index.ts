import { CodebatchError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { readJsonl } from '../store/jsonl';
import type { Store } from '../store/store';

/** Files of a snapshot by path, in the files index order (sorted by the snapshotter). */
export function readFilesIndex(store: Store, snapshotId: string): Map<string, FilesIndexRecord> {
  const file = store.layout.filesIndexFile(snapshotId);
  let records: FilesIndexRecord[];
  try {
    records = readJsonl<FilesIndexRecord>(file, { mode: 'strict' }).records;
  } catch (error) {
    if ((error as CodebatchError).code === 'E_NOT_FOUND') {
      throw new CodebatchError(
        'E_SNAPSHOT_NOT_FOUND',
        `snapshot ${snapshotId} has no files index (${file})`,
        {
          hints: [
            'The batch refers to a snapshot that was deleted or never completed; re-snapshot and re-run.',
          ],
          details: { snapshot_id: snapshotId, file },
        },
      );
    }
    throw error;
  }
  return new Map(records.map((r) => [r.path, r]));
}

/** Files without a language hint are grouped as `unknown` rather than dropped. */
export const UNKNOWN_LANG = 'unknown';

export function langOf(files: Map<string, FilesIndexRecord>, path: string): string {
  return files.get(path)?.lang_hint ?? UNKNOWN_LANG;
}
