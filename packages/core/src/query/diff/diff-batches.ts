import type { OutputRecord } from '../../schemas/output-record';
import type { FilesIndexRecord } from '../../schemas/snapshot-record';
import type { Store } from '../../store/store';
import { groupByPath } from '../../util/group-by-path';
import { DIAGNOSTIC_LINE } from '../batch-facts';
import { type BatchView, loadBatchView, resolveTaskIds } from '../batch-view';
import { readFilesByPath } from '../files-index';
import {
  assertSeverity,
  createOutputPredicate,
  meetsSeverityThreshold,
  SEVERITY_RANK,
} from '../output-filter';
import { compareOutputs } from '../output-order';
import { definedFields } from '../query-outputs';
import { scanOutputs } from '../scan-outputs';
import { listChangedShards, readShardRecords } from './changed-shards';
import { keyRecords, positionedContent } from './diff-keys';
import { createLineFingerprinter } from './line-fingerprint';

export interface DiffOptions {
  task?: string;
  kind?: string;
  path?: string;
}

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

export interface ChangedRecord {
  base: OutputRecord;
  head: OutputRecord;
}

export interface DiffResult {
  base_batch_id: string;
  head_batch_id: string;
  filters: Record<string, string | number>;
  counts: DiffCounts;
  /** The same counts per kind, keys sorted. */
  counts_by_kind: Record<string, DiffCounts>;
  /** Records of head with no counterpart in base, canonical order. */
  added: OutputRecord[];
  /** Records of base with no counterpart in head, canonical order. */
  removed: OutputRecord[];
  /** Same key, different non-positional content; ordered by the head record. */
  changed: ChangedRecord[];
}

/**
 * Compares two batches by canonical keys (see diff-keys.ts) that ignore batch, snapshot,
 * shard, timestamp and position. Used by `diff`, `regressions`, `improvements` and the GitHub
 * Action, which annotates `added` diagnostics only.
 *
 * @param baseBatchId the older batch (e.g. the pull request's base)
 * @param headBatchId the newer batch
 * @returns added, removed and changed records with counts, all in deterministic order
 */
export function diffBatches(
  store: Store,
  baseBatchId: string,
  headBatchId: string,
  options: DiffOptions = {},
): DiffResult {
  const base = loadBatchView(store, baseBatchId);
  const head = loadBatchView(store, headBatchId);
  const [baseTasks, headTasks] = resolveDiffTasks(base, head, options.task);
  const keep = createOutputPredicate({ kind: options.kind, path: options.path });
  return compareRecords(
    base,
    head,
    scanOutputs(base, baseTasks, keep),
    scanOutputs(head, headTasks, keep),
    definedFields({ task: options.task, kind: options.kind, path: options.path }),
  );
}

/** The keyed comparison of two record sets (each in canonical order) of two batches. */
function compareRecords(
  base: BatchView,
  head: BatchView,
  baseRecords: OutputRecord[],
  headRecords: OutputRecord[],
  filters: Record<string, string | number>,
  files?: { base: Map<string, FilesIndexRecord>; head: Map<string, FilesIndexRecord> },
): DiffResult {
  const lines = new Map<string, string[]>();
  const baseKeyed = keyRecords(
    baseRecords,
    createLineFingerprinter(base.store, base.batch.snapshot_id, lines, files?.base),
  );
  const headKeyed = keyRecords(
    headRecords,
    createLineFingerprinter(head.store, head.batch.snapshot_id, lines, files?.head),
  );
  const result: DiffResult = {
    base_batch_id: base.batchId,
    head_batch_id: head.batchId,
    filters,
    counts: emptyCounts(),
    counts_by_kind: {},
    added: [],
    removed: [],
    changed: [],
  };
  const bump = (kind: string, field: keyof DiffCounts) => {
    result.counts[field] += 1;
    result.counts_by_kind[kind] ??= emptyCounts();
    result.counts_by_kind[kind][field] += 1;
  };
  for (const [key, h] of headKeyed) {
    const b = baseKeyed.get(key);
    if (!b) {
      result.added.push(h.record);
      bump(h.record.kind, 'added');
    } else if (b.content !== h.content) {
      result.changed.push({ base: b.record, head: h.record });
      bump(h.record.kind, 'changed');
    } else {
      bump(h.record.kind, 'unchanged');
    }
  }
  for (const [key, b] of baseKeyed) {
    if (headKeyed.has(key)) continue;
    result.removed.push(b.record);
    bump(b.record.kind, 'removed');
  }
  result.added.sort(compareOutputs);
  result.removed.sort(compareOutputs);
  result.changed.sort((x, y) => compareOutputs(x.head, y.head) || compareOutputs(x.base, y.base));
  result.counts_by_kind = Object.fromEntries(
    Object.keys(result.counts_by_kind)
      .sort()
      .map((k) => [k, result.counts_by_kind[k]!]),
  );
  return result;
}

/**
 * A task may exist in one batch only (pipelines differ): its records are then all added or
 * all removed. A --task in neither batch is E_TASK_NOT_FOUND, as for every other query.
 */
function resolveDiffTasks(base: BatchView, head: BatchView, task: string | undefined): [string[], string[]] {
  if (task === undefined) return [base.taskIds, head.taskIds];
  if (!base.taskIds.includes(task) && !head.taskIds.includes(task)) resolveTaskIds(head, task);
  return [base.taskIds.filter((t) => t === task), head.taskIds.filter((t) => t === task)];
}

function emptyCounts(): DiffCounts {
  return { added: 0, removed: 0, changed: 0, unchanged: 0 };
}

const DIAGNOSTICS = { kind: 'diagnostic', select: DIAGNOSTIC_LINE };

export interface DiagnosticDeltaOptions {
  task?: string;
  path?: string;
  /** Threshold: `warning` keeps errors and warnings. */
  severity?: string;
}

export interface DiagnosticDelta {
  base_batch_id: string;
  head_batch_id: string;
  filters: Record<string, string | number>;
  total: number;
  /** Of `total`, diagnostics present on both sides whose severity rose (regressions) or fell (improvements). */
  severity_changes: number;
  records: OutputRecord[];
}

/**
 * Diagnostics present in head and not in base, plus those whose severity rose (a warning
 * that is now an error: a rule made stricter fails the gate too), at or above the severity
 * threshold. A diagnostic that only moved, or whose message changed, is not new.
 */
export function findRegressions(
  store: Store,
  baseBatchId: string,
  headBatchId: string,
  options: DiagnosticDeltaOptions = {},
): DiagnosticDelta {
  return diagnosticDelta(store, baseBatchId, headBatchId, options, 'added');
}

/**
 * Diagnostics present in base and gone from head, plus those whose severity fell (listed as
 * they were in base), at or above the severity threshold.
 */
export function findImprovements(
  store: Store,
  baseBatchId: string,
  headBatchId: string,
  options: DiagnosticDeltaOptions = {},
): DiagnosticDelta {
  return diagnosticDelta(store, baseBatchId, headBatchId, options, 'removed');
}

function diagnosticDelta(
  store: Store,
  baseBatchId: string,
  headBatchId: string,
  options: DiagnosticDeltaOptions,
  side: 'added' | 'removed',
): DiagnosticDelta {
  assertSeverity(options.severity);
  const base = loadBatchView(store, baseBatchId);
  const head = loadBatchView(store, headBatchId);
  const [baseTasks, headTasks] = resolveDiffTasks(base, head, options.task);
  const keep = createOutputPredicate({ kind: 'diagnostic', path: options.path });
  // Only added, removed and changed records matter here, so identical shards are never read.
  const shards = listChangedShards(base, head, baseTasks, headTasks);
  const baseRecords = readShardRecords(shards.base, keep, DIAGNOSTICS);
  const headRecords = readShardRecords(shards.head, keep, DIAGNOSTICS);
  const files =
    baseRecords.length > 0 && headRecords.length > 0
      ? {
          base: readFilesByPath(store, base.batch.snapshot_id),
          head: readFilesByPath(store, head.batch.snapshot_id),
        }
      : undefined;
  const [changedBase, changedHead] = files
    ? withoutUnchangedFiles(baseRecords, headRecords, files.base, files.head)
    : [baseRecords, headRecords];
  const diff = compareRecords(base, head, changedBase, changedHead, {}, files);
  const meets = (r: OutputRecord) => meetsSeverityThreshold(r.severity, options.severity);
  // Ranks count down from error (0), so a rise in severity is a fall in rank.
  const rank = (r: OutputRecord) => SEVERITY_RANK[r.severity ?? ''] ?? Number.MAX_SAFE_INTEGER;
  const severityChanged = diff.changed
    .filter((c) => (side === 'added' ? rank(c.head) < rank(c.base) : rank(c.head) > rank(c.base)))
    .map((c) => (side === 'added' ? c.head : c.base))
    .filter(meets);
  const records = [...diff[side].filter(meets), ...severityChanged].sort(compareOutputs);
  return {
    base_batch_id: baseBatchId,
    head_batch_id: headBatchId,
    filters: definedFields({ task: options.task, path: options.path, severity: options.severity }),
    total: records.length,
    severity_changes: severityChanged.length,
    records,
  };
}

/**
 * Leaves out the files whose records can only compare as unchanged: the same bytes in both
 * snapshots (so every line fingerprint is the same) and the same records, positions included.
 * Keys never span two files, so what remains compares exactly as the whole would, apart from
 * the unchanged count, which regressions and improvements do not report. A pull request's
 * changed lint shard holds a few hundred files and one of them changed: the others were each
 * read from the store and fingerprinted line by line (about half of the Action's comparison).
 * Both lists are in canonical order, so each file's records are one run.
 */
function withoutUnchangedFiles(
  baseRecords: OutputRecord[],
  headRecords: OutputRecord[],
  baseFiles: Map<string, FilesIndexRecord>,
  headFiles: Map<string, FilesIndexRecord>,
): [OutputRecord[], OutputRecord[]] {
  const baseByPath = groupByPath(baseRecords);
  const headByPath = groupByPath(headRecords);
  const unchanged = new Set<string>();
  for (const [path, headRun] of headByPath) {
    const baseRun = baseByPath.get(path);
    const object = headFiles.get(path)?.object;
    if (!baseRun || object === undefined || baseFiles.get(path)?.object !== object) continue;
    if (baseRun.length !== headRun.length) continue;
    const a = baseRun.map(positionedContent).sort();
    const b = headRun.map(positionedContent).sort();
    if (a.every((content, i) => content === b[i])) unchanged.add(path);
  }
  if (unchanged.size === 0) return [baseRecords, headRecords];
  const keep = (r: OutputRecord) => !unchanged.has(r.path);
  return [baseRecords.filter(keep), headRecords.filter(keep)];
}
