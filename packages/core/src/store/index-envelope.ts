import { SCHEMA_VERSION } from '../version';

/** The ids every line of a shard's outputs index starts with (SPEC 9.2), and its timestamp. */
export interface EnvelopeIds {
  snapshot_id: string;
  batch_id: string;
  task_id: string;
  shard_id: string;
  ts: string;
}

/**
 * The ids without the time; `schema_version` is the lines' own when they were written by an
 * engine with another one (a referenced index outlives the engine that wrote it).
 */
export type EnvelopeIdSet = Omit<EnvelopeIds, 'ts'> & { schema_version?: number };

/**
 * The bytes every index line of a shard starts with, up to (not including) `"ts"`. One
 * function for writing and for re-stamping reused lines, so both agree byte for byte.
 */
export function envelopeIdsPrefix(ids: EnvelopeIdSet): string {
  return `{"schema_version":${ids.schema_version ?? SCHEMA_VERSION},"snapshot_id":${JSON.stringify(ids.snapshot_id)},"batch_id":${JSON.stringify(ids.batch_id)},"task_id":${JSON.stringify(ids.task_id)},"shard_id":${JSON.stringify(ids.shard_id)},`;
}
