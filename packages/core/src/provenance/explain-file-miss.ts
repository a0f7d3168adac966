import { readBatchRecord, readTaskRecord } from '../batch/read-batch';
import { CodebatchError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { openSnapshotView, type SnapshotView } from '../snapshot/snapshot-view';
import type { Store } from '../store/store';
import { findPreviousBatch } from './explain-shard-miss';

export interface FileDependencyChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  from?: string;
  to?: string;
}

export interface FileMissExplanation {
  batch_id: string;
  against: string;
  task_id: string;
  path: string;
  /** The file's own content: undefined when unchanged. */
  content?: { from?: string; to?: string };
  /**
   * Files its types depend on (import closure, global-scope files, tsconfig chain, lockfiles)
   * whose content changed between the two snapshots. Only type-aware results depend on them.
   */
  dependencies: FileDependencyChange[];
}

/**
 * Why one file's result was not reused between two batches: its own content, or, for results
 * that use type information, which of the files its types depend on changed. The closure is
 * rebuilt from each batch's snapshot (the same analysis the memo key was built from).
 */
export function explainFileMiss(
  store: Store,
  options: { batchId: string; taskId: string; path: string; against?: string },
): FileMissExplanation {
  const { batchId, taskId, path } = options;
  readTaskRecord(store, batchId, taskId);
  const againstId = options.against ?? findPreviousBatch(store, batchId, taskId);
  const now = snapshotOf(store, batchId);
  const then = snapshotOf(store, againstId);
  const mine = now.files.get(path);
  const was = then.files.get(path);
  if (!mine && !was) {
    throw new CodebatchError('E_NOT_FOUND', `${path} is in neither batch ${batchId} nor ${againstId}`, {
      hints: ['Name a file by its snapshot path, e.g. `src/index.ts` (see `codebatch files --batch <id>`).'],
    });
  }
  const content = mine?.object === was?.object ? undefined : { from: was?.object, to: mine?.object };
  const depsNow = mine ? closureObjects(now, path) : new Map<string, string>();
  const depsThen = was ? closureObjects(then, path) : new Map<string, string>();
  const dependencies: FileDependencyChange[] = [];
  for (const [p, object] of depsNow) {
    if (p === path) continue;
    const before = depsThen.get(p);
    if (before === undefined) dependencies.push({ path: p, change: 'added', to: object });
    else if (before !== object) dependencies.push({ path: p, change: 'changed', from: before, to: object });
  }
  for (const [p, object] of depsThen)
    if (p !== path && !depsNow.has(p)) dependencies.push({ path: p, change: 'removed', from: object });
  dependencies.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    batch_id: batchId,
    against: againstId,
    task_id: taskId,
    path,
    ...(content ? { content } : {}),
    dependencies,
  };
}

interface SnapshotFiles {
  view: SnapshotView;
  files: Map<string, FilesIndexRecord>;
}

function snapshotOf(store: Store, batchId: string): SnapshotFiles {
  const view = openSnapshotView(store, readBatchRecord(store, batchId).snapshot_id);
  return { view, files: new Map(view.files().map((f) => [f.path, f])) };
}

/** path -> object of every snapshot file the file's types depend on (itself included). */
function closureObjects(snapshot: SnapshotFiles, path: string): Map<string, string> {
  // The same closure the ESLint task keys type-aware files on (loaded on use: it pulls in the
  // TypeScript compiler, which every other command would otherwise load for nothing).
  const { typeClosureFor } =
    require('../tasks/eslint/type-closure-cache') as typeof import('../tasks/eslint/type-closure-cache');
  const closure = typeClosureFor(snapshot.view);
  const out = new Map<string, string>();
  const d = closure.describe(path);
  for (const p of [...closure.closureOf(path), ...d.tsconfig, ...d.globals, ...d.lockfiles]) {
    const f = snapshot.files.get(p);
    if (f) out.set(p, f.object);
  }
  return out;
}
