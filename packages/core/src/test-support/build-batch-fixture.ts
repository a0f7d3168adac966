import fs from 'node:fs';
import path from 'node:path';
import { PLANNED_SHARD_STRATEGY, type RecordedSharding, shardOf } from '../batch/shard-assignment';
import type { OutputKind } from '../schemas/output-record';
import type { ShardStatus } from '../schemas/state-record';
import { toJsonl } from '../store/jsonl';
import { initStore, type Store } from '../store/store';
import { sha256Hex } from '../util/hash';

/**
 * Writes a complete batch straight onto the store layout (snapshot, batch.json, plan.json,
 * task.json, per-shard state.json and outputs.index.jsonl, plus events.jsonl files that queries
 * must never need), so query tests state input and expectation in one screen without running
 * the engine.
 */
export interface FixtureFile {
  path: string;
  content: string;
  lang?: string;
}

/** An output as a task would emit it: the builder adds the envelope. */
export interface FixtureOutput {
  path: string;
  kind: OutputKind;
  [field: string]: unknown;
}

export interface FixtureShardOverride {
  status: ShardStatus;
  error?: { code: string; message: string };
  /** Write this index text verbatim (e.g. a truncated line). */
  rawOutputs?: string;
}

export interface BatchFixtureSpec {
  storeDir: string;
  batchId: string;
  snapshotId: string;
  files: FixtureFile[];
  /** Outputs per task id, in plan order. Each output goes to the shard of its file. */
  tasks: Record<string, FixtureOutput[]>;
  /** Per task, per shard id: a non-done state (or raw index text). */
  shards?: Record<string, Record<string, FixtureShardOverride>>;
  shardCount?: number;
  /** path_hash as new batches; hash_prefix writes a batch as versions before path_hash did. */
  strategy?: 'path_hash' | 'hash_prefix';
  ts?: string;
}

export interface BatchFixture {
  store: Store;
  batchId: string;
  snapshotId: string;
  /** Shard id a path's outputs were written to. */
  shardOfPath(path: string): string;
}

export function buildBatchFixture(spec: BatchFixtureSpec): BatchFixture {
  const { store } = initStore(spec.storeDir);
  const { layout } = store;
  const shardCount = spec.shardCount ?? 16;
  const ts = spec.ts ?? '2024-01-01T00:00:00.000Z';
  const hexByPath = new Map<string, string>();
  for (const f of spec.files) hexByPath.set(f.path, store.objects.writeObject(f.content));
  const sharding: RecordedSharding = {
    strategy: spec.strategy ?? PLANNED_SHARD_STRATEGY,
    shard_count: shardCount,
  };
  // A path with no file still gets a shard (outputs of files the snapshot lacks).
  const shardOfPath = (p: string) =>
    shardOf(sharding, { path: p, object: `sha256:${hexByPath.get(p) ?? sha256Hex(p)}` });
  writeSnapshot(store, spec, hexByPath, ts);

  const taskIds = Object.keys(spec.tasks);
  const shardIds = [...new Set([...hexByPath.keys()].map(shardOfPath))].sort();
  writeJson(layout.batchFile(spec.batchId), {
    schema_name: 'codebatch.batch',
    schema_version: 1,
    batch_id: spec.batchId,
    snapshot_id: spec.snapshotId,
    created_at: ts,
    pipeline: 'fixture',
    shard_count: shardCount,
  });
  writeJson(layout.planFile(spec.batchId), {
    schema_name: 'codebatch.plan',
    schema_version: 1,
    batch_id: spec.batchId,
    pipeline: 'fixture',
    tasks: taskIds.map((t, i) => ({
      task_id: t,
      type: t.replace(/^\d+_/, ''),
      depends_on: i === 0 ? [] : [taskIds[0]],
    })),
  });
  fs.writeFileSync(
    layout.batchEventsFile(spec.batchId),
    `${JSON.stringify({ schema_version: 1, ts, event: 'batch_started' })}\n`,
  );
  for (const taskId of taskIds) {
    writeJson(layout.taskFile(spec.batchId, taskId), {
      schema_name: 'codebatch.task',
      schema_version: 1,
      task_id: taskId,
      batch_id: spec.batchId,
      type: taskId,
      task_version: '1',
      sharding: { strategy: sharding.strategy, shard_count: shardCount, shard_ids: shardIds },
      inputs: { snapshot: true, tasks: [] },
      config: {},
      config_digest: `sha256:${'0'.repeat(64)}`,
    });
    fs.writeFileSync(
      layout.taskEventsFile(spec.batchId, taskId),
      `${JSON.stringify({ schema_version: 1, ts, event: 'shard_completed', task_id: taskId })}\n`,
    );
    const byShard = new Map<string, FixtureOutput[]>(shardIds.map((s) => [s, []]));
    for (const o of spec.tasks[taskId] ?? []) {
      const s = shardOfPath(o.path);
      const list = byShard.get(s) ?? [];
      list.push(o);
      byShard.set(s, list);
    }
    for (const [shardId, outputs] of byShard) {
      const override = spec.shards?.[taskId]?.[shardId];
      const envelope = {
        schema_version: 1,
        snapshot_id: spec.snapshotId,
        batch_id: spec.batchId,
        task_id: taskId,
        shard_id: shardId,
        ts,
      };
      const text = override?.rawOutputs ?? toJsonl(outputs.map((o) => ({ ...envelope, ...o })));
      fs.mkdirSync(layout.shardDir(spec.batchId, taskId, shardId), { recursive: true });
      fs.writeFileSync(layout.outputsFile(spec.batchId, taskId, shardId), text);
      writeJson(layout.stateFile(spec.batchId, taskId, shardId), {
        schema_name: 'codebatch.shard_state',
        schema_version: 1,
        shard_id: shardId,
        task_id: taskId,
        batch_id: spec.batchId,
        status: override?.status ?? 'done',
        attempt: 1,
        ...(override?.error ? { error: override.error } : {}),
        outputs_digest: `sha256:${sha256Hex(text)}`,
      });
    }
  }
  return { store, batchId: spec.batchId, snapshotId: spec.snapshotId, shardOfPath };
}

function writeSnapshot(
  store: Store,
  spec: BatchFixtureSpec,
  hexByPath: Map<string, string>,
  ts: string,
): void {
  const { layout } = store;
  if (fs.existsSync(layout.filesIndexFile(spec.snapshotId))) return;
  const files = [...spec.files].sort((a, b) => (a.path < b.path ? -1 : 1));
  fs.mkdirSync(layout.snapshotDir(spec.snapshotId), { recursive: true });
  fs.writeFileSync(
    layout.filesIndexFile(spec.snapshotId),
    toJsonl(
      files.map((f) => ({
        schema_version: 1,
        path: f.path,
        path_key: f.path.toLowerCase(),
        object: `sha256:${hexByPath.get(f.path)}`,
        size: Buffer.byteLength(f.content),
        ...(f.lang ? { lang_hint: f.lang } : {}),
        text: true,
      })),
    ),
  );
  writeJson(layout.snapshotFile(spec.snapshotId), {
    schema_name: 'codebatch.snapshot',
    schema_version: 1,
    snapshot_id: spec.snapshotId,
    created_at: ts,
    source: { type: 'directory', path: '/fixture' },
    file_count: files.length,
    total_bytes: files.reduce((n, f) => n + Buffer.byteLength(f.content), 0),
  });
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
