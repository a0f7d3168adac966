import { z } from 'zod';
import {
  idSchema,
  isoDateTime,
  objectRefSchema,
  producerSchema,
  schemaVersion,
  shardIdSchema,
} from './common';

const hex64 = z.string().regex(/^[a-f0-9]{64}$/);

/**
 * The labelled input-bundle preimage (run/input-bundle.ts), stored whole in every shard
 * manifest so that a miss can be explained by diffing two of them field by field.
 */
export const bundlePreimageSchema = z.looseObject({
  salt: z.string(),
  engine_version: z.string(),
  runtime: z.string(),
  task: z.looseObject({ task_id: idSchema, type: z.string(), version: z.string() }),
  config_digest: z.string(),
  chunking: z.looseObject({ threshold: z.number().int(), chunk_size: z.number().int() }),
  /** The batch's seed base, when it has one. */
  seed_base: z.number().int().optional(),
  members: z.array(z.tuple([z.string(), z.string()])),
  upstream: z.array(z.looseObject({ task_id: idSchema, result_digest: z.string() })),
});

/**
 * The preimage as a shard run manifest holds it: `members` (one entry per file, the bulk of it)
 * either inline (manifests before 0.1.x's members objects, derived manifests) or as the object
 * `input_bundle.members_object` names. Every run of the same bundle (an executed shard and each
 * shard that reuses it) then shares one members object, and a reused shard's manifest is a few
 * hundred bytes instead of a copy of its source's file list.
 */
export const manifestPreimageSchema = bundlePreimageSchema.extend({
  members: bundlePreimageSchema.shape.members.optional(),
});

export const manifestVerificationSchema = z.looseObject({
  /** The committed outputs.index.jsonl re-hashed against outputs_digest. */
  outputs_rehash: z.enum(['ok', 'mismatch', 'not_checked']),
  /** Records validated against the output-record schema (checked = validated count). */
  records_validated: z
    .looseObject({ checked: z.number().int().min(0), invalid: z.number().int().min(0) })
    .optional(),
  /** Reuse only: the source shard's state, index digest and objects were verified before copying. */
  reuse_source_verified: z.boolean().optional(),
});
export type ManifestVerification = z.infer<typeof manifestVerificationSchema>;

/**
 * One shard run (seed 000 RunManifest): what went in (by digest), what came out, how long
 * each stage took, and which upstream shard runs it depends on. Stored as an object
 * (canonical JSON) and referenced from state.json `manifest`.
 */
export const shardRunManifestSchema = z.looseObject({
  schema_name: z.literal('codebatch.run_manifest'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  kind: z.literal('shard_run'),
  run: z.looseObject({
    batch_id: idSchema,
    snapshot_id: idSchema,
    task_id: idSchema,
    shard_id: shardIdSchema,
    attempt: z.number().int().min(1),
    outcome: z.enum(['executed', 'reused', 'failed']),
    started_at: isoDateTime,
    completed_at: isoDateTime,
    reused_from: z
      .looseObject({
        batch_id: idSchema,
        shard_id: shardIdSchema,
        task_id: idSchema.optional(),
        manifest: objectRefSchema.optional(),
      })
      .optional(),
    /** The manifest this run superseded in the same batch/task/shard (a retry or --force). */
    previous_manifest: objectRefSchema.optional(),
  }),
  task: z.looseObject({
    task_id: idSchema,
    type: z.string(),
    version: z.string(),
    config_digest: z.string(),
  }),
  inputs: z.looseObject({
    /** Inline only with inline members; else the members object lists them (path, object). */
    files: z.array(z.looseObject({ path: z.string(), object: objectRefSchema })).optional(),
    upstream: z.array(
      z.looseObject({
        task_id: idSchema,
        shard_id: shardIdSchema,
        result_digest: z.string(),
        manifest: objectRefSchema.optional(),
      }),
    ),
  }),
  input_bundle: z
    .looseObject({
      hash: hex64,
      preimage: manifestPreimageSchema,
      /** The canonical JSON of preimage.members, when they are not inline. */
      members_object: objectRefSchema.optional(),
    })
    .refine((b) => (b.preimage.members === undefined) !== (b.members_object === undefined), {
      message: 'the preimage members are either inline or named by members_object, exactly one of them',
    }),
  versions: z.looseObject({ engine: z.string(), node: z.string(), runtime: z.string(), task: z.string() }),
  outputs: z
    .looseObject({
      outputs_digest: objectRefSchema,
      result_digest: hex64,
      count: z.number().int().min(0),
      by_kind: z.record(z.string(), z.number().int().min(0)),
    })
    .optional(),
  /** Edges of the run graph: this run read the outputs of these upstream shard runs. */
  dependencies: z.array(
    z.looseObject({
      edge: z.literal('reads_outputs_of'),
      task_id: idSchema,
      shard_id: shardIdSchema,
      manifest: objectRefSchema.optional(),
    }),
  ),
  verification: manifestVerificationSchema,
  /** Per stage of seed 000, in ms: analysis, compilation, processing (0 under CODEBATCH_FIXED_TIME). */
  timings_ms: z.looseObject({
    analysis: z.number().min(0),
    compilation: z.number().min(0),
    processing: z.number().min(0),
    total: z.number().min(0),
  }),
  /** Per-file work of this run: files whose task executed vs records taken from the memo/source. */
  memo: z.looseObject({ files_executed: z.number().int().min(0), files_reused: z.number().int().min(0) }),
  error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
  /** true when rebuilt from state.json by `deriveShardManifest` instead of recorded by the runner. */
  derived: z.boolean().optional(),
});
export type ShardRunManifest = z.infer<typeof shardRunManifestSchema>;

/** A batch run links its shard runs (nested runs, FR-5.3). */
export const batchRunManifestSchema = z.looseObject({
  schema_name: z.literal('codebatch.run_manifest'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  kind: z.literal('batch_run'),
  batch_id: idSchema,
  snapshot_id: idSchema,
  pipeline: z.string(),
  generated_at: isoDateTime,
  session_id: idSchema.optional(),
  environment: z.record(z.string(), z.unknown()).optional(),
  tasks: z.array(
    z.looseObject({
      task_id: idSchema,
      type: z.string(),
      version: z.string(),
      config_digest: z.string(),
      depends_on: z.array(idSchema),
    }),
  ),
  shard_runs: z.array(
    z.looseObject({
      task_id: idSchema,
      shard_id: shardIdSchema,
      status: z.enum(['ready', 'running', 'done', 'failed']),
      attempt: z.number().int().min(1),
      manifest: objectRefSchema.optional(),
      bundle_hash: hex64.optional(),
      outputs_digest: objectRefSchema.optional(),
      result_digest: hex64.optional(),
      reused: z.boolean().optional(),
    }),
  ),
  counts: z.record(z.string(), z.number().int().min(0)),
});
export type BatchRunManifest = z.infer<typeof batchRunManifestSchema>;

export const runManifestSchema = z.discriminatedUnion('kind', [
  shardRunManifestSchema,
  batchRunManifestSchema,
]);
export type RunManifest = z.infer<typeof runManifestSchema>;

export const actionOutcomeSchema = z.enum(['verified', 'failed', 'retry', 'skipped']);
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;

const stateDigestSchema = z.looseObject({
  /** sha256 of the state.json bytes; absent when there was no state file. */
  digest: hex64.optional(),
  status: z.string(),
  attempt: z.number().int().min(1).optional(),
});

/** One action of a provenance session (seed 002 ActionRecord), kept compact: sessions are rewritten whole. */
export const sessionActionSchema = z.looseObject({
  seq: z.number().int().min(1),
  type: z.enum(['execute_shard', 'reuse_shard', 'skip_shard', 'verify_shard']),
  outcome: actionOutcomeSchema,
  at: isoDateTime,
  task_id: idSchema.optional(),
  shard_id: shardIdSchema.optional(),
  attempt: z.number().int().min(1),
  duration_ms: z.number().min(0).optional(),
  intent: z.record(z.string(), z.unknown()).optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
  before: stateDigestSchema.optional(),
  after: stateDigestSchema.optional(),
  diff: z.string().optional(),
  note: z.string().optional(),
});
export type SessionAction = z.infer<typeof sessionActionSchema>;

export const sessionStatusSchema = z.enum(['in_progress', 'complete', 'partial', 'failed']);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

/** <store>/sessions/<id>.json: one `run` invocation, replaced atomically as it progresses. */
export const provenanceSessionSchema = z.looseObject({
  schema_name: z.literal('codebatch.session'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  session_id: idSchema,
  label: z.string(),
  batch_id: idSchema.optional(),
  started_at: isoDateTime,
  updated_at: isoDateTime,
  ended_at: isoDateTime.optional(),
  duration_ms: z.number().min(0).optional(),
  status: sessionStatusSchema,
  agent: z.looseObject({ name: z.string(), version: z.string() }),
  environment: z.record(z.string(), z.unknown()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  counts: z.record(z.string(), z.number().int().min(0)),
  batch_manifest: objectRefSchema.optional(),
  actions: z.array(sessionActionSchema),
});
export type ProvenanceSession = z.infer<typeof provenanceSessionSchema>;
