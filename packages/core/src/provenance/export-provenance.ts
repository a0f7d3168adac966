import type { Store } from '../store/store';
import { ENGINE_NAME, ENGINE_VERSION, SCHEMA_VERSION } from '../version';
import { type BatchGraph, hexOf, loadBatchGraph } from './batch-graph';

/**
 * Provenance exports of a batch, built from records and shard states alone (batch.json,
 * snapshot.json, plan/task records, state.json with its manifest refs): no outputs are read,
 * so exporting a large batch is cheap. Absolute source paths and host names are left out on
 * purpose: exports are meant to be published.
 */
export type ProvenanceFormat = 'prov' | 'intoto';

export function exportProvenance(
  store: Store,
  batchId: string,
  format: ProvenanceFormat,
): Record<string, unknown> {
  const graph = loadBatchGraph(store, batchId);
  return format === 'prov' ? toProvO(graph) : toInToto(graph);
}

const NS = 'urn:codebatch:';
const AGENT_ID = `${NS}agent:${ENGINE_NAME}@${ENGINE_VERSION}`;
const ref = (id: string) => ({ '@id': id });
const time = (t: string) => ({ '@type': 'xsd:dateTime', '@value': t });

const ids = {
  snapshot: (id: string) => `${NS}snapshot:${id}`,
  batch: (id: string) => `${NS}batch:${id}`,
  config: (b: string, t: string) => `${NS}config:${b}/${t}`,
  run: (b: string, t: string, s: string, attempt: number) => `${NS}run:${b}/${t}/${s}/${attempt}`,
  outputs: (b: string, t: string, s: string) => `${NS}outputs:${b}/${t}/${s}`,
};

/** PROV-O as JSON-LD: shard runs are prov:Activity, inputs and outputs prov:Entity, the engine a prov:SoftwareAgent. */
export function toProvO(g: BatchGraph): Record<string, unknown> {
  const b = g.batch.batch_id;
  const nodes: Record<string, unknown>[] = [];
  nodes.push({
    '@id': AGENT_ID,
    '@type': ['prov:Agent', 'prov:SoftwareAgent'],
    'rdfs:label': `${ENGINE_NAME} ${ENGINE_VERSION}`,
    'cb:version': ENGINE_VERSION,
  });
  const snapshotId = ids.snapshot(g.batch.snapshot_id);
  nodes.push({
    '@id': snapshotId,
    '@type': 'prov:Entity',
    'rdfs:label': `snapshot ${g.batch.snapshot_id}`,
    ...(g.snapshot?.files_index_digest ? { 'cb:filesIndexDigest': g.snapshot.files_index_digest } : {}),
    ...(g.snapshot ? { 'cb:fileCount': g.snapshot.file_count, 'cb:totalBytes': g.snapshot.total_bytes } : {}),
    ...(g.snapshot?.source.git_ref ? { 'cb:gitCommit': g.snapshot.source.git_ref } : {}),
    ...(g.snapshot?.source.git_dirty !== undefined ? { 'cb:gitDirty': g.snapshot.source.git_dirty } : {}),
    ...(g.snapshot ? { 'prov:generatedAtTime': time(g.snapshot.created_at) } : {}),
  });
  const batchActivity = ids.batch(b);
  nodes.push({
    '@id': batchActivity,
    '@type': 'prov:Activity',
    'rdfs:label': `batch ${b} (${g.batch.pipeline})`,
    ...(g.startedOn ? { 'prov:startedAtTime': time(g.startedOn) } : {}),
    ...(g.finishedOn ? { 'prov:endedAtTime': time(g.finishedOn) } : {}),
    'prov:wasAssociatedWith': ref(AGENT_ID),
    'prov:used': [ref(snapshotId)],
    ...(g.sessionId ? { 'cb:session': g.sessionId } : {}),
    ...(g.batchManifest ? { 'cb:manifest': g.batchManifest } : {}),
  });
  for (const task of g.tasks) {
    const t = task.record.task_id;
    nodes.push({
      '@id': ids.config(b, t),
      '@type': 'prov:Entity',
      'rdfs:label': `configuration of ${t}`,
      'cb:taskType': task.record.type,
      'cb:taskVersion': task.record.task_version,
      'cb:configDigest': task.record.config_digest,
    });
    for (const s of task.shards) {
      if (!s.started_at) continue; // never run: no activity to describe
      const run = ids.run(b, t, s.shard_id, s.attempt);
      const upstreamOutputs = task.depends_on.map((d) => ref(ids.outputs(b, d, s.shard_id)));
      nodes.push({
        '@id': run,
        '@type': 'prov:Activity',
        'rdfs:label': `${t} shard ${s.shard_id} attempt ${s.attempt}`,
        'prov:startedAtTime': time(s.started_at),
        ...(s.completed_at ? { 'prov:endedAtTime': time(s.completed_at) } : {}),
        'prov:wasAssociatedWith': ref(AGENT_ID),
        'prov:used': [ref(snapshotId), ref(ids.config(b, t)), ...upstreamOutputs],
        ...(task.depends_on.length
          ? { 'prov:wasInformedBy': task.depends_on.map((d) => ref(runOf(g, d, s.shard_id))) }
          : {}),
        'cb:partOf': ref(batchActivity),
        'cb:status': s.status,
        'cb:attempt': s.attempt,
        ...(s.bundle_hash ? { 'cb:inputBundleHash': s.bundle_hash } : {}),
        ...(s.manifest ? { 'cb:manifest': s.manifest } : {}),
        ...(s.error ? { 'cb:error': `${s.error.code}: ${s.error.message}` } : {}),
      });
      if (s.status !== 'done' || !s.outputs_digest) continue;
      nodes.push({
        '@id': ids.outputs(b, t, s.shard_id),
        '@type': 'prov:Entity',
        'rdfs:label': `outputs of ${t} shard ${s.shard_id}`,
        'cb:digest': s.outputs_digest,
        ...(s.result_digest ? { 'cb:resultDigest': `sha256:${s.result_digest}` } : {}),
        'cb:records': s.stats?.outputs_written ?? 0,
        'prov:wasGeneratedBy': ref(run),
        'prov:wasAttributedTo': ref(AGENT_ID),
        'prov:wasDerivedFrom': [
          ref(snapshotId),
          ...upstreamOutputs,
          ...(s.reused_from ? [ref(ids.outputs(s.reused_from.batch_id, t, s.reused_from.shard_id))] : []),
        ],
        ...(s.completed_at ? { 'prov:generatedAtTime': time(s.completed_at) } : {}),
      });
    }
  }
  return {
    '@context': {
      prov: 'http://www.w3.org/ns/prov#',
      rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      cb: 'https://codebatch.dev/ns/provenance#',
    },
    '@graph': nodes,
  };
}

function runOf(g: BatchGraph, taskId: string, shardId: string): string {
  const s = g.tasks.find((t) => t.record.task_id === taskId)?.shards.find((x) => x.shard_id === shardId);
  return ids.run(g.batch.batch_id, taskId, shardId, s?.attempt ?? 1);
}

export const INTOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1';
export const BUILD_TYPE = 'https://codebatch.dev/provenance/batch-run/v1';
export const BUILDER_ID = 'https://codebatch.dev/builder/cli';

/**
 * An in-toto Statement v1 whose subjects are the shards' results, with a SLSA v1 predicate.
 * A subject's digest is the shard's result digest (its records without the envelope), not
 * the index file's: index lines carry timestamps, so two runs over the same inputs would
 * attest different bytes for the same results. `provenance verify` recomputes it from the
 * index named by `annotations.index`.
 */
export function toInToto(g: BatchGraph): Record<string, unknown> {
  const b = g.batch.batch_id;
  const subject: Record<string, unknown>[] = [];
  const byproducts: Record<string, unknown>[] = [];
  for (const task of g.tasks) {
    for (const s of task.shards) {
      if (s.status === 'done' && s.result_digest) {
        const dir = `batches/${b}/tasks/${task.record.task_id}/shards/${s.shard_id}`;
        subject.push({
          name: `${dir}/result`,
          digest: { sha256: hexOf(s.result_digest) },
          annotations: { index: `${dir}/outputs.index.jsonl` },
        });
      }
      if (s.manifest)
        byproducts.push({
          name: `run-manifest/${task.record.task_id}/${s.shard_id}`,
          digest: { sha256: hexOf(s.manifest) },
          mediaType: 'application/json',
        });
    }
  }
  if (g.batchManifest)
    byproducts.push({
      name: 'run-manifest/batch',
      digest: { sha256: hexOf(g.batchManifest) },
      mediaType: 'application/json',
    });
  const resolved: Record<string, unknown>[] = [];
  if (g.snapshot?.source.git_ref) {
    resolved.push({
      name: 'source',
      digest: { gitCommit: g.snapshot.source.git_ref },
      ...(g.snapshot.source.git_dirty !== undefined
        ? { annotations: { dirty: g.snapshot.source.git_dirty } }
        : {}),
    });
  }
  if (g.snapshot?.files_index_digest) {
    resolved.push({
      name: `snapshots/${g.batch.snapshot_id}/files.index.jsonl`,
      digest: { sha256: hexOf(g.snapshot.files_index_digest) },
      annotations: { file_count: g.snapshot.file_count, total_bytes: g.snapshot.total_bytes },
    });
  }
  for (const task of g.tasks)
    resolved.push({
      name: `config/${task.record.task_id}`,
      digest: { sha256: hexOf(task.record.config_digest) },
    });
  return {
    _type: INTOTO_STATEMENT_TYPE,
    subject,
    predicateType: SLSA_PREDICATE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: {
          batch_id: b,
          pipeline: g.batch.pipeline,
          snapshot_id: g.batch.snapshot_id,
          ...(g.batch.config_digest ? { config_digest: g.batch.config_digest } : {}),
        },
        internalParameters: {
          engine: { name: ENGINE_NAME, version: ENGINE_VERSION, schema_version: SCHEMA_VERSION },
          ...(g.batch.shard_count ? { shard_count: g.batch.shard_count } : {}),
          ...(g.batch.chunking ? { chunking: g.batch.chunking } : {}),
          tasks: g.tasks.map((t) => ({
            task_id: t.record.task_id,
            type: t.record.type,
            version: t.record.task_version,
            config_digest: t.record.config_digest,
            depends_on: t.depends_on,
          })),
        },
        resolvedDependencies: resolved,
      },
      runDetails: {
        builder: { id: BUILDER_ID, version: { [ENGINE_NAME]: ENGINE_VERSION } },
        metadata: {
          invocationId: g.sessionId ? `${NS}session:${g.sessionId}` : ids.batch(b),
          ...(g.startedOn ? { startedOn: g.startedOn } : {}),
          ...(g.finishedOn ? { finishedOn: g.finishedOn } : {}),
        },
        ...(byproducts.length ? { byproducts } : {}),
      },
    },
  };
}
