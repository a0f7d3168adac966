import type { EventName, EventRecord } from '../schemas/event-record';
import { appendJsonl } from '../store/jsonl';
import { nowIso } from '../util/time';
import { SCHEMA_VERSION } from '../version';

/**
 * Execution facts only (SPEC 6.3). Nothing reads events to answer a semantic question, so a
 * lost event costs a log line, never a result; that is why appends are not fsync'ed.
 */
export function appendEvent(file: string, event: EventName, fields: Omit<EventRecord, 'schema_version' | 'ts' | 'event'> = {}): void {
  const record: EventRecord = { schema_version: SCHEMA_VERSION, ts: nowIso(), event, ...fields };
  appendJsonl(file, [record]);
}
