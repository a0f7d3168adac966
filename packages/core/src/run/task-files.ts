import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { Store } from '../store/store';
import type { TaskFile } from '../tasks/task-definition';
import { readSourceObject } from './read-source-object';
import type { RecordText } from './record-text';

/**
 * The files of one shard as tasks see them. Built once per shard chain: content is read at
 * most once however many tasks look at it, and upstream outputs come from memory when the
 * upstream task ran in the same chain (no re-read of its index).
 */
export function buildTaskFiles(
  store: Store,
  members: readonly FilesIndexRecord[],
  upstreamByTask: { get(taskId: string): Map<string, RecordText[]> | undefined },
  sourceRoot: () => string,
): TaskFile[] {
  return members.map((m) => {
    const hex = m.object.slice('sha256:'.length);
    let bytes: Buffer | undefined;
    let text: string | undefined;
    const file: TaskFile = {
      path: m.path,
      object: hex,
      size: m.size,
      lang: m.lang_hint,
      isText: m.text !== false,
      bytes() {
        if (bytes === undefined) bytes = readSourceObject(store, hex, { root: sourceRoot(), path: m.path });
        return bytes;
      },
      text() {
        if (text === undefined) text = file.bytes().toString('utf8');
        return text;
      },
      upstream(taskId) {
        return (
          upstreamByTask
            .get(taskId)
            ?.get(m.path)
            ?.map((r) => r.record) ?? []
        );
      },
    };
    return file;
  });
}
