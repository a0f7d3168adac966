import { z } from 'zod';
import { isoDateTime, producerSchema, schemaVersion } from './common';

export const storeRecordSchema = z.looseObject({
  schema_name: z.literal('codebatch.store'),
  schema_version: schemaVersion,
  producer: producerSchema,
  created_at: isoDateTime,
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type StoreRecord = z.infer<typeof storeRecordSchema>;
