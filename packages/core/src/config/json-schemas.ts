import { z } from 'zod';
import { batchRecordSchema, planRecordSchema, taskRecordSchema } from '../schemas/batch-record';
import { chunkManifestSchema } from '../schemas/chunk-manifest';
import { errorEnvelopeSchema } from '../schemas/error-envelope';
import { eventRecordSchema } from '../schemas/event-record';
import { outputRecordSchema } from '../schemas/output-record';
import { provenanceSessionSchema, runManifestSchema } from '../schemas/run-manifest';
import { filesIndexRecordSchema, snapshotRecordSchema } from '../schemas/snapshot-record';
import { shardStateSchema } from '../schemas/state-record';
import { storeRecordSchema } from '../schemas/store-record';
import { configFileSchema } from './config-schema';

/** Every record type, by the file name of its generated JSON Schema (packages/core/schemas/). */
export const RECORD_SCHEMAS: Record<string, z.ZodType> = {
  'store.schema.json': storeRecordSchema,
  'snapshot.schema.json': snapshotRecordSchema,
  'files-index-record.schema.json': filesIndexRecordSchema,
  'batch.schema.json': batchRecordSchema,
  'plan.schema.json': planRecordSchema,
  'task.schema.json': taskRecordSchema,
  'state.schema.json': shardStateSchema,
  'output-record.schema.json': outputRecordSchema,
  'event-record.schema.json': eventRecordSchema,
  'chunk-manifest.schema.json': chunkManifestSchema,
  'error.schema.json': errorEnvelopeSchema,
  'config.schema.json': configFileSchema,
  'run-manifest.schema.json': runManifestSchema,
  'session.schema.json': provenanceSessionSchema,
};

/** JSON Schema (draft 2020-12) generated from the zod schemas: zod is the source of record. */
export function generateJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [file, schema] of Object.entries(RECORD_SCHEMAS)) {
    out[file] = {
      $id: `https://codebatch.dev/schemas/${file}`,
      ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
    };
  }
  return out;
}
