import { z } from 'zod';
import { idSchema, isoDateTime, schemaVersion, shardIdSchema } from './common';

export const eventNameSchema = z.enum([
  'batch_started',
  'batch_completed',
  'batch_failed',
  'task_started',
  'task_completed',
  'task_failed',
  'task_blocked',
  'shard_started',
  'shard_completed',
  'shard_failed',
  'shard_retrying',
  'shard_skipped',
]);
export type EventName = z.infer<typeof eventNameSchema>;

/** events.jsonl holds execution facts only (SPEC 6.3): nothing semantic is read from it. */
export const eventRecordSchema = z.looseObject({
  schema_version: schemaVersion,
  ts: isoDateTime,
  event: eventNameSchema,
  batch_id: idSchema.optional(),
  task_id: idSchema.optional(),
  shard_id: shardIdSchema.optional(),
  attempt: z.number().int().min(1).optional(),
  duration_ms: z.number().int().min(0).optional(),
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }).optional(),
  stats: z.record(z.string(), z.unknown()).optional(),
});
export type EventRecord = z.infer<typeof eventRecordSchema>;
