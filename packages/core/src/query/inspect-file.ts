import { CodebatchError } from '../errors/codebatch-error';
import type { OutputRecord } from '../schemas/output-record';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { Store } from '../store/store';
import { loadBatchView } from './batch-view';
import { readFilesByPath } from './files-index';
import { scanOutputs } from './scan-outputs';

export interface InspectTask {
  task_id: string;
  /** Output count per kind for this file, keys sorted. */
  counts: Record<string, number>;
  outputs: OutputRecord[];
}

export interface InspectResult {
  batch_id: string;
  path: string;
  file: FilesIndexRecord;
  /** Every planned task, in plan order, even those with no outputs for the file. */
  tasks: InspectTask[];
}

/** Everything the indexes know about one file of a batch. Matches `path`, then `path_key`. */
export function inspectFile(store: Store, batchId: string, filePath: string): InspectResult {
  const view = loadBatchView(store, batchId);
  const files = readFilesByPath(store, view.batch.snapshot_id);
  const file = files.get(filePath) ?? [...files.values()].find((f) => f.path_key === filePath);
  if (!file) {
    throw new CodebatchError('E_NOT_FOUND', `${JSON.stringify(filePath)} is not a file of batch ${batchId}`, {
      hints: [
        `List the batch's files with \`codebatch files --batch ${batchId}\`; paths are relative to the snapshot root.`,
      ],
      details: { batch_id: batchId, path: filePath },
    });
  }
  const outputs = scanOutputs(view, view.taskIds, (r) => r.path === file.path);
  return {
    batch_id: batchId,
    path: file.path,
    file,
    tasks: view.taskIds.map((taskId) => {
      const own = outputs.filter((r) => r.task_id === taskId);
      const counts: Record<string, number> = {};
      for (const r of own) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
      return {
        task_id: taskId,
        counts: Object.fromEntries(
          Object.keys(counts)
            .sort()
            .map((k) => [k, counts[k] ?? 0]),
        ),
        outputs: own,
      };
    }),
  };
}
