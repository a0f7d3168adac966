import { z } from 'zod';
import { idSchema, isoDateTime, objectRefSchema, schemaVersion, shardIdSchema } from './common';

/**
 * The reference output-record schema enumerates ast, diagnostic, metric, artifact and
 * chunk_manifest only, and so rejects its own symbol and edge records (REFERENCE-NOTES defect
 * 8). We add `symbol` and `edge` (SPEC 9 allows new output kinds) and document the deviation.
 */
export const outputKindSchema = z.enum([
  'ast',
  'diagnostic',
  'metric',
  'symbol',
  'edge',
  'artifact',
  'chunk_manifest',
]);
export type OutputKind = z.infer<typeof outputKindSchema>;

export const severitySchema = z.enum(['error', 'warning', 'info', 'hint']);
export type Severity = z.infer<typeof severitySchema>;

/** The fields a task owns; the runner adds the envelope (ids and ts). */
const taskOutputShape = {
  path: z.string().min(1),
  kind: outputKindSchema,
  object: objectRefSchema.optional(),
  /** A small text output (an AST of at most 4 KB) kept in the record instead of `object`. */
  inline: z.string().optional(),
  format: z.string().optional(),
  severity: severitySchema.optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  /** 1-based line and column. One spelling everywhere: `col` (the reference mixes column/col). */
  line: z.number().int().min(1).optional(),
  col: z.number().int().min(1).optional(),
  end_line: z.number().int().min(1).optional(),
  end_col: z.number().int().min(1).optional(),
  metric: z.string().optional(),
  value: z.union([z.number(), z.string()]).optional(),
  name: z.string().optional(),
  symbol_type: z.string().optional(),
  scope: z.string().optional(),
  edge_type: z.string().optional(),
  target: z.string().optional(),
};

export const taskOutputSchema = z.looseObject(taskOutputShape);
/** What a task emits: an output record without the envelope the runner stamps on. */
export type TaskOutput = z.infer<typeof taskOutputSchema>;

export const outputRecordSchema = z.looseObject({
  schema_version: schemaVersion,
  snapshot_id: idSchema,
  batch_id: idSchema,
  task_id: idSchema,
  shard_id: shardIdSchema,
  ts: isoDateTime,
  ...taskOutputShape,
});
export type OutputRecord = z.infer<typeof outputRecordSchema>;
