import path from 'node:path';
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
  /** Stable: the same store gives the same ids. */
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
  const fromEvents = (file: string) => {
    const source = path.relative(store.layout.root, file);
    readJsonl<EventRecord>(file, { missingOk: true, mode: 'lenient' }).records.forEach((e, i) => {
      const { ts, event, batch_id, task_id, shard_id, attempt, schema_version: _v, ...meta } = e;
      const level = event.startsWith('batch_') ? 'batch' : event.startsWith('task_') ? 'task' : 'shard';
      rows.push({
        timestamp: ts,
        record_id: `ev-${sha256Hex(`${source}\n${i}\n${canonicalJson(e)}`).slice(0, 16)}`,
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
  fromEvents(store.layout.batchEventsFile(batchId));
  for (const t of orderTasks(readPlan(store, batchId).tasks))
    fromEvents(store.layout.taskEventsFile(batchId, t.task_id));
  for (const s of [...sessions].reverse()) rows.push(...sessionRows(s, batchId));
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.timestamp < b.r.timestamp ? -1 : a.r.timestamp > b.r.timestamp ? 1 : a.i - b.i))
    .map((x) => x.r);
}

function sessionRows(s: ProvenanceSession, batchId: string): ObservationRow[] {
  const actor = `${ACTOR}${typeof s.environment?.host === 'string' ? `@${s.environment.host}` : ''}`;
  return s.actions.map((a) => {
    const { seq, type, outcome, at, task_id, shard_id, attempt, ...meta } = a;
    return {
      timestamp: at,
      record_id: `${s.session_id}-${seq}`,
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
