import { z } from 'zod';
import {
  idSchema,
  isoDateTime,
  objectRefSchema,
  producerSchema,
  schemaVersion,
  shardIdSchema,
} from './common';

export const shardStatusSchema = z.enum(['ready', 'running', 'done', 'failed']);
export type ShardStatus = z.infer<typeof shardStatusSchema>;

const count = z.number().int().min(0);

/**
 * Diagnostic records of a committed index per severity. `none` counts diagnostics without one:
 * they report as warnings (report/diagnostic.ts) but are not counted as warnings, so a reader
 * that must know whether a shard holds anything at or above `warning` needs them apart.
 */
export const diagnosticCountsSchema = z.looseObject({
  error: count,
  warning: count,
  info: count,
  hint: count,
  none: count,
});
export type DiagnosticCounts = z.infer<typeof diagnosticCountsSchema>;

/**
 * The counts with the outputs_digest of the index they were taken from. They hold only while the
 * state's own outputs_digest is that one: an engine from before counts were recorded, re-running
 * the shard, spreads the previous state into the new one and would leave them beside another
 * index.
 */
export const storedDiagnosticCountsSchema = diagnosticCountsSchema.extend({
  outputs_digest: objectRefSchema,
});

/**
 * A reused shard's records, by reference instead of by copy: `object` holds another shard's
 * committed index (the same input bundle, so the same records) as it was written, with `from`'s
 * envelope ids; readers re-stamp each line with this shard's ids and `snapshot_id` (SPEC 9.2
 * holds for what they return). An object, not the other shard's file: objects are immutable and
 * kept by gc while named, so neither a re-run nor the removal of the source batch moves them.
 */
export const outputsRefSchema = z.looseObject({
  object: objectRefSchema,
  from: z.looseObject({
    /** The lines' schema_version: re-stamping rewrites it to the reader's. */
    schema_version: z.number().int().min(1).optional(),
    snapshot_id: idSchema,
    batch_id: idSchema,
    task_id: idSchema,
    shard_id: shardIdSchema,
  }),
  /** The snapshot of this shard's batch, which its records carry. */
  snapshot_id: idSchema,
});
export type OutputsRef = z.infer<typeof outputsRefSchema>;

export const shardStateSchema = z.looseObject({
  schema_name: z.literal('codebatch.shard_state'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  shard_id: shardIdSchema,
  task_id: idSchema,
  batch_id: idSchema,
  status: shardStatusSchema,
  attempt: z.number().int().min(1).default(1),
  started_at: isoDateTime.optional(),
  completed_at: isoDateTime.optional(),
  error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
  stats: z
    .looseObject({
      files_processed: z.number().int().min(0),
      outputs_written: z.number().int().min(0),
      bytes_processed: z.number().int().min(0),
    })
    .optional(),
  /** Input-bundle hash of the run that produced the committed outputs (seed 000, FR-4.3). */
  bundle_hash: z
    .string()
    .regex(/^[a-f0-9]{64}$/)
    .optional(),
  /**
   * sha256 of the stored index bytes: the committed outputs.index.jsonl, or for a shard with
   * `outputs_ref` the object it names (the bytes before re-stamping). Lets reuse verify the index.
   */
  outputs_digest: objectRefSchema.optional(),
  /** Where a reused shard's records are: see outputsRefSchema. */
  outputs_ref: outputsRefSchema.optional(),
  /**
   * Diagnostics of the committed index per severity, written with outputs_digest and trusted as
   * it is: a report that shows only what fails (`check --quiet`) reads no index of a shard with
   * nothing at that severity. Absent in states written before it was recorded; see
   * storedDiagnosticCountsSchema for when it applies.
   */
  diagnostic_counts: storedDiagnosticCountsSchema.optional(),
  /**
   * Records of the committed index per kind, bound to its digest as diagnostic_counts is: a
   * reused shard's run manifest takes them from its source's state, instead of reading and
   * parsing the source's manifest (which grows with the shard: 0.06 s of a one-file run at 30k
   * files). `verify` recounts them.
   */
  kind_counts: z
    .looseObject({ counts: z.record(z.string(), z.number().int().min(0)), outputs_digest: objectRefSchema })
    .optional(),
  /** sha256 of the outputs' semantic content (records without batch/snapshot/shard ids and ts). */
  result_digest: z
    .string()
    .regex(/^[a-f0-9]{64}$/)
    .optional(),
  /** How the done state was reached: executed now, or reused from an identical bundle. */
  reused_from: z.looseObject({ batch_id: idSchema, shard_id: shardIdSchema }).optional(),
  manifest: objectRefSchema.optional(),
});
export type ShardState = z.infer<typeof shardStateSchema>;
