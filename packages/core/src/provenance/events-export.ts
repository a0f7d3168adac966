import { orderTasks } from '../batch/pipelines';
import { readBatchRecord, readPlan } from '../batch/read-batch';
import type { EventRecord } from '../schemas/event-record';
import type { ProvenanceSession } from '../schemas/run-manifest';
import { readJsonl } from '../store/jsonl';
import type { Store } from '../store/store';
import { canonicalJson } from '../util/canonical-json';
import { sha256Hex } from '../util/hash';
import { ENGINE_NAME, ENGINE_VERSION } from '../version';
import { listSessions } from './session';

/** One normalized observation row (seed 001 Observation), the same shape for events and session actions. */
export interface ObservationRow {
  timestamp: string;
  /**
   * Stable across identical runs (same inputs, pipeline and sessions), whatever the batch and
   * session ids and the times: derived from what the row is (source, event or action, task,
   * shard, attempt) and its occurrence among rows of that kind. Unique within one export.
   */
  record_id: string;
  session_id: string | null;
  actor_id: string;
  event_type: string;
  level: 'batch' | 'task' | 'shard';
  batch_id: string;
  task_id: string | null;
  shard_id: string | null;
  attempt: number | null;
  text: string;
  /** Canonical JSON of the remaining fields. */
  meta_json: string;
}

export const OBSERVATION_COLUMNS: (keyof ObservationRow)[] = [
  'timestamp',
  'record_id',
  'session_id',
  'actor_id',
  'event_type',
  'level',
  'batch_id',
  'task_id',
  'shard_id',
  'attempt',
  'text',
  'meta_json',
];

const ACTOR = `${ENGINE_NAME}@${ENGINE_VERSION}`;

/**
 * Ids from stable content only. Timestamps, durations, batch and session ids and digests of
 * the envelope (which carries the batch id) differ between two identical runs, so none of
 * them is hashed; the occurrence number keeps repeated identical facts apart and does not
 * depend on how parallel shards interleave (it counts per task, shard and attempt).
 */
function createIdMinter(prefix: string): (key: Record<string, unknown>) => string {
  const seen = new Map<string, number>();
  return (key) => {
    const text = canonicalJson(key);
    const n = (seen.get(text) ?? 0) + 1;
    seen.set(text, n);
    return `${prefix}-${sha256Hex(canonicalJson({ ...key, n })).slice(0, 16)}`;
  };
}

/**
 * Flattens a batch's execution facts into rows: batch and task events.jsonl (read leniently,
 * a torn last line is skipped) plus the actions of the batch's provenance sessions, sorted by
 * time (ties keep source order). An event is attributed to the session whose time span holds it.
 */
export function exportObservations(
  store: Store,
  batchId: string,
  options: { sessions?: boolean } = {},
): ObservationRow[] {
  readBatchRecord(store, batchId);
  // newest first, so the innermost (latest-started) session that spans an event claims it
  const sessions = options.sessions === false ? [] : listSessions(store, { batchId });
  const sessionAt = (ts: string) =>
    sessions.find((s) => s.started_at <= ts && ts <= (s.ended_at ?? s.updated_at))?.session_id ?? null;
  const rows: ObservationRow[] = [];
  const eventId = createIdMinter('ev');
  // `source` names the events file without the batch id: batch or the task's file.
  const fromEvents = (file: string, source: string) => {
    readJsonl<EventRecord>(file, { missingOk: true, mode: 'lenient' }).records.forEach((e) => {
      const { ts, event, batch_id, task_id, shard_id, attempt, schema_version: _v, ...meta } = e;
      const level = event.startsWith('batch_') ? 'batch' : event.startsWith('task_') ? 'task' : 'shard';
      rows.push({
        timestamp: ts,
        record_id: eventId({
          source,
          event,
          task_id: task_id ?? null,
          shard_id: shard_id ?? null,
          attempt: attempt ?? null,
        }),
        session_id: sessionAt(ts),
        actor_id: ACTOR,
        event_type: event,
        level,
        batch_id: batch_id ?? batchId,
        task_id: task_id ?? null,
        shard_id: shard_id ?? null,
        attempt: attempt ?? null,
        text: [
          event,
          task_id && `${task_id}${shard_id ? `/${shard_id}` : ''}`,
          attempt && attempt > 1 ? `attempt ${attempt}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        meta_json: canonicalJson(meta),
      });
    });
  };
  fromEvents(store.layout.batchEventsFile(batchId), 'batch');
  for (const t of orderTasks(readPlan(store, batchId).tasks))
    fromEvents(store.layout.taskEventsFile(batchId, t.task_id), `task:${t.task_id}`);
  // Sessions oldest first: a session is named by its ordinal within the batch, not its random id.
  [...sessions].reverse().forEach((s, i) => {
    rows.push(...sessionRows(s, batchId, i + 1));
  });
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.timestamp < b.r.timestamp ? -1 : a.r.timestamp > b.r.timestamp ? 1 : a.i - b.i))
    .map((x) => x.r);
}

function sessionRows(s: ProvenanceSession, batchId: string, ordinal: number): ObservationRow[] {
  const actor = `${ACTOR}${typeof s.environment?.host === 'string' ? `@${s.environment.host}` : ''}`;
  const actionId = createIdMinter('ac');
  return s.actions.map((a) => {
    const { seq: _seq, type, outcome, at, task_id, shard_id, attempt, ...meta } = a;
    return {
      timestamp: at,
      record_id: actionId({
        session: ordinal,
        type,
        outcome,
        task_id: task_id ?? null,
        shard_id: shard_id ?? null,
        attempt,
      }),
      session_id: s.session_id,
      actor_id: actor,
      event_type: `action.${type}`,
      level: 'shard' as const,
      batch_id: batchId,
      task_id: task_id ?? null,
      shard_id: shard_id ?? null,
      attempt,
      text: `${type} ${task_id ?? ''}${shard_id ? `/${shard_id}` : ''} ${outcome}`
        .replace(/\s+/g, ' ')
        .trim(),
      meta_json: canonicalJson({ outcome, ...meta }),
    };
  });
}

/** JSON Lines, one row per line, keys in column order. */
export function formatObservationsJsonl(rows: readonly ObservationRow[]): string {
  return rows
    .map((r) => `${JSON.stringify(Object.fromEntries(OBSERVATION_COLUMNS.map((c) => [c, r[c]])))}\n`)
    .join('');
}

/** RFC 4180 CSV with a header row; null is an empty field. */
export function formatObservationsCsv(rows: readonly ObservationRow[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [
      OBSERVATION_COLUMNS.join(','),
      ...rows.map((r) => OBSERVATION_COLUMNS.map((c) => cell(r[c])).join(',')),
    ].join('\r\n') + '\r\n'
  );
}
