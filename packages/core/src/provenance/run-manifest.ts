import fs from 'node:fs';
import path from 'node:path';
import { orderTasks } from '../batch/pipelines';
import { readBatchRecord, readPlan, readTaskRecord } from '../batch/read-batch';
import { readShardState } from '../batch/shard-state';
import { buildShardManifest, readManifest, writeShardManifest } from '../run/shard-manifest';
import type { BatchRunManifest, ShardRunManifest } from '../schemas/run-manifest';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { ShardState } from '../schemas/state-record';
import { writeFileAtomic } from '../store/atomic-write';
import type { Store } from '../store/store';
import { nowIso } from '../util/time';
import { ENGINE_VERSION, PRODUCER, SCHEMA_VERSION } from '../version';
import { reconstructPreimage } from './bundle-preimage';

export { type BundleChange, type BundleMissReport, explainBundleMiss } from './explain-miss';

/**
 * The manifest of a shard's committed run: the recorded one (state.json `manifest`) when
 * present and readable, otherwise one rebuilt from state.json and the store (`derived: true`,
 * no timings). Exports and `manifest show` work on any batch this way.
 */
export function loadShardManifest(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
  cache: { files?: Map<string, FilesIndexRecord[]> } = {},
): { manifest: ShardRunManifest; ref?: string } {
  const state = readShardState(store, batchId, taskId, shardId);
  if (state.manifest) {
    try {
      const m = readManifest(store, state.manifest);
      if (m.kind === 'shard_run') return { manifest: m, ref: state.manifest };
    } catch {
      // a missing or damaged manifest object falls back to the derived view
    }
  }
  return { manifest: deriveShardManifest(store, batchId, taskId, shardId, cache) };
}

/** Rebuilds a manifest from state.json (see loadShardManifest). */
export function deriveShardManifest(
  store: Store,
  batchId: string,
  taskId: string,
  shardId: string,
  cache: { files?: Map<string, FilesIndexRecord[]> } = {},
): ShardRunManifest {
  const batch = readBatchRecord(store, batchId);
  const task = readTaskRecord(store, batchId, taskId);
  const state = readShardState(store, batchId, taskId, shardId);
  const bundle = reconstructPreimage(store, batchId, taskId, shardId, cache);
  const stats = state.stats as
    | { files_executed?: number; files_reused?: number; files_processed?: number }
    | undefined;
  const files = bundle.preimage.members.length;
  const ts = state.completed_at ?? state.started_at ?? batch.created_at;
  return buildShardManifest({
    batch_id: batchId,
    snapshot_id: batch.snapshot_id,
    task_id: taskId,
    shard_id: shardId,
    task: { type: task.type, version: task.task_version, config_digest: task.config_digest },
    attempt: state.attempt,
    outcome: state.status === 'failed' ? 'failed' : state.reused_from ? 'reused' : 'executed',
    started_at: state.started_at ?? ts,
    completed_at: ts,
    bundle: { hash: state.bundle_hash ?? bundle.hash, preimage: bundle.preimage },
    upstream: bundle.upstream,
    ...(state.outputs_digest && state.result_digest
      ? {
          outputs: {
            outputs_digest: state.outputs_digest,
            result_digest: state.result_digest,
            count: state.stats?.outputs_written ?? 0,
            by_kind: {},
          },
        }
      : {}),
    timings_ms: { analysis: 0, compilation: 0, processing: 0 },
    memo: state.reused_from
      ? { files_executed: 0, files_reused: files }
      : { files_executed: stats?.files_executed ?? files, files_reused: stats?.files_reused ?? 0 },
    ...(state.reused_from
      ? { reused_from: { batch_id: state.reused_from.batch_id, shard_id: state.reused_from.shard_id } }
      : {}),
    ...(state.error ? { error: { code: state.error.code, message: state.error.message } } : {}),
    versions: { engine: ENGINE_VERSION, node: 'unknown' },
    derived: true,
  });
}

/**
 * Links every shard run of a batch (nested runs). A pure function of the shard states, so it
 * can always be rebuilt; written as an object at the end of each `run` (see writeBatchManifest).
 */
export function buildBatchManifest(
  store: Store,
  batchId: string,
  extras: { session_id?: string; environment?: Record<string, unknown> } = {},
  /** States the caller already holds (read during the run); others are read from disk. */
  stateOf?: (taskId: string, shardId: string) => ShardState | undefined,
): BatchRunManifest {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const tasks: BatchRunManifest['tasks'] = [];
  const runs: BatchRunManifest['shard_runs'] = [];
  const counts: Record<string, number> = {
    done: 0,
    failed: 0,
    ready: 0,
    running: 0,
    reused: 0,
    with_manifest: 0,
  };
  for (const planTask of orderTasks(plan.tasks)) {
    const task = readTaskRecord(store, batchId, planTask.task_id);
    tasks.push({
      task_id: task.task_id,
      type: task.type,
      version: task.task_version,
      config_digest: task.config_digest,
      depends_on: [...planTask.depends_on],
    });
    for (const shardId of task.sharding.shard_ids) {
      const known = stateOf?.(task.task_id, shardId);
      const s =
        known && ['ready', 'running', 'done', 'failed'].includes(known.status)
          ? known
          : readShardState(store, batchId, task.task_id, shardId, { missingAsReady: true });
      counts[s.status] = (counts[s.status] ?? 0) + 1;
      if (s.reused_from) counts.reused! += 1;
      if (s.manifest) counts.with_manifest! += 1;
      runs.push({
        task_id: task.task_id,
        shard_id: shardId,
        status: s.status,
        attempt: s.attempt,
        ...(s.manifest ? { manifest: s.manifest } : {}),
        ...(s.bundle_hash ? { bundle_hash: s.bundle_hash } : {}),
        ...(s.outputs_digest ? { outputs_digest: s.outputs_digest } : {}),
        ...(s.result_digest ? { result_digest: s.result_digest } : {}),
        ...(s.reused_from ? { reused: true } : {}),
      });
    }
  }
  return {
    schema_name: 'codebatch.run_manifest',
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    kind: 'batch_run',
    batch_id: batchId,
    snapshot_id: batch.snapshot_id,
    pipeline: batch.pipeline,
    generated_at: nowIso(),
    ...(extras.session_id ? { session_id: extras.session_id } : {}),
    ...(extras.environment ? { environment: extras.environment } : {}),
    tasks,
    shard_runs: runs,
    counts,
  };
}

/** Pointer file to the latest batch manifest: indexes/manifests/<batch>.json (deletable, rebuildable). */
export function batchManifestPointer(store: Store, batchId: string): string {
  return path.join(store.layout.indexesDir, 'manifests', `${batchId}.json`);
}

/**
 * Writes the batch manifest object and points indexes/manifests/<batch>.json at it. The
 * pointer is acceleration only (SPEC invariant 6): without it `manifest show` rebuilds the
 * same content from the shard states.
 */
export function writeBatchManifest(store: Store, manifest: BatchRunManifest): string {
  const ref = writeShardManifest(store, manifest);
  try {
    writeFileAtomic(
      batchManifestPointer(store, manifest.batch_id),
      `${JSON.stringify({ batch_id: manifest.batch_id, manifest: ref, generated_at: manifest.generated_at })}\n`,
    );
  } catch {
    // the pointer is an index: losing it costs a rebuild, never provenance
  }
  return ref;
}

/** The latest written batch manifest ref, if the pointer exists. */
export function readBatchManifestRef(store: Store, batchId: string): string | undefined {
  try {
    const p = JSON.parse(fs.readFileSync(batchManifestPointer(store, batchId), 'utf8')) as {
      manifest?: string;
    };
    return typeof p.manifest === 'string' ? p.manifest : undefined;
  } catch {
    return undefined;
  }
}
