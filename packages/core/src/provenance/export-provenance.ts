import type { ShardRunManifest } from '../schemas/run-manifest';
import type { Store } from '../store/store';
import { canonicalJson } from '../util/canonical-json';
import { sha256OfCanonical } from '../util/hash';
import { ENGINE_NAME, ENGINE_VERSION, SCHEMA_VERSION } from '../version';
import { type BatchGraph, type GraphTask, hexOf, loadBatchGraph } from './batch-graph';

/**
 * Provenance exports of a batch, built from records and shard states alone (batch.json,
 * snapshot.json, plan/task records, state.json and the run manifests it references): no outputs
 * are read, so exporting a large batch is cheap. Absolute source paths and host names are left out on
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
  /** Without an attempt only for a reuse source with no readable manifest: whatever that shard committed. */
  outputs: (b: string, t: string, s: string, attempt?: number) =>
    `${NS}outputs:${b}/${t}/${s}${attempt === undefined ? '' : `/${attempt}`}`,
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
  // Superseded runs that a current run read from (a forced re-run of an upstream shard made a
  // newer attempt since): described from their manifests after the current runs.
  const earlier: string[] = [];
  const described = new Set<string>();
  const upstreamOf = (
    taskId: string,
    shardId: string,
    startedAt: string,
    m: ShardRunManifest | undefined,
  ): { run: string; outputs: string }[] => {
    const deps = g.tasks.find((x) => x.record.task_id === taskId)?.depends_on ?? [];
    return deps.flatMap((d) => {
      const found = resolveUpstream(g, d, shardId, startedAt, m);
      if (found?.earlier && !described.has(found.earlier)) {
        described.add(found.earlier);
        earlier.push(found.earlier);
      }
      return found ? [{ run: found.run, outputs: found.outputs }] : [];
    });
  };
  const describeRun = (
    taskId: string,
    shardId: string,
    run: { attempt: number; started_at: string; completed_at?: string; status: string },
    m: ShardRunManifest | undefined,
    extra: {
      manifest?: string;
      bundle_hash?: string;
      outputs?: { digest: string; result_digest?: string; records: number };
      reused_from?: { batch_id: string; shard_id: string };
      error?: { code: string; message: string };
    },
  ) => {
    const runId = ids.run(b, taskId, shardId, run.attempt);
    const upstream = upstreamOf(taskId, shardId, run.started_at, m);
    nodes.push({
      '@id': runId,
      '@type': 'prov:Activity',
      'rdfs:label': `${taskId} shard ${shardId} attempt ${run.attempt}`,
      'prov:startedAtTime': time(run.started_at),
      ...(run.completed_at ? { 'prov:endedAtTime': time(run.completed_at) } : {}),
      'prov:wasAssociatedWith': ref(AGENT_ID),
      'prov:used': [ref(snapshotId), ref(ids.config(b, taskId)), ...upstream.map((u) => ref(u.outputs))],
      ...(upstream.length ? { 'prov:wasInformedBy': upstream.map((u) => ref(u.run)) } : {}),
      'cb:partOf': ref(batchActivity),
      'cb:status': run.status,
      'cb:attempt': run.attempt,
      ...(extra.bundle_hash ? { 'cb:inputBundleHash': extra.bundle_hash } : {}),
      ...(extra.manifest ? { 'cb:manifest': extra.manifest } : {}),
      ...(m?.run.previous_manifest ? { 'cb:previousManifest': m.run.previous_manifest } : {}),
      ...(extra.error ? { 'cb:error': `${extra.error.code}: ${extra.error.message}` } : {}),
    });
    if (!extra.outputs) return;
    const source = reuseSource(g, taskId, m, extra.reused_from);
    nodes.push({
      '@id': ids.outputs(b, taskId, shardId, run.attempt),
      '@type': 'prov:Entity',
      'rdfs:label': `outputs of ${taskId} shard ${shardId} attempt ${run.attempt}`,
      'cb:digest': extra.outputs.digest,
      ...(extra.outputs.result_digest ? { 'cb:resultDigest': `sha256:${extra.outputs.result_digest}` } : {}),
      'cb:records': extra.outputs.records,
      'prov:wasGeneratedBy': ref(runId),
      'prov:wasAttributedTo': ref(AGENT_ID),
      'prov:wasDerivedFrom': [
        ref(snapshotId),
        ...upstream.map((u) => ref(u.outputs)),
        ...(source ? [ref(source)] : []),
      ],
      ...(run.completed_at ? { 'prov:generatedAtTime': time(run.completed_at) } : {}),
    });
  };
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
      describeRun(
        t,
        s.shard_id,
        {
          attempt: s.attempt,
          started_at: s.started_at,
          status: s.status,
          ...(s.completed_at ? { completed_at: s.completed_at } : {}),
        },
        s.manifest ? g.manifests.get(s.manifest) : undefined,
        {
          ...(s.manifest ? { manifest: s.manifest } : {}),
          ...(s.bundle_hash ? { bundle_hash: s.bundle_hash } : {}),
          ...(s.status === 'done' && s.outputs_digest
            ? {
                outputs: {
                  digest: s.outputs_digest,
                  ...(s.result_digest ? { result_digest: s.result_digest } : {}),
                  records: s.stats?.outputs_written ?? 0,
                },
              }
            : {}),
          ...(s.reused_from ? { reused_from: s.reused_from } : {}),
          ...(s.error ? { error: s.error } : {}),
        },
      );
    }
  }
  // The queue grows in plan and shard order, so the export stays deterministic; each
  // superseded run is described once, and its own upstream may enqueue older ones.
  for (let i = 0; i < earlier.length; i++) {
    const manifestRef = earlier[i]!;
    const m = g.manifests.get(manifestRef)!;
    describeRun(
      m.run.task_id,
      m.run.shard_id,
      {
        attempt: m.run.attempt,
        started_at: m.run.started_at,
        completed_at: m.run.completed_at,
        status: 'superseded',
      },
      m,
      {
        manifest: manifestRef,
        bundle_hash: m.input_bundle.hash,
        ...(m.outputs
          ? {
              outputs: {
                digest: m.outputs.outputs_digest,
                result_digest: m.outputs.result_digest,
                records: m.outputs.count,
              },
            }
          : {}),
        ...(m.run.reused_from ? { reused_from: m.run.reused_from } : {}),
        ...(m.error ? { error: m.error } : {}),
      },
    );
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

/**
 * The upstream run (and its outputs entity) that a shard run read from task `dep`: the attempt
 * its manifest recorded. After a forced re-run of the upstream alone that is an older attempt
 * than the upstream's current one (`earlier` then names that attempt's manifest, to describe).
 * Without a recorded reference the upstream's current attempt is assumed only when it ended
 * before this run started (and, when known, has the result digest read); otherwise which
 * attempt was read is unknown and no link is claimed rather than a wrong one.
 */
function resolveUpstream(
  g: BatchGraph,
  dep: string,
  shardId: string,
  startedAt: string,
  m: ShardRunManifest | undefined,
): { run: string; outputs: string; earlier?: string } | undefined {
  const b = g.batch.batch_id;
  const current = g.tasks.find((t) => t.record.task_id === dep)?.shards.find((x) => x.shard_id === shardId);
  const at = (attempt: number) => ({
    run: ids.run(b, dep, shardId, attempt),
    outputs: ids.outputs(b, dep, shardId, attempt),
  });
  const recorded = m?.inputs.upstream.find((u) => u.task_id === dep);
  if (recorded?.manifest) {
    if (current?.manifest === recorded.manifest) return at(current.attempt);
    const um = g.manifests.get(recorded.manifest);
    if (!um || um.run.batch_id !== b) return undefined;
    return { ...at(um.run.attempt), earlier: recorded.manifest };
  }
  if (current?.status !== 'done' || !current.completed_at || current.completed_at > startedAt)
    return undefined;
  if (recorded && current.result_digest !== recorded.result_digest) return undefined;
  return at(current.attempt);
}

/** The outputs entity a reused run copied: the source attempt from its manifest, else the source shard. */
function reuseSource(
  g: BatchGraph,
  taskId: string,
  m: ShardRunManifest | undefined,
  reusedFrom: { batch_id: string; shard_id: string } | undefined,
): string | undefined {
  if (!reusedFrom) return undefined;
  const sourceRef = m?.run.reused_from?.manifest;
  const source = sourceRef ? g.manifests.get(sourceRef) : undefined;
  return source
    ? ids.outputs(source.run.batch_id, source.run.task_id, source.run.shard_id, source.run.attempt)
    : ids.outputs(reusedFrom.batch_id, taskId, reusedFrom.shard_id);
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
            ...taskEnvironments(g, t),
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

/**
 * The toolchain a task's results were made with (parser versions, grammar digests, ESLint and
 * its config digests), as recorded in its shard runs' input-bundle preimages: `environment`
 * when every recorded run agrees, else `environments` with the shards of each. The per-shard
 * part (`shard`, a shard's own extra inputs) is left out. Runs without a readable manifest say
 * nothing here, so a batch run with provenance off has no environment to attest.
 */
function taskEnvironments(
  g: BatchGraph,
  task: GraphTask,
): { environment?: unknown; environments?: { shards: string[]; environment: unknown }[] } {
  const groups = new Map<string, { shards: string[]; environment: unknown }>();
  for (const s of task.shards) {
    const env = s.manifest ? g.manifests.get(s.manifest)?.input_bundle.preimage.environment : undefined;
    if (!env || typeof env !== 'object') continue;
    const { shard: _perShard, ...shared } = env as Record<string, unknown>;
    const published = publishable(shared);
    const key = canonicalJson(published);
    const group = groups.get(key);
    if (group) group.shards.push(s.shard_id);
    else groups.set(key, { shards: [s.shard_id], environment: published });
  }
  const all = [...groups.values()];
  if (all.length === 0) return {};
  return all.length === 1 ? { environment: all[0]!.environment } : { environments: all };
}

const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

/**
 * An environment fit to publish: an object keyed by absolute paths (ESLint configs found above
 * the analysed tree) becomes the `sha256:` of its canonical JSON, which still pins the facts
 * without naming the host's directories.
 */
function publishable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publishable);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([k]) => ABSOLUTE_PATH.test(k))) return `sha256:${sha256OfCanonical(value)}`;
  return Object.fromEntries(entries.map(([k, v]) => [k, publishable(v)]));
}
