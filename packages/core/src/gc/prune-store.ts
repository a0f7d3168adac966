import fs from 'node:fs';
import path from 'node:path';
import { listBatches } from '../batch/read-batch';
import { deriveBatchStatus } from '../batch/status';
import { CodebatchError } from '../errors/codebatch-error';
import type { BatchRecord } from '../schemas/batch-record';
import { listSnapshots } from '../snapshot/read-snapshot';
import { tempName, writeFileAtomic } from '../store/atomic-write';
import { CHUNKED_SUFFIX } from '../store/chunking';
import { BATCHES_DIR, SNAPSHOTS_DIR } from '../store/layout';
import type { Store } from '../store/store';
import { parseObjectRef } from '../util/hash';

/**
 * Garbage collection of a store: old batches go, then whatever nothing kept refers to.
 *
 * Retention of batches (the only policy choice; everything else follows from references):
 * - never removed: batches in `keepBatchIds`, batches with a running shard (locked by a live
 *   process), unfinished batches (pending/partial) younger than `graceMs`, and batches whose
 *   batch.json cannot be read (listed in `batches.unreadable`: verify explains them, a person
 *   decides; while one exists every snapshot is kept, since which one it uses is unknown);
 * - `keepBatches: N` keeps the newest N batches (by created_at); `olderThanMs: D` keeps those
 *   created within D. With both, a batch is removed only if neither keeps it; with neither,
 *   no batch is removed (gc then only collects what is unreferenced).
 * Then, from the kept batches:
 * - snapshots: kept when a kept batch uses them; the newest snapshot is always kept;
 * - objects: kept when reachable. Roots are every `sha256:<hex>` string in the kept batches'
 *   records (batch.json, plan.json, task.json, state.json with its `manifest`, outputs.index.jsonl
 *   including chunk manifests), the kept snapshots' files indexes, the kept memo entries and
 *   sessions; reachable objects that hold JSON are scanned for further `sha256:` strings,
 *   transitively (chunks of a chunk manifest, anything a run manifest names). Objects younger
 *   than `graceMs` are never removed (a concurrent snapshot may not have published yet);
 * - indexes: a memo or bundle entry (indexes/memo/<task>.jsonl, indexes/bundles/) whose batch
 *   was removed is moved to a kept shard that reused that batch's shard (identical records), or
 *   dropped when there is none, so a pruned store keeps its cache hits; memo tables are
 *   compacted to the last entry per key; query indexes of removed batches are deleted. All
 *   rewrites are atomic;
 * - sessions (`sessions/` when present): removed when every batch they name was removed;
 * - tmp/: entries older than an hour (or `graceMs` if larger) are removed, as are batch
 *   directories without batch.json (an unfinished `batch init`) older than that.
 * Deletion order is batches, indexes, sessions, snapshots, objects: at every point what remains
 * is consistent (a batch directory is renamed into tmp/ before it is deleted, so no half batch
 * is ever visible). `dryRun` computes the same report and writes nothing.
 *
 * `auto` (like `git gc --auto`) collects only when a batch, a snapshot or unfinished batch
 * debris goes (with `autoBatchLimit`, batches go only above that many): the mark and sweep read every kept index and list every object directory (0.5 s
 * of a pull-request run in the Action at 8.8k files) to find what a run left unreferenced, and
 * a run that completes leaves nothing unreferenced. What it does not collect meanwhile (the
 * objects of an interrupted run, memo entries superseded by a later edit) the next collection
 * does. Stale temp files are removed either way.
 */
export interface PruneOptions {
  keepBatches?: number;
  olderThanMs?: number;
  keepBatchIds?: readonly string[];
  dryRun?: boolean;
  /** Default one hour. */
  graceMs?: number;
  /** Wall clock in ms (tests). */
  now?: number;
  /** Collect only when a batch, a snapshot or unfinished batch debris goes (see above). */
  auto?: boolean;
  /**
   * With `auto`: no batch goes while the store holds at most this many (then `keepBatches` and
   * `olderThanMs` apply as usual), so most runs of a CI job that prunes after every run skip
   * the sweep, and every few runs one collects in full.
   */
  autoBatchLimit?: number;
}

export interface PruneReport {
  dry_run: boolean;
  /** `auto` found nothing to remove but stale temp files: indexes and objects were not swept. */
  skipped: boolean;
  /** `unreadable`: kept (they are in `kept` too) because their batch.json is damaged. */
  batches: { kept: string[]; removed: string[]; unreadable: string[] };
  snapshots: { kept: number; removed: string[] };
  objects: { kept: number; removed: number; bytes: number };
  sessions: { removed: number };
  indexes: { memo_entries_removed: number; bundles_removed: number; query_removed: number };
  tmp: { removed: number };
  /** Every byte removed (or that would be), files of batches and snapshots included. */
  bytes_freed: number;
}

const HOUR = 60 * 60 * 1000;
const REF = /sha256:([a-f0-9]{64})/g;
const MAX_SCAN_BYTES = 64 * 1024 * 1024;

export function pruneStore(store: Store, options: PruneOptions = {}): PruneReport {
  const now = options.now ?? Date.now();
  const grace = options.graceMs ?? HOUR;
  const dryRun = options.dryRun ?? false;
  if (
    options.keepBatches !== undefined &&
    (!Number.isInteger(options.keepBatches) || options.keepBatches < 0)
  ) {
    throw new CodebatchError('E_USAGE', `--keep-batches must be a whole number (got ${options.keepBatches})`);
  }
  const root = store.layout.root;
  const report: PruneReport = {
    dry_run: dryRun,
    skipped: false,
    batches: { kept: [], removed: [], unreadable: [] },
    snapshots: { kept: 0, removed: [] },
    objects: { kept: 0, removed: 0, bytes: 0 },
    sessions: { removed: 0 },
    indexes: { memo_entries_removed: 0, bundles_removed: 0, query_removed: 0 },
    tmp: { removed: 0 },
    bytes_freed: 0,
  };

  // 1. Which batches stay.
  const batches = listBatches(store);
  const keepIds = new Set(options.keepBatchIds ?? []);
  const newestFirst = [...batches].reverse();
  const underLimit =
    options.auto === true && options.autoBatchLimit !== undefined && batches.length <= options.autoBatchLimit;
  const policy = (options.keepBatches !== undefined || options.olderThanMs !== undefined) && !underLimit;
  const kept = new Set<string>();
  for (const [rank, batch] of newestFirst.entries()) {
    if (keepIds.has(batch.batch_id) || !policy || inUse(store, batch, now, grace)) {
      kept.add(batch.batch_id);
      continue;
    }
    const byCount = options.keepBatches !== undefined && rank < options.keepBatches;
    const byAge =
      options.olderThanMs !== undefined && now - Date.parse(batch.created_at) < options.olderThanMs;
    if (byCount || byAge) kept.add(batch.batch_id);
  }
  for (const b of batches)
    (kept.has(b.batch_id) ? report.batches.kept : report.batches.removed).push(b.batch_id);
  const removedBatches = new Set(report.batches.removed);
  const batchesDir = path.join(root, BATCHES_DIR);
  // A batch.json that exists but does not parse hides what the batch uses: keep the batch, and
  // count it as kept everywhere below (memo and bundle entries, sessions, query indexes).
  const listed = new Set(batches.map((b) => b.batch_id));
  for (const name of listDir(batchesDir)) {
    if (listed.has(name) || !fs.existsSync(path.join(batchesDir, name, 'batch.json'))) continue;
    report.batches.unreadable.push(name);
    report.batches.kept.push(name);
    kept.add(name);
  }
  // Unfinished `batch init` debris (no batch.json), past the grace period.
  const debris = listDir(batchesDir).filter(
    (name) =>
      !removedBatches.has(name) &&
      !fs.existsSync(path.join(batchesDir, name, 'batch.json')) &&
      now - mtimeMs(path.join(batchesDir, name)) > Math.max(grace, HOUR),
  );
  const keptBatches = batches.filter((b) => kept.has(b.batch_id));
  const snapshots = listSnapshots(store);
  const keepSnapshots = snapshotsToKeep(snapshots, keptBatches);
  const keepAllSnapshots = report.batches.unreadable.length > 0;
  const snapshotsDir = path.join(root, SNAPSHOTS_DIR);
  const snapshotDirs = listDir(snapshotsDir);
  // A snapshot directory without snapshot.json is never left by publishSnapshot: left alone.
  const isSnapshotDir = (name: string) => fs.existsSync(path.join(snapshotsDir, name, 'snapshot.json'));
  if (
    options.auto &&
    removedBatches.size === 0 &&
    debris.length === 0 &&
    (keepAllSnapshots || snapshotDirs.every((name) => keepSnapshots.has(name) || !isSnapshotDir(name)))
  ) {
    report.skipped = true;
    report.snapshots.kept = snapshotDirs.filter(isSnapshotDir).length;
    removeStaleTemp(store, now, grace, dryRun, report);
    return report;
  }
  for (const id of report.batches.removed)
    report.bytes_freed += removeTree(store, path.join(batchesDir, id), dryRun);
  for (const name of debris) report.bytes_freed += removeTree(store, path.join(batchesDir, name), dryRun);
  /** Referenced by kept records: scanned transitively. */
  const roots = new Set<string>();
  /** Contents of kept snapshots (source files): kept, not scanned. */
  const sourceObjects = new Set<string>();

  // 2. Indexes: memo tables, bundle entries, query indexes.
  const moves = reuseMoves(store, keptBatches, removedBatches);
  const memoDir = path.join(store.layout.indexesDir, 'memo');
  for (const name of listDir(memoDir)) {
    if (!name.endsWith('.jsonl')) continue;
    const file = path.join(memoDir, name);
    const text = readText(file) ?? '';
    const task = name.slice(0, -'.jsonl'.length);
    const { lines, dropped } = compactMemo(text, kept, (b, s) => moves.get(`${task}/${b}/${s}`));
    report.indexes.memo_entries_removed += dropped;
    for (const line of lines) collectRefs(line, roots);
    const next = lines.length > 0 ? `${lines.join('\n')}\n` : '';
    if (next !== text && !dryRun) writeFileAtomic(file, next);
    report.bytes_freed += Math.max(0, Buffer.byteLength(text) - Buffer.byteLength(next));
  }
  const bundlesDir = path.join(store.layout.indexesDir, 'bundles');
  for (const prefix of listDir(bundlesDir)) {
    for (const name of listDir(path.join(bundlesDir, prefix))) {
      const file = path.join(bundlesDir, prefix, name);
      let entry: { batch_id?: string; task_id?: string; shard_id?: string } = {};
      try {
        entry = JSON.parse(readText(file) ?? '');
      } catch {
        entry = {};
      }
      if (entry.batch_id !== undefined && kept.has(entry.batch_id)) continue;
      const to = moves.get(`${entry.task_id}/${entry.batch_id}/${entry.shard_id}`);
      if (to) {
        if (!dryRun) writeFileAtomic(file, JSON.stringify({ ...entry, batch_id: to.b, shard_id: to.s }));
        continue;
      }
      report.indexes.bundles_removed += 1;
      report.bytes_freed += removeFile(file, dryRun);
    }
  }
  const queryDir = path.join(store.layout.indexesDir, 'query');
  for (const name of listDir(queryDir)) {
    const id = name.replace(/\.[^.]*$/, '').replace(/\.[^.]*$/, '');
    if (kept.has(id) || !removedBatches.has(id)) continue;
    report.indexes.query_removed += 1;
    report.bytes_freed += removeFile(path.join(queryDir, name), dryRun);
  }

  // 3. Sessions that only name removed batches.
  const sessionsDir = path.join(root, 'sessions');
  for (const name of listDir(sessionsDir)) {
    const entry = path.join(sessionsDir, name);
    const text = readTreeText(entry);
    const named = new Set([...text.matchAll(/"batch_id"\s*:\s*"([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!));
    if (named.size > 0 && [...named].every((id) => !kept.has(id))) {
      report.sessions.removed += 1;
      report.bytes_freed += removeTree(store, entry, dryRun);
    } else collectRefs(text, roots);
  }

  // 4. Snapshots: those of kept batches, and the newest.
  for (const name of snapshotDirs) {
    const dir = path.join(snapshotsDir, name);
    if (keepSnapshots.has(name) || keepAllSnapshots) {
      report.snapshots.kept += 1;
      collectRefs(readText(path.join(dir, 'files.index.jsonl')) ?? '', sourceObjects);
      collectRefs(readText(path.join(dir, 'snapshot.json')) ?? '', roots);
      continue;
    }
    if (!isSnapshotDir(name)) continue;
    report.snapshots.removed.push(name);
    report.bytes_freed += removeTree(store, dir, dryRun);
  }

  // 5. Objects: reachable from the roots, transitively through JSON objects.
  const scanned = new Set<string>();
  const queue: string[] = [];
  // Referenced index objects, read whole below: the queue does not read them again.
  const indexObjects = new Set<string>();
  // A record's own output (an AST, say) is opaque to the store: it is kept, and not opened to
  // look for references, unless it is a chunk manifest, the one output that names objects.
  // Opening every AST of the kept batches was most of a gc (0.2 s of 0.5 at 8.8k files).
  const outputObjects = new Set<string>();
  const mark = (hex: string) => {
    if (scanned.has(hex)) return;
    scanned.add(hex);
    queue.push(hex);
  };
  // Every batch directory that stays, by its files rather than its records: an unreadable
  // batch keeps every object any of its files names.
  for (const name of listDir(batchesDir)) {
    if (removedBatches.has(name) || !fs.existsSync(path.join(batchesDir, name))) continue;
    for (const file of walkFiles(path.join(batchesDir, name))) {
      const base = path.basename(file);
      if (base === OUTPUTS_INDEX) collectIndexRefs(readBytes(file), roots, outputObjects);
      else if (base === 'state.json') {
        const bytes = readBytes(file);
        collectByteRefs(bytes, roots);
        // A reused shard's records are an object (state.outputs_ref), read whole here, however
        // large (the scan below stops at MAX_SCAN_BYTES).
        const hex = outputsRefObject(bytes);
        if (hex !== undefined && !indexObjects.has(hex)) {
          indexObjects.add(hex);
          collectIndexRefs(readBytes(store.objects.objectPath(hex)), roots, outputObjects);
        }
      } else if (file.endsWith('.jsonl') || file.endsWith('.json')) collectFileRefs(file, roots);
    }
  }
  for (const hex of roots) mark(hex);
  // After the roots: an object also named anywhere else is opened and scanned as before.
  for (const hex of outputObjects) scanned.add(hex);
  for (const hex of sourceObjects) scanned.add(hex);
  while (queue.length > 0) {
    const hex = queue.pop()!;
    if (indexObjects.has(hex)) continue;
    const refs = readJsonObjectRefs(store.objects.objectPath(hex));
    for (const r of refs ?? []) mark(r);
  }
  const objectDirs = listObjectDirs(store);
  for (const dir of objectDirs.dirs) {
    for (const hex of dir.objects) {
      if (scanned.has(hex)) {
        report.objects.kept += 1;
        continue;
      }
      const file = store.objects.objectPath(hex);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        continue;
      }
      if (now - stat.mtimeMs < grace) {
        report.objects.kept += 1;
        continue;
      }
      report.objects.removed += 1;
      report.objects.bytes += stat.size;
      report.bytes_freed += stat.size;
      if (!dryRun) {
        fs.rmSync(file, { force: true });
        dir.removed += 1;
      }
    }
  }
  if (!dryRun) removeEmptyObjectDirs(objectDirs);

  // 6. Stale temp files.
  removeStaleTemp(store, now, grace, dryRun, report);
  return report;
}

/** Snapshots of kept batches, and the newest. */
function snapshotsToKeep(
  snapshots: ReturnType<typeof listSnapshots>,
  keptBatches: readonly BatchRecord[],
): Set<string> {
  const keep = new Set(keptBatches.map((b) => b.snapshot_id));
  const newest = [...snapshots].sort((a, b) => a.created_at.localeCompare(b.created_at)).pop();
  if (newest) keep.add(newest.snapshot_id);
  return keep;
}

function removeStaleTemp(
  store: Store,
  now: number,
  grace: number,
  dryRun: boolean,
  report: PruneReport,
): void {
  for (const name of listDir(store.layout.tmpDir, true)) {
    const entry = path.join(store.layout.tmpDir, name);
    if (now - mtimeMs(entry) <= Math.max(grace, HOUR)) continue;
    report.tmp.removed += 1;
    report.bytes_freed += treeBytes(entry);
    if (!dryRun) fs.rmSync(entry, { recursive: true, force: true });
  }
}

/** A batch someone may be working on: a live shard lock, or unfinished and recent. */
function inUse(store: Store, batch: BatchRecord, now: number, grace: number): boolean {
  let status: string;
  try {
    status = deriveBatchStatus(store, batch.batch_id).status;
  } catch {
    return false; // damaged: no process can be running it
  }
  if (status === 'running') return true;
  if (status === 'pending' || status === 'partial') return now - Date.parse(batch.created_at) < grace;
  return false;
}

/**
 * Keeps entries whose batch is kept, the last one per key (file key `k` or bundle hash `h`);
 * an entry whose batch was removed is moved to a kept shard that reused that batch's shard
 * (same outputs, see reuse-shard.ts) when there is one, else dropped. Lines of another shape
 * stay as they are.
 */
function compactMemo(
  text: string,
  kept: Set<string>,
  moved: (b: string, s: string) => { b: string; s: string } | undefined,
): { lines: string[]; dropped: number } {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line) as { k?: unknown; h?: unknown; b?: unknown; s?: unknown };
    } catch {
      return undefined;
    }
  });
  const keyOf = (e: { k?: unknown; h?: unknown }) =>
    typeof e.k === 'string' ? `k:${e.k}` : typeof e.h === 'string' ? `h:${e.h}` : undefined;
  const lastByKey = new Map<string, number>();
  parsed.forEach((e, i) => {
    const key = e && keyOf(e);
    if (key) lastByKey.set(key, i);
  });
  const out: string[] = [];
  let dropped = 0;
  parsed.forEach((e, i) => {
    if (!e) {
      dropped += 1; // a torn line of an append-only table: a future miss at worst
      return;
    }
    const key = keyOf(e);
    if (key && lastByKey.get(key) !== i) {
      dropped += 1;
      return;
    }
    if (typeof e.b === 'string' && !kept.has(e.b)) {
      const to = typeof e.s === 'string' ? moved(e.b, e.s) : undefined;
      if (!to) {
        dropped += 1;
        return;
      }
      out.push(JSON.stringify({ ...e, b: to.b, s: to.s }));
      return;
    }
    out.push(lines[i]!);
  });
  return { lines: out, dropped };
}

/**
 * (task, removed batch, shard) -> a kept shard whose outputs were reused from it. Reuse takes
 * a shard's records verbatim (only the envelope changes), so index entries that pointed at
 * the removed shard stay valid at the kept one; the memo re-verifies every hit anyway.
 */
function reuseMoves(
  store: Store,
  keptBatches: readonly BatchRecord[],
  removed: Set<string>,
): Map<string, { b: string; s: string }> {
  const moves = new Map<string, { b: string; s: string }>();
  if (removed.size === 0) return moves;
  for (const batch of keptBatches) {
    const tasksDir = path.join(store.layout.batchDir(batch.batch_id), 'tasks');
    for (const task of listDir(tasksDir)) {
      for (const shard of listDir(path.join(tasksDir, task, 'shards'))) {
        let state: { status?: string; reused_from?: { batch_id?: string; shard_id?: string } };
        try {
          state = JSON.parse(
            fs.readFileSync(path.join(tasksDir, task, 'shards', shard, 'state.json'), 'utf8'),
          );
        } catch {
          continue;
        }
        const from = state.reused_from;
        if (state.status !== 'done' || !from?.batch_id || !from.shard_id || !removed.has(from.batch_id))
          continue;
        const key = `${task}/${from.batch_id}/${from.shard_id}`;
        if (!moves.has(key)) moves.set(key, { b: batch.batch_id, s: shard });
      }
    }
  }
  return moves;
}

function outputsRefObject(stateBytes: Buffer): string | undefined {
  try {
    const state = JSON.parse(stateBytes.toString('utf8')) as { outputs_ref?: { object?: unknown } };
    const ref = state.outputs_ref?.object;
    return typeof ref === 'string' ? parseObjectRef(ref) : undefined;
  } catch {
    return undefined;
  }
}

const OUTPUTS_INDEX = 'outputs.index.jsonl';
const OBJECT_FIELD = Buffer.from('"object":"');
const CHUNKED_MARK = Buffer.from(`${CHUNKED_SUFFIX}"`);
// The reference implementation's records name a chunk manifest by kind, not by format.
const CHUNK_MANIFEST_KIND = Buffer.from('"chunk_manifest"');

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * The refs of an outputs index: a record's `"object":"sha256:..."` on a line that is not chunked
 * goes to `outputs` (kept, not scanned); every other ref (a chunk manifest, a ref in any other
 * field or escaped inside a string) goes to `roots`, scanned as before.
 */
export function collectIndexRefs(bytes: Buffer, roots: Set<string>, outputs: Set<string>): void {
  // One pass over the refs (lines without one, diagnostics, are never searched line by line).
  let lineStart = -1;
  let lineChunked = false;
  for (let at = bytes.indexOf(REF_PREFIX); at !== -1; at = bytes.indexOf(REF_PREFIX, at + 1)) {
    const hex = bytes.toString('latin1', at + REF_PREFIX.length, at + REF_PREFIX.length + 64);
    if (!HEX64.test(hex)) continue;
    const start = bytes.lastIndexOf(0x0a, at) + 1;
    if (start !== lineStart) {
      lineStart = start;
      let end = bytes.indexOf(0x0a, at);
      if (end === -1) end = bytes.length;
      const line = bytes.subarray(start, end);
      lineChunked = line.indexOf(CHUNKED_MARK) !== -1 || line.indexOf(CHUNK_MANIFEST_KIND) !== -1;
    }
    const field =
      at >= OBJECT_FIELD.length &&
      bytes.compare(OBJECT_FIELD, 0, OBJECT_FIELD.length, at - OBJECT_FIELD.length, at) === 0;
    (field && !lineChunked ? outputs : roots).add(hex);
  }
}

function collectRefs(text: string, into: Set<string>): void {
  for (const m of text.matchAll(REF)) into.add(m[1]!);
}

const REF_PREFIX = Buffer.from('sha256:');
const HEX64 = /^[a-f0-9]{64}$/;

/**
 * collectRefs on raw bytes: kept batches hold ~100 MB of records per batch, and searching the
 * bytes finds the same refs (they are ASCII) without decoding them into a string first.
 */
function collectByteRefs(bytes: Buffer, into: Set<string>): void {
  for (
    let at = bytes.indexOf(REF_PREFIX);
    at !== -1;
    at = bytes.indexOf(REF_PREFIX, at + REF_PREFIX.length)
  ) {
    const hex = bytes.toString('latin1', at + REF_PREFIX.length, at + REF_PREFIX.length + 64);
    if (HEX64.test(hex)) into.add(hex);
  }
}

function collectFileRefs(file: string, into: Set<string>): void {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return;
  }
  collectByteRefs(bytes, into);
}

/**
 * The refs an object names when it holds JSON (starts with `{` or `[`, at most
 * MAX_SCAN_BYTES); undefined for a missing or non-JSON object. One open per object: this
 * runs for every reachable JSON object (chunk manifests, run manifests and their member lists).
 */
function readJsonObjectRefs(file: string): Set<string> | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    const { size } = fs.fstatSync(fd);
    if (size > MAX_SCAN_BYTES || size < 2) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    // A small first read: a source file queued here is not JSON and is never read further.
    let length = fs.readSync(fd, bytes, 0, Math.min(size, 64 * 1024), 0);
    if (bytes[0] !== 0x7b && bytes[0] !== 0x5b) return undefined; // not `{` or `[`: not JSON
    while (length > 0 && length < size) {
      const n = fs.readSync(fd, bytes, length, size - length, length);
      if (n === 0) break;
      length += n;
    }
    const refs = new Set<string>();
    collectByteRefs(bytes.subarray(0, length), refs);
    return refs;
  } finally {
    fs.closeSync(fd);
  }
}

/** Renames a tree into tmp/ (atomic disappearance), then deletes it; returns its size. */
function removeTree(store: Store, dir: string, dryRun: boolean): number {
  const bytes = treeBytes(dir);
  if (dryRun) return bytes;
  const trash = path.join(store.layout.tmpDir, tempName(`gc-${path.basename(dir)}`));
  try {
    fs.mkdirSync(store.layout.tmpDir, { recursive: true });
    fs.renameSync(dir, trash);
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return bytes;
  }
  fs.rmSync(trash, { recursive: true, force: true });
  return bytes;
}

function removeFile(file: string, dryRun: boolean): number {
  let size = 0;
  try {
    size = fs.statSync(file).size;
  } catch {
    return 0;
  }
  if (!dryRun) fs.rmSync(file, { force: true });
  return size;
}

/** The object directories (`objects/sha256/aa/bb/`) as listed before the sweep. */
interface ObjectDirs {
  /** `aa` directories: how many entries each held. */
  parents: Map<string, number>;
  dirs: ObjectDir[];
}

interface ObjectDir {
  parent: string;
  path: string;
  /** Object names in it, as `listObjects` yields them. */
  objects: string[];
  /** How many entries it held (objects, temp files); undefined when it is not a directory. */
  entries: number | undefined;
  /** Objects the sweep removed from it. */
  removed: number;
}

/**
 * Every object directory with its contents, in the order `listObjects` visits them. Listed
 * once, so that afterwards only the directories the sweep emptied (or found empty) are tried:
 * an rmdir on each of 10k+ non-empty directories cost about a second per prune.
 */
function listObjectDirs(store: Store): ObjectDirs {
  const base = path.join(store.layout.objectsDir, 'sha256');
  const out: ObjectDirs = { parents: new Map(), dirs: [] };
  for (const aa of listDir(base, true)) {
    const parent = path.join(base, aa);
    const names = listDir(parent, true);
    out.parents.set(parent, names.length);
    for (const bb of names) {
      const dir = path.join(parent, bb);
      let entries: string[] | undefined;
      try {
        entries = fs.readdirSync(dir).sort();
      } catch {
        entries = undefined;
      }
      out.dirs.push({
        parent,
        path: dir,
        objects: (entries ?? []).filter((n) => /^[a-f0-9]{64}$/.test(n)),
        entries: entries?.length,
        removed: 0,
      });
    }
  }
  return out;
}

/**
 * Removes the `bb` directories left empty (every entry was an object the sweep removed, or
 * there was none), then the `aa` directories left empty; hidden names are never touched. A
 * writer that puts an object there meanwhile makes rmdir fail (not empty), which is fine, and
 * one that finds its directory gone creates it again, as after any earlier prune.
 */
function removeEmptyObjectDirs({ parents, dirs }: ObjectDirs): void {
  const emptied = new Map<string, number>();
  for (const dir of dirs) {
    if (dir.entries !== dir.removed || isHidden(dir.parent) || isHidden(dir.path)) continue;
    try {
      fs.rmdirSync(dir.path);
      emptied.set(dir.parent, (emptied.get(dir.parent) ?? 0) + 1);
    } catch {
      // not empty (a writer just used it): fine
    }
  }
  for (const [parent, entries] of parents) {
    if (isHidden(parent) || entries !== (emptied.get(parent) ?? 0)) continue;
    try {
      fs.rmdirSync(parent);
    } catch {
      // not empty
    }
  }
}

function isHidden(entry: string): boolean {
  return path.basename(entry).startsWith('.');
}

function* walkFiles(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walkFiles(p);
    else if (e.isFile()) yield p;
  }
}

function readTreeText(entry: string): string {
  try {
    if (fs.statSync(entry).isFile()) return readText(entry) ?? '';
  } catch {
    return '';
  }
  let out = '';
  for (const f of walkFiles(entry)) out += `${readText(f) ?? ''}\n`;
  return out;
}

function treeBytes(entry: string): number {
  try {
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) return stat.size;
  } catch {
    return 0;
  }
  let total = 0;
  for (const f of walkFiles(entry)) {
    try {
      total += fs.statSync(f).size;
    } catch {
      // vanished meanwhile
    }
  }
  return total;
}

function mtimeMs(entry: string): number {
  try {
    return fs.statSync(entry).mtimeMs;
  } catch {
    return 0;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function listDir(dir: string, includeHidden = false): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => includeHidden || !n.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
}

/** `30d`, `12h`, `90m`, `45s`, `2w`, `500ms` -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) {
    throw new CodebatchError('E_USAGE', `invalid duration ${JSON.stringify(text)}`, {
      hints: ['Write a number and a unit: 500ms, 45s, 90m, 12h, 30d, 2w.'],
    });
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR }[m[2] as 'ms'];
  return Math.round(Number(m[1]) * unit);
}
