import { z } from 'zod';
import { objectRefSchema, producerSchema, schemaVersion } from './common';

export const chunkManifestSchema = z.looseObject({
  schema_name: z.literal('codebatch.chunk_manifest'),
  schema_version: schemaVersion,
  producer: producerSchema.optional(),
  kind: z.string(),
  format: z.string(),
  chunks: z
    .array(
      z.looseObject({
        object: objectRefSchema,
        size: z.number().int().min(1),
        index: z.number().int().min(0),
      }),
    )
    .min(1),
  total_bytes: z.number().int().min(1),
  chunk_size: z.number().int().min(1),
});
export type ChunkManifest = z.infer<typeof chunkManifestSchema>;
