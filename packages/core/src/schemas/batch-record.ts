import { z } from 'zod';
import {
  idSchema,
  isoDateTime,
  objectRefSchema,
  producerSchema,
  schemaVersion,
  shardIdSchema,
} from './common';

export const batchRecordSchema = z.looseObject({
  schema_name: z.literal('codebatch.batch'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  batch_id: idSchema,
  snapshot_id: idSchema,
  created_at: isoDateTime,
  pipeline: z.string(),
  shard_count: z.number().int().min(1).max(256).optional(),
  /** Output chunking (SPEC 10) used by every task of the batch. */
  chunking: z
    .looseObject({ threshold: z.number().int().min(1), chunk_size: z.number().int().min(1) })
    .optional(),
  /** sha256 of the canonical resolved configuration the batch was planned with. */
  config_digest: objectRefSchema.optional(),
  /** Base of the per-shard seed tasks get (`seed` in codebatch.config.json); absent = 0. */
  seed: z.number().int().min(0).max(2147483646).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type BatchRecord = z.infer<typeof batchRecordSchema>;

export const planTaskSchema = z.looseObject({
  task_id: idSchema,
  type: z.string(),
  depends_on: z.array(idSchema),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type PlanTask = z.infer<typeof planTaskSchema>;

export const planRecordSchema = z.looseObject({
  schema_name: z.literal('codebatch.plan'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  batch_id: idSchema,
  pipeline: z.string().optional(),
  tasks: z.array(planTaskSchema),
});
export type PlanRecord = z.infer<typeof planRecordSchema>;

export const taskRecordSchema = z.looseObject({
  schema_name: z.literal('codebatch.task'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  task_id: idSchema,
  batch_id: idSchema,
  type: z.string(),
  /** Implementation version of the task; part of every input-bundle hash. */
  task_version: z.string(),
  sharding: z.looseObject({
    /** path_hash is ours (the reference has the other three); see batch/shard-assignment.ts. */
    strategy: z.enum(['path_hash', 'hash_prefix', 'round_robin', 'single']),
    shard_count: z.number().int().min(1).max(256),
    shard_ids: z.array(shardIdSchema),
  }),
  inputs: z.looseObject({ snapshot: z.boolean(), tasks: z.array(idSchema) }),
  config: z.record(z.string(), z.unknown()),
  config_digest: objectRefSchema,
});
export type TaskRecord = z.infer<typeof taskRecordSchema>;
