import { z } from 'zod';
import { idSchema, isoDateTime, objectRefSchema, producerSchema, schemaVersion } from './common';

export const snapshotWarningSchema = z.looseObject({
  code: z.enum(['unreadable', 'invalid_name', 'case_collision', 'symlink_skipped', 'special_file_skipped']),
  path: z.string(),
  message: z.string(),
});
export type SnapshotWarning = z.infer<typeof snapshotWarningSchema>;

export const snapshotRecordSchema = z.looseObject({
  schema_name: z.literal('codebatch.snapshot'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  snapshot_id: idSchema,
  created_at: isoDateTime,
  source: z.looseObject({
    type: z.enum(['directory', 'archive', 'git']),
    path: z.string(),
    git_ref: z.string().optional(),
    git_dirty: z.boolean().optional(),
  }),
  file_count: z.number().int().min(0),
  total_bytes: z.number().int().min(0),
  /** sha256 of files.index.jsonl: the snapshot's content identity. */
  files_index_digest: objectRefSchema.optional(),
  filters: z
    .looseObject({
      include: z.array(z.string()),
      exclude: z.array(z.string()),
      gitignore: z.boolean(),
    })
    .optional(),
  warnings: z.array(snapshotWarningSchema).default([]),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type SnapshotRecord = z.infer<typeof snapshotRecordSchema>;

export const filesIndexRecordSchema = z.looseObject({
  schema_version: schemaVersion,
  path: z.string().min(1),
  path_key: z.string().min(1),
  object: objectRefSchema,
  size: z.number().int().min(0),
  lang_hint: z.string().optional(),
  /** false for files detected as binary (NUL byte or invalid UTF-8 in the first 8 KiB). */
  text: z.boolean().optional(),
  mode: z
    .string()
    .regex(/^[0-7]{3,4}$/)
    .optional(),
});
export type FilesIndexRecord = z.infer<typeof filesIndexRecordSchema>;
