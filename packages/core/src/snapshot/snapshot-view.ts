import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { Store } from '../store/store';
import { readFilesIndex, readSnapshotRecord } from './read-snapshot';

/** The whole snapshot, as a task that looks beyond its shard (type information) sees it. */
export interface SnapshotView {
  /** Absolute directory the snapshot was taken from (where the workspace's tools are installed). */
  readonly root: string;
  /** sha256 of the snapshot's files index: changes whenever any file's path or content does. */
  readonly digest: string;
  files(): readonly FilesIndexRecord[];
  /** Content of an object of the snapshot (hex digest). */
  read(object: string): Buffer;
}

/** A view of one snapshot; its record and files index are read on first use only. */
export function openSnapshotView(store: Store, snapshotId: string): SnapshotView {
  let record: ReturnType<typeof readSnapshotRecord> | undefined;
  let files: FilesIndexRecord[] | undefined;
  const getRecord = () => {
    record ??= readSnapshotRecord(store, snapshotId);
    return record;
  };
  return {
    get root() {
      return getRecord().source.path;
    },
    get digest() {
      return (getRecord().files_index_digest ?? `sha256:${snapshotId}`).replace(/^sha256:/, '');
    },
    files() {
      files ??= readFilesIndex(store, snapshotId);
      return files;
    },
    read: (object) => store.objects.readObject(object),
  };
}
