import type { EventName, EventRecord } from '../schemas/event-record';
import { appendJsonl } from '../store/jsonl';
import { nowIso } from '../util/time';
import { SCHEMA_VERSION } from '../version';

/**
 * Execution facts only (SPEC 6.3). Nothing reads events to answer a semantic question, so a
 * lost event costs a log line, never a result; that is why appends are not fsync'ed.
 */
export function appendEvent(
  file: string,
  event: EventName,
  fields: Omit<EventRecord, 'schema_version' | 'ts' | 'event'> = {},
): void {
  const record: EventRecord = { schema_version: SCHEMA_VERSION, ts: nowIso(), event, ...fields };
  appendJsonl(file, [record]);
}

/**
 * Events of one shard chain, appended in one write per events file when the chain ends
 * (after its outputs are committed). On this kind of disk each open costs far more than the
 * write, and a crash loses at most the unflushed facts of one chain: never a result.
 */
export class EventBuffer {
  private readonly byFile = new Map<string, EventRecord[]>();

  add(
    file: string,
    event: EventName,
    fields: Omit<EventRecord, 'schema_version' | 'ts' | 'event'> = {},
  ): void {
    const record: EventRecord = { schema_version: SCHEMA_VERSION, ts: nowIso(), event, ...fields };
    const list = this.byFile.get(file);
    if (list) list.push(record);
    else this.byFile.set(file, [record]);
  }

  flush(): void {
    for (const [file, records] of this.byFile) {
      try {
        appendJsonl(file, records);
      } catch {
        // Execution facts only (SPEC 6.3): losing them never loses a result.
      }
    }
    this.byFile.clear();
  }
}
