import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError } from '../errors/codebatch-error';
import type { BatchRecord } from '../schemas/batch-record';
import type { ShardState } from '../schemas/state-record';
import { sha256Hex } from '../util/hash';
import { tempName, writeFileAtomic } from './atomic-write';
import { BATCHES_DIR, INDEXES_DIR, SNAPSHOTS_DIR } from './layout';
import { readStoredOutputs } from './shard-outputs';
import { initStore, openStore, type Store } from './store';

/**
 * Merging stores: the matrix job of the GitHub Action runs disjoint slices of one batch in
 * separate stores, and the merge job combines them into one.
 *
 * What is merged, and how it is checked:
 * - objects: the union. Every copied object is re-hashed; bytes that do not match their name
 *   are E_OBJECT_CORRUPT and nothing of that source is merged.
 * - snapshots: the union. A snapshot id present on both sides must have a byte-identical
 *   files.index.jsonl (snapshot.json may differ in created_at/git facts: the target's stays),
 *   else E_SNAPSHOT_EXISTS (the code `publishSnapshot` uses for the same situation).
 * - batches: the union; a batch id present on both sides must agree on snapshot, pipeline,
 *   shard count and config digest, else E_BATCH_EXISTS. Its shards are combined: a shard that
 *   is done on one side and not done on the other takes the done side's outputs.index.jsonl
 *   and state.json (outputs first, state last: a crash leaves the shard not done); a failed
 *   shard is copied only over a ready one. Two done sides must hold the same result
 *   (result_digest, or outputs_digest when a side has none), else E_BATCH_EXISTS with
 *   `details.conflict = 'shard'`: the merge is checked, never last-writer-wins. Every done
 *   shard that is copied has its index bytes verified against its outputs_digest
 *   (E_INDEX_CORRUPT otherwise). Event logs are unioned line by line.
 * - indexes/: acceleration only (SPEC invariant 6). Bundle entries missing in the target are
 *   copied; the per-file memo tables (indexes/memo/<task>.jsonl, append-only) are unioned line
 *   by line. Other indexes (stat cache, query indexes) are left alone: they are rebuilt.
 *
 * Every conflict is found before anything is written except objects (add-only, harmless). All
 * writes are atomic (temp + rename); whole snapshots and batches are staged under tmp/ and
 * renamed into place. The target must not be in use by a running batch meanwhile.
 */
export interface MergeStoresReport {
  target: string;
  sources: number;
  objects: { copied: number; present: number; bytes: number };
  snapshots: { copied: number; identical: number };
  batches: { copied: number; combined: number };
  shards: { copied: number; identical: number };
  indexes: { bundles: number; memo_lines: number };
}

interface ShardPick {
  /** Index of the source whose copy wins, or -1 for the target. */
  from: number;
  state: ShardState;
}

/**
 * @param targetDir the store to merge into (created when missing)
 * @param sourceDirs stores to merge from, in order (earlier ones win among identical content)
 */
export function mergeStores(targetDir: string, sourceDirs: readonly string[]): MergeStoresReport {
  const { store: target } = initStore(targetDir);
  const sources = sourceDirs.map((dir) => openStore(dir));
  const report: MergeStoresReport = {
    target: target.layout.root,
    sources: sources.length,
    objects: { copied: 0, present: 0, bytes: 0 },
    snapshots: { copied: 0, identical: 0 },
    batches: { copied: 0, combined: 0 },
    shards: { copied: 0, identical: 0 },
    indexes: { bundles: 0, memo_lines: 0 },
  };

  // Phase 1: check everything, decide every shard, write nothing.
  const snapshotDigests = new Map<string, string>();
  const batchIdentity = new Map<string, { value: string; origin: string }>();
  const picks = new Map<string, ShardPick>();
  const stores = [target, ...sources];
  for (const [i, store] of stores.entries()) {
    const from = i - 1;
    for (const id of listDir(path.join(store.layout.root, SNAPSHOTS_DIR))) {
      const index = readIfExists(store.layout.filesIndexFile(id));
      if (index === undefined || !fs.existsSync(store.layout.snapshotFile(id))) continue;
      const digest = sha256Hex(index);
      const seen = snapshotDigests.get(id);
      if (seen === undefined) snapshotDigests.set(id, digest);
      else if (seen !== digest) {
        throw new CodebatchError(
          'E_SNAPSHOT_EXISTS',
          `cannot merge ${store.layout.root}: snapshot ${id} exists with different content`,
          {
            hints: [
              'Snapshot ids are content-derived unless chosen by hand; merge only stores of the same tree.',
            ],
            details: {
              snapshot_id: id,
              source: store.layout.root,
              existing: `sha256:${seen}`,
              new: `sha256:${digest}`,
            },
          },
        );
      }
    }
    for (const batchId of listDir(path.join(store.layout.root, BATCHES_DIR))) {
      const batch = readJson<BatchRecord>(store.layout.batchFile(batchId));
      if (!batch) continue; // no batch.json: an unfinished init, never merged
      const identity = JSON.stringify([
        batch.snapshot_id,
        batch.pipeline,
        batch.shard_count ?? null,
        batch.config_digest ?? null,
      ]);
      const seen = batchIdentity.get(batchId);
      if (seen === undefined) batchIdentity.set(batchId, { value: identity, origin: store.layout.root });
      else if (seen.value !== identity) {
        throw new CodebatchError(
          'E_BATCH_EXISTS',
          `cannot merge ${store.layout.root}: batch ${batchId} was planned differently in ${seen.origin}`,
          {
            hints: [
              'Only slices of the same batch (same snapshot, pipeline, shard count and config) share a batch id.',
            ],
            details: { batch_id: batchId, conflict: 'batch', source: store.layout.root, other: seen.origin },
          },
        );
      }
      for (const taskId of listDir(path.join(store.layout.batchDir(batchId), 'tasks'))) {
        for (const shardId of listDir(store.layout.shardsDir(batchId, taskId))) {
          const state = readJson<ShardState>(store.layout.stateFile(batchId, taskId, shardId));
          if (!state) continue;
          const key = `${batchId}/${taskId}/${shardId}`;
          if (state.status === 'done' && from >= 0) verifyOutputs(store, batchId, taskId, shardId, state);
          const current = picks.get(key);
          if (!current) {
            picks.set(key, { from, state });
            continue;
          }
          if (state.status === 'done' && current.state.status === 'done') {
            if (!sameResult(current.state, state)) {
              throw new CodebatchError(
                'E_BATCH_EXISTS',
                `cannot merge ${store.layout.root}: shard ${shardId} of task ${taskId} in batch ${batchId} holds different results on each side`,
                {
                  hints: ['Each matrix slice must run different shards of the batch; re-run the slice jobs.'],
                  details: {
                    batch_id: batchId,
                    task_id: taskId,
                    shard_id: shardId,
                    conflict: 'shard',
                    existing: current.state.result_digest ?? current.state.outputs_digest,
                    new: state.result_digest ?? state.outputs_digest,
                  },
                },
              );
            }
            continue;
          }
          if (state.status === 'done' || (state.status === 'failed' && current.state.status === 'ready'))
            picks.set(key, { from, state });
        }
      }
    }
  }

  // Phase 2: objects first, so whatever becomes visible next finds its objects.
  for (const source of sources) mergeObjects(target, source, report);

  // Phase 3: snapshots and batches.
  for (const [i, source] of sources.entries()) {
    for (const id of listDir(path.join(source.layout.root, SNAPSHOTS_DIR))) {
      if (!fs.existsSync(source.layout.snapshotFile(id)) || !fs.existsSync(source.layout.filesIndexFile(id)))
        continue;
      if (fs.existsSync(target.layout.snapshotFile(id))) {
        report.snapshots.identical += 1;
        continue;
      }
      installDir(target, source.layout.snapshotDir(id), target.layout.snapshotDir(id));
      report.snapshots.copied += 1;
    }
    for (const batchId of listDir(path.join(source.layout.root, BATCHES_DIR))) {
      if (!fs.existsSync(source.layout.batchFile(batchId))) continue;
      if (!fs.existsSync(target.layout.batchFile(batchId))) {
        installDir(target, source.layout.batchDir(batchId), target.layout.batchDir(batchId));
        report.batches.copied += 1;
        continue;
      }
      combineBatch(target, source, i, batchId, picks, report);
      report.batches.combined += 1;
    }
    mergeIndexes(target, source, report);
  }
  return report;
}

function combineBatch(
  target: Store,
  source: Store,
  sourceIndex: number,
  batchId: string,
  picks: Map<string, ShardPick>,
  report: MergeStoresReport,
): void {
  for (const file of [target.layout.planFile(batchId)]) {
    if (!fs.existsSync(file)) copyFileAtomic(source.layout.planFile(batchId), file);
  }
  unionLines(source.layout.batchEventsFile(batchId), target.layout.batchEventsFile(batchId));
  for (const taskId of listDir(path.join(source.layout.batchDir(batchId), 'tasks'))) {
    if (!fs.existsSync(target.layout.taskFile(batchId, taskId))) {
      installDir(target, source.layout.taskDir(batchId, taskId), target.layout.taskDir(batchId, taskId));
      continue;
    }
    unionLines(source.layout.taskEventsFile(batchId, taskId), target.layout.taskEventsFile(batchId, taskId));
    for (const shardId of listDir(source.layout.shardsDir(batchId, taskId))) {
      const pick = picks.get(`${batchId}/${taskId}/${shardId}`);
      if (!pick) continue;
      if (pick.from !== sourceIndex) {
        if (
          pick.state.status === 'done' &&
          readJson<ShardState>(source.layout.stateFile(batchId, taskId, shardId))?.status === 'done'
        ) {
          report.shards.identical += 1;
        }
        continue;
      }
      const targetState = readJson<ShardState>(target.layout.stateFile(batchId, taskId, shardId));
      if (targetState?.status === 'done') continue; // already installed from this source
      const outputs = source.layout.outputsFile(batchId, taskId, shardId);
      if (fs.existsSync(outputs))
        copyFileAtomic(outputs, target.layout.outputsFile(batchId, taskId, shardId));
      copyFileAtomic(
        source.layout.stateFile(batchId, taskId, shardId),
        target.layout.stateFile(batchId, taskId, shardId),
      );
      report.shards.copied += 1;
    }
  }
}

function mergeObjects(target: Store, source: Store, report: MergeStoresReport): void {
  for (const hex of source.objects.listObjects()) {
    if (target.objects.hasObject(hex)) {
      report.objects.present += 1;
      continue;
    }
    const bytes = fs.readFileSync(source.objects.objectPath(hex));
    if (sha256Hex(bytes) !== hex) {
      throw new CodebatchError(
        'E_OBJECT_CORRUPT',
        `cannot merge ${source.layout.root}: object sha256:${hex} is corrupt`,
        {
          hints: [`Run \`codebatch verify --store ${source.layout.root}\`.`],
          details: { object: `sha256:${hex}`, source: source.layout.root },
        },
      );
    }
    target.objects.writeObjectWithDigest(hex, bytes);
    report.objects.copied += 1;
    report.objects.bytes += bytes.length;
  }
}

function mergeIndexes(target: Store, source: Store, report: MergeStoresReport): void {
  const bundlesDir = path.join(source.layout.root, INDEXES_DIR, 'bundles');
  for (const prefix of listDir(bundlesDir)) {
    for (const name of listDir(path.join(bundlesDir, prefix))) {
      if (!/^[a-f0-9]{64}\.json$/.test(name)) continue;
      const to = path.join(target.layout.indexesDir, 'bundles', prefix, name);
      if (fs.existsSync(to)) continue;
      copyFileAtomic(path.join(bundlesDir, prefix, name), to);
      report.indexes.bundles += 1;
    }
  }
  const memoDir = path.join(source.layout.root, INDEXES_DIR, 'memo');
  for (const name of listDir(memoDir)) {
    if (!name.endsWith('.jsonl')) continue;
    report.indexes.memo_lines += unionLines(
      path.join(memoDir, name),
      path.join(target.layout.indexesDir, 'memo', name),
    );
  }
}

/** Appends the complete lines of `from` that `to` lacks (atomic replace); returns how many. */
function unionLines(from: string, to: string): number {
  const incoming = readIfExists(from)?.toString('utf8');
  if (!incoming) return 0;
  const existing = readIfExists(to)?.toString('utf8') ?? '';
  const have = new Set(existing.split('\n'));
  const added: string[] = [];
  // A torn last line (no newline) of an append-only log is not carried over.
  const lines = incoming.split('\n').slice(0, -1);
  for (const line of lines) {
    if (line.length === 0 || have.has(line)) continue;
    have.add(line);
    added.push(line);
  }
  if (added.length === 0) return 0;
  const base = existing.length === 0 || existing.endsWith('\n') ? existing : `${existing}\n`;
  writeFileAtomic(to, `${base}${added.join('\n')}\n`);
  return added.length;
}

function verifyOutputs(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
  state: ShardState,
): void {
  // A reused shard's records are the object its outputs_ref names (the objects are merged
  // first, each re-hashed), so checking that object is checking its index.
  const read = readStoredOutputs(store, { batch_id: batchId, task_id: taskId, shard_id: shardId }, state);
  const file = read?.file ?? store.layout.outputsFile(batchId, taskId, shardId);
  const hex = read?.hex ?? sha256Hex(Buffer.alloc(0));
  if (state.outputs_digest !== undefined && `sha256:${hex}` !== state.outputs_digest) {
    throw new CodebatchError(
      'E_INDEX_CORRUPT',
      `cannot merge ${store.layout.root}: ${file} does not match the outputs_digest of its state.json`,
      {
        hints: [`Run \`codebatch verify --store ${store.layout.root}\`; re-run the slice that produced it.`],
        details: { file, batch_id: batchId, task_id: taskId, shard_id: shardId },
      },
    );
  }
}

function sameResult(a: ShardState, b: ShardState): boolean {
  if (a.result_digest !== undefined && b.result_digest !== undefined)
    return a.result_digest === b.result_digest;
  return a.outputs_digest === b.outputs_digest;
}

/** Copies a directory tree into tmp/ and renames it into place (skips lock and temp files). */
function installDir(target: Store, from: string, to: string): void {
  const staging = path.join(target.layout.tmpDir, tempName(`merge-${path.basename(to)}`));
  try {
    copyTree(from, staging);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(staging, to);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === '.lock' || entry.name.endsWith('.tmp')) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst);
    else if (entry.isFile()) fs.copyFileSync(src, dst);
  }
}

function copyFileAtomic(from: string, to: string): void {
  writeFileAtomic(to, fs.readFileSync(from));
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function readJson<T>(file: string): T | undefined {
  const bytes = readIfExists(file);
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => !n.startsWith('.') && !n.endsWith('.tmp'))
      .sort();
  } catch {
    return [];
  }
}
