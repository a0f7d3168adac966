import fs from 'node:fs';
import { listBatches, readBatchRecord, readTaskRecord } from '../batch/read-batch';
import { isFileFunction, type RecordedSharding, shardOf } from '../batch/shard-assignment';
import { CodebatchError } from '../errors/codebatch-error';
import type { InputBundlePreimage } from '../run/input-bundle';
import { readManifestPreimage } from '../run/shard-manifest';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import { readFilesIndex } from '../snapshot/read-snapshot';
import type { Store } from '../store/store';
import { reconstructPreimage } from './bundle-preimage';
import { type BundleChange, diffValues, explainBundleMiss } from './explain-miss';
import { loadShardManifest } from './run-manifest';

export interface ShardMissExplanation {
  batch_id: string;
  task_id: string;
  shard_id: string;
  current: { bundle_hash: string; source: 'manifest' | 'derived'; manifest?: string };
  against: {
    batch_id: string;
    shard_id: string;
    bundle_hash: string;
    source: 'manifest' | 'derived' | 'absent';
    manifest?: string;
  };
  same: boolean;
  parts: string[];
  changes: BundleChange[];
}

/**
 * Explains why a shard run's bundle differs from the same task/shard in another batch (by
 * default the latest earlier batch that has the task). Under path_hash an edited file stays
 * in its shard (a `changed` member); a path is added or removed only when the file is new or
 * deleted, or when the two batches shard differently (another count, or a batch planned by
 * content before path_hash, where an edit moved the file). Added/removed members are
 * annotated with where the same path sits in the other batch, under that batch's sharding.
 */
export function explainShardMiss(
  store: Store,
  options: { batchId: string; taskId: string; shardId: string; against?: string },
): ShardMissExplanation {
  const files = new Map<string, FilesIndexRecord[]>();
  const load = (b: string, t: string, s: string) => loadRunPreimage(store, b, t, s, files);
  const { batchId, taskId, shardId } = options;
  const current = load(batchId, taskId, shardId);
  const againstId = options.against ?? findPreviousBatch(store, batchId, taskId);
  readTaskRecord(store, againstId, taskId);
  const previous = load(againstId, taskId, shardId);
  const report = explainBundleMiss(previous.preimage, current.preimage);
  // The preimage holds the config's digest only: name the settings that changed from the two
  // task records (`config.rules.L002.options.max: 120 -> 100`).
  const configChange = report.changes.findIndex((c) => c.part === 'config_digest');
  if (configChange >= 0) {
    const settings = diffValues(
      readTaskRecord(store, againstId, taskId).config,
      readTaskRecord(store, batchId, taskId).config,
      '',
    ).map((d) => ({ part: 'config', field: d.field, from: d.from, to: d.to }) as BundleChange);
    report.changes.splice(configChange + 1, 0, ...settings);
    if (settings.length > 0) report.parts = [...new Set(report.changes.map((c) => c.part))];
  }
  const plannedSharding = (id: string): RecordedSharding => {
    const { sharding } = readTaskRecord(store, id, taskId);
    return { ...sharding, shard_count: readBatchRecord(store, id).shard_count ?? sharding.shard_count };
  };
  const filesOf = (id: string) => byPath(readFilesIndex(store, readBatchRecord(store, id).snapshot_id));
  let nowFiles: Map<string, FilesIndexRecord> | undefined;
  let thenFiles: Map<string, FilesIndexRecord> | undefined;
  let layouts: { against: RecordedSharding; current: RecordedSharding } | undefined;
  for (const c of report.changes) {
    if (c.part !== 'members' || !('change' in c) || c.change === 'changed') continue;
    layouts ??= { against: plannedSharding(againstId), current: plannedSharding(batchId) };
    if (c.change === 'added') {
      thenFiles ??= filesOf(againstId);
      const was = thenFiles.get(c.path);
      c.note = was
        ? elsewhereNote('was', was, c.to, layouts.against, layouts.current, againstId)
        : 'new file';
    } else {
      nowFiles ??= filesOf(batchId);
      const now = nowFiles.get(c.path);
      c.note = now
        ? elsewhereNote('now', now, c.from, layouts.current, layouts.against, batchId)
        : 'file deleted';
    }
  }
  return {
    batch_id: batchId,
    task_id: taskId,
    shard_id: shardId,
    current: {
      bundle_hash: current.hash,
      source: current.source === 'manifest' ? 'manifest' : 'derived',
      ...(current.ref ? { manifest: current.ref } : {}),
    },
    against: {
      batch_id: againstId,
      shard_id: shardId,
      bundle_hash: previous.hash,
      source: previous.source,
      ...(previous.ref ? { manifest: previous.ref } : {}),
    },
    ...report,
  };
}

/**
 * Where a member of one batch's shard sits in the other batch, and why it is not here: its
 * content changed (a shard by content moves with it), or the batches shard differently.
 * `there` is that other batch's sharding, `here` this one's.
 */
function elsewhereNote(
  when: 'was' | 'now',
  file: FilesIndexRecord,
  object: string | undefined,
  there: RecordedSharding,
  here: RecordedSharding,
  thereId: string,
): string {
  const content = file.object === object ? 'same content' : 'content changed';
  const shard = isFileFunction(there) ? ` in shard ${shardOf(there, file)}` : '';
  const layout =
    there.strategy !== here.strategy || there.shard_count !== here.shard_count
      ? `; ${thereId} shards by ${there.strategy} into ${there.shard_count}`
      : '';
  return `${content}; ${when} ${file.object.slice(7, 19)}${shard}${layout}`;
}

export function findPreviousBatch(store: Store, batchId: string, taskId: string): string {
  const batches = listBatches(store);
  const index = batches.findIndex((b) => b.batch_id === batchId);
  const earlier = (index < 0 ? batches : batches.slice(0, index)).filter(
    (b) => b.batch_id !== batchId && fs.existsSync(store.layout.taskFile(b.batch_id, taskId)),
  );
  const previous = earlier.at(-1);
  if (!previous) {
    throw new CodebatchError('E_NOT_FOUND', `no batch before ${batchId} runs task ${taskId}`, {
      hints: ['Name the batch to compare with: --against <batch id>.'],
      details: { batch_id: batchId, task_id: taskId },
    });
  }
  return previous.batch_id;
}

function byPath(files: FilesIndexRecord[]): Map<string, FilesIndexRecord> {
  return new Map(files.map((f) => [f.path, f]));
}

/**
 * A shard run's preimage: from its recorded manifest, else rebuilt from the store, else (the
 * shard holds no files in that batch) the rebuilt preimage with no members (`absent`).
 */
export function loadRunPreimage(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
  files: Map<string, FilesIndexRecord[]> = new Map(),
): { preimage: InputBundlePreimage; hash: string; source: 'manifest' | 'derived' | 'absent'; ref?: string } {
  if (!fs.existsSync(store.layout.stateFile(batchId, taskId, shardId))) {
    const r = reconstructPreimage(store, batchId, taskId, shardId, { files });
    return { preimage: r.preimage, hash: r.hash, source: 'absent' };
  }
  const { manifest, ref } = loadShardManifest(store, batchId, taskId, shardId, { files });
  let preimage: InputBundlePreimage;
  try {
    preimage = readManifestPreimage(store, manifest);
  } catch (error) {
    // Its members object gone or damaged: rebuilt from the store, as for a missing manifest.
    if (!(error instanceof CodebatchError)) throw error;
    const r = reconstructPreimage(store, batchId, taskId, shardId, { files });
    return { preimage: r.preimage, hash: r.hash, source: 'derived' };
  }
  return {
    preimage,
    hash: manifest.input_bundle.hash,
    source: ref ? 'manifest' : 'derived',
    ...(ref ? { ref } : {}),
  };
}
