import { CodebatchError } from '../errors/codebatch-error';
import type { OutputRecord, Severity } from '../schemas/output-record';
import type { DiagnosticCounts } from '../schemas/state-record';
import { parseSelectedLines } from '../store/jsonl';
import { verifiesReads } from '../util/read-verification';
import type { BatchView } from './batch-view';
import {
  addRecord,
  addSeverityCounts,
  countAtLeast,
  countInBytes,
  emptyDiagnosticCounts,
  storedCounts,
} from './diagnostic-counts';
import { meetsSeverityThreshold } from './output-filter';
import { sortOutputs } from './output-order';
import { emptySeverityCounts, type SeverityCounts } from './query-diagnostics';
import {
  isShardVisible,
  listShards,
  readShardEntry,
  readShardOutputs,
  readVerifiedOutputsBytes,
  type ShardEntry,
} from './shard-scan';

export interface ScanDiagnosticsOptions {
  /**
   * The outputs_digest each index was checked against (or written with) earlier in this
   * process, by `taskId/shardId`: the done-batch check hashes every index of the batch. A shard
   * whose state still names that digest and whose stored counts hold nothing at or above `min`
   * is then not opened at all.
   */
  proven?: ReadonlyMap<string, string>;
  /**
   * Shards scanned earlier (prefetchShardDiagnostics), by `taskId/shardId`: taken as they are
   * while the shard's state.json still holds the very bytes it was scanned under.
   */
  prefetched?: ReadonlyMap<string, ShardDiagnostics>;
}

/** One shard's part of scanDiagnosticsAtLeast, with the state bytes it holds for. */
export interface ShardDiagnostics {
  stateBytes: Buffer;
  min: Severity;
  records: OutputRecord[];
  counts: SeverityCounts;
}

/** `ScanDiagnosticsOptions.proven` from a run's shard results (ShardRunResult.outputsDigest). */
export function provenIndexes(
  results: readonly { taskId: string; shardId: string; outputsDigest?: string }[],
): Map<string, string> {
  const proven = new Map<string, string>();
  for (const r of results) if (r.outputsDigest) proven.set(provenKey(r.taskId, r.shardId), r.outputsDigest);
  return proven;
}

function provenKey(taskId: string, shardId: string): string {
  return `${taskId}/${shardId}`;
}

/**
 * The diagnostics of the given tasks at or above `min` (a diagnostic without a severity reports
 * as a warning, as report/diagnostic.ts has it), in canonical order, and the count of all of
 * them per severity. A 100k-file monorepo's batch holds millions of warnings; a report that
 * shows only errors (`check --quiet`) needs their number, not them.
 *
 * A shard whose state records the counts of its index (diagnostic_counts, written with
 * outputs_digest at commit) is counted from them, and its index is read for records only when they show
 * something at or above `min`; otherwise its index is only checked against its digest, and not
 * even opened when `options.proven` says this process already did. Without stored counts, the
 * index is counted by substring (diagnostic-counts.ts) when it is verified, else parsed whole.
 * At `error`, only lines holding `"error"` are parsed for the records.
 */
export function scanDiagnosticsAtLeast(
  view: BatchView,
  taskIds: readonly string[],
  min: Severity,
  options: ScanDiagnosticsOptions = {},
): { records: OutputRecord[]; counts: SeverityCounts } {
  const counts = emptySeverityCounts();
  const records: OutputRecord[] = [];
  for (const taskId of taskIds) {
    for (const entry of listShards(view, taskId)) {
      if (!isShardVisible(entry)) continue;
      const pre = options.prefetched?.get(provenKey(taskId, entry.shardId));
      const shard =
        pre && pre.min === min && entry.stateBytes?.equals(pre.stateBytes)
          ? pre
          : scanShard(entry, min, options);
      addSeverityCounts(counts, shard.counts);
      for (const r of shard.records) records.push(r);
    }
  }
  return { records: sortOutputs(records), counts };
}

/**
 * scanDiagnosticsAtLeast's work for one shard, done ahead: a run's caller scans each shard as it
 * settles, while this thread would otherwise wait for a worker, and the report after the run
 * takes what still holds. Undefined when the shard is not done (nothing to take ahead).
 */
export function prefetchShardDiagnostics(
  view: BatchView,
  taskId: string,
  shardId: string,
  min: Severity,
  options: Pick<ScanDiagnosticsOptions, 'proven'> = {},
): ShardDiagnostics | undefined {
  const entry = readShardEntry(view, taskId, shardId);
  if (!isShardVisible(entry) || !entry.stateBytes) return undefined;
  return { stateBytes: entry.stateBytes, min, ...scanShard(entry, min, options) };
}

export { provenKey as shardDiagnosticsKey };

function scanShard(
  entry: ShardEntry,
  min: Severity,
  options: Pick<ScanDiagnosticsOptions, 'proven'>,
): { records: OutputRecord[]; counts: SeverityCounts } {
  const counts = emptySeverityCounts();
  const records: OutputRecord[] = [];
  const keep = (r: OutputRecord) =>
    r.kind === 'diagnostic' && meetsSeverityThreshold(r.severity ?? 'warning', min);
  const select = min === 'error' ? '"error"' : '"diagnostic"';
  const stored = verifiesReads() ? storedCounts(entry.state) : undefined;
  if (stored) {
    addSeverityCounts(counts, stored);
    const expected = countAtLeast(stored, min);
    if (expected === 0) {
      // Unproven, the index is still hashed: a damaged one fails the report as it always has.
      if (!isProven(entry, options.proven)) readVerifiedOutputsBytes(entry);
      return { records, counts };
    }
    const { bytes } = readVerifiedOutputsBytes(entry);
    const kept = parseSelectedLines<OutputRecord>(bytes, select, entry.outputsFile).filter(keep);
    assertStoredCount(entry, stored, min, kept.length, expected);
    return { records: kept, counts };
  }
  const { bytes, verified } = readVerifiedOutputsBytes(entry);
  if (!verified) {
    const all = emptyDiagnosticCounts();
    for (const r of readShardOutputs(entry)) {
      addRecord(all, r);
      if (keep(r)) records.push(r);
    }
    addSeverityCounts(counts, all);
    return { records, counts };
  }
  addSeverityCounts(counts, countInBytes(bytes));
  for (const r of parseSelectedLines<OutputRecord>(bytes, select, entry.outputsFile))
    if (keep(r)) records.push(r);
  return { records, counts };
}

function isProven(entry: ShardEntry, proven: ReadonlyMap<string, string> | undefined): boolean {
  const digest = proven?.get(provenKey(entry.taskId, entry.shardId));
  return digest !== undefined && digest === entry.state?.outputs_digest;
}

/**
 * Whenever an index is read, its records at or above `min` are checked against the stored
 * count: a state whose counts disagree with its index fails the report (exit 1, as a damaged
 * index does) rather than print one number and show another. A shard not read is trusted, as
 * its outputs_digest is; `codebatch verify` recounts every index.
 */
function assertStoredCount(
  entry: ShardEntry,
  stored: DiagnosticCounts,
  min: Severity,
  found: number,
  expected: number,
): void {
  if (found === expected) return;
  throw new CodebatchError(
    'E_INDEX_CORRUPT',
    `${entry.outputsFile} holds ${found} diagnostics at or above ${min}; its state recorded ${expected}`,
    {
      hints: [
        'Re-run the affected shard with --force to rewrite its index and state, or run `codebatch verify`.',
      ],
      details: { file: entry.outputsFile, state: entry.stateFile, min, found, expected, stored },
    },
  );
}
