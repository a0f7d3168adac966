import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError } from '../errors/codebatch-error';
import {
  type ActionOutcome,
  type ProvenanceSession,
  provenanceSessionSchema,
  type SessionAction,
  type SessionStatus,
} from '../schemas/run-manifest';
import { writeFileAtomic } from '../store/atomic-write';
import { assertValidId, SESSIONS_DIR } from '../store/layout';
import type { Store } from '../store/store';
import { sha256Hex } from '../util/hash';
import { nowIso } from '../util/time';
import { PRODUCER, SCHEMA_VERSION } from '../version';

export { type OutputsVerification, verifyOutputsFile, verifyShardOutputs } from './verify-outputs';

/**
 * Provenance sessions (seed 002) live in <store>/sessions/<id>.json, one file per `run`
 * invocation. They are a record of what happened, never read to decide anything, so the
 * whole folder is safely deletable (SPEC invariant 6).
 */
export function sessionsDir(store: Store): string {
  return path.join(store.layout.root, SESSIONS_DIR);
}

export interface SessionMeta {
  label?: string;
  batch_id?: string;
  environment?: Record<string, unknown>;
  /** Invocation options worth keeping (parallel, force, retries, task/shard selection). */
  options?: Record<string, unknown>;
  /** Run budget of the invocation (seed 001 RunBudget): max_shards, fail_fast, retries, replicates. */
  budget?: RunBudgetRecord;
  /** How per-shard task seeds are derived (seed 001 SeedPolicy). */
  seed_policy?: SeedPolicyRecord;
  /** Default: 12 random hex digits (unique prefixes are easy to type). */
  session_id?: string;
  /**
   * Rewrite the file at most this often (ms); failures, retries and finish always flush, and
   * a pending write is flushed by a timer. 0 rewrites after every action. Default 200.
   */
  flushIntervalMs?: number;
  /** Receives one human line per action (stderr). */
  live?: (line: string) => void;
}

/** Run budget settings as recorded in a session; null means "no limit". */
export interface RunBudgetRecord {
  max_shards: number | null;
  fail_fast: boolean;
  retries: number;
  replicates: number;
}

/**
 * The per-shard seed policy as recorded in a session. `base_applied: true` says the runner
 * folds `base` into each shard's seed (shardSeed in run/file-run.ts); sessions written
 * before it did say false, and their seeds are sha256(task_id, shard_id) alone.
 */
export interface SeedPolicyRecord {
  base: number;
  derivation: string;
  base_applied: boolean;
}

/** Outcome of the determinism check (`run --replicates N`) as recorded in a session. */
export interface ReplicateCheckRecord {
  replicates: number;
  shard_runs: number;
  deterministic: boolean;
  mismatches: { task_id: string; shard_id: string; digests: string[] }[];
  /** Set when a replicate failed where the first run succeeded (the check then throws). */
  error?: { code: string; message: string };
}

export interface StateSummary {
  digest?: string;
  status: string;
  attempt?: number;
}

export interface ActionInput {
  type: SessionAction['type'];
  outcome: ActionOutcome;
  task_id?: string;
  shard_id?: string;
  attempt?: number;
  duration_ms?: number;
  intent?: Record<string, unknown>;
  evidence?: Record<string, unknown>;
  before?: StateSummary;
  after?: StateSummary;
  /** Human diff of before/after; computed by the caller (see summarizeStateDiff). */
  diff?: string;
  note?: string;
}

/**
 * Records the actions of one session and replaces its file atomically (temp + rename) as it
 * goes, so a crash at any moment leaves a complete, parseable session whose status is still
 * `in_progress`. Actions are serialised once and cached: a rewrite costs one join and one
 * write, and the flush interval bounds how often that happens on big runs.
 */
export class SessionRecorder {
  readonly id: string;
  readonly file: string;
  private readonly started = Date.now();
  private readonly startedAt = nowIso();
  private readonly actions: string[] = [];
  private readonly outcomes: Record<ActionOutcome, number> = { verified: 0, failed: 0, retry: 0, skipped: 0 };
  private readonly interval: number;
  private lastFlush = 0;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private finished: ProvenanceSession | undefined;
  private batchManifest: string | undefined;
  private replicateCheck: ReplicateCheckRecord | undefined;

  constructor(
    store: Store,
    private readonly meta: SessionMeta = {},
  ) {
    this.id = assertValidId(meta.session_id ?? randomBytes(6).toString('hex'), 'session');
    this.file = path.join(sessionsDir(store), `${this.id}.json`);
    this.interval = meta.flushIntervalMs ?? 200;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.write('in_progress');
  }

  /** Actions so far, by outcome. */
  get counts(): Readonly<Record<ActionOutcome, number>> {
    return this.outcomes;
  }

  get actionCount(): number {
    return this.actions.length;
  }

  recordAction(input: ActionInput): SessionAction {
    if (this.finished) throw new CodebatchError('E_INTERNAL', `session ${this.id} is finished`);
    const action: SessionAction = {
      seq: this.actions.length + 1,
      type: input.type,
      outcome: input.outcome,
      at: nowIso(),
      ...(input.task_id ? { task_id: input.task_id } : {}),
      ...(input.shard_id ? { shard_id: input.shard_id } : {}),
      attempt: input.attempt ?? 1,
      ...(input.duration_ms !== undefined ? { duration_ms: input.duration_ms } : {}),
      ...(input.intent ? { intent: input.intent } : {}),
      ...(input.evidence ? { evidence: input.evidence } : {}),
      ...(input.before ? { before: { ...input.before } } : {}),
      ...(input.after ? { after: { ...input.after } } : {}),
      ...(input.diff ? { diff: input.diff } : {}),
      ...(input.note ? { note: input.note } : {}),
    };
    this.actions.push(JSON.stringify(action));
    this.outcomes[action.outcome] += 1;
    this.dirty = true;
    const now = Date.now();
    if (
      this.interval <= 0 ||
      action.outcome === 'failed' ||
      action.outcome === 'retry' ||
      now - this.lastFlush >= this.interval
    )
      this.flush();
    else if (!this.timer) {
      // A quiet stretch after a burst must not leave the file behind for long.
      this.timer = setTimeout(() => this.flush(), this.interval - (now - this.lastFlush));
      this.timer.unref();
    }
    this.meta.live?.(formatLiveLine(action));
    return action;
  }

  /** Writes pending actions now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.dirty || this.finished) return;
    this.write('in_progress');
  }

  /** Finalises the session; status defaults to one derived from the action outcomes. */
  finish(
    status?: SessionStatus,
    extras: { batch_manifest?: string; replicate_check?: ReplicateCheckRecord } = {},
  ): ProvenanceSession {
    if (this.finished) return this.finished;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (extras.batch_manifest) this.batchManifest = extras.batch_manifest;
    if (extras.replicate_check) this.replicateCheck = extras.replicate_check;
    const final = status ?? deriveSessionStatus(this.outcomes);
    const text = this.write(final, true);
    this.finished = JSON.parse(text) as ProvenanceSession;
    return this.finished;
  }

  private write(status: SessionStatus, ending = false): string {
    const now = nowIso();
    const header: Omit<ProvenanceSession, 'actions'> = {
      schema_name: 'codebatch.session',
      schema_version: SCHEMA_VERSION,
      producer: { ...PRODUCER },
      session_id: this.id,
      label: this.meta.label ?? 'run',
      ...(this.meta.batch_id ? { batch_id: this.meta.batch_id } : {}),
      started_at: this.startedAt,
      updated_at: now,
      ...(ending ? { ended_at: now, duration_ms: Date.now() - this.started } : {}),
      status,
      agent: { ...PRODUCER },
      ...(this.meta.environment ? { environment: this.meta.environment } : {}),
      ...(this.meta.options ? { options: this.meta.options } : {}),
      ...(this.meta.budget ? { budget: this.meta.budget } : {}),
      ...(this.meta.seed_policy ? { seed_policy: this.meta.seed_policy } : {}),
      counts: { ...this.outcomes },
      ...(this.batchManifest ? { batch_manifest: this.batchManifest } : {}),
      ...(this.replicateCheck ? { replicate_check: this.replicateCheck } : {}),
    };
    const head = JSON.stringify(header);
    const text = `${head.slice(0, -1)},"actions":[${this.actions.length ? '\n' : ''}${this.actions.join(',\n')}]}\n`;
    writeFileAtomic(this.file, text);
    this.lastFlush = Date.now();
    this.dirty = false;
    return text;
  }
}

export function deriveSessionStatus(counts: Record<ActionOutcome, number>): SessionStatus {
  if (counts.failed > 0) return counts.verified > 0 || counts.skipped > 0 ? 'partial' : 'failed';
  return 'complete';
}

const SYMBOL: Record<ActionOutcome, string> = { verified: '+', failed: 'x', retry: '~', skipped: '-' };

/** `[12:00:01.234] 04_lint/3a      execute_shard  + verified  status: ready -> done` */
export function formatLiveLine(a: SessionAction): string {
  const time = a.at.slice(11, 23);
  const where = a.task_id ? `${a.task_id}/${a.shard_id ?? '*'}` : '';
  const detail = a.diff ?? a.note ?? '';
  const attempt = a.attempt > 1 ? ` (attempt ${a.attempt})` : '';
  return `[${time}] ${where.padEnd(18)} ${a.type.padEnd(13)} ${SYMBOL[a.outcome]} ${a.outcome.padEnd(8)} ${detail}${attempt}`.trimEnd();
}

const DIFF_FIELDS = [
  'status',
  'attempt',
  'bundle_hash',
  'outputs_digest',
  'result_digest',
  'manifest',
] as const;

/** Reads a shard's state.json as a summary (digest of the exact bytes) plus the fields diffs look at. */
export function readStateSummary(file: string): { summary: StateSummary; fields: Record<string, unknown> } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { summary: { status: 'absent' }, fields: { status: 'absent' } };
  }
  try {
    const fields = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    return {
      summary: {
        digest: sha256Hex(bytes),
        status: String(fields.status),
        attempt: Number(fields.attempt ?? 1),
      },
      fields,
    };
  } catch {
    return { summary: { digest: sha256Hex(bytes), status: 'unreadable' }, fields: { status: 'unreadable' } };
  }
}

/** `status: ready -> done | outputs_digest: - -> 1a2b3c4d5e6f`, or `no change`. */
export function summarizeStateDiff(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const show = (v: unknown) => {
    if (v === undefined || v === null) return '-';
    const s = String(v).replace(/^sha256:/, '');
    return /^[a-f0-9]{64}$/.test(s) ? s.slice(0, 12) : s;
  };
  const parts: string[] = [];
  for (const key of DIFF_FIELDS) {
    if (before[key] !== after[key]) parts.push(`${key}: ${show(before[key])} -> ${show(after[key])}`);
  }
  const rf = (v: unknown) => (v && typeof v === 'object' ? (v as { batch_id?: string }).batch_id : undefined);
  if (rf(before.reused_from) !== rf(after.reused_from) && rf(after.reused_from))
    parts.push(`reused_from: ${rf(after.reused_from)}`);
  return parts.length ? parts.join(' | ') : 'no change';
}

/** Every readable session, newest first (optionally only one batch's). Skips temp files. */
export function listSessions(store: Store, options: { batchId?: string } = {}): ProvenanceSession[] {
  let names: string[];
  try {
    names = fs.readdirSync(sessionsDir(store));
  } catch {
    return [];
  }
  const out: ProvenanceSession[] = [];
  for (const name of names) {
    if (!/^[a-zA-Z0-9_-]+\.json$/.test(name)) continue;
    const s = tryReadSession(path.join(sessionsDir(store), name));
    if (s && (!options.batchId || s.batch_id === options.batchId)) out.push(s);
  }
  return out.sort(
    (a, b) => b.started_at.localeCompare(a.started_at) || b.session_id.localeCompare(a.session_id),
  );
}

/** A session by full id or unique prefix. */
export function readSession(store: Store, idOrPrefix: string): ProvenanceSession {
  assertValidId(idOrPrefix, 'session');
  const exact = tryReadSession(path.join(sessionsDir(store), `${idOrPrefix}.json`));
  if (exact) return exact;
  let names: string[] = [];
  try {
    names = fs
      .readdirSync(sessionsDir(store))
      .filter((n) => n.startsWith(idOrPrefix) && /^[a-zA-Z0-9_-]+\.json$/.test(n));
  } catch {
    // no sessions folder: not found below
  }
  if (names.length > 1) {
    throw new CodebatchError(
      'E_USAGE',
      `session prefix ${idOrPrefix} is ambiguous (${names.length} sessions)`,
      {
        hints: [
          `Type more of the id: ${names
            .slice(0, 5)
            .map((n) => n.slice(0, -5))
            .join(', ')}`,
        ],
      },
    );
  }
  const found = names[0] && tryReadSession(path.join(sessionsDir(store), names[0]));
  if (!found) {
    throw new CodebatchError('E_NOT_FOUND', `no session ${idOrPrefix}`, {
      hints: ['List sessions with `codebatch sessions list`.'],
    });
  }
  return found;
}

function tryReadSession(file: string): ProvenanceSession | undefined {
  try {
    const parsed = provenanceSessionSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
