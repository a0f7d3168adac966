import { createRequire as __cbCreateRequire } from 'node:module';
import { fileURLToPath as __cbFileURLToPath } from 'node:url';
import { dirname as __cbDirname, basename as __cbBasename, join as __cbJoin } from 'node:path';
const require = __cbCreateRequire(import.meta.url);
const __cb_here = __cbDirname(__cbFileURLToPath(import.meta.url));
const __cb_dirname = __cbBasename(__cb_here) === 'chunks' ? __cbDirname(__cb_here) : __cb_here;
const __cb_filename = __cbJoin(__cb_dirname, 'index.js');
import {
  BATCHES_DIR,
  BUNDLE_SALT,
  CHUNKED_SUFFIX,
  CodebatchError,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CHUNK_THRESHOLD,
  ENGINE_NAME,
  ENGINE_VERSION,
  ERROR_CODES,
  FILES_INDEX_FILE,
  INDEXES_DIR,
  InternalError,
  PIPELINE_CATALOG,
  PIPELINE_NAMES,
  PRODUCER,
  RACY_WINDOW_MS,
  RULES,
  SCHEMA_VERSION,
  SESSIONS_DIR,
  SEVERITY_RANK,
  SNAPSHOTS_DIR,
  SNAPSHOT_FILE,
  TASK_CATALOG,
  __commonJS,
  __esm,
  __export,
  __toCommonJS,
  __toESM,
  addRecord,
  addSeverityCounts,
  adoptIndexDigests,
  appendEvent,
  assertKind,
  assertSeverity,
  assertValidId,
  assertValidShardId,
  batchRecordSchema,
  buildInputBundle,
  buildShardManifest,
  canonicalJson,
  changedBefore,
  compareUtf8,
  compileGlob,
  countAtLeast,
  countInBytes,
  countKinds,
  countRecords,
  createDefaultRegistry,
  createOutputPredicate,
  createPathMatcher,
  digestRecords,
  emptyDiagnosticCounts,
  everyObjectField,
  external_exports,
  fingerprintOf,
  groupByPath,
  idSchema,
  initStore,
  init_ancestor_configs,
  init_atomic_write,
  init_batch_record,
  init_canonical_json,
  init_canonical_path,
  init_catalog,
  init_chunk_manifest,
  init_chunking,
  init_codebatch_error,
  init_common,
  init_compile_acceptor,
  init_config_files,
  init_diagnostic_counts,
  init_glob_match,
  init_group_by_path,
  init_hash,
  init_input_bundle,
  init_jsonl,
  init_layout,
  init_memo_line,
  init_object_store,
  init_output_filter,
  init_output_record,
  init_read_batch,
  init_read_index_file,
  init_read_snapshot,
  init_read_verification,
  init_record_text,
  init_rule_catalog,
  init_run_manifest,
  init_shard_lock,
  init_shard_manifest,
  init_shard_outputs,
  init_shard_state,
  init_snapshot_record,
  init_snapshot_view,
  init_stat_fingerprint,
  init_state_record,
  init_time,
  init_toolchain,
  init_type_closure_cache,
  init_version,
  init_zod,
  isChunkedFormat,
  isCodebatchError,
  isMemoLine,
  isPipelineName,
  isShardLocked,
  isStoreRelativePath,
  isValidId,
  isoDateTime,
  knownIndexDigests,
  listBatches,
  listSnapshots,
  loadBatchRunContext,
  meetsSeverityThreshold,
  nowIso,
  openSnapshotView,
  openStore,
  outputRecordSchema,
  outputsRefOf,
  parseJsonl,
  parseObjectRef,
  parseSelectedLines,
  pipelineTaskIds,
  planRecordSchema,
  provenanceSessionSchema,
  readBatchRecord,
  readBatchRecords,
  readFilesIndex,
  readIndexFile,
  readJsonl,
  readManifest,
  readManifestPreimage,
  readPlan,
  readShardState,
  readSnapshotRecord,
  readStoredOutputs,
  readStoredOutputsDigest,
  readTaskRecord,
  readToolchain,
  rememberFilesIndex,
  restampStoredOutputs,
  runShardChain,
  runtimeMajor,
  safeParseFast,
  sameCounts,
  sameFingerprint,
  schemaVersion,
  sha256Hex,
  sha256OfCanonical,
  shardIdSchema,
  shardStateSchema,
  snapshotRecordSchema,
  sortCounts,
  sortPathsUtf8,
  stableJsonPretty,
  storedCounts,
  storedKindCounts,
  storedOutputsFile,
  stripEnvelope,
  taskEnvironment,
  taskOutputSchema,
  taskRecordSchema,
  tempName,
  toCodebatchError,
  toJsonl,
  toObjectRef,
  toPathKey,
  tryLockFile,
  tryReadSnapshotRecord,
  type_closure_cache_exports,
  verifiesReads,
  withShardInputs,
  writeFileAtomic,
  writeShardManifest
} from "./chunk-PTFXBR7Q.js";

// ../core/src/batch/pipelines.ts
function toPipelineTask(type, conditional) {
  const entry = TASK_CATALOG[type];
  return {
    task_id: entry.taskId,
    type,
    depends_on: entry.dependsOn.map((d) => TASK_CATALOG[d].taskId),
    ...conditional ? { conditional: true } : {}
  };
}
function getPipeline(name) {
  const pipeline = PIPELINES[name];
  if (!pipeline) {
    throw new CodebatchError("E_PIPELINE_UNKNOWN", `unknown pipeline ${JSON.stringify(name)}`, {
      hints: [`Choose one of: ${Object.keys(PIPELINES).join(", ")}.`]
    });
  }
  return pipeline;
}
function orderTasks(tasks) {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const done = /* @__PURE__ */ new Set();
  const out = [];
  const visit = (t, stack) => {
    if (done.has(t.task_id)) return;
    if (stack.includes(t.task_id)) {
      throw new CodebatchError(
        "E_CONFIG_INVALID",
        `task dependency cycle: ${[...stack, t.task_id].join(" -> ")}`
      );
    }
    for (const dep of t.depends_on) {
      const d = byId.get(dep);
      if (!d)
        throw new CodebatchError("E_CONFIG_INVALID", `task ${t.task_id} depends on unknown task ${dep}`);
      visit(d, [...stack, t.task_id]);
    }
    done.add(t.task_id);
    out.push(t);
  };
  for (const t of tasks) visit(t, []);
  return out;
}
var PIPELINES;
var init_pipelines = __esm({
  "../core/src/batch/pipelines.ts"() {
    "use strict";
    init_codebatch_error();
    init_catalog();
    PIPELINES = Object.fromEntries(
      Object.entries(PIPELINE_CATALOG).map(([name, p]) => [
        name,
        {
          name,
          description: p.description,
          tasks: [
            ...p.tasks.map((t) => toPipelineTask(t, false)),
            ...p.conditional.map((t) => toPipelineTask(t, true))
          ]
        }
      ])
    );
  }
});

// ../core/src/batch/shard-assignment.ts
function shardOf(sharding, file) {
  if (sharding.strategy === "path_hash") return formatShardId(pathHash(file.path) % sharding.shard_count);
  if (sharding.strategy === "single" && sharding.shard_ids?.length === 1) return sharding.shard_ids[0];
  return byteShard(contentHex(file), sharding.shard_count);
}
function isFileFunction(sharding) {
  if (sharding.strategy === "single") return sharding.shard_ids?.length === 1;
  return sharding.strategy !== "round_robin";
}
function pathHash(p) {
  let h = 2166136261;
  for (let i = 0; i < p.length; i += 1) {
    const c = p.charCodeAt(i);
    if (c >= 128) return fmix32(fnv1aBytes(Buffer.from(p, "utf8")));
    h = Math.imul(h ^ c, 16777619);
  }
  return fmix32(h);
}
function fnv1aBytes(bytes) {
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619);
  return h >>> 0;
}
function fmix32(x) {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  return h >>> 0;
}
function byteShard(hex, shardCount) {
  return formatShardId(Number.parseInt(hex.slice(0, 2), 16) % shardCount);
}
function formatShardId(index) {
  return index.toString(16).padStart(2, "0");
}
function contentHex(file) {
  const hex = parseObjectRef(file.object);
  if (hex === void 0) {
    throw new CodebatchError(
      "E_RECORD_INVALID",
      `${file.path}: object ${file.object} is not a sha256 reference`,
      {
        details: { path: file.path, object: file.object }
      }
    );
  }
  return hex;
}
var PLANNED_SHARD_STRATEGY;
var init_shard_assignment = __esm({
  "../core/src/batch/shard-assignment.ts"() {
    "use strict";
    init_codebatch_error();
    init_hash();
    PLANNED_SHARD_STRATEGY = "path_hash";
  }
});

// ../core/src/batch/status.ts
import fs3 from "node:fs";
function deriveBatchStatus(store, batchId) {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const byId = /* @__PURE__ */ new Map();
  for (const planTask of orderTasks(plan.tasks)) {
    const task = readTaskRecord(store, batchId, planTask.task_id);
    const counts = {
      total: task.sharding.shard_ids.length,
      ready: 0,
      running: 0,
      interrupted: 0,
      done: 0,
      failed: 0,
      reused: 0
    };
    let outputs = 0;
    const files = { executed: 0, reused: 0 };
    for (const shardId of task.sharding.shard_ids) {
      const state = readShardState(store, batchId, task.task_id, shardId, { missingAsReady: true });
      if (state.status === "running") {
        if (isShardLocked(store.layout.shardDir(batchId, plan.tasks[0].task_id, shardId)))
          counts.running += 1;
        else counts.interrupted += 1;
      } else counts[state.status] += 1;
      if (state.status === "done") {
        outputs += state.stats?.outputs_written ?? 0;
        const processed = state.stats?.files_processed ?? 0;
        if (state.reused_from) {
          counts.reused += 1;
          files.reused += state.stats?.files_reused ?? processed;
        } else {
          const executed = state.stats?.files_executed ?? processed;
          files.executed += executed;
          files.reused += processed - executed;
        }
      }
    }
    const depStatuses = planTask.depends_on.map((d) => byId.get(d)?.status);
    let status2;
    if (counts.done === counts.total) status2 = "done";
    else if (counts.failed > 0) status2 = "failed";
    else if (depStatuses.some((s) => s === "failed" || s === "blocked")) status2 = "blocked";
    else if (counts.running > 0) status2 = "running";
    else if (counts.done > 0 || counts.interrupted > 0) status2 = "partial";
    else status2 = "pending";
    byId.set(task.task_id, {
      task_id: task.task_id,
      type: task.type,
      depends_on: planTask.depends_on,
      status: status2,
      shards: counts,
      files,
      outputs
    });
  }
  const tasks = [...byId.values()];
  const all = (s) => tasks.every((t) => t.status === s);
  const any = (s) => tasks.some((t) => t.status === s);
  let status;
  if (all("done")) status = "done";
  else if (any("failed")) status = "failed";
  else if (any("blocked")) status = "blocked";
  else if (any("running")) status = "running";
  else if (any("done") || any("partial")) status = "partial";
  else status = "pending";
  return { batch_id: batchId, snapshot_id: batch.snapshot_id, pipeline: batch.pipeline, status, tasks };
}
function batchExists2(store, batchId) {
  return fs3.existsSync(store.layout.batchFile(batchId));
}
var init_status = __esm({
  "../core/src/batch/status.ts"() {
    "use strict";
    init_pipelines();
    init_read_batch();
    init_shard_lock();
    init_shard_state();
  }
});

// ../core/src/provenance/verify-outputs.ts
function verifyShardOutputs(store, batchId, taskId, shardId, options = {}) {
  const state = readShardState(store, batchId, taskId, shardId);
  if (state.status !== "done")
    return {
      ok: state.status !== "failed",
      outputs_rehash: "not_checked",
      records: 0,
      invalid: 0,
      problems: []
    };
  const ids2 = { batch_id: batchId, task_id: taskId, shard_id: shardId };
  let read;
  try {
    read = options.validate === false ? readStoredOutputsDigest(store, ids2, state) : readStoredOutputs(store, ids2, state);
  } catch {
    read = void 0;
  }
  const file = read?.file ?? store.layout.outputsFile(batchId, taskId, shardId);
  const restamp = (r) => {
    try {
      return restampStoredOutputs(r, state);
    } catch {
      return void 0;
    }
  };
  return verifyOutputsRead(file, read, state.outputs_digest, ids2, options, restamp);
}
function verifyOutputsFile(file, expectedDigest, ids2, options = {}) {
  let read;
  try {
    read = readIndexFile(file);
  } catch {
    read = void 0;
  }
  return verifyOutputsRead(file, read && { ...read, file }, expectedDigest, ids2, options);
}
function verifyOutputsRead(file, read, expectedDigest, ids2, options, restamp = (r) => r.bytes) {
  if (read === void 0)
    return { ok: false, outputs_rehash: "missing", records: 0, invalid: 0, problems: [`${file}: missing`] };
  const actual = `sha256:${read.hex}`;
  const rehash = expectedDigest === void 0 ? "not_checked" : actual === expectedDigest ? "ok" : "mismatch";
  const problems = [];
  if (rehash === "mismatch") problems.push(`outputs index hashes to ${actual}, state says ${expectedDigest}`);
  let records = 0;
  let invalid2 = 0;
  const bytes = options.validate === false || !("bytes" in read) ? Buffer.alloc(0) : rehash !== "mismatch" ? restamp(read) : read.bytes;
  if (bytes === void 0) {
    invalid2 += 1;
    problems.push(`${file}: its lines do not carry the ids its outputs_ref names`);
  }
  if (options.validate !== false && bytes !== void 0) {
    const text = bytes.toString("utf8");
    if (text.length > 0 && !text.endsWith("\n")) {
      invalid2 += 1;
      problems.push("last line is not terminated (torn write)");
    }
    const seen = { envelope: "" };
    let start = 0;
    let line = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      line += 1;
      const raw = text.slice(start, end);
      start = end + 1;
      if (raw.trim() === "") continue;
      records += 1;
      const problem = checkRecord(raw, ids2, seen);
      if (problem) {
        invalid2 += 1;
        if (problems.length < MAX_PROBLEMS) problems.push(`line ${line}: ${problem}`);
      }
    }
  }
  return {
    ok: rehash !== "mismatch" && invalid2 === 0,
    outputs_rehash: rehash,
    actual_digest: actual,
    records,
    invalid: invalid2,
    problems
  };
}
function checkRecord(raw, ids2, seen) {
  let value;
  try {
    value = JSON.parse(raw);
  } catch {
    return "not valid JSON";
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return "(root): expected an object";
  const envelope = `${value.schema_version}
${value.snapshot_id}
${value.batch_id}
${value.task_id}
${value.shard_id}
${value.ts}`;
  if (envelope !== seen.envelope) {
    const e = envelopeSchema.safeParse(value);
    if (!e.success) return formatIssue(e.error.issues[0]);
    seen.envelope = envelope;
  }
  const parsed = taskOutputSchema.safeParse(value);
  if (!parsed.success) return formatIssue(parsed.error.issues[0]);
  if (value.batch_id !== ids2.batch_id || value.task_id !== ids2.task_id || value.shard_id !== ids2.shard_id) {
    return `record belongs to ${value.batch_id}/${value.task_id}/${value.shard_id}, not ${ids2.batch_id}/${ids2.task_id}/${ids2.shard_id}`;
  }
  return void 0;
}
function formatIssue(issue) {
  return `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`;
}
var MAX_PROBLEMS, ENVELOPE_KEYS, envelopeSchema;
var init_verify_outputs = __esm({
  "../core/src/provenance/verify-outputs.ts"() {
    "use strict";
    init_shard_state();
    init_output_record();
    init_read_index_file();
    init_shard_outputs();
    MAX_PROBLEMS = 10;
    ENVELOPE_KEYS = {
      schema_version: true,
      snapshot_id: true,
      batch_id: true,
      task_id: true,
      shard_id: true,
      ts: true
    };
    envelopeSchema = outputRecordSchema.pick(ENVELOPE_KEYS);
  }
});

// ../core/src/provenance/session.ts
import { randomBytes } from "node:crypto";
import fs7 from "node:fs";
import path5 from "node:path";
function sessionsDir(store) {
  return path5.join(store.layout.root, SESSIONS_DIR);
}
function deriveSessionStatus(counts) {
  if (counts.failed > 0) return counts.verified > 0 || counts.skipped > 0 ? "partial" : "failed";
  return "complete";
}
function formatLiveLine(a) {
  const time2 = a.at.slice(11, 23);
  const where = a.task_id ? `${a.task_id}/${a.shard_id ?? "*"}` : "";
  const detail = a.diff ?? a.note ?? "";
  const attempt = a.attempt > 1 ? ` (attempt ${a.attempt})` : "";
  return `[${time2}] ${where.padEnd(18)} ${a.type.padEnd(13)} ${SYMBOL[a.outcome]} ${a.outcome.padEnd(8)} ${detail}${attempt}`.trimEnd();
}
function readStateSummary(file) {
  let bytes;
  try {
    bytes = fs7.readFileSync(file);
  } catch {
    return { summary: { status: "absent" }, fields: { status: "absent" } };
  }
  try {
    const fields = JSON.parse(bytes.toString("utf8"));
    return {
      summary: {
        digest: sha256Hex(bytes),
        status: String(fields.status),
        attempt: Number(fields.attempt ?? 1)
      },
      fields
    };
  } catch {
    return { summary: { digest: sha256Hex(bytes), status: "unreadable" }, fields: { status: "unreadable" } };
  }
}
function summarizeStateDiff(before, after) {
  const show = (v) => {
    if (v === void 0 || v === null) return "-";
    const s = String(v).replace(/^sha256:/, "");
    return /^[a-f0-9]{64}$/.test(s) ? s.slice(0, 12) : s;
  };
  const parts = [];
  for (const key of DIFF_FIELDS) {
    if (before[key] !== after[key]) parts.push(`${key}: ${show(before[key])} -> ${show(after[key])}`);
  }
  const rf = (v) => v && typeof v === "object" ? v.batch_id : void 0;
  if (rf(before.reused_from) !== rf(after.reused_from) && rf(after.reused_from))
    parts.push(`reused_from: ${rf(after.reused_from)}`);
  return parts.length ? parts.join(" | ") : "no change";
}
function listSessions(store, options = {}) {
  let names;
  try {
    names = fs7.readdirSync(sessionsDir(store));
  } catch {
    return [];
  }
  const out = [];
  for (const name of names) {
    if (!/^[a-zA-Z0-9_-]+\.json$/.test(name)) continue;
    const s = tryReadSession(path5.join(sessionsDir(store), name));
    if (s && (!options.batchId || s.batch_id === options.batchId)) out.push(s);
  }
  return out.sort(
    (a, b) => b.started_at.localeCompare(a.started_at) || b.session_id.localeCompare(a.session_id)
  );
}
function readSession(store, idOrPrefix) {
  assertValidId(idOrPrefix, "session");
  const exact = tryReadSession(path5.join(sessionsDir(store), `${idOrPrefix}.json`));
  if (exact) return exact;
  let names = [];
  try {
    names = fs7.readdirSync(sessionsDir(store)).filter((n) => n.startsWith(idOrPrefix) && /^[a-zA-Z0-9_-]+\.json$/.test(n));
  } catch {
  }
  if (names.length > 1) {
    throw new CodebatchError(
      "E_USAGE",
      `session prefix ${idOrPrefix} is ambiguous (${names.length} sessions)`,
      {
        hints: [
          `Type more of the id: ${names.slice(0, 5).map((n) => n.slice(0, -5)).join(", ")}`
        ]
      }
    );
  }
  const found = names[0] && tryReadSession(path5.join(sessionsDir(store), names[0]));
  if (!found) {
    throw new CodebatchError("E_NOT_FOUND", `no session ${idOrPrefix}`, {
      hints: ["List sessions with `codebatch sessions list`."]
    });
  }
  return found;
}
function tryReadSession(file) {
  try {
    const parsed = provenanceSessionSchema.safeParse(JSON.parse(fs7.readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : void 0;
  } catch {
    return void 0;
  }
}
var SessionRecorder, SYMBOL, DIFF_FIELDS;
var init_session = __esm({
  "../core/src/provenance/session.ts"() {
    "use strict";
    init_codebatch_error();
    init_run_manifest();
    init_atomic_write();
    init_layout();
    init_hash();
    init_time();
    init_version();
    init_verify_outputs();
    SessionRecorder = class {
      constructor(store, meta = {}) {
        this.meta = meta;
        this.id = assertValidId(meta.session_id ?? randomBytes(6).toString("hex"), "session");
        this.file = path5.join(sessionsDir(store), `${this.id}.json`);
        this.interval = meta.flushIntervalMs ?? 200;
        fs7.mkdirSync(path5.dirname(this.file), { recursive: true });
        this.write("in_progress");
      }
      meta;
      id;
      file;
      started = Date.now();
      startedAt = nowIso();
      actions = [];
      outcomes = { verified: 0, failed: 0, retry: 0, skipped: 0 };
      interval;
      lastFlush = 0;
      dirty = false;
      timer;
      finished;
      batchManifest;
      replicateCheck;
      /** Actions so far, by outcome. */
      get counts() {
        return this.outcomes;
      }
      get actionCount() {
        return this.actions.length;
      }
      recordAction(input) {
        if (this.finished) throw new CodebatchError("E_INTERNAL", `session ${this.id} is finished`);
        const action = {
          seq: this.actions.length + 1,
          type: input.type,
          outcome: input.outcome,
          at: nowIso(),
          ...input.task_id ? { task_id: input.task_id } : {},
          ...input.shard_id ? { shard_id: input.shard_id } : {},
          attempt: input.attempt ?? 1,
          ...input.duration_ms !== void 0 ? { duration_ms: input.duration_ms } : {},
          ...input.intent ? { intent: input.intent } : {},
          ...input.evidence ? { evidence: input.evidence } : {},
          ...input.before ? { before: { ...input.before } } : {},
          ...input.after ? { after: { ...input.after } } : {},
          ...input.diff ? { diff: input.diff } : {},
          ...input.note ? { note: input.note } : {}
        };
        this.actions.push(JSON.stringify(action));
        this.outcomes[action.outcome] += 1;
        this.dirty = true;
        const now = Date.now();
        if (this.interval <= 0 || action.outcome === "failed" || action.outcome === "retry" || now - this.lastFlush >= this.interval)
          this.flush();
        else if (!this.timer) {
          this.timer = setTimeout(() => this.flush(), this.interval - (now - this.lastFlush));
          this.timer.unref();
        }
        this.meta.live?.(formatLiveLine(action));
        return action;
      }
      /** Writes pending actions now. */
      flush() {
        if (this.timer) {
          clearTimeout(this.timer);
          this.timer = void 0;
        }
        if (!this.dirty || this.finished) return;
        this.write("in_progress");
      }
      /** Finalises the session; status defaults to one derived from the action outcomes. */
      finish(status, extras = {}) {
        if (this.finished) return this.finished;
        if (this.timer) clearTimeout(this.timer);
        this.timer = void 0;
        if (extras.batch_manifest) this.batchManifest = extras.batch_manifest;
        if (extras.replicate_check) this.replicateCheck = extras.replicate_check;
        const final = status ?? deriveSessionStatus(this.outcomes);
        const text = this.write(final, true);
        this.finished = JSON.parse(text);
        return this.finished;
      }
      write(status, ending = false) {
        const now = nowIso();
        const header = {
          schema_name: "codebatch.session",
          schema_version: SCHEMA_VERSION,
          producer: { ...PRODUCER },
          session_id: this.id,
          label: this.meta.label ?? "run",
          ...this.meta.batch_id ? { batch_id: this.meta.batch_id } : {},
          started_at: this.startedAt,
          updated_at: now,
          ...ending ? { ended_at: now, duration_ms: Date.now() - this.started } : {},
          status,
          agent: { ...PRODUCER },
          ...this.meta.environment ? { environment: this.meta.environment } : {},
          ...this.meta.options ? { options: this.meta.options } : {},
          ...this.meta.budget ? { budget: this.meta.budget } : {},
          ...this.meta.seed_policy ? { seed_policy: this.meta.seed_policy } : {},
          counts: { ...this.outcomes },
          ...this.batchManifest ? { batch_manifest: this.batchManifest } : {},
          ...this.replicateCheck ? { replicate_check: this.replicateCheck } : {}
        };
        const head = JSON.stringify(header);
        const text = `${head.slice(0, -1)},"actions":[${this.actions.length ? "\n" : ""}${this.actions.join(",\n")}]}
`;
        writeFileAtomic(this.file, text);
        this.lastFlush = Date.now();
        this.dirty = false;
        return text;
      }
    };
    SYMBOL = { verified: "+", failed: "x", retry: "~", skipped: "-" };
    DIFF_FIELDS = [
      "status",
      "attempt",
      "bundle_hash",
      "outputs_digest",
      "result_digest",
      "manifest"
    ];
  }
});

// ../core/src/provenance/bundle-preimage.ts
function reconstructPreimage(store, batchId, taskId, shardId, cache = {}) {
  const batch = readBatchRecord(store, batchId);
  const task = readTaskRecord(store, batchId, taskId);
  const plan = readPlan(store, batchId);
  const sharding = { ...task.sharding, shard_count: batch.shard_count ?? task.sharding.shard_count };
  let files = cache.files?.get(batch.snapshot_id);
  if (!files) {
    files = readFilesIndex(store, batch.snapshot_id);
    cache.files?.set(batch.snapshot_id, files);
  }
  const members = files.filter((f) => shardOf(sharding, f) === shardId).map((f) => [f.path, f.object]);
  const deps = plan.tasks.find((t) => t.task_id === taskId)?.depends_on ?? [];
  const upstream = deps.map((dep) => {
    const s = readShardState(store, batchId, dep, shardId, { missingAsReady: true });
    return {
      task_id: dep,
      shard_id: shardId,
      result_digest: s.result_digest ?? "",
      ...s.manifest ? { manifest: s.manifest } : {}
    };
  });
  const bundle = buildInputBundle({
    taskId,
    type: task.type,
    version: task.task_version,
    configDigest: task.config_digest,
    chunking: {
      threshold: batch.chunking?.threshold ?? DEFAULT_CHUNK_THRESHOLD,
      chunk_size: batch.chunking?.chunk_size ?? DEFAULT_CHUNK_SIZE
    },
    seedBase: batch.seed,
    members,
    upstream: upstream.map((u) => ({ task_id: u.task_id, result_digest: u.result_digest }))
  });
  const state = readShardState(store, batchId, taskId, shardId, { missingAsReady: true });
  return { hash: bundle.hash, preimage: bundle.preimage, exact: state.bundle_hash === bundle.hash, upstream };
}
var init_bundle_preimage = __esm({
  "../core/src/provenance/bundle-preimage.ts"() {
    "use strict";
    init_read_batch();
    init_shard_assignment();
    init_shard_state();
    init_input_bundle();
    init_read_snapshot();
    init_chunking();
  }
});

// ../core/src/provenance/explain-miss.ts
var explain_miss_exports = {};
__export(explain_miss_exports, {
  diffValues: () => diffValues,
  explainBundleMiss: () => explainBundleMiss,
  formatBundleChange: () => formatBundleChange
});
function explainBundleMiss(a, b) {
  const changes = [];
  for (const key of SCALARS) {
    if (a[key] !== b[key]) changes.push({ part: key, from: a[key], to: b[key] });
  }
  for (const part of ["task", "chunking"]) {
    const x2 = a[part];
    const y2 = b[part];
    for (const field of [.../* @__PURE__ */ new Set([...Object.keys(x2 ?? {}), ...Object.keys(y2 ?? {})])].sort()) {
      if (canonicalJson(x2?.[field] ?? null) !== canonicalJson(y2?.[field] ?? null))
        changes.push({ part, field, from: x2?.[field], to: y2?.[field] });
    }
  }
  const before = new Map(a.members);
  const after = new Map(b.members);
  for (const [p, object] of b.members) {
    const was = before.get(p);
    if (was === void 0) changes.push({ part: "members", change: "added", path: p, to: object });
    else if (was !== object)
      changes.push({ part: "members", change: "changed", path: p, from: was, to: object });
  }
  for (const [p, object] of a.members) {
    if (!after.has(p)) changes.push({ part: "members", change: "removed", path: p, from: object });
  }
  const upBefore = new Map(a.upstream.map((u) => [u.task_id, u.result_digest]));
  const upAfter = new Map(b.upstream.map((u) => [u.task_id, u.result_digest]));
  for (const [taskId, digest] of upAfter) {
    const was = upBefore.get(taskId);
    if (was === void 0) changes.push({ part: "upstream", change: "added", task_id: taskId, to: digest });
    else if (was !== digest)
      changes.push({ part: "upstream", change: "changed", task_id: taskId, from: was, to: digest });
  }
  for (const [taskId, digest] of upBefore) {
    if (!upAfter.has(taskId))
      changes.push({ part: "upstream", change: "removed", task_id: taskId, from: digest });
  }
  const x = a;
  const y = b;
  for (const key of [.../* @__PURE__ */ new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
    if (KNOWN.has(key)) continue;
    for (const d of diffValues(x[key], y[key], ""))
      changes.push({ part: key, field: d.field, from: d.from, to: d.to });
  }
  const parts = [...new Set(changes.map((c) => c.part))];
  return { same: changes.length === 0, parts, changes };
}
function formatBundleChange(c) {
  const short2 = (v) => typeof v === "string" && /^(sha256:)?[a-f0-9]{64}$/.test(v) ? `${v.replace(/^sha256:/, "").slice(0, 12)}` : JSON.stringify(v);
  if (c.part === "members" && "change" in c) {
    const note = "note" in c && c.note ? ` (${c.note})` : "";
    if (c.change === "changed")
      return `members: ${c.path} changed object ${short2(c.from)} -> ${short2(c.to)}${note}`;
    return `members: ${c.change} ${c.path} ${short2(c.change === "added" ? c.to : c.from)}${note}`;
  }
  if (c.part === "upstream" && "task_id" in c) {
    if (c.change === "changed")
      return `upstream: ${c.task_id} result digest ${short2(c.from)} -> ${short2(c.to)}`;
    return `upstream: ${c.change} ${c.task_id}`;
  }
  if ("field" in c) return `${c.part}${c.field ? `.${c.field}` : ""}: ${short2(c.from)} -> ${short2(c.to)}`;
  return `${c.part}: ${short2(c.from)} -> ${short2(c.to)}`;
}
function diffValues(a, b, prefix) {
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const out = [];
    for (const k of [.../* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      out.push(...diffValues(a[k], b[k], prefix ? `${prefix}.${k}` : k));
    return out;
  }
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return [];
  return [{ field: prefix, from: a, to: b }];
}
var SCALARS, KNOWN;
var init_explain_miss = __esm({
  "../core/src/provenance/explain-miss.ts"() {
    "use strict";
    init_canonical_json();
    SCALARS = ["salt", "engine_version", "runtime", "config_digest"];
    KNOWN = /* @__PURE__ */ new Set([...SCALARS, "task", "chunking", "members", "upstream"]);
  }
});

// ../core/src/provenance/run-manifest.ts
import fs8 from "node:fs";
import path6 from "node:path";
function loadShardManifest(store, batchId, taskId, shardId, cache = {}) {
  const state = readShardState(store, batchId, taskId, shardId);
  if (state.manifest) {
    try {
      const m = readManifest(store, state.manifest);
      if (m.kind === "shard_run") return { manifest: m, ref: state.manifest };
    } catch {
    }
  }
  return { manifest: deriveShardManifest(store, batchId, taskId, shardId, cache) };
}
function deriveShardManifest(store, batchId, taskId, shardId, cache = {}) {
  const batch = readBatchRecord(store, batchId);
  const task = readTaskRecord(store, batchId, taskId);
  const state = readShardState(store, batchId, taskId, shardId);
  const bundle = reconstructPreimage(store, batchId, taskId, shardId, cache);
  const stats = state.stats;
  const files = bundle.preimage.members.length;
  const ts = state.completed_at ?? state.started_at ?? batch.created_at;
  return buildShardManifest({
    batch_id: batchId,
    snapshot_id: batch.snapshot_id,
    task_id: taskId,
    shard_id: shardId,
    task: { type: task.type, version: task.task_version, config_digest: task.config_digest },
    attempt: state.attempt,
    outcome: state.status === "failed" ? "failed" : state.reused_from ? "reused" : "executed",
    started_at: state.started_at ?? ts,
    completed_at: ts,
    bundle: { hash: state.bundle_hash ?? bundle.hash, preimage: bundle.preimage },
    upstream: bundle.upstream,
    ...state.outputs_digest && state.result_digest ? {
      outputs: {
        outputs_digest: state.outputs_digest,
        result_digest: state.result_digest,
        count: state.stats?.outputs_written ?? 0,
        by_kind: {}
      }
    } : {},
    timings_ms: { analysis: 0, compilation: 0, processing: 0 },
    memo: state.reused_from ? { files_executed: 0, files_reused: files } : { files_executed: stats?.files_executed ?? files, files_reused: stats?.files_reused ?? 0 },
    ...state.reused_from ? { reused_from: { batch_id: state.reused_from.batch_id, shard_id: state.reused_from.shard_id } } : {},
    ...state.error ? { error: { code: state.error.code, message: state.error.message } } : {},
    versions: { engine: ENGINE_VERSION, node: "unknown" },
    derived: true
  });
}
function buildBatchManifest(store, batchId, extras = {}, stateOf) {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const tasks = [];
  const runs = [];
  const counts = {
    done: 0,
    failed: 0,
    ready: 0,
    running: 0,
    reused: 0,
    with_manifest: 0
  };
  for (const planTask of orderTasks(plan.tasks)) {
    const task = readTaskRecord(store, batchId, planTask.task_id);
    tasks.push({
      task_id: task.task_id,
      type: task.type,
      version: task.task_version,
      config_digest: task.config_digest,
      depends_on: [...planTask.depends_on]
    });
    for (const shardId of task.sharding.shard_ids) {
      const known = stateOf?.(task.task_id, shardId);
      const s = known && ["ready", "running", "done", "failed"].includes(known.status) ? known : readShardState(store, batchId, task.task_id, shardId, { missingAsReady: true });
      counts[s.status] = (counts[s.status] ?? 0) + 1;
      if (s.reused_from) counts.reused += 1;
      if (s.manifest) counts.with_manifest += 1;
      runs.push({
        task_id: task.task_id,
        shard_id: shardId,
        status: s.status,
        attempt: s.attempt,
        ...s.manifest ? { manifest: s.manifest } : {},
        ...s.bundle_hash ? { bundle_hash: s.bundle_hash } : {},
        ...s.outputs_digest ? { outputs_digest: s.outputs_digest } : {},
        ...s.result_digest ? { result_digest: s.result_digest } : {},
        ...s.reused_from ? { reused: true } : {}
      });
    }
  }
  return {
    schema_name: "codebatch.run_manifest",
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    kind: "batch_run",
    batch_id: batchId,
    snapshot_id: batch.snapshot_id,
    pipeline: batch.pipeline,
    generated_at: nowIso(),
    ...extras.session_id ? { session_id: extras.session_id } : {},
    ...extras.environment ? { environment: extras.environment } : {},
    tasks,
    shard_runs: runs,
    counts
  };
}
function batchManifestPointer(store, batchId) {
  return path6.join(store.layout.indexesDir, "manifests", `${batchId}.json`);
}
function writeBatchManifest(store, manifest) {
  const ref2 = writeShardManifest(store, manifest);
  try {
    writeFileAtomic(
      batchManifestPointer(store, manifest.batch_id),
      `${JSON.stringify({ batch_id: manifest.batch_id, manifest: ref2, generated_at: manifest.generated_at })}
`
    );
  } catch {
  }
  return ref2;
}
function readBatchManifestRef(store, batchId) {
  try {
    const p = JSON.parse(fs8.readFileSync(batchManifestPointer(store, batchId), "utf8"));
    return typeof p.manifest === "string" ? p.manifest : void 0;
  } catch {
    return void 0;
  }
}
var init_run_manifest2 = __esm({
  "../core/src/provenance/run-manifest.ts"() {
    "use strict";
    init_pipelines();
    init_read_batch();
    init_shard_state();
    init_shard_manifest();
    init_atomic_write();
    init_time();
    init_version();
    init_bundle_preimage();
    init_explain_miss();
  }
});

// ../core/src/query/batch-view.ts
import fs9 from "node:fs";
import path7 from "node:path";
function loadBatchView(store, batchId) {
  const batch = readBatchRecord(store, batchId);
  return { store, batchId, batch, taskIds: readTaskIds(store, batchId) };
}
function readTaskIds(store, batchId) {
  if (fs9.existsSync(store.layout.planFile(batchId)))
    return readPlan(store, batchId).tasks.map((t) => t.task_id);
  const tasksDir = path7.join(store.layout.batchDir(batchId), "tasks");
  try {
    return fs9.readdirSync(tasksDir).filter((name) => /^[a-zA-Z0-9_-]{1,128}$/.test(name)).sort();
  } catch {
    return [];
  }
}
function resolveTaskIds(view, taskId) {
  if (taskId === void 0) return view.taskIds;
  if (!view.taskIds.includes(taskId)) {
    throw new CodebatchError(
      "E_TASK_NOT_FOUND",
      `task ${JSON.stringify(taskId)} is not part of batch ${view.batchId}`,
      {
        hints: [
          view.taskIds.length > 0 ? `Tasks of this batch: ${view.taskIds.join(", ")}.` : "This batch has no tasks; check its plan.json."
        ],
        details: { batch_id: view.batchId, task_id: taskId, tasks: view.taskIds }
      }
    );
  }
  return [taskId];
}
var init_batch_view = __esm({
  "../core/src/query/batch-view.ts"() {
    "use strict";
    init_read_batch();
    init_codebatch_error();
  }
});

// ../core/src/query/output-order.ts
function compareOutputs(a, b) {
  return compareStr(a.path, b.path) || compareNum(a.line, b.line) || compareNum(a.col, b.col) || compareStr(a.code, b.code) || compareStr(a.task_id, b.task_id) || compareStr(a.kind, b.kind) || compareStr(a.metric, b.metric) || compareStr(a.symbol_type, b.symbol_type) || compareStr(a.name, b.name) || compareStr(a.edge_type, b.edge_type) || compareStr(a.target, b.target) || compareStr(a.message, b.message) || compareStr(canonicalJson(a), canonicalJson(b)) || // Same content, different key order: order by the bytes we would print, so that any two
  // records that compare equal here serialize identically and the output is still unique.
  compareStr(JSON.stringify(a), JSON.stringify(b));
}
function sortOutputs(records) {
  return records.sort(compareOutputs);
}
function compareNum(a, b) {
  if (a === b) return 0;
  if (a === void 0) return -1;
  if (b === void 0) return 1;
  return a - b;
}
function compareStr(a, b) {
  if (a === b) return 0;
  if (a === void 0) return -1;
  if (b === void 0) return 1;
  return a < b ? -1 : 1;
}
var init_output_order = __esm({
  "../core/src/query/output-order.ts"() {
    "use strict";
    init_canonical_json();
  }
});

// ../core/src/query/files-index.ts
function readFilesByPath(store, snapshotId) {
  return new Map(readFilesIndex(store, snapshotId).map((r) => [r.path, r]));
}
function langOf(files, path28) {
  return files.get(path28)?.lang_hint ?? UNKNOWN_LANG;
}
var UNKNOWN_LANG;
var init_files_index = __esm({
  "../core/src/query/files-index.ts"() {
    "use strict";
    init_read_snapshot();
    UNKNOWN_LANG = "unknown";
  }
});

// ../core/src/query/tally-outputs.ts
function tallyOutputs(records, files) {
  const tally = createTally(files);
  for (const r of records) tally.add(r);
  return tally.rows();
}
function createTally(files) {
  const rows = /* @__PURE__ */ new Map();
  return {
    add(r) {
      const isDiagnostic = r.kind === "diagnostic";
      const severity = isDiagnostic ? r.severity ?? null : null;
      const code = isDiagnostic ? r.code ?? null : null;
      const key = JSON.stringify([r.task_id, r.path, r.kind, severity, code]);
      const row = rows.get(key);
      if (row) row.count += 1;
      else
        rows.set(key, {
          task_id: r.task_id,
          path: r.path,
          kind: r.kind,
          severity,
          code,
          lang: langOf(files, r.path),
          count: 1
        });
    },
    rows: () => [...rows.values()].sort(compareCountRows)
  };
}
function compareCountRows(a, b) {
  return compareStr(a.task_id, b.task_id) || compareStr(a.path, b.path) || compareStr(a.kind, b.kind) || compareStr(a.severity ?? void 0, b.severity ?? void 0) || compareStr(a.code ?? void 0, b.code ?? void 0);
}
function toCountTuple(r) {
  return [r.task_id, r.path, r.kind, r.severity, r.code, r.lang, r.count];
}
function fromCountTuple(t) {
  return { task_id: t[0], path: t[1], kind: t[2], severity: t[3], code: t[4], lang: t[5], count: t[6] };
}
function aggregateTotals(rows) {
  const totals = /* @__PURE__ */ new Map();
  for (const r of rows) {
    const key = JSON.stringify([r.task_id, r.kind, r.severity, r.code, r.lang]);
    const t = totals.get(key);
    if (t) t.count += r.count;
    else
      totals.set(key, {
        task_id: r.task_id,
        kind: r.kind,
        severity: r.severity,
        code: r.code,
        lang: r.lang,
        count: r.count
      });
  }
  return [...totals.values()].sort(
    (a, b) => compareStr(a.task_id, b.task_id) || compareStr(a.kind, b.kind) || compareStr(a.severity ?? void 0, b.severity ?? void 0) || compareStr(a.code ?? void 0, b.code ?? void 0) || compareStr(a.lang, b.lang)
  );
}
function toTotalTuple(r) {
  return [r.task_id, r.kind, r.severity, r.code, r.lang, r.count];
}
function fromTotalTuple(t) {
  return { task_id: t[0], kind: t[1], severity: t[2], code: t[3], lang: t[4], count: t[5] };
}
var init_tally_outputs = __esm({
  "../core/src/query/tally-outputs.ts"() {
    "use strict";
    init_files_index();
    init_output_order();
  }
});

// ../core/src/query/shard-scan.ts
import fs10 from "node:fs";
function listShards(view, taskId) {
  const { layout } = view.store;
  let names;
  try {
    names = fs10.readdirSync(layout.shardsDir(view.batchId, taskId));
  } catch (error) {
    const errno = error.code;
    if (errno === "ENOENT" || errno === "ENOTDIR") return [];
    throw toCodebatchError(error, `listing shards of ${taskId}`);
  }
  return names.filter((name) => SHARD_DIR.test(name)).sort().map((shardId) => readShardEntry(view, taskId, shardId));
}
function readShardEntry(view, taskId, shardId) {
  const { layout } = view.store;
  const stateFile = layout.stateFile(view.batchId, taskId, shardId);
  const outputsFile = layout.outputsFile(view.batchId, taskId, shardId);
  let stateBytes;
  try {
    stateBytes = fs10.readFileSync(stateFile);
  } catch (error) {
    if (error.code === "ENOENT") {
      return {
        taskId,
        shardId,
        status: "missing",
        state: void 0,
        stateBytes: void 0,
        stateFile,
        outputsFile,
        store: view.store,
        batchId: view.batchId
      };
    }
    throw toCodebatchError(error, `reading ${stateFile}`);
  }
  let parsed;
  try {
    parsed = JSON.parse(stateBytes.toString("utf8"));
  } catch {
    parsed = void 0;
  }
  const result = safeParseFast(shardStateSchema, parsed);
  if (!result.success) {
    throw new CodebatchError("E_RECORD_INVALID", `${stateFile} is not a valid shard state`, {
      hints: ["Re-run the shard (run-shard --force) to rewrite it, or run `codebatch verify`."],
      details: { file: stateFile }
    });
  }
  return {
    taskId,
    shardId,
    status: result.data.status,
    state: result.data,
    stateBytes,
    stateFile,
    outputsFile,
    store: view.store,
    batchId: view.batchId
  };
}
function isShardVisible(entry) {
  return entry.status === "done";
}
function readOutputsBytes(entry) {
  try {
    const read = readStoredOutputs(
      entry.store,
      { batch_id: entry.batchId, task_id: entry.taskId, shard_id: entry.shardId },
      entry.state
    );
    return read ?? { bytes: Buffer.alloc(0), hex: EMPTY_HEX, file: entry.outputsFile };
  } catch (error) {
    throw toCodebatchError(error, `reading the outputs of ${entry.outputsFile}`);
  }
}
function readVerifiedOutputsBytes(entry) {
  const read = readOutputsBytes(entry);
  const expected = entry.state?.outputs_digest;
  const ref2 = outputsRefOf(entry.state);
  const missing = ref2 !== void 0 && read.file === entry.outputsFile;
  if (expected && verifiesReads() && toObjectRef(read.hex) !== expected || missing) {
    throw new CodebatchError(
      "E_INDEX_CORRUPT",
      ref2 ? `${read.file} (the records ${entry.outputsFile} reuses) does not match the digest its state recorded` : `${read.file} does not match the digest its state recorded`,
      {
        hints: ["Re-run the affected shard with --force to rewrite its index, or run `codebatch verify`."],
        details: { file: read.file, expected }
      }
    );
  }
  const bytes = entry.state && ref2 ? restampStoredOutputs(read, entry.state) : read.bytes;
  return { bytes, verified: expected !== void 0 && verifiesReads() };
}
function readShardOutputs(entry, select) {
  const { bytes, verified } = readVerifiedOutputsBytes(entry);
  const records = verified && select !== void 0 ? parseSelectedLines(bytes, select, entry.outputsFile) : parseJsonl(bytes, entry.outputsFile, "strict").records;
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i];
    if (r === null || typeof r !== "object" || typeof r.path !== "string" || typeof r.kind !== "string") {
      throw new CodebatchError(
        "E_INDEX_CORRUPT",
        `${entry.outputsFile}: record ${i + 1} is not an output record (path and kind are required)`,
        {
          hints: ["Re-run the affected shard with --force to rewrite its index, or run `codebatch verify`."],
          details: { file: entry.outputsFile, record: i + 1 }
        }
      );
    }
  }
  return records;
}
var SHARD_DIR, EMPTY_HEX;
var init_shard_scan = __esm({
  "../core/src/query/shard-scan.ts"() {
    "use strict";
    init_codebatch_error();
    init_compile_acceptor();
    init_state_record();
    init_jsonl();
    init_shard_outputs();
    init_hash();
    init_read_verification();
    SHARD_DIR = /^[a-f0-9]{2}$/;
    EMPTY_HEX = sha256Hex(Buffer.alloc(0));
  }
});

// ../core/src/query/accel/index-sources.ts
function computeIndexSources(view) {
  const shards = [];
  for (const taskId of view.taskIds) {
    for (const entry of listShards(view, taskId)) {
      const stateDigest = entry.stateBytes ? sha256Hex(entry.stateBytes) : null;
      const outputs = isShardVisible(entry) ? outputsDigest(entry) : null;
      shards.push([taskId, entry.shardId, entry.status, stateDigest, outputs]);
    }
  }
  return { batch_id: view.batchId, snapshot_id: view.batch.snapshot_id, task_ids: [...view.taskIds], shards };
}
function outputsDigest(entry) {
  if (entry.state?.outputs_digest) return entry.state.outputs_digest;
  return toObjectRef(readOutputsBytes(entry).hex);
}
var init_index_sources = __esm({
  "../core/src/query/accel/index-sources.ts"() {
    "use strict";
    init_hash();
    init_shard_scan();
  }
});

// ../core/src/query/accel/query-index-file.ts
import path8 from "node:path";
function sectionOf(severity) {
  return severity === "error" || severity === "warning" || severity === "info" || severity === "hint" ? severity : "other";
}
function queryIndexDir(store) {
  return path8.join(store.layout.indexesDir, "query");
}
function queryIndexFile(store, batchId) {
  return path8.join(queryIndexDir(store), `${batchId}.jsonl`);
}
var QUERY_INDEX_SCHEMA, QUERY_INDEX_VERSION, DIAGNOSTIC_SECTIONS;
var init_query_index_file = __esm({
  "../core/src/query/accel/query-index-file.ts"() {
    "use strict";
    QUERY_INDEX_SCHEMA = "codebatch.query_index";
    QUERY_INDEX_VERSION = 3;
    DIAGNOSTIC_SECTIONS = ["error", "warning", "info", "hint", "other"];
  }
});

// ../core/src/query/accel/read-query-index.ts
import fs11 from "node:fs";
function readFreshQueryIndex(view, want = {}) {
  let fd;
  try {
    fd = fs11.openSync(queryIndexFile(view.store, view.batchId), "r");
  } catch {
    return void 0;
  }
  try {
    const read = readHeader(fd);
    if (!read) return void 0;
    const [header, bodyStart] = read;
    if (header.schema_name !== QUERY_INDEX_SCHEMA || header.index_version !== QUERY_INDEX_VERSION)
      return void 0;
    if (canonicalJson(header.sources) !== canonicalJson(computeIndexSources(view))) return void 0;
    const content = { totals: header.totals.map(fromTotalTuple) };
    const readRange = ([offset, length]) => {
      const buf = Buffer.alloc(length);
      if (fs11.readSync(fd, buf, 0, length, bodyStart + offset) !== length) throw new Error("short read");
      return buf.toString("utf8");
    };
    const readSection = (section) => {
      const entry = header.sections.diagnostics[section];
      const { records } = parseJsonl(readRange(entry.range), "query index", "strict");
      if (records.length !== entry.count) throw new Error("section count mismatch");
      return records;
    };
    if (want.countRows) {
      content.countRows = JSON.parse(readRange(header.sections.count_rows)).map(
        fromCountTuple
      );
    }
    if (want.diagnostics === "all") {
      content.diagnostics = sortOutputs(DIAGNOSTIC_SECTIONS.flatMap((s) => readSection(s)));
    } else if (want.diagnostics !== void 0) {
      const section = DIAGNOSTIC_SECTIONS.find((s) => s === want.diagnostics && s !== "other");
      content.diagnostics = section ? readSection(section) : [];
    }
    return content;
  } catch {
    return void 0;
  } finally {
    fs11.closeSync(fd);
  }
}
function readHeader(fd) {
  const chunks = [];
  let position = 0;
  for (; ; ) {
    const buf = Buffer.alloc(HEADER_CHUNK);
    const n = fs11.readSync(fd, buf, 0, HEADER_CHUNK, position);
    if (n === 0) return void 0;
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl >= 0) {
      chunks.push(buf.subarray(0, nl));
      const headerBytes = Buffer.concat(chunks);
      return [JSON.parse(headerBytes.toString("utf8")), headerBytes.length + 1];
    }
    chunks.push(buf.subarray(0, n));
    position += n;
  }
}
var HEADER_CHUNK;
var init_read_query_index = __esm({
  "../core/src/query/accel/read-query-index.ts"() {
    "use strict";
    init_jsonl();
    init_canonical_json();
    init_output_order();
    init_tally_outputs();
    init_index_sources();
    init_query_index_file();
    HEADER_CHUNK = 256 * 1024;
  }
});

// ../core/src/query/scan-outputs.ts
function forEachOutput(view, taskIds, visit, select) {
  for (const taskId of taskIds) {
    for (const entry of listShards(view, taskId)) {
      if (!isShardVisible(entry)) continue;
      for (const record of readShardOutputs(entry, select)) visit(record);
    }
  }
}
function scanOutputs(view, taskIds, keep = () => true, select) {
  const out = [];
  forEachOutput(
    view,
    taskIds,
    (record) => {
      if (keep(record)) out.push(record);
    },
    select
  );
  return sortOutputs(out);
}
var init_scan_outputs = __esm({
  "../core/src/query/scan-outputs.ts"() {
    "use strict";
    init_output_order();
    init_shard_scan();
  }
});

// ../core/src/query/batch-facts.ts
function loadTotals(view, taskIds, options = {}) {
  const index = options.useIndex === false ? void 0 : readFreshQueryIndex(view);
  if (index) return index.totals.filter((r) => taskIds.includes(r.task_id));
  return aggregateTotals(scanCountRows(view, taskIds));
}
function loadCountRows(view, taskIds, options = {}) {
  const index = options.useIndex === false ? void 0 : readFreshQueryIndex(view, { countRows: true });
  if (index?.countRows) return index.countRows.filter((r) => taskIds.includes(r.task_id));
  return scanCountRows(view, taskIds);
}
function scanCountRows(view, taskIds) {
  const tally = createTally(readFilesByPath(view.store, view.batch.snapshot_id));
  forEachOutput(view, taskIds, tally.add);
  return tally.rows();
}
function loadDiagnostics(view, taskIds, options = {}) {
  const { severity } = options;
  const index = options.useIndex === false ? void 0 : readFreshQueryIndex(view, { diagnostics: severity ?? "all" });
  if (index?.diagnostics) return index.diagnostics.filter((r) => taskIds.includes(r.task_id));
  return scanOutputs(
    view,
    taskIds,
    (r) => r.kind === "diagnostic" && (severity === void 0 || r.severity === severity),
    DIAGNOSTIC_LINE
  );
}
var DIAGNOSTIC_LINE;
var init_batch_facts = __esm({
  "../core/src/query/batch-facts.ts"() {
    "use strict";
    init_read_query_index();
    init_files_index();
    init_scan_outputs();
    init_tally_outputs();
    DIAGNOSTIC_LINE = '"diagnostic"';
  }
});

// ../core/src/query/query-outputs.ts
function queryOutputs(store, batchId, options = {}) {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const keep = createOutputPredicate({ kind: options.kind, path: options.path });
  const all = options.kind === "diagnostic" ? loadDiagnostics(view, taskIds, options).filter(keep) : scanOutputs(view, taskIds, keep);
  return {
    batch_id: batchId,
    filters: definedFields({
      task: options.task,
      kind: options.kind,
      path: options.path,
      limit: options.limit
    }),
    total: all.length,
    records: applyLimit(all, options.limit)
  };
}
function applyLimit(items, limit) {
  return limit === void 0 ? items : items.slice(0, limit);
}
function definedFields(value) {
  const out = {};
  for (const [k, v] of Object.entries(value)) if (v !== void 0) out[k] = v;
  return out;
}
var init_query_outputs = __esm({
  "../core/src/query/query-outputs.ts"() {
    "use strict";
    init_batch_facts();
    init_batch_view();
    init_output_filter();
    init_scan_outputs();
  }
});

// ../../node_modules/ignore/index.js
var require_ignore = __commonJS({
  "../../node_modules/ignore/index.js"(exports, module) {
    function makeArray(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var UNDEFINED = void 0;
    var EMPTY = "";
    var SPACE = " ";
    var ESCAPE = "\\";
    var REGEX_LITERAL_SPECIAL = /[.*+?()[\]{}^$|\\/]/;
    var BOM = "\uFEFF";
    var REGEX_ANCHORED_GLOBSTAR = /^\/\*{2,}$/;
    var REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/;
    var REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/;
    var REGEX_SPLITALL_CRLF = /\r?\n/g;
    var DOUBLE_SLASH = "//";
    var SLASH_CODE = 47;
    var DOT_CODE = 46;
    var SLASH = "/";
    var TMP_KEY_IGNORE = "node-ignore";
    if (typeof Symbol !== "undefined") {
      TMP_KEY_IGNORE = /* @__PURE__ */ Symbol.for("node-ignore");
    }
    var KEY_IGNORE = TMP_KEY_IGNORE;
    var define = (object, key, value) => {
      Object.defineProperty(object, key, { value });
      return value;
    };
    var RETURN_FALSE = () => false;
    var POSIX_CLASSES = {
      alnum: "0-9A-Za-z",
      alpha: "A-Za-z",
      blank: " \\t",
      cntrl: "\\x00-\\x1f\\x7f",
      digit: "0-9",
      graph: "!-.0-~",
      lower: "a-z",
      print: " -.0-~",
      punct: "!-.:-@\\[-`{-~",
      // git's `sane-ctype.h` classifies \v and \f as control, not space,
      //   unlike C's `isspace`
      space: " \\t\\n\\r",
      upper: "A-Z",
      xdigit: "0-9A-Fa-f"
    };
    var CLASS_MEMBERS_TO_ESCAPE = "\\]^-[";
    var escapeMember = (char) => CLASS_MEMBERS_TO_ESCAPE.indexOf(char) < 0 ? char : ESCAPE + char;
    var NON_SLASH = "(?!\\/)";
    var classSource = (negated, body) => {
      if (negated) {
        return `[^\\/${body}]`;
      }
      const source = `[${body}]`;
      return new RegExp(source).test("/") ? NON_SLASH + source : source;
    };
    var scanBracket = (pattern, start) => {
      const { length } = pattern;
      let index = start + 1;
      let negated = EMPTY;
      const lead = pattern[index];
      if (lead === "!" || lead === "^") {
        negated = "^";
        index++;
      }
      let body = EMPTY;
      let prev = EMPTY;
      for (; ; ) {
        const char = pattern[index];
        if (char === UNDEFINED) {
          return null;
        }
        if (char === ESCAPE) {
          const escaped = pattern[++index];
          body += escapeMember(escaped);
          prev = escaped;
        } else if (char === "-" && prev && index + 1 < length && pattern[index + 1] !== "]") {
          index++;
          let to = pattern[index];
          if (to === ESCAPE) {
            to = pattern[index += 1];
          }
          if (prev <= to) {
            body += `-${escapeMember(to)}`;
          }
          prev = EMPTY;
        } else if (char === "[" && pattern[index + 1] === ":") {
          const nameStart = index + 2;
          let end = nameStart;
          while (end < length && pattern[end] !== "]") {
            end++;
          }
          if (end === length) {
            return null;
          }
          if (end > nameStart && pattern[end - 1] === ":") {
            const name = pattern.slice(nameStart, end - 1);
            if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) {
              return null;
            }
            body += POSIX_CLASSES[name];
            prev = EMPTY;
            index = end;
          } else {
            body += escapeMember("[");
            prev = "[";
            index = nameStart - 2;
          }
        } else {
          body += escapeMember(char);
          prev = char;
        }
        index++;
        if (pattern[index] === "]") {
          return {
            end: index,
            source: classSource(negated, body)
          };
        }
      }
    };
    var NEVER_MATCH = "[]";
    var PLACEHOLDER = "\0";
    var REGEX_RESTORE_PLACEHOLDER = new RegExp(
      `${PLACEHOLDER}(\\d+)${PLACEHOLDER}`,
      "g"
    );
    var TRAILING_WILDCARD = "\uE000";
    var TRAILING_DOUBLESTAR = "\uE001";
    var isReserved = (char) => char === PLACEHOLDER || char === TRAILING_WILDCARD || char === TRAILING_DOUBLESTAR;
    var extractBrackets = (pattern) => {
      const sources = [];
      const hold = (source) => `${PLACEHOLDER}${sources.push(source) - 1}${PLACEHOLDER}`;
      const { length } = pattern;
      let out = EMPTY;
      let index = 0;
      while (index < length) {
        const char = pattern[index];
        if (char === ESCAPE) {
          const escaped = pattern[index + 1];
          if (escaped === SLASH && index + 2 === length) {
            out += hold(NEVER_MATCH);
          } else if (escaped === "*" || escaped === "[" || escaped === SPACE) {
            out += pattern.slice(index, index + 2);
          } else {
            out += hold(
              REGEX_LITERAL_SPECIAL.test(escaped) ? ESCAPE + escaped : isReserved(escaped) ? `[${escaped}]` : escaped
            );
          }
          index += 2;
        } else if (isReserved(char)) {
          out += hold(`[${char}]`);
          index++;
        } else if (char === "[") {
          const scanned = scanBracket(pattern, index);
          if (scanned === null) {
            out += hold(NEVER_MATCH);
            index = length;
          } else {
            out += hold(scanned.source);
            index = scanned.end + 1;
          }
        } else {
          out += char;
          index++;
        }
      }
      return {
        source: out,
        sources
      };
    };
    var DIRECT = null;
    var REGEX_INNER_SLASH = /\/(?!$)/;
    var WILDCARD = "[^\\/]*";
    var REPLACERS = [
      // Replace (\ ) with ' '
      // Only a space: an escaped tab or other whitespace is already a literal by
      //   the time it reaches here, and a bare tab must be left as one, not turned
      //   into a space.
      // (\ ) -> ' '
      // (\\ ) -> '\\ '
      // (\\\ ) -> '\\ '
      [
        // A run of backslashes is taken whole, from its first one, so no match
        //   ever starts again inside it -- `(\\+?) ` did, which made a long run
        //   quadratic.
        /(\\+)( ?)/g,
        (_, run, space) => space ? run.slice(0, run.length - run.length % 2) + SPACE : run,
        ESCAPE + SPACE
      ],
      // git's wildmatch() reads a run of two or more asterisks as one globstar
      //   whenever the run fills a path segment: it starts the pattern or follows
      //   a `/`, and it ends the pattern or comes before a `/`. A run of two is
      //   already `**`; a longer one is folded into `**` here, so the steps
      //   below only ever have to know `**`.
      // `***/foo` -> `**/foo`, `a/***/b` -> `a/**/b`, `a/***` -> `a/**`
      // git also takes a run beside a literal prefix (`a***/b`) or beside an
      //   escaped slash (`***\/b`) as a globstar, and this does not; the README
      //   lists both, under "A run of asterisks".
      [
        /(^|\/)\*{3,}(?=\/|$)/g,
        (_, start) => `${start}**`,
        "*"
      ],
      // Escape metacharacters
      // which is written down by users but means special for regular expressions.
      // > There are 12 characters with special meanings:
      // > - the backslash \,
      // > - the caret ^,
      // > - the dollar sign $,
      // > - the period or dot .,
      // > - the vertical bar or pipe symbol |,
      // > - the question mark ?,
      // > - the asterisk or star *,
      // > - the plus sign +,
      // > - the opening parenthesis (,
      // > - the closing parenthesis ),
      // > - and the opening square bracket [,
      // > - the opening curly brace {,
      // > These special characters are often called "metacharacters".
      [
        /[\\$.|*+(){^]/g,
        (match) => `\\${match}`
      ],
      [
        // > a question mark (?) matches a single character
        /(?!\\)\?/g,
        () => "[^/]",
        "?"
      ],
      // leading slash
      [
        // > A leading slash matches the beginning of the pathname.
        // > For example, "/*.c" matches "cat-file.c" but not "mozilla-sha1/sha1.c".
        // A leading slash matches the beginning of the pathname
        /^\//,
        () => "^",
        SLASH
      ],
      // replace special metacharacter slash after the leading slash
      [
        /\//g,
        () => "\\/",
        SLASH
      ],
      [
        // > A leading "**" followed by a slash means match in all directories.
        // > For example, "**/foo" matches file or directory "foo" anywhere,
        // > the same as pattern "foo".
        // > "**/foo/bar" matches file or directory "bar" anywhere that is directly
        // >   under directory "foo".
        // Notice that the '*'s have been replaced as '\\*'
        /^\^*(?:\\\*\\\*\\\/)+/,
        // '**/foo' <-> 'foo'
        () => "(?:^|\\/)",
        "*"
      ],
      // starting
      [
        // there will be no leading '/'
        //   (which has been replaced by section "leading slash")
        // If starts with '**', adding a '^' to the regular expression also works
        DIRECT,
        (source, pattern) => {
          if (!source || source[0] === "^" || source[0] === "(") {
            return source;
          }
          const anchor = !REGEX_INNER_SLASH.test(pattern) ? "(?:^|\\/)" : "^";
          return anchor + source;
        }
      ],
      // two globstars
      [
        // Use lookahead assertions so that we could match more than one `'/**'`
        /\\\/\\\*\\\*(?=\\\/|$)/g,
        // Zero, one or several directories
        // should not use '*', or it will be replaced by the next replacer
        // Check if it is not the last `'/**'`
        (_, index, str) => index + 6 < str.length ? str.slice(index + 6) === "\\/" ? "(?:\\/[^\\/]+)+" : "(?:\\/[^\\/]+)*" : `\\/${TRAILING_DOUBLESTAR}`,
        "*"
      ],
      // normal intermediate wildcards
      [
        // Never replace escaped '*'
        // ignore rule '\*' will match the path '*'
        // 'abc.*/' -> go
        // 'abc.*'  -> skip this rule,
        //    coz trailing single wildcard will be handed by [trailing wildcard]
        /(^|[^\\])(?:\\\*)+(?!$)/g,
        // '*.js' matches '.js'
        // '*.js' doesn't match 'abc'
        // 1. An asterisk "*" matches anything except a slash.
        // 2. Other consecutive asterisks are considered regular asterisks
        //    and collapse into one non-slash wildcard run.
        (_, p1) => p1 + WILDCARD,
        "*"
      ],
      // trailing wildcard, held apart from a literal star
      [
        // The step above leaves a trailing `*` alone, so a single `\*` is all that
        //   can be left at the end here, and what stands in front of it says which
        //   kind it is. A wildcard arrives as the escaper wrote it, `\*` with
        //   nothing before it; a literal arrives as the user's own escape, which
        //   the escaper doubled, and then the star's own -- `\\` and then `\*`.
        //   There is no third case: every backslash still reaching the chain is
        //   one `\*`, `\[` or `\ ` carries itself, and each is followed by its
        //   own character, so a longer run can never form. This runs while the
        //   two are still distinct, before the unescape steps below collapse the
        //   literal onto the very `\*` a wildcard leaves behind.
        /(^|[^\\])((?:\\\\)*)\\\*$/,
        (match, p1, p2) => p2 === EMPTY ? p1 + TRAILING_WILDCARD : match,
        "*"
      ],
      [
        // unescape, revert step 3 except for back slash
        // For example, if a user escape a '\\*',
        // after step 3, the result will be '\\\\\\*'
        /\\\\\\(?=[$.|*+(){^])/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // '\\\\' -> '\\'
        /\\\\/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // Every real bracket expression -- POSIX classes included -- has already
        //   been held aside by `extractBrackets`, so the only `[` left in the
        //   pattern is an escaped, literal one.
        // A backslash could only stand at the end of the range if it quoted the
        //   `]`, and `\]` is held aside long before this.
        /\\\[([^\]/]*?)($|\])/g,
        // '\\[bar]' -> '\\\\[bar]'
        (match, range, close) => `\\[${range}${close}`,
        "["
      ],
      // ending
      [
        // 'js' will not match 'js.'
        // 'ab' will not match 'abc'
        DIRECT,
        // WTF!
        // https://git-scm.com/docs/gitignore
        // changes in [2.22.1](https://git-scm.com/docs/gitignore/2.22.1)
        // which re-fixes #24, #38
        // > If there is a separator at the end of the pattern then the pattern
        // > will only match directories, otherwise the pattern can match both
        // > files and directories.
        // 'js*' will not match 'a.js'
        // 'js/' will not match 'a.js'
        // 'js' will match 'a.js' and 'a.js/'
        (source) => {
          const last = source[source.length - 1];
          if (!last || last === TRAILING_WILDCARD || last === TRAILING_DOUBLESTAR) {
            return source;
          }
          return last === SLASH ? `${source}$` : `${source}(?=$|\\/$)`;
        }
      ]
    ];
    var REGEX_REPLACE_TRAILING_WILDCARD = /(^|\\\/)?\uE000$/;
    var MODE_IGNORE = "regex";
    var MODE_CHECK_IGNORE = "checkRegex";
    var UNDERSCORE = "_";
    var replaceTrailingWildcard = (_, p1) => {
      const prefix = p1 ? `${p1}[^/]+` : "[^/]*";
      return `${prefix}(?=$|\\/$)`;
    };
    var REGEX_REPLACE_TRAILING_DOUBLESTAR = /\uE001$/;
    var replaceTrailingDoublestar = () => "[\\s\\S]";
    var separatorAfter = (run, at) => {
      let separator = EMPTY;
      for (let index = at + 1; index < run.length && !run[index].wildcard; index++) {
        separator += run[index].single;
      }
      return separator;
    };
    var pinWildcards = (source) => {
      if (source.indexOf(WILDCARD) < 0) {
        return source;
      }
      const tokens = [];
      const { length } = source;
      let index = 0;
      while (index < length) {
        const char = source[index];
        if (source.startsWith(WILDCARD, index)) {
          tokens.push({ wildcard: true });
          index += WILDCARD.length;
        } else if (char === "[") {
          let end = index + 1;
          if (source[end] === "^") {
            end++;
          }
          if (source[end] === "]") {
            end++;
          }
          while (end < length && source[end] !== "]") {
            end += source[end] === ESCAPE ? 2 : 1;
          }
          end++;
          tokens.push({ single: source.slice(index, end) });
          index = end;
        } else if (char === ESCAPE) {
          tokens.push({ single: source.slice(index, index + 2) });
          index += 2;
        } else if (char === "(") {
          let depth = 0;
          let end = index;
          do {
            if (source[end] === ESCAPE) {
              end++;
            } else if (source[end] === "(") {
              depth++;
            } else if (source[end] === ")") {
              depth--;
            }
            end++;
          } while (end < length && depth > 0);
          if ("*+?".indexOf(source[end]) >= 0) {
            end++;
          }
          tokens.push({ boundary: source.slice(index, end) });
          index = end;
        } else if (char === "^" || char === "$") {
          tokens.push({ boundary: char });
          index++;
        } else {
          tokens.push({ single: char });
          index++;
        }
      }
      let out = EMPTY;
      let run = [];
      const flush = () => {
        let lastWildcard;
        run.forEach((token, at) => {
          if (token.wildcard) {
            lastWildcard = at;
          }
        });
        run.forEach((token, at) => {
          if (!token.wildcard) {
            out += token.single;
            return;
          }
          out += at === lastWildcard ? WILDCARD : `(?:(?!${separatorAfter(run, at)})[^\\/])*`;
        });
        run = [];
      };
      tokens.forEach((token) => {
        if (token.boundary === void 0) {
          run.push(token);
          return;
        }
        flush();
        out += token.boundary;
      });
      flush();
      return out;
    };
    var makeRegexPrefix = (pattern) => {
      if (REGEX_ANCHORED_GLOBSTAR.test(pattern)) {
        pattern = "**";
      }
      const { source, sources } = extractBrackets(pattern);
      const replaced = REPLACERS.reduce(
        // A pass whose matcher finds nothing hands back the very string it was
        //   given, so asking first costs a search and saves a rewrite. Ten of the
        //   fifteen passes never fire for a typical .gitignore line, and between
        //   them they were 45% of this chain.
        (prev, [matcher, replacer, required]) => {
          if (matcher === DIRECT) {
            return replacer(prev, pattern);
          }
          if (required !== UNDEFINED && prev.indexOf(required) < 0) {
            return prev;
          }
          return matcher.test(prev) ? prev.replace(matcher, replacer.bind(pattern)) : prev;
        },
        source
      );
      return sources.length ? replaced.replace(
        REGEX_RESTORE_PLACEHOLDER,
        (match, index) => sources[index]
      ) : replaced;
    };
    var checkSourceOf = (body, prefix) => {
      if (body[body.length - 1] === SLASH) {
        prefix = makeRegexPrefix(body.slice(0, -1));
      }
      const head = prefix.slice(0, -1);
      const last = prefix[prefix.length - 1];
      return last === TRAILING_WILDCARD ? `${head}$` : last === TRAILING_DOUBLESTAR ? head : NEVER_MATCH;
    };
    var matchesBasename = (body) => {
      const index = body.indexOf(SLASH);
      return index < 0 || index === body.length - 1;
    };
    var basenameOf = (path28) => {
      const end = path28.length - 1;
      const index = path28.lastIndexOf(
        SLASH,
        path28[end] === SLASH ? end - 1 : end
      );
      return index < 0 ? path28 : path28.slice(index + 1);
    };
    var parentOf = (path28) => {
      if (path28.charCodeAt(0) === SLASH_CODE || path28.indexOf(DOUBLE_SLASH) >= 0) {
        const slices = path28.split(SLASH).filter(Boolean);
        slices.pop();
        return slices.length ? slices.join(SLASH) + SLASH : EMPTY;
      }
      const end = path28.length - 1;
      const cut = path28.lastIndexOf(
        SLASH,
        path28.charCodeAt(end) === SLASH_CODE ? end - 1 : end
      );
      return cut < 0 ? EMPTY : path28.slice(0, cut + 1);
    };
    var isString = (subject) => typeof subject === "string";
    var checkPattern = (pattern) => pattern && isString(pattern);
    var splitPattern = (pattern) => (pattern[pattern.length - 1] === "\r" ? pattern.slice(0, -1) : pattern).split(REGEX_SPLITALL_CRLF).filter(Boolean);
    var IgnoreRule = class {
      constructor(pattern, mark, body, ignoreCase, negative, prefix) {
        this.pattern = pattern;
        this.mark = mark;
        this.negative = negative;
        define(this, "body", body);
        define(this, "ignoreCase", ignoreCase);
        define(this, "regexPrefix", prefix);
      }
      // Worked out on first use and kept behind an own property, the way `regex`
      //   caches itself in `_regex`. Deciding it in the constructor instead would
      //   add a fourth `defineProperty` to every rule ever built, which cost 4% of
      //   every compile -- including the compiles of rules that are never matched
      //   against anything.
      get _basenameOnly() {
        return define(this, "_basenameOnly", matchesBasename(this.body));
      }
      get regex() {
        const key = UNDERSCORE + MODE_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_IGNORE, key);
      }
      get checkRegex() {
        const key = UNDERSCORE + MODE_CHECK_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_CHECK_IGNORE, key);
      }
      _make(mode, key) {
        const str = pinWildcards(
          mode === MODE_IGNORE ? this.regexPrefix.replace(REGEX_REPLACE_TRAILING_WILDCARD, replaceTrailingWildcard).replace(REGEX_REPLACE_TRAILING_DOUBLESTAR, replaceTrailingDoublestar) : checkSourceOf(this.body, this.regexPrefix)
        );
        const regex = this.ignoreCase ? new RegExp(str, "i") : new RegExp(str);
        return define(this, key, regex);
      }
    };
    var hasTrailingBackslash = (str) => {
      let count = 0;
      while (str[str.length - count - 1] === ESCAPE) {
        count++;
      }
      return count % 2 === 1;
    };
    var trimEnd = (body, stripLineEnd) => {
      let lineEnd = body.length;
      let end;
      for (; ; ) {
        if (stripLineEnd && body[lineEnd - 1] === "\r") {
          lineEnd--;
        }
        end = lineEnd;
        while (body[end - 1] === SPACE) {
          end--;
        }
        if (!stripLineEnd || body[end - 1] !== "\n") {
          break;
        }
        lineEnd = end - 1;
      }
      if (end === lineEnd) {
        return body.slice(0, lineEnd);
      }
      let backslashes = 0;
      while (body[end - backslashes - 1] === ESCAPE) {
        backslashes++;
      }
      return backslashes % 2 ? body.slice(0, end - 1) + SPACE : body.slice(0, end);
    };
    var createRule = (pattern, mark, ignoreCase, stripLineEnd, stripBOM) => {
      let body = stripBOM && pattern[0] === BOM ? pattern.slice(1) : pattern;
      if (body[0] === "#") {
        return;
      }
      let negative = false;
      if (body[0] === "!") {
        negative = true;
        body = body.slice(1);
      }
      const last = body[body.length - 1];
      if (last === SPACE || stripLineEnd && (last === "\r" || last === "\n")) {
        body = trimEnd(body, stripLineEnd);
      }
      if (!body || hasTrailingBackslash(body)) {
        return;
      }
      body = body.replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, "!").replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, "#");
      const regexPrefix = makeRegexPrefix(body);
      return new IgnoreRule(
        pattern,
        mark,
        body,
        ignoreCase,
        negative,
        regexPrefix
      );
    };
    var RuleManager = class {
      constructor(ignoreCase) {
        this._ignoreCase = ignoreCase;
        this._rules = [];
        this._basenameCount = 0;
      }
      _add(pattern, index) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules._rules);
          this._basenameCount += pattern._rules._basenameCount;
          this._added = true;
          return;
        }
        const isStr = isString(pattern);
        const raw = isStr ? pattern : pattern.pattern;
        const rule = checkPattern(raw) && createRule(
          raw,
          isStr ? UNDEFINED : pattern.mark,
          this._ignoreCase,
          !this._split,
          this._stripBOM && !index
        );
        if (rule) {
          this._added = true;
          this._rules.push(rule);
          if (matchesBasename(rule.body)) {
            this._basenameCount++;
          }
        }
      }
      // @param {Array<string> | string | Ignore} pattern
      add(pattern) {
        this._added = false;
        this._split = isString(pattern);
        this._stripBOM = !this._split || pattern[0] === BOM;
        makeArray(
          this._split ? splitPattern(pattern) : pattern
        ).forEach(this._add, this);
        if (this._added) {
          this._literalRules = UNDEFINED;
        }
        return this._added;
      }
      // Match the literal 'abc/' for `checkIgnore`, last rule wins. Only a rule
      //   ending in a wildcard can match it (see `checkSourceOf`), so the rest
      //   are left out once, rather than tested or compiled for every path.
      testLiteral(path28) {
        const rules = this._literalRules || (this._literalRules = this._rules.filter(
          ({ body }) => body[body.length - (body[body.length - 1] === SLASH ? 2 : 1)] === "*"
        ));
        let ignored = false;
        let unignored = false;
        let matchedRule;
        for (let index = rules.length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule.checkRegex.test(path28)) {
            ignored = !rule.negative;
            unignored = rule.negative;
            matchedRule = rule.negative ? UNDEFINED : rule;
            break;
          }
        }
        const ret = {
          ignored,
          unignored
        };
        if (matchedRule) {
          ret.rule = matchedRule;
        }
        return ret;
      }
      // Test one single path without recursively checking parent directories
      //
      // - mode `string` either `MODE_IGNORE` or `MODE_CHECK_IGNORE`
      // @returns {TestResult}
      test(path28, mode) {
        const rules = this._rules;
        const { length } = rules;
        const shortcut = this._basenameCount * 2 >= length;
        const basename = shortcut ? basenameOf(path28) : path28;
        for (let index = length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule[mode].test(
            shortcut && rule._basenameOnly ? basename : path28
          )) {
            const { negative } = rule;
            const ret = {
              ignored: !negative,
              unignored: negative
            };
            if (!negative) {
              ret.rule = rule;
            }
            return ret;
          }
        }
        return {
          ignored: false,
          unignored: false
        };
      }
    };
    var throwError = (message, Ctor) => {
      throw new Ctor(message);
    };
    var checkPath = (path28, originalPath, doThrow) => {
      if (!isString(path28)) {
        return doThrow(
          `path must be a string, but got \`${originalPath}\``,
          TypeError
        );
      }
      if (!path28) {
        return doThrow(`path must not be empty`, TypeError);
      }
      if (checkPath.isNotRelative(path28)) {
        const r = "`path.relative()`d";
        return doThrow(
          `path should be a ${r} string, but got "${originalPath}"`,
          RangeError
        );
      }
      return true;
    };
    var isNotRelative = (path28) => {
      const first = path28.charCodeAt(0);
      if (first === SLASH_CODE) {
        return true;
      }
      if (first !== DOT_CODE) {
        return false;
      }
      if (path28.length === 1) {
        return true;
      }
      const second = path28.charCodeAt(1);
      if (second === SLASH_CODE) {
        return true;
      }
      if (second !== DOT_CODE) {
        return false;
      }
      return path28.length === 2 || path28.charCodeAt(2) === SLASH_CODE;
    };
    checkPath.isNotRelative = isNotRelative;
    checkPath.convert = (p) => p;
    var convertPath = (target) => isString(target) && checkPath.convert(target);
    var Ignore = class {
      constructor({
        ignorecase = true,
        ignoreCase = ignorecase,
        allowRelativePaths = false
      } = {}) {
        define(this, KEY_IGNORE, true);
        this._rules = new RuleManager(ignoreCase);
        this._strictPathCheck = !allowRelativePaths;
        this._initCache();
      }
      _initCache() {
        this._ignoreCache = /* @__PURE__ */ Object.create(null);
        this._testCache = /* @__PURE__ */ Object.create(null);
      }
      add(pattern) {
        if (this._rules.add(pattern)) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      // @returns {TestResult}
      _test(originalPath, cache, path28) {
        checkPath(
          path28,
          originalPath,
          this._strictPathCheck ? throwError : RETURN_FALSE
        );
        return path28 ? this._t(path28, cache) : {
          ignored: false,
          unignored: false
        };
      }
      checkIgnore(target) {
        const path28 = convertPath(target);
        if (!path28 || path28.charCodeAt(path28.length - 1) !== SLASH_CODE) {
          return this._test(target, this._testCache, path28);
        }
        const dir = this._t(path28, this._testCache);
        if (dir.ignored) {
          return dir;
        }
        const literal = this._rules.testLiteral(path28);
        return literal.ignored || literal.unignored ? literal : dir;
      }
      _t(path28, cache) {
        if (path28 in cache) {
          return cache[path28];
        }
        const parentPath = parentOf(path28);
        const parent = parentPath ? this._t(parentPath, cache) : UNDEFINED;
        return cache[path28] = parent && parent.ignored ? parent : this._rules.test(path28, MODE_IGNORE);
      }
      ignores(path28) {
        return this._test(path28, this._ignoreCache, convertPath(path28)).ignored;
      }
      createFilter() {
        return (path28) => !this.ignores(path28);
      }
      filter(paths) {
        return makeArray(paths).filter(this.createFilter());
      }
      // @returns {TestResult}
      test(path28) {
        return this._test(path28, this._testCache, convertPath(path28));
      }
    };
    var factory = (options) => new Ignore(options);
    var isPathValid = (path28) => checkPath(convertPath(path28), path28, RETURN_FALSE);
    var setupWindows = () => {
      const makePosix = (str) => /^\\\\\?\\/.test(str) || /["<>|\u0000-\u001F]+/u.test(str) ? str : str.replace(/\\/g, "/");
      checkPath.convert = makePosix;
      const REGEX_TEST_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i;
      checkPath.isNotRelative = (path28) => REGEX_TEST_WINDOWS_PATH_ABSOLUTE.test(path28) || isNotRelative(path28);
    };
    if (
      // Detect `process` so that it can run in browsers.
      typeof process !== "undefined" && process.platform === "win32"
    ) {
      setupWindows();
    }
    module.exports = factory;
    factory.default = factory;
    module.exports.isPathValid = isPathValid;
    define(module.exports, /* @__PURE__ */ Symbol.for("setupWindows"), setupWindows);
  }
});

// ../core/src/query/diff/changed-shards.ts
function listChangedShards(base, head, baseTasks, headTasks) {
  const out = { base: [], head: [], identical: 0 };
  const headByTask = new Map(
    headTasks.map((t) => [t, new Map(visibleShards(head, t).map((e) => [e.shardId, e]))])
  );
  const pairedHead = /* @__PURE__ */ new Set();
  for (const taskId of baseTasks) {
    const heads = headByTask.get(taskId);
    for (const b of visibleShards(base, taskId)) {
      const h = heads?.get(b.shardId);
      if (h && sameResult(b, h)) {
        pairedHead.add(h);
        out.identical += 1;
      } else out.base.push(b);
    }
  }
  for (const shards of headByTask.values())
    for (const h of shards.values()) if (!pairedHead.has(h)) out.head.push(h);
  return out;
}
function visibleShards(view, taskId) {
  return listShards(view, taskId).filter(isShardVisible);
}
function sameResult(a, b) {
  const x = a.state;
  const y = b.state;
  return x?.bundle_hash !== void 0 && x.result_digest !== void 0 && x.bundle_hash === y?.bundle_hash && x.result_digest === y.result_digest;
}
function readShardRecords(shards, keep, only) {
  const out = [];
  for (const entry of shards) {
    const kinds = only ? storedKindCounts(entry.state) : void 0;
    if (only && kinds && !kinds[only.kind]) continue;
    for (const record of readShardOutputs(entry, only?.select)) if (keep(record)) out.push(record);
  }
  return sortOutputs(out);
}
var init_changed_shards = __esm({
  "../core/src/query/diff/changed-shards.ts"() {
    "use strict";
    init_diagnostic_counts();
    init_output_order();
    init_shard_scan();
  }
});

// ../core/src/query/diff/diff-keys.ts
function baseKey(record, fingerprint) {
  const head = [record.task_id, record.path, record.kind];
  switch (record.kind) {
    case "diagnostic":
      return [...head, record.code ?? null, fingerprint(record)];
    case "metric":
      return [...head, record.metric ?? null];
    case "symbol":
      return [...head, record.symbol_type ?? null, record.scope ?? null, record.name ?? null];
    case "edge":
      return [...head, record.edge_type ?? null, record.target ?? null];
    case "ast":
      return head;
    default:
      return [...head, record.format ?? null];
  }
}
function recordContent(record) {
  const rest = fieldsOutside(record, POSITION);
  if (typeof rest.inline === "string" && rest.object === void 0) {
    rest.object = `sha256:${sha256Hex(rest.inline)}`;
    delete rest.inline;
  }
  return canonicalJson(rest);
}
function positionedContent(record) {
  return canonicalJson(fieldsOutside(record));
}
function fieldsOutside(record, also) {
  const rest = {};
  for (const [k, v] of Object.entries(record)) if (!ENVELOPE.has(k) && !also?.has(k)) rest[k] = v;
  return rest;
}
function keyRecords(records, fingerprint) {
  const groups = /* @__PURE__ */ new Map();
  for (const record of records) {
    const base = JSON.stringify(baseKey(record, fingerprint));
    const list = groups.get(base) ?? [];
    list.push({ record, content: recordContent(record) });
    groups.set(base, list);
  }
  const out = /* @__PURE__ */ new Map();
  for (const [base, list] of groups) {
    list.sort(
      (a, b) => compareNum(a.record.line, b.record.line) || compareNum(a.record.col, b.record.col) || compareStr(a.content, b.content)
    );
    list.forEach((item, index) => {
      const key = `${base.slice(0, -1)},${index}]`;
      out.set(key, { key, content: item.content, record: item.record });
    });
  }
  return out;
}
var ENVELOPE, POSITION;
var init_diff_keys = __esm({
  "../core/src/query/diff/diff-keys.ts"() {
    "use strict";
    init_canonical_json();
    init_hash();
    init_output_order();
    ENVELOPE = /* @__PURE__ */ new Set(["schema_version", "snapshot_id", "batch_id", "shard_id", "ts"]);
    POSITION = /* @__PURE__ */ new Set(["line", "col", "end_line", "end_col"]);
  }
});

// ../core/src/query/diff/line-fingerprint.ts
function createLineFingerprinter(store, snapshotId, linesByObject = /* @__PURE__ */ new Map(), given) {
  let files = given;
  const linesOf = (path28) => {
    files ??= readFilesByPath(store, snapshotId);
    const entry = files.get(path28);
    const hex = entry ? parseObjectRef(entry.object) : void 0;
    if (!entry || !hex || entry.text === false) return [];
    let lines = linesByObject.get(hex);
    if (!lines) {
      lines = store.objects.readObject(hex).toString("utf8").split("\n");
      linesByObject.set(hex, lines);
    }
    return lines;
  };
  return (record) => {
    if (record.line === void 0) return "";
    const text = linesOf(record.path)[record.line - 1];
    return text === void 0 ? "" : normalizeLine(text);
  };
}
function normalizeLine(text) {
  return text.trim().replace(/\s+/g, " ");
}
var init_line_fingerprint = __esm({
  "../core/src/query/diff/line-fingerprint.ts"() {
    "use strict";
    init_hash();
    init_files_index();
  }
});

// ../core/src/query/diff/diff-batches.ts
var diff_batches_exports = {};
__export(diff_batches_exports, {
  diffBatches: () => diffBatches,
  findImprovements: () => findImprovements,
  findRegressions: () => findRegressions
});
function diffBatches(store, baseBatchId, headBatchId, options = {}) {
  const base = loadBatchView(store, baseBatchId);
  const head = loadBatchView(store, headBatchId);
  const [baseTasks, headTasks] = resolveDiffTasks(base, head, options.task);
  const keep = createOutputPredicate({ kind: options.kind, path: options.path });
  return compareRecords(
    base,
    head,
    scanOutputs(base, baseTasks, keep),
    scanOutputs(head, headTasks, keep),
    definedFields({ task: options.task, kind: options.kind, path: options.path })
  );
}
function compareRecords(base, head, baseRecords, headRecords, filters, files) {
  const lines = /* @__PURE__ */ new Map();
  const baseKeyed = keyRecords(
    baseRecords,
    createLineFingerprinter(base.store, base.batch.snapshot_id, lines, files?.base)
  );
  const headKeyed = keyRecords(
    headRecords,
    createLineFingerprinter(head.store, head.batch.snapshot_id, lines, files?.head)
  );
  const result = {
    base_batch_id: base.batchId,
    head_batch_id: head.batchId,
    filters,
    counts: emptyCounts(),
    counts_by_kind: {},
    added: [],
    removed: [],
    changed: []
  };
  const bump = (kind, field) => {
    result.counts[field] += 1;
    result.counts_by_kind[kind] ??= emptyCounts();
    result.counts_by_kind[kind][field] += 1;
  };
  for (const [key, h] of headKeyed) {
    const b = baseKeyed.get(key);
    if (!b) {
      result.added.push(h.record);
      bump(h.record.kind, "added");
    } else if (b.content !== h.content) {
      result.changed.push({ base: b.record, head: h.record });
      bump(h.record.kind, "changed");
    } else {
      bump(h.record.kind, "unchanged");
    }
  }
  for (const [key, b] of baseKeyed) {
    if (headKeyed.has(key)) continue;
    result.removed.push(b.record);
    bump(b.record.kind, "removed");
  }
  result.added.sort(compareOutputs);
  result.removed.sort(compareOutputs);
  result.changed.sort((x, y) => compareOutputs(x.head, y.head) || compareOutputs(x.base, y.base));
  result.counts_by_kind = Object.fromEntries(
    Object.keys(result.counts_by_kind).sort().map((k) => [k, result.counts_by_kind[k]])
  );
  return result;
}
function resolveDiffTasks(base, head, task) {
  if (task === void 0) return [base.taskIds, head.taskIds];
  if (!base.taskIds.includes(task) && !head.taskIds.includes(task)) resolveTaskIds(head, task);
  return [base.taskIds.filter((t) => t === task), head.taskIds.filter((t) => t === task)];
}
function emptyCounts() {
  return { added: 0, removed: 0, changed: 0, unchanged: 0 };
}
function findRegressions(store, baseBatchId, headBatchId, options = {}) {
  return diagnosticDelta(store, baseBatchId, headBatchId, options, "added");
}
function findImprovements(store, baseBatchId, headBatchId, options = {}) {
  return diagnosticDelta(store, baseBatchId, headBatchId, options, "removed");
}
function diagnosticDelta(store, baseBatchId, headBatchId, options, side) {
  assertSeverity(options.severity);
  const base = loadBatchView(store, baseBatchId);
  const head = loadBatchView(store, headBatchId);
  const [baseTasks, headTasks] = resolveDiffTasks(base, head, options.task);
  const keep = createOutputPredicate({ kind: "diagnostic", path: options.path });
  const shards = listChangedShards(base, head, baseTasks, headTasks);
  const baseRecords = readShardRecords(shards.base, keep, DIAGNOSTICS);
  const headRecords = readShardRecords(shards.head, keep, DIAGNOSTICS);
  const files = baseRecords.length > 0 && headRecords.length > 0 ? {
    base: readFilesByPath(store, base.batch.snapshot_id),
    head: readFilesByPath(store, head.batch.snapshot_id)
  } : void 0;
  const [changedBase, changedHead] = files ? withoutUnchangedFiles(baseRecords, headRecords, files.base, files.head) : [baseRecords, headRecords];
  const diff = compareRecords(base, head, changedBase, changedHead, {}, files);
  const meets = (r) => meetsSeverityThreshold(r.severity, options.severity);
  const rank = (r) => SEVERITY_RANK[r.severity ?? ""] ?? Number.MAX_SAFE_INTEGER;
  const severityChanged = diff.changed.filter((c) => side === "added" ? rank(c.head) < rank(c.base) : rank(c.head) > rank(c.base)).map((c) => side === "added" ? c.head : c.base).filter(meets);
  const records = [...diff[side].filter(meets), ...severityChanged].sort(compareOutputs);
  return {
    base_batch_id: baseBatchId,
    head_batch_id: headBatchId,
    filters: definedFields({ task: options.task, path: options.path, severity: options.severity }),
    total: records.length,
    severity_changes: severityChanged.length,
    records
  };
}
function withoutUnchangedFiles(baseRecords, headRecords, baseFiles, headFiles) {
  const baseByPath = groupByPath(baseRecords);
  const headByPath = groupByPath(headRecords);
  const unchanged = /* @__PURE__ */ new Set();
  for (const [path28, headRun] of headByPath) {
    const baseRun = baseByPath.get(path28);
    const object = headFiles.get(path28)?.object;
    if (!baseRun || object === void 0 || baseFiles.get(path28)?.object !== object) continue;
    if (baseRun.length !== headRun.length) continue;
    const a = baseRun.map(positionedContent).sort();
    const b = headRun.map(positionedContent).sort();
    if (a.every((content, i) => content === b[i])) unchanged.add(path28);
  }
  if (unchanged.size === 0) return [baseRecords, headRecords];
  const keep = (r) => !unchanged.has(r.path);
  return [baseRecords.filter(keep), headRecords.filter(keep)];
}
var DIAGNOSTICS;
var init_diff_batches = __esm({
  "../core/src/query/diff/diff-batches.ts"() {
    "use strict";
    init_group_by_path();
    init_batch_facts();
    init_batch_view();
    init_files_index();
    init_output_filter();
    init_output_order();
    init_query_outputs();
    init_scan_outputs();
    init_changed_shards();
    init_diff_keys();
    init_line_fingerprint();
    DIAGNOSTICS = { kind: "diagnostic", select: DIAGNOSTIC_LINE };
  }
});

// ../core/src/gc/prune-store.ts
var prune_store_exports = {};
__export(prune_store_exports, {
  collectIndexRefs: () => collectIndexRefs,
  parseDuration: () => parseDuration,
  pruneStore: () => pruneStore
});
import fs23 from "node:fs";
import path20 from "node:path";
function pruneStore(store, options = {}) {
  const now = options.now ?? Date.now();
  const grace = options.graceMs ?? HOUR;
  const dryRun = options.dryRun ?? false;
  if (options.keepBatches !== void 0 && (!Number.isInteger(options.keepBatches) || options.keepBatches < 0)) {
    throw new CodebatchError("E_USAGE", `--keep-batches must be a whole number (got ${options.keepBatches})`);
  }
  const root = store.layout.root;
  const report = {
    dry_run: dryRun,
    skipped: false,
    batches: { kept: [], removed: [], unreadable: [] },
    snapshots: { kept: 0, removed: [] },
    objects: { kept: 0, removed: 0, bytes: 0 },
    sessions: { removed: 0 },
    indexes: { memo_entries_removed: 0, bundles_removed: 0, query_removed: 0 },
    tmp: { removed: 0 },
    bytes_freed: 0
  };
  const batches = listBatches(store);
  const keepIds = new Set(options.keepBatchIds ?? []);
  const newestFirst = [...batches].reverse();
  const underLimit = options.auto === true && options.autoBatchLimit !== void 0 && batches.length <= options.autoBatchLimit;
  const policy = (options.keepBatches !== void 0 || options.olderThanMs !== void 0) && !underLimit;
  const kept = /* @__PURE__ */ new Set();
  for (const [rank, batch] of newestFirst.entries()) {
    if (keepIds.has(batch.batch_id) || !policy || inUse(store, batch, now, grace)) {
      kept.add(batch.batch_id);
      continue;
    }
    const byCount = options.keepBatches !== void 0 && rank < options.keepBatches;
    const byAge = options.olderThanMs !== void 0 && now - Date.parse(batch.created_at) < options.olderThanMs;
    if (byCount || byAge) kept.add(batch.batch_id);
  }
  for (const b of batches)
    (kept.has(b.batch_id) ? report.batches.kept : report.batches.removed).push(b.batch_id);
  const removedBatches = new Set(report.batches.removed);
  const batchesDir = path20.join(root, BATCHES_DIR);
  const listed = new Set(batches.map((b) => b.batch_id));
  for (const name of listDir(batchesDir)) {
    if (listed.has(name) || !fs23.existsSync(path20.join(batchesDir, name, "batch.json"))) continue;
    report.batches.unreadable.push(name);
    report.batches.kept.push(name);
    kept.add(name);
  }
  const debris = listDir(batchesDir).filter(
    (name) => !removedBatches.has(name) && !fs23.existsSync(path20.join(batchesDir, name, "batch.json")) && now - mtimeMs(path20.join(batchesDir, name)) > Math.max(grace, HOUR)
  );
  const keptBatches = batches.filter((b) => kept.has(b.batch_id));
  const snapshots = listSnapshots(store);
  const keepSnapshots = snapshotsToKeep(snapshots, keptBatches);
  const keepAllSnapshots = report.batches.unreadable.length > 0;
  const snapshotsDir = path20.join(root, SNAPSHOTS_DIR);
  const snapshotDirs = listDir(snapshotsDir);
  const isSnapshotDir = (name) => fs23.existsSync(path20.join(snapshotsDir, name, "snapshot.json"));
  if (options.auto && removedBatches.size === 0 && debris.length === 0 && (keepAllSnapshots || snapshotDirs.every((name) => keepSnapshots.has(name) || !isSnapshotDir(name)))) {
    report.skipped = true;
    report.snapshots.kept = snapshotDirs.filter(isSnapshotDir).length;
    removeStaleTemp(store, now, grace, dryRun, report);
    return report;
  }
  for (const id of report.batches.removed)
    report.bytes_freed += removeTree(store, path20.join(batchesDir, id), dryRun);
  for (const name of debris) report.bytes_freed += removeTree(store, path20.join(batchesDir, name), dryRun);
  const roots = /* @__PURE__ */ new Set();
  const sourceObjects = /* @__PURE__ */ new Set();
  const moves = reuseMoves(store, keptBatches, removedBatches);
  const memoDir = path20.join(store.layout.indexesDir, "memo");
  for (const name of listDir(memoDir)) {
    if (!name.endsWith(".jsonl")) continue;
    const file = path20.join(memoDir, name);
    const text = readText(file) ?? "";
    const task = name.slice(0, -".jsonl".length);
    const { lines, dropped } = compactMemo(text, kept, (b, s) => moves.get(`${task}/${b}/${s}`));
    report.indexes.memo_entries_removed += dropped;
    for (const line of lines) collectRefs(line, roots);
    const next = lines.length > 0 ? `${lines.join("\n")}
` : "";
    if (next !== text && !dryRun) writeFileAtomic(file, next);
    report.bytes_freed += Math.max(0, Buffer.byteLength(text) - Buffer.byteLength(next));
  }
  const bundlesDir = path20.join(store.layout.indexesDir, "bundles");
  for (const prefix of listDir(bundlesDir)) {
    for (const name of listDir(path20.join(bundlesDir, prefix))) {
      const file = path20.join(bundlesDir, prefix, name);
      let entry = {};
      try {
        entry = JSON.parse(readText(file) ?? "");
      } catch {
        entry = {};
      }
      if (entry.batch_id !== void 0 && kept.has(entry.batch_id)) continue;
      const to = moves.get(`${entry.task_id}/${entry.batch_id}/${entry.shard_id}`);
      if (to) {
        if (!dryRun) writeFileAtomic(file, JSON.stringify({ ...entry, batch_id: to.b, shard_id: to.s }));
        continue;
      }
      report.indexes.bundles_removed += 1;
      report.bytes_freed += removeFile(file, dryRun);
    }
  }
  const queryDir = path20.join(store.layout.indexesDir, "query");
  for (const name of listDir(queryDir)) {
    const id = name.replace(/\.[^.]*$/, "").replace(/\.[^.]*$/, "");
    if (kept.has(id) || !removedBatches.has(id)) continue;
    report.indexes.query_removed += 1;
    report.bytes_freed += removeFile(path20.join(queryDir, name), dryRun);
  }
  const sessionsDir2 = path20.join(root, "sessions");
  for (const name of listDir(sessionsDir2)) {
    const entry = path20.join(sessionsDir2, name);
    const text = readTreeText(entry);
    const named = new Set([...text.matchAll(/"batch_id"\s*:\s*"([A-Za-z0-9_-]+)"/g)].map((m) => m[1]));
    if (named.size > 0 && [...named].every((id) => !kept.has(id))) {
      report.sessions.removed += 1;
      report.bytes_freed += removeTree(store, entry, dryRun);
    } else collectRefs(text, roots);
  }
  for (const name of snapshotDirs) {
    const dir = path20.join(snapshotsDir, name);
    if (keepSnapshots.has(name) || keepAllSnapshots) {
      report.snapshots.kept += 1;
      collectRefs(readText(path20.join(dir, "files.index.jsonl")) ?? "", sourceObjects);
      collectRefs(readText(path20.join(dir, "snapshot.json")) ?? "", roots);
      continue;
    }
    if (!isSnapshotDir(name)) continue;
    report.snapshots.removed.push(name);
    report.bytes_freed += removeTree(store, dir, dryRun);
  }
  const scanned = /* @__PURE__ */ new Set();
  const queue = [];
  const indexObjects = /* @__PURE__ */ new Set();
  const outputObjects = /* @__PURE__ */ new Set();
  const mark = (hex) => {
    if (scanned.has(hex)) return;
    scanned.add(hex);
    queue.push(hex);
  };
  for (const name of listDir(batchesDir)) {
    if (removedBatches.has(name) || !fs23.existsSync(path20.join(batchesDir, name))) continue;
    for (const file of walkFiles(path20.join(batchesDir, name))) {
      const base = path20.basename(file);
      if (base === OUTPUTS_INDEX) collectIndexRefs(readBytes(file), roots, outputObjects);
      else if (base === "state.json") {
        const bytes = readBytes(file);
        collectByteRefs(bytes, roots);
        const hex = outputsRefObject(bytes);
        if (hex !== void 0 && !indexObjects.has(hex)) {
          indexObjects.add(hex);
          collectIndexRefs(readBytes(store.objects.objectPath(hex)), roots, outputObjects);
        }
      } else if (file.endsWith(".jsonl") || file.endsWith(".json")) collectFileRefs(file, roots);
    }
  }
  for (const hex of roots) mark(hex);
  for (const hex of outputObjects) scanned.add(hex);
  for (const hex of sourceObjects) scanned.add(hex);
  while (queue.length > 0) {
    const hex = queue.pop();
    if (indexObjects.has(hex)) continue;
    const refs = readJsonObjectRefs(store.objects.objectPath(hex));
    for (const r of refs ?? []) mark(r);
  }
  const objectDirs = listObjectDirs(store);
  for (const dir of objectDirs.dirs) {
    for (const hex of dir.objects) {
      if (scanned.has(hex)) {
        report.objects.kept += 1;
        continue;
      }
      const file = store.objects.objectPath(hex);
      let stat;
      try {
        stat = fs23.statSync(file);
      } catch {
        continue;
      }
      if (now - stat.mtimeMs < grace) {
        report.objects.kept += 1;
        continue;
      }
      report.objects.removed += 1;
      report.objects.bytes += stat.size;
      report.bytes_freed += stat.size;
      if (!dryRun) {
        fs23.rmSync(file, { force: true });
        dir.removed += 1;
      }
    }
  }
  if (!dryRun) removeEmptyObjectDirs(objectDirs);
  removeStaleTemp(store, now, grace, dryRun, report);
  return report;
}
function snapshotsToKeep(snapshots, keptBatches) {
  const keep = new Set(keptBatches.map((b) => b.snapshot_id));
  const newest = [...snapshots].sort((a, b) => a.created_at.localeCompare(b.created_at)).pop();
  if (newest) keep.add(newest.snapshot_id);
  return keep;
}
function removeStaleTemp(store, now, grace, dryRun, report) {
  for (const name of listDir(store.layout.tmpDir, true)) {
    const entry = path20.join(store.layout.tmpDir, name);
    if (now - mtimeMs(entry) <= Math.max(grace, HOUR)) continue;
    report.tmp.removed += 1;
    report.bytes_freed += treeBytes(entry);
    if (!dryRun) fs23.rmSync(entry, { recursive: true, force: true });
  }
}
function inUse(store, batch, now, grace) {
  let status;
  try {
    status = deriveBatchStatus(store, batch.batch_id).status;
  } catch {
    return false;
  }
  if (status === "running") return true;
  if (status === "pending" || status === "partial") return now - Date.parse(batch.created_at) < grace;
  return false;
}
function compactMemo(text, kept, moved) {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      return void 0;
    }
  });
  const keyOf = (e) => typeof e.k === "string" ? `k:${e.k}` : typeof e.h === "string" ? `h:${e.h}` : void 0;
  const lastByKey = /* @__PURE__ */ new Map();
  parsed.forEach((e, i) => {
    const key = e && keyOf(e);
    if (key) lastByKey.set(key, i);
  });
  const out = [];
  let dropped = 0;
  parsed.forEach((e, i) => {
    if (!e) {
      dropped += 1;
      return;
    }
    const key = keyOf(e);
    if (key && lastByKey.get(key) !== i) {
      dropped += 1;
      return;
    }
    if (typeof e.b === "string" && !kept.has(e.b)) {
      const to = typeof e.s === "string" ? moved(e.b, e.s) : void 0;
      if (!to) {
        dropped += 1;
        return;
      }
      out.push(JSON.stringify({ ...e, b: to.b, s: to.s }));
      return;
    }
    out.push(lines[i]);
  });
  return { lines: out, dropped };
}
function reuseMoves(store, keptBatches, removed) {
  const moves = /* @__PURE__ */ new Map();
  if (removed.size === 0) return moves;
  for (const batch of keptBatches) {
    const tasksDir = path20.join(store.layout.batchDir(batch.batch_id), "tasks");
    for (const task of listDir(tasksDir)) {
      for (const shard of listDir(path20.join(tasksDir, task, "shards"))) {
        let state;
        try {
          state = JSON.parse(
            fs23.readFileSync(path20.join(tasksDir, task, "shards", shard, "state.json"), "utf8")
          );
        } catch {
          continue;
        }
        const from = state.reused_from;
        if (state.status !== "done" || !from?.batch_id || !from.shard_id || !removed.has(from.batch_id))
          continue;
        const key = `${task}/${from.batch_id}/${from.shard_id}`;
        if (!moves.has(key)) moves.set(key, { b: batch.batch_id, s: shard });
      }
    }
  }
  return moves;
}
function outputsRefObject(stateBytes) {
  try {
    const state = JSON.parse(stateBytes.toString("utf8"));
    const ref2 = state.outputs_ref?.object;
    return typeof ref2 === "string" ? parseObjectRef(ref2) : void 0;
  } catch {
    return void 0;
  }
}
function readBytes(file) {
  try {
    return fs23.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
function collectIndexRefs(bytes, roots, outputs) {
  let lineStart = -1;
  let lineChunked = false;
  for (let at = bytes.indexOf(REF_PREFIX); at !== -1; at = bytes.indexOf(REF_PREFIX, at + 1)) {
    const hex = bytes.toString("latin1", at + REF_PREFIX.length, at + REF_PREFIX.length + 64);
    if (!HEX643.test(hex)) continue;
    const start = bytes.lastIndexOf(10, at) + 1;
    if (start !== lineStart) {
      lineStart = start;
      let end = bytes.indexOf(10, at);
      if (end === -1) end = bytes.length;
      const line = bytes.subarray(start, end);
      lineChunked = line.indexOf(CHUNKED_MARK) !== -1 || line.indexOf(CHUNK_MANIFEST_KIND) !== -1;
    }
    const field = at >= OBJECT_FIELD.length && bytes.compare(OBJECT_FIELD, 0, OBJECT_FIELD.length, at - OBJECT_FIELD.length, at) === 0;
    (field && !lineChunked ? outputs : roots).add(hex);
  }
}
function collectRefs(text, into) {
  for (const m of text.matchAll(REF)) into.add(m[1]);
}
function collectByteRefs(bytes, into) {
  for (let at = bytes.indexOf(REF_PREFIX); at !== -1; at = bytes.indexOf(REF_PREFIX, at + REF_PREFIX.length)) {
    const hex = bytes.toString("latin1", at + REF_PREFIX.length, at + REF_PREFIX.length + 64);
    if (HEX643.test(hex)) into.add(hex);
  }
}
function collectFileRefs(file, into) {
  let bytes;
  try {
    bytes = fs23.readFileSync(file);
  } catch {
    return;
  }
  collectByteRefs(bytes, into);
}
function readJsonObjectRefs(file) {
  let fd;
  try {
    fd = fs23.openSync(file, "r");
  } catch (error) {
    const code = error.code;
    if (code === "ENOENT" || code === "ENOTDIR") return void 0;
    throw error;
  }
  try {
    const { size } = fs23.fstatSync(fd);
    if (size > MAX_SCAN_BYTES || size < 2) return void 0;
    const bytes = Buffer.allocUnsafe(size);
    let length = fs23.readSync(fd, bytes, 0, Math.min(size, 64 * 1024), 0);
    if (bytes[0] !== 123 && bytes[0] !== 91) return void 0;
    while (length > 0 && length < size) {
      const n = fs23.readSync(fd, bytes, length, size - length, length);
      if (n === 0) break;
      length += n;
    }
    const refs = /* @__PURE__ */ new Set();
    collectByteRefs(bytes.subarray(0, length), refs);
    return refs;
  } finally {
    fs23.closeSync(fd);
  }
}
function removeTree(store, dir, dryRun) {
  const bytes = treeBytes(dir);
  if (dryRun) return bytes;
  const trash = path20.join(store.layout.tmpDir, tempName(`gc-${path20.basename(dir)}`));
  try {
    fs23.mkdirSync(store.layout.tmpDir, { recursive: true });
    fs23.renameSync(dir, trash);
  } catch {
    fs23.rmSync(dir, { recursive: true, force: true });
    return bytes;
  }
  fs23.rmSync(trash, { recursive: true, force: true });
  return bytes;
}
function removeFile(file, dryRun) {
  let size = 0;
  try {
    size = fs23.statSync(file).size;
  } catch {
    return 0;
  }
  if (!dryRun) fs23.rmSync(file, { force: true });
  return size;
}
function listObjectDirs(store) {
  const base = path20.join(store.layout.objectsDir, "sha256");
  const out = { parents: /* @__PURE__ */ new Map(), dirs: [] };
  for (const aa of listDir(base, true)) {
    const parent = path20.join(base, aa);
    const names = listDir(parent, true);
    out.parents.set(parent, names.length);
    for (const bb of names) {
      const dir = path20.join(parent, bb);
      let entries;
      try {
        entries = fs23.readdirSync(dir).sort();
      } catch {
        entries = void 0;
      }
      out.dirs.push({
        parent,
        path: dir,
        objects: (entries ?? []).filter((n) => /^[a-f0-9]{64}$/.test(n)),
        entries: entries?.length,
        removed: 0
      });
    }
  }
  return out;
}
function removeEmptyObjectDirs({ parents, dirs }) {
  const emptied = /* @__PURE__ */ new Map();
  for (const dir of dirs) {
    if (dir.entries !== dir.removed || isHidden(dir.parent) || isHidden(dir.path)) continue;
    try {
      fs23.rmdirSync(dir.path);
      emptied.set(dir.parent, (emptied.get(dir.parent) ?? 0) + 1);
    } catch {
    }
  }
  for (const [parent, entries] of parents) {
    if (isHidden(parent) || entries !== (emptied.get(parent) ?? 0)) continue;
    try {
      fs23.rmdirSync(parent);
    } catch {
    }
  }
}
function isHidden(entry) {
  return path20.basename(entry).startsWith(".");
}
function* walkFiles(dir) {
  let entries;
  try {
    entries = fs23.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path20.join(dir, e.name);
    if (e.isDirectory()) yield* walkFiles(p);
    else if (e.isFile()) yield p;
  }
}
function readTreeText(entry) {
  try {
    if (fs23.statSync(entry).isFile()) return readText(entry) ?? "";
  } catch {
    return "";
  }
  let out = "";
  for (const f of walkFiles(entry)) out += `${readText(f) ?? ""}
`;
  return out;
}
function treeBytes(entry) {
  try {
    const stat = fs23.statSync(entry);
    if (!stat.isDirectory()) return stat.size;
  } catch {
    return 0;
  }
  let total = 0;
  for (const f of walkFiles(entry)) {
    try {
      total += fs23.statSync(f).size;
    } catch {
    }
  }
  return total;
}
function mtimeMs(entry) {
  try {
    return fs23.statSync(entry).mtimeMs;
  } catch {
    return 0;
  }
}
function readText(file) {
  try {
    return fs23.readFileSync(file, "utf8");
  } catch {
    return void 0;
  }
}
function listDir(dir, includeHidden = false) {
  try {
    return fs23.readdirSync(dir).filter((n) => includeHidden || !n.startsWith(".")).sort();
  } catch {
    return [];
  }
}
function parseDuration(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) {
    throw new CodebatchError("E_USAGE", `invalid duration ${JSON.stringify(text)}`, {
      hints: ["Write a number and a unit: 500ms, 45s, 90m, 12h, 30d, 2w."]
    });
  }
  const unit = { ms: 1, s: 1e3, m: 6e4, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR }[m[2]];
  return Math.round(Number(m[1]) * unit);
}
var HOUR, REF, MAX_SCAN_BYTES, OUTPUTS_INDEX, OBJECT_FIELD, CHUNKED_MARK, CHUNK_MANIFEST_KIND, REF_PREFIX, HEX643;
var init_prune_store = __esm({
  "../core/src/gc/prune-store.ts"() {
    "use strict";
    init_read_batch();
    init_status();
    init_codebatch_error();
    init_read_snapshot();
    init_atomic_write();
    init_chunking();
    init_layout();
    init_hash();
    HOUR = 60 * 60 * 1e3;
    REF = /sha256:([a-f0-9]{64})/g;
    MAX_SCAN_BYTES = 64 * 1024 * 1024;
    OUTPUTS_INDEX = "outputs.index.jsonl";
    OBJECT_FIELD = Buffer.from('"object":"');
    CHUNKED_MARK = Buffer.from(`${CHUNKED_SUFFIX}"`);
    CHUNK_MANIFEST_KIND = Buffer.from('"chunk_manifest"');
    REF_PREFIX = Buffer.from("sha256:");
    HEX643 = /^[a-f0-9]{64}$/;
  }
});

// ../core/src/provenance/explain-shard-miss.ts
var explain_shard_miss_exports = {};
__export(explain_shard_miss_exports, {
  explainShardMiss: () => explainShardMiss,
  findPreviousBatch: () => findPreviousBatch,
  loadRunPreimage: () => loadRunPreimage
});
import fs25 from "node:fs";
function explainShardMiss(store, options) {
  const files = /* @__PURE__ */ new Map();
  const load = (b, t, s) => loadRunPreimage(store, b, t, s, files);
  const { batchId, taskId, shardId } = options;
  const current = load(batchId, taskId, shardId);
  const againstId = options.against ?? findPreviousBatch(store, batchId, taskId);
  readTaskRecord(store, againstId, taskId);
  const previous = load(againstId, taskId, shardId);
  const report = explainBundleMiss(previous.preimage, current.preimage);
  const configChange = report.changes.findIndex((c) => c.part === "config_digest");
  if (configChange >= 0) {
    const settings = diffValues(
      readTaskRecord(store, againstId, taskId).config,
      readTaskRecord(store, batchId, taskId).config,
      ""
    ).map((d) => ({ part: "config", field: d.field, from: d.from, to: d.to }));
    report.changes.splice(configChange + 1, 0, ...settings);
    if (settings.length > 0) report.parts = [...new Set(report.changes.map((c) => c.part))];
  }
  const plannedSharding = (id) => {
    const { sharding } = readTaskRecord(store, id, taskId);
    return { ...sharding, shard_count: readBatchRecord(store, id).shard_count ?? sharding.shard_count };
  };
  const filesOf = (id) => byPath(readFilesIndex(store, readBatchRecord(store, id).snapshot_id));
  let nowFiles;
  let thenFiles;
  let layouts;
  for (const c of report.changes) {
    if (c.part !== "members" || !("change" in c) || c.change === "changed") continue;
    layouts ??= { against: plannedSharding(againstId), current: plannedSharding(batchId) };
    if (c.change === "added") {
      thenFiles ??= filesOf(againstId);
      const was = thenFiles.get(c.path);
      c.note = was ? elsewhereNote("was", was, c.to, layouts.against, layouts.current, againstId) : "new file";
    } else {
      nowFiles ??= filesOf(batchId);
      const now = nowFiles.get(c.path);
      c.note = now ? elsewhereNote("now", now, c.from, layouts.current, layouts.against, batchId) : "file deleted";
    }
  }
  return {
    batch_id: batchId,
    task_id: taskId,
    shard_id: shardId,
    current: {
      bundle_hash: current.hash,
      source: current.source === "manifest" ? "manifest" : "derived",
      ...current.ref ? { manifest: current.ref } : {}
    },
    against: {
      batch_id: againstId,
      shard_id: shardId,
      bundle_hash: previous.hash,
      source: previous.source,
      ...previous.ref ? { manifest: previous.ref } : {}
    },
    ...report
  };
}
function elsewhereNote(when, file, object, there, here, thereId) {
  const content = file.object === object ? "same content" : "content changed";
  const shard = isFileFunction(there) ? ` in shard ${shardOf(there, file)}` : "";
  const layout = there.strategy !== here.strategy || there.shard_count !== here.shard_count ? `; ${thereId} shards by ${there.strategy} into ${there.shard_count}` : "";
  return `${content}; ${when} ${file.object.slice(7, 19)}${shard}${layout}`;
}
function findPreviousBatch(store, batchId, taskId) {
  const batches = listBatches(store);
  const index = batches.findIndex((b) => b.batch_id === batchId);
  const earlier = (index < 0 ? batches : batches.slice(0, index)).filter(
    (b) => b.batch_id !== batchId && fs25.existsSync(store.layout.taskFile(b.batch_id, taskId))
  );
  const previous = earlier.at(-1);
  if (!previous) {
    throw new CodebatchError("E_NOT_FOUND", `no batch before ${batchId} runs task ${taskId}`, {
      hints: ["Name the batch to compare with: --against <batch id>."],
      details: { batch_id: batchId, task_id: taskId }
    });
  }
  return previous.batch_id;
}
function byPath(files) {
  return new Map(files.map((f) => [f.path, f]));
}
function loadRunPreimage(store, batchId, taskId, shardId, files = /* @__PURE__ */ new Map()) {
  if (!fs25.existsSync(store.layout.stateFile(batchId, taskId, shardId))) {
    const r = reconstructPreimage(store, batchId, taskId, shardId, { files });
    return { preimage: r.preimage, hash: r.hash, source: "absent" };
  }
  const { manifest, ref: ref2 } = loadShardManifest(store, batchId, taskId, shardId, { files });
  let preimage;
  try {
    preimage = readManifestPreimage(store, manifest);
  } catch (error) {
    if (!(error instanceof CodebatchError)) throw error;
    const r = reconstructPreimage(store, batchId, taskId, shardId, { files });
    return { preimage: r.preimage, hash: r.hash, source: "derived" };
  }
  return {
    preimage,
    hash: manifest.input_bundle.hash,
    source: ref2 ? "manifest" : "derived",
    ...ref2 ? { ref: ref2 } : {}
  };
}
var init_explain_shard_miss = __esm({
  "../core/src/provenance/explain-shard-miss.ts"() {
    "use strict";
    init_read_batch();
    init_shard_assignment();
    init_codebatch_error();
    init_shard_manifest();
    init_read_snapshot();
    init_bundle_preimage();
    init_explain_miss();
    init_run_manifest2();
  }
});

// ../core/src/provenance/explain-file-miss.ts
var explain_file_miss_exports = {};
__export(explain_file_miss_exports, {
  explainFileMiss: () => explainFileMiss
});
function explainFileMiss(store, options) {
  const { batchId, taskId, path: path28 } = options;
  readTaskRecord(store, batchId, taskId);
  const againstId = options.against ?? findPreviousBatch(store, batchId, taskId);
  const now = snapshotOf(store, batchId);
  const then = snapshotOf(store, againstId);
  const mine = now.files.get(path28);
  const was = then.files.get(path28);
  if (!mine && !was) {
    throw new CodebatchError("E_NOT_FOUND", `${path28} is in neither batch ${batchId} nor ${againstId}`, {
      hints: ["Name a file by its snapshot path, e.g. `src/index.ts` (see `codebatch files --batch <id>`)."]
    });
  }
  const content = mine?.object === was?.object ? void 0 : { from: was?.object, to: mine?.object };
  const depsNow = mine ? closureObjects(now, path28) : /* @__PURE__ */ new Map();
  const depsThen = was ? closureObjects(then, path28) : /* @__PURE__ */ new Map();
  const dependencies = [];
  for (const [p, object] of depsNow) {
    if (p === path28) continue;
    const before = depsThen.get(p);
    if (before === void 0) dependencies.push({ path: p, change: "added", to: object });
    else if (before !== object) dependencies.push({ path: p, change: "changed", from: before, to: object });
  }
  for (const [p, object] of depsThen)
    if (p !== path28 && !depsNow.has(p)) dependencies.push({ path: p, change: "removed", from: object });
  dependencies.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    batch_id: batchId,
    against: againstId,
    task_id: taskId,
    path: path28,
    ...content ? { content } : {},
    dependencies
  };
}
function snapshotOf(store, batchId) {
  const view = openSnapshotView(store, readBatchRecord(store, batchId).snapshot_id);
  return { view, files: new Map(view.files().map((f) => [f.path, f])) };
}
function closureObjects(snapshot, path28) {
  const { typeClosureFor } = (init_type_closure_cache(), __toCommonJS(type_closure_cache_exports));
  const closure = typeClosureFor(snapshot.view);
  const out = /* @__PURE__ */ new Map();
  const d = closure.describe(path28);
  for (const p of [...closure.closureOf(path28), ...d.tsconfig, ...d.globals, ...d.lockfiles]) {
    const f = snapshot.files.get(p);
    if (f) out.set(p, f.object);
  }
  return out;
}
var init_explain_file_miss = __esm({
  "../core/src/provenance/explain-file-miss.ts"() {
    "use strict";
    init_read_batch();
    init_codebatch_error();
    init_snapshot_view();
    init_explain_shard_miss();
  }
});

// ../core/src/provenance/dsse.ts
var dsse_exports = {};
__export(dsse_exports, {
  INTOTO_PAYLOAD_TYPE: () => INTOTO_PAYLOAD_TYPE,
  openEnvelope: () => openEnvelope,
  signStatement: () => signStatement
});
import crypto2 from "node:crypto";
function pae(payloadType, payload) {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, "utf8"),
    type,
    Buffer.from(` ${payload.length} `, "utf8"),
    payload
  ]);
}
function keyIdOf(key) {
  const pub = key.type === "private" ? crypto2.createPublicKey(key) : key;
  return crypto2.createHash("sha256").update(pub.export({ type: "spki", format: "der" })).digest("hex");
}
function signStatement(statement, privateKeyPem) {
  const key = parseKey(privateKeyPem, "private");
  const payload = Buffer.from(JSON.stringify(statement), "utf8");
  const sig = crypto2.sign(null, pae(INTOTO_PAYLOAD_TYPE, payload), key);
  return {
    payloadType: INTOTO_PAYLOAD_TYPE,
    payload: payload.toString("base64"),
    signatures: [{ keyid: keyIdOf(key), sig: sig.toString("base64") }]
  };
}
function openEnvelope(envelope, publicKeyPem) {
  const key = parseKey(publicKeyPem, "public");
  const e = envelope;
  if (!e || typeof e.payload !== "string" || typeof e.payloadType !== "string" || !Array.isArray(e.signatures))
    throw invalid("not a DSSE envelope (payloadType, payload and signatures are required)");
  if (e.payloadType !== INTOTO_PAYLOAD_TYPE)
    throw invalid(`unexpected payload type ${JSON.stringify(e.payloadType)}`);
  const payload = Buffer.from(e.payload, "base64");
  const signed = pae(e.payloadType, payload);
  const ok = e.signatures.some(
    (s) => typeof s?.sig === "string" && crypto2.verify(null, signed, key, Buffer.from(s.sig, "base64"))
  );
  if (!ok) throw invalid("no signature of the envelope verifies with the given public key");
  try {
    return JSON.parse(payload.toString("utf8"));
  } catch {
    throw invalid("the signed payload is not JSON");
  }
}
function parseKey(pem, kind) {
  let key;
  try {
    key = kind === "private" ? crypto2.createPrivateKey(pem) : crypto2.createPublicKey(pem);
  } catch (error) {
    throw new CodebatchError("E_USAGE", `not a ${kind} key in PEM form: ${error.message}`, {
      hints: [
        "Make an ed25519 key pair with `openssl genpkey -algorithm ed25519 -out key.pem` and `openssl pkey -in key.pem -pubout -out key.pub`."
      ]
    });
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new CodebatchError("E_USAGE", `the ${kind} key is ${key.asymmetricKeyType}, not ed25519`, {
      hints: ["Make an ed25519 key pair with `openssl genpkey -algorithm ed25519 -out key.pem`."]
    });
  return key;
}
function invalid(message) {
  return new CodebatchError("E_SIGNATURE_INVALID", `provenance envelope rejected: ${message}`, {
    hints: ["Export and sign it again: `codebatch provenance export --format intoto --sign-key KEY`."]
  });
}
var INTOTO_PAYLOAD_TYPE;
var init_dsse = __esm({
  "../core/src/provenance/dsse.ts"() {
    "use strict";
    init_codebatch_error();
    INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
  }
});

// ../core/src/provenance/events-export.ts
var events_export_exports = {};
__export(events_export_exports, {
  OBSERVATION_COLUMNS: () => OBSERVATION_COLUMNS,
  exportObservations: () => exportObservations,
  formatObservationsCsv: () => formatObservationsCsv,
  formatObservationsJsonl: () => formatObservationsJsonl
});
function createIdMinter(prefix) {
  const seen = /* @__PURE__ */ new Map();
  return (key) => {
    const text = canonicalJson(key);
    const n = (seen.get(text) ?? 0) + 1;
    seen.set(text, n);
    return `${prefix}-${sha256Hex(canonicalJson({ ...key, n })).slice(0, 16)}`;
  };
}
function exportObservations(store, batchId, options = {}) {
  readBatchRecord(store, batchId);
  const sessions = options.sessions === false ? [] : listSessions(store, { batchId });
  const sessionAt = (ts) => sessions.find((s) => s.started_at <= ts && ts <= (s.ended_at ?? s.updated_at))?.session_id ?? null;
  const rows = [];
  const eventId = createIdMinter("ev");
  const fromEvents = (file, source) => {
    readJsonl(file, { missingOk: true, mode: "lenient" }).records.forEach((e) => {
      const { ts, event, batch_id, task_id, shard_id, attempt, schema_version: _v, ...meta } = e;
      const level = event.startsWith("batch_") ? "batch" : event.startsWith("task_") ? "task" : "shard";
      rows.push({
        timestamp: ts,
        record_id: eventId({
          source,
          event,
          task_id: task_id ?? null,
          shard_id: shard_id ?? null,
          attempt: attempt ?? null
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
          task_id && `${task_id}${shard_id ? `/${shard_id}` : ""}`,
          attempt && attempt > 1 ? `attempt ${attempt}` : ""
        ].filter(Boolean).join(" "),
        meta_json: canonicalJson(meta)
      });
    });
  };
  fromEvents(store.layout.batchEventsFile(batchId), "batch");
  for (const t of orderTasks(readPlan(store, batchId).tasks))
    fromEvents(store.layout.taskEventsFile(batchId, t.task_id), `task:${t.task_id}`);
  [...sessions].reverse().forEach((s, i) => {
    rows.push(...sessionRows(s, batchId, i + 1));
  });
  return rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.timestamp < b.r.timestamp ? -1 : a.r.timestamp > b.r.timestamp ? 1 : a.i - b.i).map((x) => x.r);
}
function sessionRows(s, batchId, ordinal) {
  const actor = `${ACTOR}${typeof s.environment?.host === "string" ? `@${s.environment.host}` : ""}`;
  const actionId = createIdMinter("ac");
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
        attempt
      }),
      session_id: s.session_id,
      actor_id: actor,
      event_type: `action.${type}`,
      level: "shard",
      batch_id: batchId,
      task_id: task_id ?? null,
      shard_id: shard_id ?? null,
      attempt,
      text: `${type} ${task_id ?? ""}${shard_id ? `/${shard_id}` : ""} ${outcome}`.replace(/\s+/g, " ").trim(),
      meta_json: canonicalJson({ outcome, ...meta })
    };
  });
}
function formatObservationsJsonl(rows) {
  return rows.map((r) => `${JSON.stringify(Object.fromEntries(OBSERVATION_COLUMNS.map((c) => [c, r[c]])))}
`).join("");
}
function formatObservationsCsv(rows) {
  const cell = (v) => {
    if (v === null || v === void 0) return "";
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [
    OBSERVATION_COLUMNS.join(","),
    ...rows.map((r) => OBSERVATION_COLUMNS.map((c) => cell(r[c])).join(","))
  ].join("\r\n") + "\r\n";
}
var OBSERVATION_COLUMNS, ACTOR;
var init_events_export = __esm({
  "../core/src/provenance/events-export.ts"() {
    "use strict";
    init_pipelines();
    init_read_batch();
    init_jsonl();
    init_canonical_json();
    init_hash();
    init_version();
    init_session();
    OBSERVATION_COLUMNS = [
      "timestamp",
      "record_id",
      "session_id",
      "actor_id",
      "event_type",
      "level",
      "batch_id",
      "task_id",
      "shard_id",
      "attempt",
      "text",
      "meta_json"
    ];
    ACTOR = `${ENGINE_NAME}@${ENGINE_VERSION}`;
  }
});

// ../core/src/provenance/batch-graph.ts
function loadBatchGraph(store, batchId) {
  const batch = readBatchRecord(store, batchId);
  const plan = readPlan(store, batchId);
  const tasks = [];
  let startedOn;
  let finishedOn;
  for (const planTask of orderTasks(plan.tasks)) {
    const record = readTaskRecord(store, batchId, planTask.task_id);
    const shards = [...record.sharding.shard_ids].sort().map((s) => readShardState(store, batchId, record.task_id, s, { missingAsReady: true }));
    for (const s of shards) {
      if (s.started_at && (!startedOn || s.started_at < startedOn)) startedOn = s.started_at;
      if (s.completed_at && (!finishedOn || s.completed_at > finishedOn)) finishedOn = s.completed_at;
    }
    tasks.push({ record, depends_on: [...planTask.depends_on], shards });
  }
  const manifests = loadManifests(
    store,
    tasks.flatMap((t) => t.shards.flatMap((s) => s.manifest ? [s.manifest] : []))
  );
  const session = listSessions(store, { batchId })[0];
  const batchManifest = readBatchManifestRef(store, batchId);
  return {
    batch,
    ...tryReadSnapshotRecord(store, batch.snapshot_id) ? { snapshot: tryReadSnapshotRecord(store, batch.snapshot_id) } : {},
    tasks,
    manifests,
    ...session ? { sessionId: session.session_id } : {},
    ...batchManifest ? { batchManifest } : {},
    ...startedOn ? { startedOn } : {},
    ...finishedOn ? { finishedOn } : {}
  };
}
function hexOf(ref2) {
  return ref2.startsWith("sha256:") ? ref2.slice(7) : ref2;
}
function loadManifests(store, refs) {
  const found = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  const queue = [...refs];
  while (queue.length > 0) {
    const ref2 = queue.shift();
    if (seen.has(ref2)) continue;
    seen.add(ref2);
    let m;
    try {
      const read = readManifest(store, ref2);
      if (read.kind !== "shard_run") continue;
      m = read;
    } catch {
      continue;
    }
    found.set(ref2, m);
    for (const u of m.inputs.upstream) if (u.manifest) queue.push(u.manifest);
    if (m.run.reused_from?.manifest) queue.push(m.run.reused_from.manifest);
  }
  return found;
}
var init_batch_graph = __esm({
  "../core/src/provenance/batch-graph.ts"() {
    "use strict";
    init_pipelines();
    init_read_batch();
    init_shard_state();
    init_shard_manifest();
    init_read_snapshot();
    init_run_manifest2();
    init_session();
  }
});

// ../core/src/provenance/export-provenance.ts
var export_provenance_exports = {};
__export(export_provenance_exports, {
  BUILDER_ID: () => BUILDER_ID,
  BUILD_TYPE: () => BUILD_TYPE,
  INTOTO_STATEMENT_TYPE: () => INTOTO_STATEMENT_TYPE,
  SLSA_PREDICATE_TYPE: () => SLSA_PREDICATE_TYPE,
  exportProvenance: () => exportProvenance,
  toInToto: () => toInToto,
  toProvO: () => toProvO
});
function exportProvenance(store, batchId, format) {
  const graph = loadBatchGraph(store, batchId);
  return format === "prov" ? toProvO(graph) : toInToto(graph);
}
function toProvO(g) {
  const b = g.batch.batch_id;
  const nodes = [];
  nodes.push({
    "@id": AGENT_ID,
    "@type": ["prov:Agent", "prov:SoftwareAgent"],
    "rdfs:label": `${ENGINE_NAME} ${ENGINE_VERSION}`,
    "cb:version": ENGINE_VERSION
  });
  const snapshotId = ids.snapshot(g.batch.snapshot_id);
  nodes.push({
    "@id": snapshotId,
    "@type": "prov:Entity",
    "rdfs:label": `snapshot ${g.batch.snapshot_id}`,
    ...g.snapshot?.files_index_digest ? { "cb:filesIndexDigest": g.snapshot.files_index_digest } : {},
    ...g.snapshot ? { "cb:fileCount": g.snapshot.file_count, "cb:totalBytes": g.snapshot.total_bytes } : {},
    ...g.snapshot?.source.git_ref ? { "cb:gitCommit": g.snapshot.source.git_ref } : {},
    ...g.snapshot?.source.git_dirty !== void 0 ? { "cb:gitDirty": g.snapshot.source.git_dirty } : {},
    ...g.snapshot ? { "prov:generatedAtTime": time(g.snapshot.created_at) } : {}
  });
  const batchActivity = ids.batch(b);
  nodes.push({
    "@id": batchActivity,
    "@type": "prov:Activity",
    "rdfs:label": `batch ${b} (${g.batch.pipeline})`,
    ...g.startedOn ? { "prov:startedAtTime": time(g.startedOn) } : {},
    ...g.finishedOn ? { "prov:endedAtTime": time(g.finishedOn) } : {},
    "prov:wasAssociatedWith": ref(AGENT_ID),
    "prov:used": [ref(snapshotId)],
    ...g.sessionId ? { "cb:session": g.sessionId } : {},
    ...g.batchManifest ? { "cb:manifest": g.batchManifest } : {}
  });
  const earlier = [];
  const described = /* @__PURE__ */ new Set();
  const upstreamOf = (taskId, shardId, startedAt, m) => {
    const deps = g.tasks.find((x) => x.record.task_id === taskId)?.depends_on ?? [];
    return deps.flatMap((d) => {
      const found = resolveUpstream(g, d, shardId, startedAt, m);
      if (found?.earlier && !described.has(found.earlier)) {
        described.add(found.earlier);
        earlier.push(found.earlier);
      }
      return found ? [{ run: found.run, outputs: found.outputs }] : [];
    });
  };
  const describeRun = (taskId, shardId, run, m, extra) => {
    const runId = ids.run(b, taskId, shardId, run.attempt);
    const upstream = upstreamOf(taskId, shardId, run.started_at, m);
    nodes.push({
      "@id": runId,
      "@type": "prov:Activity",
      "rdfs:label": `${taskId} shard ${shardId} attempt ${run.attempt}`,
      "prov:startedAtTime": time(run.started_at),
      ...run.completed_at ? { "prov:endedAtTime": time(run.completed_at) } : {},
      "prov:wasAssociatedWith": ref(AGENT_ID),
      "prov:used": [ref(snapshotId), ref(ids.config(b, taskId)), ...upstream.map((u) => ref(u.outputs))],
      ...upstream.length ? { "prov:wasInformedBy": upstream.map((u) => ref(u.run)) } : {},
      "cb:partOf": ref(batchActivity),
      "cb:status": run.status,
      "cb:attempt": run.attempt,
      ...extra.bundle_hash ? { "cb:inputBundleHash": extra.bundle_hash } : {},
      ...extra.manifest ? { "cb:manifest": extra.manifest } : {},
      ...m?.run.previous_manifest ? { "cb:previousManifest": m.run.previous_manifest } : {},
      ...extra.error ? { "cb:error": `${extra.error.code}: ${extra.error.message}` } : {}
    });
    if (!extra.outputs) return;
    const source = reuseSource(g, taskId, m, extra.reused_from);
    nodes.push({
      "@id": ids.outputs(b, taskId, shardId, run.attempt),
      "@type": "prov:Entity",
      "rdfs:label": `outputs of ${taskId} shard ${shardId} attempt ${run.attempt}`,
      "cb:digest": extra.outputs.digest,
      ...extra.outputs.result_digest ? { "cb:resultDigest": `sha256:${extra.outputs.result_digest}` } : {},
      "cb:records": extra.outputs.records,
      "prov:wasGeneratedBy": ref(runId),
      "prov:wasAttributedTo": ref(AGENT_ID),
      "prov:wasDerivedFrom": [
        ref(snapshotId),
        ...upstream.map((u) => ref(u.outputs)),
        ...source ? [ref(source)] : []
      ],
      ...run.completed_at ? { "prov:generatedAtTime": time(run.completed_at) } : {}
    });
  };
  for (const task of g.tasks) {
    const t = task.record.task_id;
    nodes.push({
      "@id": ids.config(b, t),
      "@type": "prov:Entity",
      "rdfs:label": `configuration of ${t}`,
      "cb:taskType": task.record.type,
      "cb:taskVersion": task.record.task_version,
      "cb:configDigest": task.record.config_digest
    });
    for (const s of task.shards) {
      if (!s.started_at) continue;
      describeRun(
        t,
        s.shard_id,
        {
          attempt: s.attempt,
          started_at: s.started_at,
          status: s.status,
          ...s.completed_at ? { completed_at: s.completed_at } : {}
        },
        s.manifest ? g.manifests.get(s.manifest) : void 0,
        {
          ...s.manifest ? { manifest: s.manifest } : {},
          ...s.bundle_hash ? { bundle_hash: s.bundle_hash } : {},
          ...s.status === "done" && s.outputs_digest ? {
            outputs: {
              digest: s.outputs_digest,
              ...s.result_digest ? { result_digest: s.result_digest } : {},
              records: s.stats?.outputs_written ?? 0
            }
          } : {},
          ...s.reused_from ? { reused_from: s.reused_from } : {},
          ...s.error ? { error: s.error } : {}
        }
      );
    }
  }
  for (let i = 0; i < earlier.length; i++) {
    const manifestRef = earlier[i];
    const m = g.manifests.get(manifestRef);
    describeRun(
      m.run.task_id,
      m.run.shard_id,
      {
        attempt: m.run.attempt,
        started_at: m.run.started_at,
        completed_at: m.run.completed_at,
        status: "superseded"
      },
      m,
      {
        manifest: manifestRef,
        bundle_hash: m.input_bundle.hash,
        ...m.outputs ? {
          outputs: {
            digest: m.outputs.outputs_digest,
            result_digest: m.outputs.result_digest,
            records: m.outputs.count
          }
        } : {},
        ...m.run.reused_from ? { reused_from: m.run.reused_from } : {},
        ...m.error ? { error: m.error } : {}
      }
    );
  }
  return {
    "@context": {
      prov: "http://www.w3.org/ns/prov#",
      rdfs: "http://www.w3.org/2000/01/rdf-schema#",
      xsd: "http://www.w3.org/2001/XMLSchema#",
      cb: "https://codebatch.dev/ns/provenance#"
    },
    "@graph": nodes
  };
}
function resolveUpstream(g, dep, shardId, startedAt, m) {
  const b = g.batch.batch_id;
  const current = g.tasks.find((t) => t.record.task_id === dep)?.shards.find((x) => x.shard_id === shardId);
  const at = (attempt) => ({
    run: ids.run(b, dep, shardId, attempt),
    outputs: ids.outputs(b, dep, shardId, attempt)
  });
  const recorded = m?.inputs.upstream.find((u) => u.task_id === dep);
  if (recorded?.manifest) {
    if (current?.manifest === recorded.manifest) return at(current.attempt);
    const um = g.manifests.get(recorded.manifest);
    if (!um || um.run.batch_id !== b) return void 0;
    return { ...at(um.run.attempt), earlier: recorded.manifest };
  }
  if (current?.status !== "done" || !current.completed_at || current.completed_at > startedAt)
    return void 0;
  if (recorded && current.result_digest !== recorded.result_digest) return void 0;
  return at(current.attempt);
}
function reuseSource(g, taskId, m, reusedFrom) {
  if (!reusedFrom) return void 0;
  const sourceRef = m?.run.reused_from?.manifest;
  const source = sourceRef ? g.manifests.get(sourceRef) : void 0;
  return source ? ids.outputs(source.run.batch_id, source.run.task_id, source.run.shard_id, source.run.attempt) : ids.outputs(reusedFrom.batch_id, taskId, reusedFrom.shard_id);
}
function toInToto(g) {
  const b = g.batch.batch_id;
  const subject = [];
  const byproducts = [];
  for (const task of g.tasks) {
    for (const s of task.shards) {
      if (s.status === "done" && s.result_digest) {
        const dir = `batches/${b}/tasks/${task.record.task_id}/shards/${s.shard_id}`;
        subject.push({
          name: `${dir}/result`,
          digest: { sha256: hexOf(s.result_digest) },
          annotations: { index: `${dir}/outputs.index.jsonl` }
        });
      }
      if (s.manifest)
        byproducts.push({
          name: `run-manifest/${task.record.task_id}/${s.shard_id}`,
          digest: { sha256: hexOf(s.manifest) },
          mediaType: "application/json"
        });
    }
  }
  if (g.batchManifest)
    byproducts.push({
      name: "run-manifest/batch",
      digest: { sha256: hexOf(g.batchManifest) },
      mediaType: "application/json"
    });
  const resolved = [];
  if (g.snapshot?.source.git_ref) {
    resolved.push({
      name: "source",
      digest: { gitCommit: g.snapshot.source.git_ref },
      ...g.snapshot.source.git_dirty !== void 0 ? { annotations: { dirty: g.snapshot.source.git_dirty } } : {}
    });
  }
  if (g.snapshot?.files_index_digest) {
    resolved.push({
      name: `snapshots/${g.batch.snapshot_id}/files.index.jsonl`,
      digest: { sha256: hexOf(g.snapshot.files_index_digest) },
      annotations: { file_count: g.snapshot.file_count, total_bytes: g.snapshot.total_bytes }
    });
  }
  for (const task of g.tasks)
    resolved.push({
      name: `config/${task.record.task_id}`,
      digest: { sha256: hexOf(task.record.config_digest) }
    });
  return {
    _type: INTOTO_STATEMENT_TYPE,
    subject,
    predicateType: SLSA_PREDICATE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: {
          batch_id: b,
          pipeline: g.batch.pipeline,
          snapshot_id: g.batch.snapshot_id,
          ...g.batch.config_digest ? { config_digest: g.batch.config_digest } : {}
        },
        internalParameters: {
          engine: { name: ENGINE_NAME, version: ENGINE_VERSION, schema_version: SCHEMA_VERSION },
          ...g.batch.shard_count ? { shard_count: g.batch.shard_count } : {},
          ...g.batch.chunking ? { chunking: g.batch.chunking } : {},
          tasks: g.tasks.map((t) => ({
            task_id: t.record.task_id,
            type: t.record.type,
            version: t.record.task_version,
            config_digest: t.record.config_digest,
            depends_on: t.depends_on,
            ...taskEnvironments(g, t)
          }))
        },
        resolvedDependencies: resolved
      },
      runDetails: {
        builder: { id: BUILDER_ID, version: { [ENGINE_NAME]: ENGINE_VERSION } },
        metadata: {
          invocationId: g.sessionId ? `${NS}session:${g.sessionId}` : ids.batch(b),
          ...g.startedOn ? { startedOn: g.startedOn } : {},
          ...g.finishedOn ? { finishedOn: g.finishedOn } : {}
        },
        ...byproducts.length ? { byproducts } : {}
      }
    }
  };
}
function taskEnvironments(g, task) {
  const groups = /* @__PURE__ */ new Map();
  for (const s of task.shards) {
    const env = s.manifest ? g.manifests.get(s.manifest)?.input_bundle.preimage.environment : void 0;
    if (!env || typeof env !== "object") continue;
    const { shard: _perShard, ...shared } = env;
    const published = publishable(shared);
    const key = canonicalJson(published);
    const group = groups.get(key);
    if (group) group.shards.push(s.shard_id);
    else groups.set(key, { shards: [s.shard_id], environment: published });
  }
  const all = [...groups.values()];
  if (all.length === 0) return {};
  return all.length === 1 ? { environment: all[0].environment } : { environments: all };
}
function publishable(value) {
  if (Array.isArray(value)) return value.map(publishable);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  if (entries.some(([k]) => ABSOLUTE_PATH.test(k))) return `sha256:${sha256OfCanonical(value)}`;
  return Object.fromEntries(entries.map(([k, v]) => [k, publishable(v)]));
}
var NS, AGENT_ID, ref, time, ids, INTOTO_STATEMENT_TYPE, SLSA_PREDICATE_TYPE, BUILD_TYPE, BUILDER_ID, ABSOLUTE_PATH;
var init_export_provenance = __esm({
  "../core/src/provenance/export-provenance.ts"() {
    "use strict";
    init_canonical_json();
    init_hash();
    init_version();
    init_batch_graph();
    NS = "urn:codebatch:";
    AGENT_ID = `${NS}agent:${ENGINE_NAME}@${ENGINE_VERSION}`;
    ref = (id) => ({ "@id": id });
    time = (t) => ({ "@type": "xsd:dateTime", "@value": t });
    ids = {
      snapshot: (id) => `${NS}snapshot:${id}`,
      batch: (id) => `${NS}batch:${id}`,
      config: (b, t) => `${NS}config:${b}/${t}`,
      run: (b, t, s, attempt) => `${NS}run:${b}/${t}/${s}/${attempt}`,
      /** Without an attempt only for a reuse source with no readable manifest: whatever that shard committed. */
      outputs: (b, t, s, attempt) => `${NS}outputs:${b}/${t}/${s}${attempt === void 0 ? "" : `/${attempt}`}`
    };
    INTOTO_STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    SLSA_PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    BUILD_TYPE = "https://codebatch.dev/provenance/batch-run/v1";
    BUILDER_ID = "https://codebatch.dev/builder/cli";
    ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
  }
});

// ../core/src/provenance/verify-statement.ts
var verify_statement_exports = {};
__export(verify_statement_exports, {
  checkStatementSubjects: () => checkStatementSubjects
});
import fs26 from "node:fs";
import path22 from "node:path";
function checkStatementSubjects(store, statement) {
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  const mismatches = [];
  for (const raw of subjects) {
    const s = raw;
    const name = typeof s.name === "string" ? s.name : "";
    const index = typeof s.annotations?.index === "string" ? s.annotations.index : void 0;
    const file = path22.resolve(store.layout.root, index ?? name);
    if (!name || path22.relative(store.layout.root, file).startsWith("..")) {
      mismatches.push({ name, reason: "outside the store" });
      continue;
    }
    let bytes;
    try {
      bytes = index === void 0 ? fs26.readFileSync(file) : readIndexRecords(store, index, file);
    } catch {
      bytes = void 0;
    }
    if (bytes === void 0) {
      mismatches.push({ name, reason: "missing" });
      continue;
    }
    const digest = index === void 0 ? sha256Hex(bytes) : resultDigestOfIndex(bytes);
    if (digest !== s.digest?.sha256) mismatches.push({ name, reason: "digest" });
  }
  if (subjects.length === 0)
    throw new CodebatchError("E_SUBJECT_MISMATCH", "the statement has no subjects to verify", {
      hints: [
        "Export a statement of a batch with done shards: `codebatch provenance export --format intoto`."
      ]
    });
  return { subjects: subjects.length, mismatches };
}
function readIndexRecords(store, index, file) {
  const m = SHARD_INDEX.exec(index.split(path22.sep).join("/"));
  if (!m) return fs26.readFileSync(file);
  const location2 = { batch_id: m[1], task_id: m[2], shard_id: m[3] };
  const state = readShardState(store, location2.batch_id, location2.task_id, location2.shard_id);
  return readStoredOutputs(store, location2, state)?.bytes;
}
function resultDigestOfIndex(bytes) {
  try {
    const records = parseJsonl(bytes, "index", "strict").records;
    return digestRecords(records.map(stripEnvelope));
  } catch {
    return void 0;
  }
}
var SHARD_INDEX;
var init_verify_statement = __esm({
  "../core/src/provenance/verify-statement.ts"() {
    "use strict";
    init_shard_state();
    init_codebatch_error();
    init_record_text();
    init_jsonl();
    init_shard_outputs();
    init_hash();
    SHARD_INDEX = /^batches\/([^/]+)\/tasks\/([^/]+)\/shards\/([^/]+)\/outputs\.index\.jsonl$/;
  }
});

// ../core/src/query/accel/check-query-index.ts
import fs29 from "node:fs";
function checkQueryIndex(store, batchId, file) {
  let header;
  try {
    const bytes = fs29.readFileSync(file);
    const nl = bytes.indexOf(10);
    if (nl < 0) return { status: "damaged", reason: "no header line" };
    header = JSON.parse(bytes.subarray(0, nl).toString("utf8"));
    if (header?.schema_name !== QUERY_INDEX_SCHEMA) return { status: "damaged", reason: "not a query index" };
    if (typeof header.sources !== "object" || header.sources === null) throw new Error("no sources");
    if (header.index_version !== QUERY_INDEX_VERSION)
      return {
        status: "stale",
        reason: `index version ${header.index_version}, expected ${QUERY_INDEX_VERSION}`
      };
    const body = bytes.subarray(nl + 1);
    const section = ([offset, length]) => {
      if (!(offset >= 0 && length >= 0 && offset + length <= body.length))
        throw new Error("section out of range");
      return body.subarray(offset, offset + length).toString("utf8");
    };
    if (!Array.isArray(JSON.parse(section(header.sections.count_rows))))
      throw new Error("count rows are not a list");
    for (const name of DIAGNOSTIC_SECTIONS) {
      const entry = header.sections.diagnostics[name];
      const { records } = parseJsonl(section(entry.range), file, "strict");
      if (records.length !== entry.count) throw new Error(`${name} section count mismatch`);
    }
  } catch (error) {
    return { status: "damaged", reason: error.message };
  }
  let current;
  try {
    current = canonicalJson(computeIndexSources(loadBatchView(store, batchId)));
  } catch (error) {
    return { status: "stale", reason: `its batch cannot be read (${error.message})` };
  }
  return canonicalJson(header.sources) === current ? { status: "fresh" } : { status: "stale", reason: "its source digests do not match the shards of the batch" };
}
var init_check_query_index = __esm({
  "../core/src/query/accel/check-query-index.ts"() {
    "use strict";
    init_jsonl();
    init_canonical_json();
    init_batch_view();
    init_index_sources();
    init_query_index_file();
  }
});

// ../core/src/verify/verify-store.ts
var verify_store_exports = {};
__export(verify_store_exports, {
  verifyStore: () => verifyStore
});
import fs30 from "node:fs";
import path25 from "node:path";
function verifyStore(store) {
  const { layout, objects } = store;
  const problems = [];
  const rel = (p) => path25.relative(layout.root, p);
  const status = /* @__PURE__ */ new Map();
  let objectsChecked = 0;
  for (const hex of objects.listObjects()) {
    const s = objects.verifyObject(hex);
    objectsChecked += 1;
    status.set(hex, s);
    if (s === "corrupt") {
      problems.push({
        kind: "object_corrupt",
        file: rel(objects.objectPath(hex)),
        object: `sha256:${hex}`,
        message: "content does not match its hash"
      });
    }
  }
  let refs = 0;
  let indexes = 0;
  const readRefBytes = (ref2) => {
    const hex = parseObjectRef(ref2);
    if (!hex) return void 0;
    const file = objects.objectPath(hex);
    try {
      return { bytes: fs30.readFileSync(file), file };
    } catch {
      return void 0;
    }
  };
  const checkRef = (ref2, file, chunked) => {
    if (typeof ref2 !== "string") return;
    refs += 1;
    const hex = parseObjectRef(ref2);
    if (!hex) {
      problems.push({
        kind: "bad_reference",
        file,
        message: `malformed object reference ${JSON.stringify(ref2)}`
      });
      return;
    }
    const s = status.get(hex) ?? "missing";
    if (s === "missing")
      problems.push({ kind: "object_missing", file, object: ref2, message: "referenced object is missing" });
    if (s !== "ok" || !chunked) return;
    try {
      const manifest = JSON.parse(objects.readObject(hex).toString("utf8"));
      for (const c of manifest.chunks ?? []) checkRef(c.object, file, false);
    } catch {
      problems.push({
        kind: "bad_reference",
        file,
        object: ref2,
        message: "chunk manifest is not valid JSON"
      });
    }
  };
  const parseIndex = (file, bytes) => {
    indexes += 1;
    try {
      return parseJsonl(bytes, rel(file)).records;
    } catch (error) {
      problems.push({ kind: "index_corrupt", file: rel(file), message: error.message });
      return void 0;
    }
  };
  const checkRecord2 = (file, schema, optional = false) => {
    let value;
    try {
      value = JSON.parse(fs30.readFileSync(file, "utf8"));
    } catch (error) {
      if (optional && error.code === "ENOENT") return void 0;
      problems.push({ kind: "record_invalid", file: rel(file), message: "missing or not valid JSON" });
      return void 0;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push({
      kind: "record_invalid",
      file: rel(file),
      message: result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")
    });
    return void 0;
  };
  for (const snap of listDir2(path25.join(layout.root, "snapshots"))) {
    checkRecord2(path25.join(layout.root, "snapshots", snap, "snapshot.json"), snapshotRecordSchema, true);
    const file = path25.join(layout.root, "snapshots", snap, "files.index.jsonl");
    if (!fs30.existsSync(file)) continue;
    for (const r of parseIndex(file, fs30.readFileSync(file)) ?? []) checkRef(r.object, rel(file), false);
  }
  for (const batch of listDir2(path25.join(layout.root, "batches"))) {
    const batchDir = path25.join(layout.root, "batches", batch);
    if (!fs30.existsSync(path25.join(batchDir, "batch.json"))) continue;
    checkRecord2(path25.join(batchDir, "batch.json"), batchRecordSchema);
    checkRecord2(path25.join(batchDir, "plan.json"), planRecordSchema);
    const tasksDir = path25.join(batchDir, "tasks");
    for (const task of listDir2(tasksDir)) {
      checkRecord2(path25.join(tasksDir, task, "task.json"), taskRecordSchema);
      const shardsDir = path25.join(tasksDir, task, "shards");
      for (const shard of listDir2(shardsDir)) {
        const outputs = path25.join(shardsDir, shard, "outputs.index.jsonl");
        const stateFile = path25.join(shardsDir, shard, "state.json");
        const state = fs30.existsSync(stateFile) ? checkRecord2(stateFile, shardStateSchema) : void 0;
        const ref2 = outputsRefOf(state);
        const referenced = ref2 ? readRefBytes(ref2.object) : void 0;
        const indexFile = ref2 ? referenced?.file ?? outputs : outputs;
        const exists = ref2 ? referenced !== void 0 : fs30.existsSync(outputs);
        let bytes = referenced?.bytes ?? (exists ? fs30.readFileSync(outputs) : Buffer.alloc(0));
        const refHex = ref2 ? parseObjectRef(ref2.object) : void 0;
        const digest = refHex !== void 0 && status.get(refHex) === "ok" ? ref2.object : `sha256:${sha256Hex(bytes)}`;
        if (ref2 && state) {
          checkRef(ref2.object, rel(stateFile), false);
          try {
            bytes = restampStoredOutputs({ bytes, file: indexFile }, state);
          } catch (error) {
            problems.push({ kind: "index_corrupt", file: rel(indexFile), message: error.message });
          }
        }
        let records = [];
        if (exists) {
          records = parseIndex(indexFile, bytes);
          for (const r of records ?? []) checkRef(r.object, rel(indexFile), isChunkedFormat(r.format));
        }
        if (!state) continue;
        if (state.manifest) {
          checkRef(state.manifest, rel(stateFile), false);
          const hex = parseObjectRef(state.manifest);
          const manifest = hex && status.get(hex) === "ok" ? parseJsonObject(objects.readObject(hex)) : void 0;
          if (hex && status.get(hex) === "ok" && !manifest) {
            problems.push({
              kind: "bad_reference",
              file: rel(stateFile),
              object: state.manifest,
              message: "the manifest pointer names an object that is not a JSON manifest"
            });
          }
          const members = manifest?.input_bundle?.members_object;
          if (members !== void 0) checkRef(members, `${rel(stateFile)} (its manifest)`, false);
        }
        if (state.status === "done" && state.outputs_digest) {
          if (digest !== state.outputs_digest) {
            problems.push({
              kind: "state_mismatch",
              file: rel(indexFile),
              message: ref2 ? "the object outputs_ref names does not match the digest recorded in state.json" : "outputs index does not match the digest recorded in state.json"
            });
          } else {
            const stored = storedCounts(state);
            const counted = stored && records ? countRecords(records) : void 0;
            if (stored && counted && !sameCounts(counted, stored)) {
              problems.push({
                kind: "state_mismatch",
                file: rel(stateFile),
                message: `diagnostic_counts ${formatCounts(stored)} do not match the outputs index (${formatCounts(counted)})`
              });
            }
            const kinds = storedKindCounts(state);
            const kindsCounted = kinds && records ? countKinds(records) : void 0;
            if (kinds && kindsCounted && JSON.stringify(sortCounts(kinds)) !== JSON.stringify(kindsCounted)) {
              problems.push({
                kind: "state_mismatch",
                file: rel(stateFile),
                message: `kind_counts ${JSON.stringify(kinds)} do not match the outputs index (${JSON.stringify(kindsCounted)})`
              });
            }
          }
        }
      }
    }
  }
  for (const file of listDir2(path25.join(layout.indexesDir, "memo"))) {
    const full = path25.join(layout.indexesDir, "memo", file);
    const lines = fs30.readFileSync(full, "utf8").split("\n");
    const bad = lines.filter(
      (line, i) => line !== "" && !isMemoTableLine(line, i === lines.length - 1)
    ).length;
    if (bad > 0)
      problems.push({
        kind: "index_corrupt",
        file: rel(full),
        message: `${bad} memo line(s) are not entries (skipped by every run; delete the file to drop them)`
      });
  }
  const queryDir = queryIndexDir(store);
  for (const name of listDir2(queryDir)) {
    if (!name.endsWith(".jsonl")) continue;
    const full = path25.join(queryDir, name);
    const batchId = name.slice(0, -".jsonl".length);
    indexes += 1;
    const check = checkQueryIndex(store, batchId, full);
    if (check.status === "fresh") continue;
    problems.push({
      kind: check.status === "damaged" ? "index_corrupt" : "index_stale",
      file: rel(full),
      message: `query acceleration index is ${check.status} (${check.reason}); queries ignore it and scan instead: delete it or rebuild it with \`codebatch index build --batch ${batchId}\``
    });
  }
  return {
    objects_checked: objectsChecked,
    references_checked: refs,
    indexes_checked: indexes,
    problems,
    // A stale query index is acceleration left behind by a re-run: queries ignore it and scan,
    // so it is reported but does not make the store unhealthy.
    ok: problems.every((p) => p.kind === "index_stale")
  };
}
function formatCounts(c) {
  return `error ${c.error}, warning ${c.warning}, info ${c.info}, hint ${c.hint}, none ${c.none}`;
}
function listDir2(dir) {
  try {
    return fs30.readdirSync(dir).sort();
  } catch {
    return [];
  }
}
function parseJsonObject(bytes) {
  try {
    const v = JSON.parse(bytes.toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : void 0;
  } catch {
    return void 0;
  }
}
function isMemoTableLine(line, last) {
  try {
    return isMemoLine(JSON.parse(line));
  } catch {
    return last;
  }
}
var init_verify_store = __esm({
  "../core/src/verify/verify-store.ts"() {
    "use strict";
    init_check_query_index();
    init_query_index_file();
    init_diagnostic_counts();
    init_batch_record();
    init_snapshot_record();
    init_state_record();
    init_chunking();
    init_jsonl();
    init_memo_line();
    init_shard_outputs();
    init_hash();
  }
});

// ../core/src/api/analyze.ts
import os3 from "node:os";
import path18 from "node:path";

// ../core/src/batch/init-batch.ts
import crypto from "node:crypto";
import fs2 from "node:fs";
import path from "node:path";

// ../core/src/config/config-schema.ts
init_zod();
init_catalog();
var configFileSchema = external_exports.strictObject({
  $schema: external_exports.string().optional(),
  pipeline: external_exports.enum(PIPELINE_NAMES).optional(),
  /**
   * The workspace's ESLint in the `lint` and `full` pipelines: `auto` (default) when the tree has
   * an ESLint config, `true` always (a missing ESLint is then an error), `false` never.
   */
  eslint: external_exports.union([external_exports.literal("auto"), external_exports.boolean()]).optional(),
  include: external_exports.array(external_exports.string()).optional(),
  exclude: external_exports.array(external_exports.string()).optional(),
  gitignore: external_exports.boolean().optional(),
  shards: external_exports.number().int().min(1).max(256).optional(),
  /** Outputs above this many bytes are chunked (SPEC 10). */
  chunkThreshold: external_exports.number().int().min(1024).optional(),
  /** Base of the per-shard seed policy (seed 001 SeedPolicy), recorded in each run's session. */
  seed: external_exports.number().int().min(0).max(2147483646).optional(),
  tasks: external_exports.record(external_exports.string(), external_exports.unknown()).optional()
});
var DEFAULT_SHARDS = 16;

// ../core/src/config/load-config.ts
init_codebatch_error();
import fs from "node:fs";
function formatIssues(issues, prefix = "") {
  return issues.map((i) => {
    const p = [prefix, ...i.path.map(String)].filter(Boolean).join(".");
    return `${p || "(root)"}: ${i.message}`;
  });
}
function configError(file, issues) {
  return new CodebatchError(
    "E_CONFIG_INVALID",
    `invalid configuration in ${file} (${issues.length} issue${issues.length === 1 ? "" : "s"})`,
    {
      hints: ["Fix the listed settings; see docs/configuration.md for every option."],
      details: { file, issues }
    }
  );
}
function parseConfig(value, file = "<config>") {
  const result = configFileSchema.safeParse(value);
  if (!result.success) throw configError(file, formatIssues(result.error.issues));
  return result.data;
}
function loadConfigFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new CodebatchError("E_CONFIG_NOT_FOUND", `config file ${file} not found`, {
      hints: ["Pass an existing file with --config, or omit it to use defaults."]
    });
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw configError(file, [`(root): not valid JSON (${error.message})`]);
  }
  return parseConfig(value, file);
}

// ../core/src/batch/init-batch.ts
init_codebatch_error();
init_read_snapshot();
init_atomic_write();
init_chunking();
init_layout();
init_canonical_json();
init_hash();
init_time();
init_version();
init_pipelines();
init_shard_assignment();
init_shard_lock();
function generateBatchId() {
  const stamp = nowIso().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `b${stamp}-${crypto.randomBytes(3).toString("hex")}`;
}
function resolveTaskConfigs(taskTypes, config, registry) {
  const issues = [];
  const resolved = /* @__PURE__ */ new Map();
  const given = config?.tasks ?? {};
  const known = new Set(registry.types());
  for (const key of Object.keys(given)) {
    if (!known.has(key))
      issues.push(`tasks.${key}: unknown task type (known: ${[...known].sort().join(", ")})`);
  }
  for (const type of taskTypes) {
    const result = registry.get(type).configSchema.safeParse(given[type] ?? {});
    if (result.success) resolved.set(type, result.data);
    else issues.push(...formatIssues(result.error.issues, `tasks.${type}`));
  }
  if (issues.length > 0) throw configError("the codebatch configuration", issues);
  return resolved;
}
function wantsConditionalTask(type, config, files, registry, root) {
  if (!registry.types().includes(type)) return false;
  const setting = type === "eslint" ? config?.eslint ?? "auto" : "auto";
  if (setting !== "auto") return setting;
  return registry.get(type).detect?.(files, root) ?? false;
}
function planBatch(store, options) {
  const pipeline = getPipeline(options.pipeline);
  const shardCount = options.shards ?? options.config?.shards ?? DEFAULT_SHARDS;
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 256) {
    throw new CodebatchError("E_USAGE", `--shards must be an integer from 1 to 256 (got ${shardCount})`);
  }
  const snapshot = readSnapshotRecord(store, options.snapshotId);
  const files = readFilesIndex(store, options.snapshotId);
  const planned = pipeline.tasks.filter(
    (t) => !t.conditional || wantsConditionalTask(t.type, options.config, files, options.registry, snapshot.source.path)
  );
  const configs = resolveTaskConfigs(
    planned.map((t) => t.type),
    options.config,
    options.registry
  );
  const planTasks = planned.map((t) => ({
    task_id: t.task_id,
    type: t.type,
    depends_on: [...t.depends_on],
    config: configs.get(t.type) ?? {}
  }));
  return {
    planned,
    configs,
    planTasks,
    configDigest: toObjectRef(sha256OfCanonical(planTasks)),
    shardCount,
    strategy: options.strategy ?? PLANNED_SHARD_STRATEGY,
    chunkThreshold: options.config?.chunkThreshold ?? DEFAULT_CHUNK_THRESHOLD
  };
}
function initBatch(store, options) {
  const pipeline = getPipeline(options.pipeline);
  const batchId = options.id === void 0 ? generateBatchId() : assertValidId(options.id, "batch");
  assertValidId(options.snapshotId, "snapshot");
  const layout = store.layout;
  if (fs2.existsSync(layout.batchFile(batchId))) throw batchExists(batchId);
  const snapshot = readSnapshotRecord(store, options.snapshotId);
  const files = readFilesIndex(store, options.snapshotId);
  const { planned, configs, planTasks, configDigest, shardCount, strategy, chunkThreshold } = planBatch(
    store,
    options
  );
  const sharding = { strategy, shard_count: shardCount };
  const shardIds = [...new Set(files.map((f) => shardOf(sharding, f)))].sort();
  const createdAt = nowIso();
  const tasks = planned.map((t) => {
    const def = options.registry.get(t.type);
    const config = configs.get(t.type) ?? {};
    return {
      schema_name: "codebatch.task",
      schema_version: SCHEMA_VERSION,
      producer: { ...PRODUCER },
      task_id: t.task_id,
      batch_id: batchId,
      type: t.type,
      task_version: def.version,
      sharding: { strategy: sharding.strategy, shard_count: shardCount, shard_ids: shardIds },
      inputs: { snapshot: true, tasks: [...t.depends_on] },
      config,
      config_digest: toObjectRef(sha256OfCanonical(config))
    };
  });
  const plan = {
    schema_name: "codebatch.plan",
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    batch_id: batchId,
    pipeline: pipeline.name,
    tasks: planTasks
  };
  const batch = {
    schema_name: "codebatch.batch",
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    batch_id: batchId,
    snapshot_id: snapshot.snapshot_id,
    created_at: createdAt,
    pipeline: pipeline.name,
    shard_count: shardCount,
    chunking: {
      threshold: chunkThreshold,
      chunk_size: DEFAULT_CHUNK_SIZE
    },
    config_digest: configDigest,
    // The base of every task's per-shard seed: part of the batch, so a re-run draws the same.
    ...options.config?.seed ? { seed: options.config.seed } : {},
    ...options.metadata ? { metadata: options.metadata } : {}
  };
  const finalDir = layout.batchDir(batchId);
  const staging = path.join(layout.tmpDir, tempName(`batch-${batchId}`));
  const staged = (file) => path.join(staging, path.relative(finalDir, file));
  try {
    fs2.mkdirSync(layout.tmpDir, { recursive: true });
    fs2.mkdirSync(staging);
    for (const task of tasks) {
      fs2.mkdirSync(staged(layout.shardsDir(batchId, task.task_id)), { recursive: true });
      fs2.writeFileSync(staged(layout.taskFile(batchId, task.task_id)), stableJsonPretty(task));
      for (const shardId of shardIds) {
        fs2.mkdirSync(staged(layout.shardDir(batchId, task.task_id, shardId)));
        const state = {
          schema_name: "codebatch.shard_state",
          schema_version: SCHEMA_VERSION,
          shard_id: shardId,
          task_id: task.task_id,
          batch_id: batchId,
          status: "ready",
          attempt: 1
        };
        fs2.writeFileSync(
          staged(layout.stateFile(batchId, task.task_id, shardId)),
          `${JSON.stringify(state)}
`
        );
      }
    }
    fs2.writeFileSync(staged(layout.planFile(batchId)), stableJsonPretty(plan));
    fs2.writeFileSync(staged(layout.batchFile(batchId)), stableJsonPretty(batch));
    publishBatchDir(store, batchId, staging);
  } catch (error) {
    fs2.rmSync(staging, { recursive: true, force: true });
    throw toCodebatchError(error, `creating batch ${batchId}`);
  }
  return { batch, plan, tasks, shardIds };
}
function batchExists(batchId) {
  return new CodebatchError("E_BATCH_EXISTS", `batch ${batchId} already exists`, {
    hints: ["Batches are immutable: choose another --id, or omit --id for a generated one."],
    details: { batch_id: batchId }
  });
}
function publishBatchDir(store, batchId, staging) {
  const { layout } = store;
  const finalDir = layout.batchDir(batchId);
  fs2.mkdirSync(path.dirname(finalDir), { recursive: true });
  if (renameDir(staging, finalDir)) return;
  if (fs2.existsSync(layout.batchFile(batchId))) throw batchExists(batchId);
  const lockFile = path.join(layout.tmpDir, `batch-init-${batchId}.lock`);
  const deadline = Date.now() + 3e4;
  let lock = tryLockFile(lockFile);
  while (!lock) {
    if (Date.now() > deadline) {
      throw new CodebatchError("E_LOCKED", `another process keeps initialising batch ${batchId}`, {
        hints: ["Retry when it has finished, or choose another --id."]
      });
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    lock = tryLockFile(lockFile);
  }
  try {
    if (fs2.existsSync(layout.batchFile(batchId))) throw batchExists(batchId);
    const trash = path.join(layout.tmpDir, tempName(`gc-${batchId}`));
    try {
      fs2.renameSync(finalDir, trash);
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    if (fs2.existsSync(path.join(trash, "batch.json"))) {
      fs2.renameSync(trash, finalDir);
      throw batchExists(batchId);
    }
    fs2.rmSync(trash, { recursive: true, force: true });
    if (!renameDir(staging, finalDir)) throw batchExists(batchId);
  } finally {
    lock.release();
  }
}
function renameDir(from, to) {
  try {
    fs2.renameSync(from, to);
    return true;
  } catch (error) {
    const errno = error.code;
    if (errno === "ENOTEMPTY" || errno === "EEXIST") return false;
    throw error;
  }
}

// ../core/src/api/analyze.ts
init_read_batch();
init_status();

// ../core/src/provenance/run-with-provenance.ts
init_read_batch();
init_status();
import { setTimeout as sleep2 } from "node:timers/promises";

// ../core/src/run/replicate-check.ts
init_shard_state();
init_codebatch_error();
async function checkReplicates(store, first, replicates, run) {
  const done = first.results.filter(
    (r) => r.outcome !== "failed" && r.outcome !== "blocked" && r.outcome !== "busy"
  );
  const digestsOf = () => new Map(
    done.map((r) => [
      `${r.taskId}/${r.shardId}`,
      readShardState(store, first.batchId, r.taskId, r.shardId).result_digest ?? ""
    ])
  );
  const seen = new Map([...digestsOf()].map(([k, v]) => [k, [v]]));
  const shardIds = [...new Set(done.map((r) => r.shardId))];
  const taskIds = [...new Set(done.map((r) => r.taskId))];
  for (let i = 1; i < replicates; i += 1) {
    const again = await run({ force: true, shardIds, taskIds }, i + 1);
    if (again.counts.failed > 0) {
      throw new CodebatchError(
        "E_TASK_FAILED",
        `replicate ${i + 1} of ${replicates} failed where the first run succeeded`,
        {
          hints: [
            "A task that fails only sometimes is nondeterministic; run `codebatch errors` for the failures."
          ]
        }
      );
    }
    for (const [k, v] of digestsOf()) seen.get(k)?.push(v);
  }
  const mismatches = [...seen].filter(([, ds]) => new Set(ds).size > 1).map(([k, digests]) => {
    const [task_id, shard_id] = k.split("/");
    return { task_id, shard_id, digests };
  });
  return { replicates, shardRuns: seen.size, mismatches };
}

// ../core/src/run/run-batch.ts
init_pipelines();
init_read_batch();
init_status();
init_read_snapshot();
import { setTimeout as sleep } from "node:timers/promises";

// ../core/src/run/chain-executors.ts
init_codebatch_error();
import fs4 from "node:fs";
import path2 from "node:path";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { Worker } from "node:worker_threads";
function createInProcessExecutor(ctx) {
  return {
    async run(shardId, members, taskIds) {
      const results = await runShardChain(ctx, shardId, members, taskIds);
      await yieldToEvents();
      return results;
    },
    async close() {
    }
  };
}
function workerScript() {
  return __cb_filename.endsWith(".ts") ? path2.resolve(__cb_dirname, "../../dist/run/shard-worker.js") : path2.join(__cb_dirname, "shard-worker.js");
}
function newWorkerThread() {
  const dist = __cb_filename.endsWith(".ts") ? path2.resolve(__cb_dirname, "../../dist") : path2.resolve(__cb_dirname, "..");
  const cache = path2.join(dist, "util", "compile-cache.js");
  if (!fs4.existsSync(cache)) return new Worker(workerScript());
  const code = `require(${JSON.stringify(cache)}).enableCompileCache();
require(${JSON.stringify(workerScript())});
`;
  return new Worker(code, { eval: true });
}
function startChainWorker() {
  const worker = newWorkerThread();
  let alive = true;
  let pending;
  let preparing = Promise.resolve();
  let isStarted = false;
  let startedResolve;
  let startedReject;
  const started = new Promise((resolve, reject) => {
    startedResolve = resolve;
    startedReject = reject;
  });
  started.catch(() => {
  });
  const fail = (error, fatal) => {
    if (fatal) {
      alive = false;
      startedReject(error);
    }
    pending?.reject(error);
    pending = void 0;
  };
  worker.on("message", (msg) => {
    if (msg.type === "started") {
      isStarted = true;
      startedResolve();
    } else if (msg.type === "error") {
      const error = new CodebatchError(msg.error.code, msg.error.message, {
        hints: msg.error.hints,
        details: msg.error.details
      });
      fail(error, !isStarted || pending === void 0);
    } else {
      pending?.resolve(msg);
      pending = void 0;
    }
  });
  worker.on("error", (error) => fail(error, true));
  worker.on("exit", (code) => {
    fail(new CodebatchError("E_INTERNAL", `a worker thread exited with code ${code}`), true);
  });
  const request = (kind, req) => {
    if (!alive) return Promise.reject(new CodebatchError("E_INTERNAL", "the worker thread has exited"));
    if (pending)
      throw new InternalError(`a worker thread was handed a ${kind} while running a ${pending.kind}`);
    const reply = new Promise((resolve, reject) => {
      pending = { kind, resolve, reject };
    });
    worker.postMessage(req);
    return reply;
  };
  return {
    started,
    get alive() {
      return alive;
    },
    get busy() {
      return pending?.kind;
    },
    prepare(taskTypes, memos) {
      const done = request("prepare", { type: "prepare", taskTypes, ...memos ? { memos } : {} }).then(
        () => {
        }
      );
      preparing = done.catch(() => {
      });
      return done;
    },
    async open(job) {
      await started;
      await preparing;
      await request("open", { type: "open", job });
    },
    async run(job, shardId, members, taskIds) {
      const msg = await request("chain", { type: "chain", job, shardId, members, taskIds });
      return msg.results;
    },
    setKeepAlive(keep) {
      if (keep) worker.ref();
      else worker.unref();
    },
    async terminate() {
      alive = false;
      await worker.terminate();
    }
  };
}

// ../core/src/run/chain-handoff.ts
function createHandoff(workers, producers) {
  const chains = [];
  let takers = workers;
  let open = producers > 0;
  const fed = producers > 0;
  let waiting = [];
  const wake = () => {
    const w = waiting;
    waiting = [];
    for (const f of w) f();
  };
  return {
    give(shardId) {
      if (takers === 0 || chains.length >= takers) return false;
      chains.push(shardId);
      wake();
      return true;
    },
    /** The next chain for a worker: a handed-off one first, else the pass's queue; undefined at the end. */
    async next(queue) {
      for (; ; ) {
        const handed = chains.shift();
        if (handed !== void 0) {
          if (chains.length === 0) wake();
          return handed;
        }
        const shardId = queue.shift();
        if (shardId !== void 0 || !open) return shardId;
        await new Promise((resolve) => waiting.push(resolve));
      }
    },
    /** This thread is done with the pass's queue: workers drain what was handed and stop. */
    close() {
      open = false;
      wake();
    },
    /**
     * Settles when a worker that has not started yet has nothing to join for: this thread is
     * done and nothing is handed (in a pass without this thread: the queue is empty).
     */
    async untilIdle(queue) {
      while (open || chains.length > 0 || queue.length > 0 && !fed) {
        if (!open && chains.length === 0) return new Promise(() => {
        });
        await new Promise((resolve) => waiting.push(resolve));
      }
    },
    /** An executor failed: nothing more is handed or taken. */
    abort() {
      open = false;
      takers = 0;
      chains.length = 0;
      wake();
    },
    /** A worker stops; the last one returns what is left, for the next pass. */
    leave() {
      if (takers > 0) takers -= 1;
      return takers === 0 ? chains.splice(0) : [];
    }
  };
}

// ../core/src/run/select-shards.ts
init_pipelines();
init_shard_assignment();
init_shard_state();
init_codebatch_error();
init_layout();
function selectShards(store, records, options, selected) {
  const { batch, plan, tasks } = records;
  const first = orderTasks(plan.tasks)[0]?.task_id;
  let shardIds = [...(first !== void 0 ? tasks.get(first) : void 0)?.sharding.shard_ids ?? []];
  if (options.shardIds && options.shardIds.length > 0) {
    for (const s of options.shardIds) {
      assertValidShardId(s);
      if (!shardIds.includes(s)) {
        throw new CodebatchError(
          "E_SHARD_NOT_FOUND",
          `shard ${s} holds no files in batch ${options.batchId}`,
          {
            hints: [`List shards with \`codebatch shards --batch ${options.batchId}\`.`]
          }
        );
      }
    }
    shardIds = shardIds.filter((s) => options.shardIds.includes(s));
  }
  if (options.shardSlice) {
    const { index, total } = options.shardSlice;
    shardIds = shardIds.filter((_, i) => i % total === index);
  }
  if (options.maxShards !== void 0) {
    const open = shardIds.filter(
      (s) => selected.some(
        (t) => readShardState(store, batch.batch_id, t, s, { missingAsReady: true }).status !== "done"
      )
    );
    shardIds = open.slice(0, options.maxShards);
  }
  return shardIds;
}
function shardingOf(records) {
  const task = records.tasks.values().next().value;
  return {
    // A batch without tasks runs nothing: any strategy partitions it the same.
    strategy: task?.sharding.strategy ?? PLANNED_SHARD_STRATEGY,
    shard_count: records.batch.shard_count ?? task?.sharding.shard_count ?? 256,
    ...task ? { shard_ids: task.sharding.shard_ids } : {}
  };
}
function partitionByShard(files, sharding) {
  const byShard = /* @__PURE__ */ new Map();
  for (const f of files) {
    const shard = shardOf(sharding, f);
    const list = byShard.get(shard);
    if (list) list.push(f);
    else byShard.set(shard, [f]);
  }
  return byShard;
}

// ../core/src/run/worker-pool.ts
function createWorkerPool() {
  const all = /* @__PURE__ */ new Set();
  const idle = [];
  const warming = /* @__PURE__ */ new Set();
  let started = 0;
  let closed = false;
  const release = async (worker, opened) => {
    if (worker.busy === "chain") {
      all.delete(worker);
      await worker.terminate();
      return;
    }
    void opened.then(
      () => park(worker),
      () => park(worker)
    );
  };
  const park = (worker) => {
    if (closed || !worker.alive) {
      all.delete(worker);
      return;
    }
    worker.setKeepAlive(false);
    idle.push(worker);
  };
  const claim = (w) => {
    if (w.alive) {
      w.setKeepAlive(true);
      return w;
    }
    all.delete(w);
    return void 0;
  };
  const take = () => {
    for (let w = idle.pop(); w !== void 0; w = idle.pop()) {
      const claimed = claim(w);
      if (claimed) return claimed;
    }
    for (const w of warming) {
      warming.delete(w);
      const claimed = claim(w);
      if (claimed) return claimed;
    }
    return startWorker();
  };
  const startWorker = () => {
    const w = startChainWorker();
    started += 1;
    all.add(w);
    return w;
  };
  const idleAlive = () => idle.filter((w) => w.alive).length;
  return {
    lease(count, job) {
      return Array.from({ length: count }, () => {
        const worker = take();
        const ready = worker.open(job);
        ready.catch(() => {
        });
        let released = false;
        return {
          ready,
          run: (shardId, members, taskIds) => worker.run(job, shardId, members, taskIds),
          get alive() {
            return worker.alive;
          },
          async close() {
            if (released) return;
            released = true;
            await release(worker, ready);
          }
        };
      });
    },
    get started() {
      return started;
    },
    get idle() {
      return idleAlive();
    },
    get warm() {
      return idleAlive() + [...warming].filter((w) => w.alive).length;
    },
    prewarm(taskTypes, memos) {
      if (closed || this.warm > 0) return;
      const worker = startWorker();
      worker.setKeepAlive(false);
      warming.add(worker);
      const settle = () => {
        if (warming.delete(worker)) park(worker);
      };
      worker.prepare(taskTypes, memos).then(settle, settle);
    },
    async close() {
      closed = true;
      idle.length = 0;
      warming.clear();
      const workers = [...all];
      all.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    }
  };
}

// ../core/src/run/run-batch.ts
function countOutcomes(results) {
  const counts = {
    executed: 0,
    skipped: 0,
    reused: 0,
    failed: 0,
    blocked: 0,
    busy: 0,
    deferred: 0
  };
  for (const r of results) counts[r.outcome] += 1;
  return counts;
}
async function runBatch(store, options, records = readBatchRecords(store, options.batchId)) {
  const t0 = Date.now();
  const { batch, plan, tasks } = records;
  const ordered = orderTasks(plan.tasks).map((t) => t.task_id);
  let selected = ordered;
  if (options.taskIds && options.taskIds.length > 0) {
    for (const id of options.taskIds) if (!tasks.has(id)) readTaskRecord(store, options.batchId, id);
    selected = ordered.filter((id) => options.taskIds.includes(id));
  }
  const shardIds = selectShards(store, records, options, selected);
  const members = partitionByShard(readFilesIndex(store, batch.snapshot_id), shardingOf(records));
  const ctx = loadBatchRunContext(store, records, options.registry, {
    force: options.force ?? false,
    manifests: options.manifests !== false
  });
  const eventsFile = store.layout.batchEventsFile(batch.batch_id);
  appendEvent(eventsFile, "batch_started", {
    batch_id: batch.batch_id,
    stats: { tasks: selected, shards: shardIds.length }
  });
  const total = shardIds.length * selected.length;
  const results = [];
  const unsettled = new Map(shardIds.map((s) => [s, new Set(selected)]));
  let stopped = false;
  const report = (chain) => {
    for (const r of chain) {
      const open = unsettled.get(r.shardId);
      if (r.outcome === "busy" || r.outcome === "deferred" || !open?.has(r.taskId)) continue;
      open.delete(r.taskId);
      if (r.outcome === "failed" && options.failFast) stopped = true;
      results.push(r);
      options.onShard?.(r, results.length, total);
    }
  };
  let executors = [createInProcessExecutor({ ...ctx, canExecute: false })];
  const job = {
    storeDir: store.layout.root,
    batchId: batch.batch_id,
    force: options.force ?? false,
    manifests: options.manifests !== false
  };
  const early = earlyWorkers(options);
  if (early > 0) executors.push(...options.workers.lease(early, job));
  const started = [...executors];
  let ownPool;
  let prepared = false;
  try {
    let pending = likelyChangedFirst(shardIds, members, options.likelyChanged);
    const deadline = Date.now() + (options.busyTimeoutMs ?? 10 * 60 * 1e3);
    while (pending.length > 0) {
      const queue = [...pending];
      const retry = /* @__PURE__ */ new Set();
      let deferred = false;
      const workers = executors.filter((e) => "ready" in e);
      const handoff = createHandoff(workers.length, executors.length - workers.length);
      const joined = [];
      const unjoined = /* @__PURE__ */ new Set();
      const defer = (shardId) => {
        deferred = true;
        retry.add(shardId);
      };
      const settled = await Promise.allSettled(
        executors.map(async (executor) => {
          const isWorker = "ready" in executor;
          if (isWorker) {
            const joins = await Promise.race([
              executor.ready.then(
                () => true,
                () => false
              ),
              handoff.untilIdle(queue).then(() => false)
            ]);
            if (!joins) {
              for (const s of handoff.leave()) defer(s);
              unjoined.add(executor);
              await executor.close();
              return;
            }
            joined.push(executor);
          }
          try {
            for (; ; ) {
              const shardId = isWorker ? await handoff.next(queue) : queue.shift();
              if (shardId === void 0 || stopped) break;
              let chain;
              try {
                chain = await executor.run(shardId, members.get(shardId) ?? [], selected);
              } catch (error) {
                queue.length = 0;
                handoff.abort();
                throw error;
              }
              report(chain);
              const held = chain.some((r) => r.outcome === "busy");
              if (!held && chain.some((r) => r.outcome === "deferred") && handoff.give(shardId)) continue;
              for (const r of chain) {
                if (r.outcome === "deferred") deferred = true;
                if (r.outcome === "busy" || r.outcome === "deferred") retry.add(shardId);
              }
            }
          } finally {
            if (isWorker) for (const s of handoff.leave()) defer(s);
            else handoff.close();
          }
        })
      );
      const failure = settled.find((r) => r.status === "rejected");
      if (failure) throw failure.reason;
      executors = executors.filter((e) => !unjoined.has(e));
      const untaken = stopped ? [] : queue.splice(0);
      for (const s of untaken) retry.add(s);
      if (untaken.length > 0 && !executors.some((e) => !("ready" in e))) {
        await options.registry.prepare(selected.map((id) => tasks.get(id).type));
        executors = [createInProcessExecutor({ ...ctx, canExecute: true })];
        started.push(...executors);
      }
      pending = [...retry].sort();
      if (pending.length === 0 || stopped) break;
      if (deferred && !prepared) {
        prepared = true;
        const fileCount = pending.reduce((n, s) => n + (members.get(s)?.length ?? 0), 0);
        const live = joined.filter((w) => w.alive);
        const threads = Math.max(workerThreadsFor(options, pending.length, fileCount), live.length);
        if (threads > 0) {
          if (!options.workers) ownPool = createWorkerPool();
          const pool = options.workers ?? ownPool;
          const more = pool.lease(threads - live.length, job);
          started.push(...more);
          executors = [...live, ...more];
        } else {
          await options.registry.prepare(selected.map((id) => tasks.get(id).type));
          executors = [createInProcessExecutor({ ...ctx, canExecute: true })];
          started.push(...executors);
        }
        continue;
      }
      if (Date.now() > deadline) {
        for (const shardId of pending) {
          for (const taskId of unsettled.get(shardId) ?? []) {
            results.push({
              taskId,
              shardId,
              outcome: "busy",
              files: 0,
              outputs: 0,
              filesExecuted: 0,
              filesReused: 0,
              durationMs: 0
            });
          }
        }
        break;
      }
      await sleep(50);
    }
  } finally {
    await Promise.all(started.map((e) => e.close()));
    await ownPool?.close();
  }
  const status = deriveBatchStatus(store, batch.batch_id);
  for (const t of status.tasks) {
    if (!selected.includes(t.task_id)) continue;
    if (t.status === "done" || t.status === "failed" || t.status === "blocked") {
      appendEvent(
        store.layout.taskEventsFile(batch.batch_id, t.task_id),
        t.status === "done" ? "task_completed" : t.status === "failed" ? "task_failed" : "task_blocked",
        {
          batch_id: batch.batch_id,
          task_id: t.task_id,
          stats: { ...t.shards }
        }
      );
    }
  }
  const rank = new Map(selected.map((t, i) => [t, i]));
  results.sort((a, b) => rank.get(a.taskId) - rank.get(b.taskId) || a.shardId.localeCompare(b.shardId));
  const counts = countOutcomes(results);
  appendEvent(eventsFile, counts.failed > 0 || counts.blocked > 0 ? "batch_failed" : "batch_completed", {
    batch_id: batch.batch_id,
    duration_ms: Date.now() - t0,
    stats: { ...counts }
  });
  return { batchId: batch.batch_id, results, counts, status, durationMs: Date.now() - t0 };
}
function workerThreadsFor(options, chains, files) {
  if (!options.useDefaultRegistryInWorkers) return 0;
  const wanted = Math.max(1, Math.min(options.parallel ?? 1, chains));
  if (wanted > 1 && files >= 200) return wanted;
  const warm = options.workers?.warm ?? 0;
  return warm > 0 && (options.parallel ?? 1) > 1 ? Math.min(wanted, warm) : 0;
}
var LIKELY_CHANGED_MAX = 1024;
function likelyChangedFirst(shardIds, members, likelyChanged) {
  if (!likelyChanged || likelyChanged.length === 0 || likelyChanged.length > LIKELY_CHANGED_MAX)
    return shardIds;
  const paths = new Set(likelyChanged);
  const first = [];
  const rest = [];
  for (const shardId of shardIds) {
    (members.get(shardId)?.some((f) => paths.has(f.path)) ? first : rest).push(shardId);
  }
  return [...first, ...rest];
}
function earlyWorkers(options) {
  if (!options.useDefaultRegistryInWorkers || (options.parallel ?? 1) < 2) return 0;
  return Math.min(1, options.workers?.warm ?? 0);
}

// ../core/src/provenance/run-with-provenance.ts
init_read_snapshot();

// ../core/src/provenance/environment.ts
import os2 from "node:os";
import path4 from "node:path";

// ../core/src/snapshot/git-info.ts
import { spawnSync } from "node:child_process";
import fs6 from "node:fs";
import os from "node:os";
import path3 from "node:path";

// ../core/src/snapshot/read-small-file.ts
import fs5 from "node:fs";
var SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024;
function readSmallFile(file, options) {
  const maxBytes = options.maxBytes ?? SMALL_FILE_MAX_BYTES;
  let fd;
  try {
    const stat = options.followSymlinks ? fs5.statSync(file) : fs5.lstatSync(file);
    const refused = refuse(stat, maxBytes);
    if (refused) return refused;
    const flags = fs5.constants.O_RDONLY | (fs5.constants.O_NONBLOCK ?? 0) | (options.followSymlinks ? 0 : fs5.constants.O_NOFOLLOW ?? 0);
    fd = fs5.openSync(file, flags);
    const refusedFd = refuse(fs5.fstatSync(fd), maxBytes);
    if (refusedFd) return refusedFd;
    const text = fs5.readFileSync(fd, "utf8");
    if (text.length > maxBytes) return { ok: false, reason: "too_large" };
    return { ok: true, text };
  } catch (error) {
    const errno = error.code;
    if (errno === "ENOENT" || errno === "ENOTDIR") return { ok: false, reason: "absent" };
    if (errno === "ELOOP") return { ok: false, reason: "symlink" };
    return { ok: false, reason: "unreadable", ...errno ? { errno } : {} };
  } finally {
    if (fd !== void 0) fs5.closeSync(fd);
  }
}
function refuse(stat, maxBytes) {
  if (stat.isSymbolicLink()) return { ok: false, reason: "symlink" };
  if (!stat.isFile()) return { ok: false, reason: stat.isDirectory() ? "absent" : "special" };
  if (stat.size > maxBytes) return { ok: false, reason: "too_large" };
  return void 0;
}
function readSmallText(file, maxBytes) {
  const result = readSmallFile(file, { followSymlinks: true, ...maxBytes ? { maxBytes } : {} });
  return result.ok ? result.text : void 0;
}

// ../core/src/snapshot/git-info.ts
var COMMIT = /^[a-f0-9]{40}([a-f0-9]{24})?$/;
var PACKED_REFS_MAX_BYTES = 256 * 1024 * 1024;
function readGitInfo(sourceAbs, options = {}) {
  const repo = findRepo(sourceAbs);
  if (!repo) return {};
  const ref2 = resolveHead(repo.gitDir);
  if (!ref2) return {};
  const info = { git_ref: ref2 };
  if (options.dirty !== false) {
    const dirty = options.knownDirty ?? readDirtyFlag(sourceAbs, repo, ref2);
    if (dirty !== void 0) info.git_dirty = dirty;
  }
  return info;
}
function findRepo(start) {
  for (let dir = start; ; dir = path3.dirname(dir)) {
    const dotGit = path3.join(dir, ".git");
    let stat;
    try {
      stat = fs6.statSync(dotGit, { throwIfNoEntry: false });
    } catch {
      return void 0;
    }
    if (stat?.isDirectory()) return { workTree: dir, gitDir: dotGit };
    if (stat?.isFile()) {
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(readSmallText(dotGit) ?? "");
      return match ? { workTree: dir, gitDir: path3.resolve(dir, match[1]) } : void 0;
    }
    if (path3.dirname(dir) === dir) return void 0;
  }
}
function commonDirOf(gitDir) {
  const commonRel = readSmallText(path3.join(gitDir, "commondir"))?.trim();
  return commonRel ? path3.resolve(gitDir, commonRel) : gitDir;
}
function resolveHead(gitDir) {
  const head = readSmallText(path3.join(gitDir, "HEAD"))?.trim();
  if (!head) return void 0;
  if (COMMIT.test(head)) return head;
  const match = /^ref:\s*(\S+)$/.exec(head);
  if (!match) return void 0;
  const refName = match[1];
  const commonDir = commonDirOf(gitDir);
  for (const dir of /* @__PURE__ */ new Set([gitDir, commonDir])) {
    const loose = readSmallText(path3.join(dir, refName))?.trim();
    if (loose && COMMIT.test(loose)) return loose;
  }
  const packed = readSmallText(path3.join(commonDir, "packed-refs"), PACKED_REFS_MAX_BYTES) ?? "";
  for (const line of packed.split("\n")) {
    const [sha, name] = line.trim().split(" ");
    if (name === refName && sha && COMMIT.test(sha)) return sha;
  }
  return void 0;
}
function readDirtyFlag(sourceAbs, repo, head) {
  const out = withScratchGit(repo, head, sourceAbs, (git) => git(statusArgs(".")));
  return out === void 0 ? void 0 : out.length > 0;
}
function statusArgs(spec) {
  return ["status", "--porcelain", "-z", "--no-renames", "--ignore-submodules=dirty", "--", spec];
}
function withScratchGit(repo, head, cwd, use) {
  let scratch;
  try {
    const commonDir = commonDirOf(repo.gitDir);
    const env = gitEnv();
    scratch = fs6.mkdtempSync(path3.join(os.tmpdir(), "codebatch-git-"));
    fs6.mkdirSync(path3.join(scratch, "refs"));
    fs6.mkdirSync(path3.join(scratch, "info"));
    fs6.writeFileSync(path3.join(scratch, "HEAD"), `${head}
`);
    fs6.writeFileSync(path3.join(scratch, "config"), scratchConfig(commonDir, head, env));
    const exclude = readSmallText(path3.join(commonDir, "info", "exclude"));
    if (exclude !== void 0) fs6.writeFileSync(path3.join(scratch, "info", "exclude"), exclude);
    const gitDir = scratch;
    return use((args, input) => {
      const result = spawnSync(
        "git",
        ["-c", "core.fsmonitor=", "-c", `core.hooksPath=${os.devNull}`, ...args],
        {
          cwd,
          env: {
            ...env,
            GIT_DIR: gitDir,
            GIT_WORK_TREE: repo.workTree,
            GIT_INDEX_FILE: path3.join(repo.gitDir, "index"),
            GIT_OBJECT_DIRECTORY: path3.join(commonDir, "objects")
          },
          input,
          stdio: [input ? "pipe" : "ignore", "pipe", "ignore"],
          timeout: 3e4,
          maxBuffer: 256 * 1024 * 1024
        }
      );
      return result.error || result.status !== 0 ? void 0 : result.stdout;
    });
  } catch {
    return void 0;
  } finally {
    if (scratch) fs6.rmSync(scratch, { recursive: true, force: true });
  }
}
var COPIED_CORE_KEYS = /^core\.(filemode|ignorecase|precomposeunicode|symlinks|autocrlf|eol|trustctime|checkstat)$/;
var PLAIN_VALUE = /^[A-Za-z0-9_-]{1,32}$/;
function scratchConfig(commonDir, head, env) {
  const sha256 = head.length === 64;
  let config = `[core]
	repositoryformatversion = ${sha256 ? 1 : 0}
	bare = false
`;
  const listed = spawnSync("git", ["config", "--file", path3.join(commonDir, "config"), "-z", "--list"], {
    env,
    stdio: ["ignore", "pipe", "ignore"],
    timeout: 1e4,
    maxBuffer: 16 * 1024 * 1024
  });
  if (!listed.error && listed.status === 0) {
    for (const item of listed.stdout.toString("utf8").split("\0")) {
      const newline = item.indexOf("\n");
      const key = newline < 0 ? item : item.slice(0, newline);
      const value = newline < 0 ? "true" : item.slice(newline + 1);
      if (COPIED_CORE_KEYS.test(key) && PLAIN_VALUE.test(value)) {
        config += `	${key.slice("core.".length)} = ${value}
`;
      }
    }
  }
  if (sha256) config += "[extensions]\n	objectformat = sha256\n";
  return config;
}
function gitEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!REPO_LOCATING_VARS.has(key)) env[key] = value;
  }
  return { ...env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0", GIT_NO_LAZY_FETCH: "1" };
}
var REPO_LOCATING_VARS = /* @__PURE__ */ new Set([
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
  "GIT_CONFIG"
]);

// ../core/src/provenance/environment.ts
init_toolchain();
init_time();
init_version();
function captureEnvironment(sourceDir, options = {}) {
  const env = {
    captured_at: nowIso(),
    host: os2.hostname(),
    platform: process.platform,
    arch: process.arch,
    os_release: os2.release(),
    node_version: process.versions.node,
    runtime: runtimeMajor(),
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION }
  };
  if (options.tasks)
    env.tasks = Object.fromEntries(Object.entries(options.tasks).sort(([a], [b]) => a.localeCompare(b)));
  if (options.git) env.git = { ...options.git };
  else if (sourceDir) {
    const info = readGitInfo(path4.resolve(sourceDir), { dirty: options.dirty });
    if (info.git_ref)
      env.git = { commit: info.git_ref, ...info.git_dirty !== void 0 ? { dirty: info.git_dirty } : {} };
  }
  try {
    env.toolchain = readToolchain();
  } catch {
  }
  const ci = detectCi(process.env);
  if (ci) env.ci = ci;
  return env;
}
function detectCi(e) {
  if (e.GITHUB_ACTIONS === "true")
    return {
      provider: "github-actions",
      ...e.GITHUB_RUN_ID ? { run_id: `${e.GITHUB_RUN_ID}/${e.GITHUB_RUN_ATTEMPT ?? "1"}` } : {}
    };
  if (e.GITLAB_CI) return { provider: "gitlab", ...e.CI_PIPELINE_ID ? { run_id: e.CI_PIPELINE_ID } : {} };
  if (e.CI) return { provider: "unknown" };
  return void 0;
}

// ../core/src/provenance/record-shard-actions.ts
init_session();
function createShardActionRecorder(p) {
  const { store, batchId, session, before, retries, retryable, verify } = p;
  const attempts = /* @__PURE__ */ new Map();
  const latest = /* @__PURE__ */ new Map();
  let pending = [];
  let retrying = false;
  const handle = (r) => {
    const key = `${r.taskId}/${r.shardId}`;
    if (retrying && r.outcome === "skipped" && latest.has(key)) return;
    latest.set(key, r);
    const attempt = attempts.get(key) ?? 1;
    const prior = before.get(key) ?? { summary: { status: "absent" }, fields: { status: "absent" } };
    if (r.outcome === "skipped" || r.outcome === "blocked" || r.outcome === "busy") {
      const note = r.outcome === "skipped" ? "already done, identical input bundle" : r.outcome === "blocked" ? "blocked by a failed dependency" : "held by another process";
      session.recordAction({
        type: "skip_shard",
        outcome: "skipped",
        task_id: r.taskId,
        shard_id: r.shardId,
        attempt,
        after: prior.summary,
        note
      });
      return;
    }
    const after = readStateSummary(store.layout.stateFile(batchId, r.taskId, r.shardId));
    before.set(key, after);
    const base = {
      task_id: r.taskId,
      shard_id: r.shardId,
      attempt,
      duration_ms: r.durationMs,
      intent: { files: r.files, ...retrying ? { retry: true } : {} },
      before: prior.summary,
      after: after.summary,
      diff: summarizeStateDiff(prior.fields, after.fields)
    };
    const f = after.fields;
    const committed = {
      ...f.outputs_digest ? { outputs_digest: f.outputs_digest } : {},
      ...f.manifest ? { manifest: f.manifest } : {}
    };
    const type = r.outcome === "reused" ? "reuse_shard" : "execute_shard";
    if (r.outcome === "failed") {
      const canRetry2 = attempt <= retries && retryable.has(r.error?.code ?? "");
      if (canRetry2) pending.push({ taskId: r.taskId, shardId: r.shardId, force: false });
      session.recordAction({
        ...base,
        type,
        outcome: canRetry2 ? "retry" : "failed",
        evidence: { error: r.error },
        note: `${r.error?.code}: ${r.error?.message}`
      });
      return;
    }
    const v = verify(store, batchId, r.taskId, r.shardId, r.outcome === "reused");
    const evidence = {
      ...committed,
      outputs: r.outputs,
      files_executed: r.filesExecuted,
      files_reused: r.filesReused,
      ...f.reused_from?.batch_id ? { reused_from: f.reused_from.batch_id } : {},
      verification: { outputs_rehash: v.outputs_rehash, records: v.records, invalid: v.invalid }
    };
    if (v.ok) {
      session.recordAction({ ...base, type, outcome: "verified", evidence });
      return;
    }
    const canRetry = attempt <= retries;
    if (canRetry) pending.push({ taskId: r.taskId, shardId: r.shardId, force: true });
    session.recordAction({
      ...base,
      type,
      outcome: canRetry ? "retry" : "failed",
      evidence: { ...evidence, problems: v.problems },
      note: `verification failed: ${v.problems[0] ?? "unknown"}`
    });
  };
  const handleReplicate = (r, replicate) => {
    const key = `${r.taskId}/${r.shardId}`;
    const prior = before.get(key) ?? { summary: { status: "absent" }, fields: { status: "absent" } };
    if (r.outcome === "skipped" || r.outcome === "blocked" || r.outcome === "busy") {
      session.recordAction({
        type: "skip_shard",
        outcome: "skipped",
        task_id: r.taskId,
        shard_id: r.shardId,
        attempt: attempts.get(key) ?? 1,
        intent: { replicate },
        after: prior.summary,
        note: `replicate ${replicate}: ${r.outcome}`
      });
      return;
    }
    const after = readStateSummary(store.layout.stateFile(batchId, r.taskId, r.shardId));
    before.set(key, after);
    const base = {
      task_id: r.taskId,
      shard_id: r.shardId,
      attempt: attempts.get(key) ?? 1,
      duration_ms: r.durationMs,
      intent: { files: r.files, replicate },
      before: prior.summary,
      after: after.summary,
      diff: summarizeStateDiff(prior.fields, after.fields)
    };
    const type = r.outcome === "reused" ? "reuse_shard" : "execute_shard";
    if (r.outcome === "failed") {
      session.recordAction({
        ...base,
        type,
        outcome: "failed",
        evidence: { error: r.error },
        note: `replicate ${replicate}: ${r.error?.code}: ${r.error?.message}`
      });
      return;
    }
    const v = verify(store, batchId, r.taskId, r.shardId, r.outcome === "reused");
    const f = after.fields;
    session.recordAction({
      ...base,
      type,
      outcome: v.ok ? "verified" : "failed",
      evidence: {
        ...f.result_digest ? { result_digest: f.result_digest } : {},
        ...f.outputs_digest ? { outputs_digest: f.outputs_digest } : {},
        outputs: r.outputs,
        verification: { outputs_rehash: v.outputs_rehash, records: v.records, invalid: v.invalid },
        ...v.ok ? {} : { problems: v.problems }
      },
      ...v.ok ? {} : { note: `replicate ${replicate}: verification failed: ${v.problems[0] ?? "unknown"}` }
    });
  };
  return {
    attempts,
    latest,
    handle,
    handleReplicate,
    startRetrying: () => {
      retrying = true;
    },
    hasPending: () => pending.length > 0,
    takePending: () => {
      const work = pending;
      pending = [];
      return work;
    }
  };
}

// ../core/src/provenance/run-with-provenance.ts
init_run_manifest2();
init_session();
init_verify_outputs();
var SEED_DERIVATION = "sha256(task_id, shard_id[, base]) mod 2147483647";
var DEFAULT_RETRYABLE_CODES = [
  "E_OBJECT_NOT_FOUND",
  "E_OBJECT_CORRUPT",
  "E_INDEX_CORRUPT",
  "E_LOCKED",
  "E_INTERNAL"
];
async function runBatchWithProvenance(store, options, prov = {}) {
  const replicates = prov.replicates ?? 1;
  const records = readBatchRecords(store, options.batchId);
  const { batch, plan, tasks } = records;
  if (prov.enabled === false) {
    const plain = (o) => runBatch(store, { ...options, maxShards: void 0, ...o, manifests: false }, records);
    const summary = await runBatch(store, { ...options, manifests: false }, records);
    if (replicates <= 1) return summary;
    return { ...summary, replicateReport: await checkReplicates(store, summary, replicates, plain) };
  }
  const t0 = Date.now();
  const retries = prov.retries ?? 2;
  const retryable = new Set(prov.retryableCodes ?? DEFAULT_RETRYABLE_CODES);
  const verify = prov.verify ?? ((s, b, t, sh) => verifyShardOutputs(s, b, t, sh, { validate: prov.validateRecords === true }));
  const taskVersions = {};
  const before = /* @__PURE__ */ new Map();
  for (const planTask of plan.tasks) {
    const task = tasks.get(planTask.task_id);
    taskVersions[task.type] = task.task_version;
    if (options.taskIds?.length && !options.taskIds.includes(task.task_id)) continue;
    for (const shardId of task.sharding.shard_ids) {
      before.set(
        `${task.task_id}/${shardId}`,
        readStateSummary(store.layout.stateFile(batch.batch_id, task.task_id, shardId))
      );
    }
  }
  const snapshot = tryReadSnapshotRecord(store, batch.snapshot_id);
  const git = snapshot?.source.git_ref ? {
    commit: snapshot.source.git_ref,
    ...snapshot.source.git_dirty !== void 0 ? { dirty: snapshot.source.git_dirty } : {}
  } : void 0;
  const environment = captureEnvironment(void 0, { tasks: taskVersions, ...git ? { git } : {} });
  const session = new SessionRecorder(store, {
    label: prov.label ?? "run",
    batch_id: batch.batch_id,
    environment,
    options: {
      force: options.force ?? false,
      parallel: options.parallel ?? 1,
      retries,
      ...options.taskIds?.length ? { tasks: options.taskIds } : {},
      ...options.shardIds?.length ? { shards: options.shardIds } : {},
      ...options.shardSlice ? { shard_slice: options.shardSlice } : {}
    },
    budget: {
      max_shards: options.maxShards ?? null,
      fail_fast: options.failFast ?? false,
      retries,
      replicates
    },
    seed_policy: {
      // The base the runner applies: the batch's, from codebatch.config.json `seed`.
      base: batch.seed ?? 0,
      derivation: SEED_DERIVATION,
      base_applied: true
    },
    ...prov.live ? { live: prov.live } : {},
    ...prov.flushIntervalMs !== void 0 ? { flushIntervalMs: prov.flushIntervalMs } : {}
  });
  const recorder = createShardActionRecorder({
    store,
    batchId: batch.batch_id,
    session,
    before,
    retries,
    retryable,
    verify
  });
  const { attempts, latest, handle } = recorder;
  const passOptions = (o) => {
    const { shardSlice: _slice, onShard: _on, ...rest } = options;
    return { ...rest, ...o, onShard: (r) => handle(r) };
  };
  let first;
  let replicateReport;
  let replicateCheck;
  try {
    first = await runBatch(
      store,
      {
        ...options,
        onShard: (r, done, total) => {
          handle(r);
          options.onShard?.(r, done, total);
        }
      },
      records
    );
    recorder.startRetrying();
    for (let round = 1; round <= retries && recorder.hasPending(); round++) {
      await sleep2((prov.backoffMs ?? 100) * 2 ** (round - 1));
      const work = recorder.takePending();
      for (const w of work)
        attempts.set(`${w.taskId}/${w.shardId}`, (attempts.get(`${w.taskId}/${w.shardId}`) ?? 1) + 1);
      const forced = /* @__PURE__ */ new Map();
      for (const w of work.filter((x) => x.force))
        forced.set(w.taskId, [...forced.get(w.taskId) ?? [], w.shardId]);
      for (const [taskId, shardIds] of forced)
        await runBatch(
          store,
          passOptions({ taskIds: [taskId], shardIds: [...new Set(shardIds)].sort(), force: true }),
          records
        );
      const failedShards = [...new Set(work.filter((x) => !x.force).map((x) => x.shardId))].sort();
      if (failedShards.length > 0)
        await runBatch(store, passOptions({ shardIds: failedShards, force: false }), records);
    }
    if (replicates > 1) {
      replicateCheck = { replicates, shard_runs: 0, deterministic: false, mismatches: [] };
      const settled = first.results.map((r) => latest.get(`${r.taskId}/${r.shardId}`) ?? r);
      replicateReport = await checkReplicates(store, { ...first, results: settled }, replicates, (o, n) => {
        const { shardSlice: _slice, onShard: _on, ...rest } = options;
        return runBatch(
          store,
          {
            ...rest,
            maxShards: void 0,
            ...o,
            onShard: (r, done, total) => {
              recorder.handleReplicate(r, n);
              options.onShard?.(r, done, total);
            }
          },
          records
        );
      });
      replicateCheck = toReplicateCheckRecord(replicateReport);
    }
  } catch (error) {
    if (replicateCheck) {
      const e = error;
      replicateCheck = {
        ...replicateCheck,
        error: { code: e.code ?? "E_INTERNAL", message: String(e.message) }
      };
    }
    session.finish("failed", replicateCheck ? { replicate_check: replicateCheck } : {});
    throw error;
  }
  const results = first.results.map((r) => latest.get(`${r.taskId}/${r.shardId}`) ?? r);
  const stateOf = (taskId, shardId) => before.get(`${taskId}/${shardId}`)?.fields;
  const unchanged = finishedCountsAllSkipped(session) ? readBatchManifestRef(store, batch.batch_id) : void 0;
  const batchManifest = unchanged ?? writeBatchManifest(
    store,
    buildBatchManifest(
      store,
      batch.batch_id,
      { session_id: session.id, environment },
      stateOf
    )
  );
  const finished = session.finish(void 0, {
    batch_manifest: batchManifest,
    ...replicateCheck ? { replicate_check: replicateCheck } : {}
  });
  return {
    batchId: batch.batch_id,
    results,
    counts: countOutcomes(results),
    status: attempts.size > 0 ? deriveBatchStatus(store, batch.batch_id) : first.status,
    durationMs: Date.now() - t0,
    sessionId: session.id,
    sessionFile: session.file,
    batchManifest,
    actions: finished.counts,
    ...replicateReport ? { replicateReport } : {}
  };
}
function toReplicateCheckRecord(report) {
  return {
    replicates: report.replicates,
    shard_runs: report.shardRuns,
    deterministic: report.mismatches.length === 0,
    mismatches: report.mismatches
  };
}
function finishedCountsAllSkipped(session) {
  const c = session.counts;
  return c.verified === 0 && c.failed === 0 && c.retry === 0;
}

// ../core/src/api/analyze.ts
init_batch_view();

// ../core/src/query/count-diagnostics.ts
init_codebatch_error();
init_jsonl();
init_read_verification();
init_diagnostic_counts();
init_output_filter();
init_output_order();

// ../core/src/query/query-diagnostics.ts
init_batch_facts();
init_batch_view();
init_output_filter();
init_query_outputs();
function emptySeverityCounts() {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}
function queryDiagnostics(store, batchId, options = {}) {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const keep = createOutputPredicate({ severity: options.severity, code: options.code, path: options.path });
  const all = loadDiagnostics(view, taskIds, { ...options, severity: options.severity }).filter(keep);
  const bySeverity = emptySeverityCounts();
  for (const r of all) if (r.severity && r.severity in bySeverity) bySeverity[r.severity] += 1;
  return {
    batch_id: batchId,
    filters: definedFields({
      task: options.task,
      severity: options.severity,
      code: options.code,
      path: options.path,
      limit: options.limit
    }),
    total: all.length,
    by_severity: bySeverity,
    records: applyLimit(all, options.limit)
  };
}

// ../core/src/query/count-diagnostics.ts
init_shard_scan();
function provenIndexes(results) {
  const proven = /* @__PURE__ */ new Map();
  for (const r of results) if (r.outputsDigest) proven.set(provenKey(r.taskId, r.shardId), r.outputsDigest);
  return proven;
}
function provenKey(taskId, shardId) {
  return `${taskId}/${shardId}`;
}
function scanDiagnosticsAtLeast(view, taskIds, min, options = {}) {
  const counts = emptySeverityCounts();
  const records = [];
  for (const taskId of taskIds) {
    for (const entry of listShards(view, taskId)) {
      if (!isShardVisible(entry)) continue;
      const pre = options.prefetched?.get(provenKey(taskId, entry.shardId));
      const shard = pre && pre.min === min && entry.stateBytes?.equals(pre.stateBytes) ? pre : scanShard(entry, min, options);
      addSeverityCounts(counts, shard.counts);
      for (const r of shard.records) records.push(r);
    }
  }
  return { records: sortOutputs(records), counts };
}
function prefetchShardDiagnostics(view, taskId, shardId, min, options = {}) {
  const entry = readShardEntry(view, taskId, shardId);
  if (!isShardVisible(entry) || !entry.stateBytes) return void 0;
  return { stateBytes: entry.stateBytes, min, ...scanShard(entry, min, options) };
}
function scanShard(entry, min, options) {
  const counts = emptySeverityCounts();
  const records = [];
  const keep = (r) => r.kind === "diagnostic" && meetsSeverityThreshold(r.severity ?? "warning", min);
  const select = min === "error" ? '"error"' : '"diagnostic"';
  const stored = verifiesReads() ? storedCounts(entry.state) : void 0;
  if (stored) {
    addSeverityCounts(counts, stored);
    const expected = countAtLeast(stored, min);
    if (expected === 0) {
      if (!isProven(entry, options.proven)) readVerifiedOutputsBytes(entry);
      return { records, counts };
    }
    const { bytes: bytes2 } = readVerifiedOutputsBytes(entry);
    const kept = parseSelectedLines(bytes2, select, entry.outputsFile).filter(keep);
    assertStoredCount(entry, stored, min, kept.length, expected);
    return { records: kept, counts };
  }
  const { bytes, verified } = readVerifiedOutputsBytes(entry);
  if (!verified) {
    const all = emptyDiagnosticCounts();
    for (const r of readShardOutputs(entry)) {
      addRecord(all, r);
      if (keep(r)) records.push(r);
    }
    addSeverityCounts(counts, all);
    return { records, counts };
  }
  addSeverityCounts(counts, countInBytes(bytes));
  for (const r of parseSelectedLines(bytes, select, entry.outputsFile))
    if (keep(r)) records.push(r);
  return { records, counts };
}
function isProven(entry, proven) {
  const digest = proven?.get(provenKey(entry.taskId, entry.shardId));
  return digest !== void 0 && digest === entry.state?.outputs_digest;
}
function assertStoredCount(entry, stored, min, found, expected) {
  if (found === expected) return;
  throw new CodebatchError(
    "E_INDEX_CORRUPT",
    `${entry.outputsFile} holds ${found} diagnostics at or above ${min}; its state recorded ${expected}`,
    {
      hints: [
        "Re-run the affected shard with --force to rewrite its index and state, or run `codebatch verify`."
      ],
      details: { file: entry.outputsFile, state: entry.stateFile, min, found, expected, stored }
    }
  );
}

// ../core/src/report/diagnostic.ts
var SEVERITIES = ["error", "warning", "info", "hint"];
function severityOf(diagnostic) {
  return diagnostic.severity ?? "warning";
}
function isAtLeast(severity, threshold) {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}
function countBySeverity(diagnostics) {
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) counts[severityOf(d)] += 1;
  return counts;
}
function compareDiagnostics(a, b) {
  return compareStrings(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || compareStrings(a.code ?? "", b.code ?? "") || compareStrings(a.message ?? "", b.message ?? "");
}
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function prefixPath(prefix, path28) {
  if (!prefix || prefix === "." || prefix === "./") return path28;
  return `${prefix.replace(/\/+$/, "")}/${path28}`;
}

// ../core/src/run/verified-batches.ts
init_zod();
init_compile_acceptor();
init_atomic_write();
init_layout();
init_stat_fingerprint();
init_time();
import fs12 from "node:fs";
import path9 from "node:path";
var FILE_NAME = "verified-batches.json";
var SCHEMA_NAME = "codebatch.verified_batches";
var VERSION = 1;
var MAX_VERDICTS = 8;
var fingerprintSchema = external_exports.tuple([
  external_exports.string(),
  // path relative to the store root
  external_exports.number(),
  // ino
  external_exports.number(),
  // dev
  external_exports.number(),
  // size
  external_exports.number(),
  // mtimeMs
  external_exports.number()
  // ctimeMs
]);
var shardResultSchema = external_exports.tuple([
  external_exports.string(),
  // task id
  external_exports.string(),
  // shard id
  external_exports.number().int().nonnegative(),
  // files
  external_exports.number().int().nonnegative(),
  // outputs
  external_exports.string().regex(/^sha256:[a-f0-9]{64}$/)
  // outputs digest
]);
var derivedSchema = external_exports.tuple([
  external_exports.string(),
  // name, chosen by the caller (api/analyze.ts: the report at one severity)
  external_exports.string().regex(/^[a-f0-9]{64}$/)
  // the object holding it
]);
var verdictSchema = external_exports.object({
  key: external_exports.string(),
  batch_id: external_exports.string(),
  files: external_exports.array(fingerprintSchema),
  results: external_exports.array(shardResultSchema),
  derived: external_exports.array(derivedSchema).optional()
});
var verdictFileSchema = external_exports.object({
  schema_name: external_exports.literal(SCHEMA_NAME),
  version: external_exports.literal(VERSION),
  verdicts: external_exports.array(verdictSchema)
});
var MAX_DERIVED = 4;
function lookupVerifiedBatch(store, key, batchId) {
  const verdict = readVerdicts(store).find((v) => v.key === key && v.batch_id === batchId);
  if (!verdict) return void 0;
  for (const [rel, ino, dev, size, mtimeMs2, ctimeMs] of verdict.files) {
    if (!isStoreRelativePath(rel)) return void 0;
    const now = statOf(path9.join(store.layout.root, rel));
    if (!now || !sameFingerprint(now, { ino, dev, size, mtimeMs: mtimeMs2, ctimeMs })) return void 0;
  }
  const results = verdict.results.map(
    ([taskId, shardId, files, outputs, outputsDigest2]) => ({
      taskId,
      shardId,
      outcome: "skipped",
      files,
      outputs,
      filesExecuted: 0,
      filesReused: files,
      durationMs: 0,
      outputsDigest: outputsDigest2
    })
  );
  return { results, verdict: refOf(verdict) };
}
function recordVerifiedBatch(store, verified) {
  const root = store.layout.root;
  const files = [];
  for (const file of verified.files) {
    const rel = path9.relative(root, file);
    const fp = statOf(file);
    if (!isStoreRelativePath(rel) || !fp || !changedBefore(fp, verified.markMs - RACY_WINDOW_MS))
      return void 0;
    files.push([rel, fp.ino, fp.dev, fp.size, fp.mtimeMs, fp.ctimeMs]);
  }
  const results = [];
  for (const r of verified.results) {
    if (r.outcome !== "skipped" || !r.outputsDigest) return void 0;
    results.push([r.taskId, r.shardId, r.files, r.outputs, r.outputsDigest]);
  }
  const verdict = { key: verified.key, batch_id: verified.batchId, files, results };
  const kept = readVerdicts(store).filter((v) => v.key !== verified.key);
  return writeVerdicts(store, [verdict, ...kept]) ? refOf(verdict) : void 0;
}
function readVerifiedDerived(store, verdict, name) {
  const hex = verdict.derived.get(name);
  if (hex === void 0) return void 0;
  try {
    return store.objects.readObjectVerified(hex);
  } catch {
    return void 0;
  }
}
function recordVerifiedDerived(store, verdict, name, bytes) {
  try {
    const verdicts = readVerdicts(store);
    const entry = verdicts.find(
      (v) => v.key === verdict.key && v.batch_id === verdict.batchId && JSON.stringify(v.files) === verdict.files
    );
    if (!entry) return;
    const hex = store.objects.writeObject(bytes);
    entry.derived = [
      [name, hex],
      ...(entry.derived ?? []).filter(([n]) => n !== name)
    ].slice(0, MAX_DERIVED);
    writeVerdicts(store, verdicts);
  } catch {
  }
}
function refOf(verdict) {
  return {
    key: verdict.key,
    batchId: verdict.batch_id,
    files: JSON.stringify(verdict.files),
    derived: new Map(verdict.derived ?? [])
  };
}
function writeVerdicts(store, verdicts) {
  const text = `${JSON.stringify({
    schema_name: SCHEMA_NAME,
    version: VERSION,
    verdicts: verdicts.slice(0, MAX_VERDICTS)
  })}
`;
  try {
    fs12.mkdirSync(store.layout.indexesDir, { recursive: true });
    writeFileAtomic(path9.join(store.layout.indexesDir, FILE_NAME), text);
    return true;
  } catch {
    return false;
  }
}
function readVerdicts(store) {
  try {
    const text = fs12.readFileSync(path9.join(store.layout.indexesDir, FILE_NAME), "utf8");
    const parsed = safeParseFast(verdictFileSchema, JSON.parse(text));
    return parsed.success ? parsed.data.verdicts : [];
  } catch {
    return [];
  }
}
function statOf(file) {
  try {
    const st = fs12.lstatSync(file, { throwIfNoEntry: false });
    return st?.isFile() ? fingerprintOf(st) : void 0;
  } catch {
    return void 0;
  }
}

// ../core/src/run/verify-batch.ts
init_pipelines();
init_read_batch();
init_shard_state();
init_read_snapshot();
init_shard_outputs();
init_hash();
init_version();
async function verifyBatch(store, options, given) {
  const markMs = Date.now();
  const records = given ?? readBatchRecords(store, options.batchId);
  const { batch, plan } = records;
  const taskIds = orderTasks(plan.tasks).map((t) => t.task_id);
  const shardIds = selectShards(store, records, { batchId: options.batchId }, taskIds);
  const ctx = {
    ...loadBatchRunContext(store, records, options.registry, { force: false, manifests: false }),
    canExecute: false,
    skipOnly: true
  };
  let partitioned;
  const members = () => {
    partitioned ??= partitionByShard(readFilesIndex(store, batch.snapshot_id), shardingOf(records));
    return partitioned;
  };
  const key = await verdictKey(ctx, taskIds, shardIds, members);
  const known = lookupVerifiedBatch(store, key, batch.batch_id);
  if (known) return known;
  const executor = createInProcessExecutor(ctx);
  const results = [];
  for (const shardId of shardIds)
    results.push(...await executor.run(shardId, members().get(shardId) ?? [], taskIds));
  if (results.length > 0 && results.every((r) => r.outcome === "skipped")) {
    const verdict = recordVerifiedBatch(store, {
      key,
      batchId: batch.batch_id,
      markMs,
      files: filesRead(store, records, taskIds, shardIds),
      results
    });
    return { results, verdict };
  }
  return { results };
}
async function verdictKey(ctx, taskIds, shardIds, members) {
  const tasks = await Promise.all(
    taskIds.map(async (id) => {
      const task = ctx.tasks.get(id);
      const def = ctx.registry.get(task.type);
      const environment = await taskEnvironment(ctx, task);
      return {
        task_id: id,
        type: task.type,
        implementation: def.version,
        environment: environment ?? null,
        // Per shard, what settleTask adds to the environment in the shard's bundle.
        shard_inputs: def.shardInputs && environment ? shardIds.map((s) => withShardInputs(ctx, task, members().get(s) ?? [], environment) ?? null) : null
      };
    })
  );
  return sha256OfCanonical({
    salt: BUNDLE_SALT,
    engine_version: ENGINE_VERSION,
    runtime: runtimeMajor(),
    batch_id: ctx.batch.batch_id,
    snapshot_id: ctx.batch.snapshot_id,
    shard_ids: shardIds,
    tasks
  });
}
function filesRead(store, records, taskIds, shardIds) {
  const { layout } = store;
  const batchId = records.batch.batch_id;
  const snapshotId = records.batch.snapshot_id;
  const files = [
    layout.snapshotFile(snapshotId),
    layout.filesIndexFile(snapshotId),
    layout.batchFile(batchId),
    layout.planFile(batchId)
  ];
  for (const taskId of taskIds) {
    files.push(layout.taskFile(batchId, taskId));
    for (const shardId of shardIds) {
      files.push(layout.stateFile(batchId, taskId, shardId));
      const state = readShardState(store, batchId, taskId, shardId, { missingAsReady: true });
      const index = storedOutputsFile(
        store,
        { batch_id: batchId, task_id: taskId, shard_id: shardId },
        state
      );
      if (index !== void 0) files.push(index);
    }
  }
  return files;
}

// ../core/src/snapshot/create-snapshot.ts
init_codebatch_error();
init_snapshot_record();
init_layout();
init_hash();
init_stat_fingerprint();
init_time();
init_version();
init_canonical_path();
import fs19 from "node:fs";
import path16 from "node:path";

// ../core/src/snapshot/detect-binary.ts
import { isUtf8 } from "node:buffer";
var TEXT_SNIFF_BYTES = 8192;
function isProbablyText(bytes) {
  const truncated = bytes.length > TEXT_SNIFF_BYTES;
  let head = truncated ? bytes.subarray(0, TEXT_SNIFF_BYTES) : bytes;
  if (head.indexOf(0) !== -1) return false;
  if (isUtf8(head)) return true;
  if (!truncated) return false;
  head = head.subarray(0, head.length - incompleteTailLength(head));
  return isUtf8(head);
}
function incompleteTailLength(bytes) {
  for (let back = 1; back <= 3 && back <= bytes.length; back += 1) {
    const b = bytes[bytes.length - back];
    if ((b & 192) === 128) continue;
    const need2 = b >= 194 && b <= 223 ? 2 : b >= 224 && b <= 239 ? 3 : b >= 240 && b <= 244 ? 4 : 0;
    return need2 > back ? back : 0;
  }
  return 0;
}

// ../core/src/snapshot/git-blob-map.ts
init_atomic_write();
init_layout();
import fs13 from "node:fs";
import path10 from "node:path";
init_hash();
init_read_snapshot();
var SCHEMA_NAME2 = "codebatch.git_blob_map";
var VERSION2 = 1;
var MAX_ENTRIES = 5e5;
var BLOB_ID = /^[a-f0-9]{40}([a-f0-9]{24})?$/;
var HEX64 = /^[a-f0-9]{64}$/;
var OBJECT_REF = /^sha256:[a-f0-9]{64}$/;
function mapFile(store) {
  return path10.join(store.layout.indexesDir, "git-blobs.json");
}
function loadGitBlobMap(store) {
  const out = /* @__PURE__ */ new Map();
  let stored;
  try {
    stored = JSON.parse(fs13.readFileSync(mapFile(store), "utf8"));
  } catch {
    return { entries: out };
  }
  if (stored?.schema_name !== SCHEMA_NAME2 || stored.version !== VERSION2 || !Array.isArray(stored.entries))
    return { entries: out };
  for (const e of stored.entries) {
    if (!isStoredEntry(e)) return { entries: /* @__PURE__ */ new Map() };
    out.set(e[0], { hex: e[1], size: e[2], text: e[3] === 1 });
  }
  const snap = stored.snapshot;
  const anchor = typeof snap?.id === "string" && isValidId(snap.id) && typeof snap.files_index_digest === "string" && OBJECT_REF.test(snap.files_index_digest) ? { id: snap.id, filesIndexDigest: snap.files_index_digest } : void 0;
  return anchor ? { entries: out, anchor } : { entries: out };
}
function saveGitBlobMap(store, previous, fresh, snapshot, anchorKept) {
  let changed = !anchorKept;
  for (const [blob, e] of fresh) {
    const old = previous.entries.get(blob);
    if (!old || old.hex !== e.hex || old.size !== e.size || old.text !== e.text) changed = true;
  }
  if (!changed) return;
  const merged = new Map(previous.entries);
  for (const [blob, e] of fresh) {
    merged.delete(blob);
    merged.set(blob, e);
  }
  const entries = [];
  for (const [blob, e] of merged) entries.push([blob, e.hex, e.size, e.text ? 1 : 0]);
  const kept = entries.slice(Math.max(0, entries.length - MAX_ENTRIES));
  writeFileAtomic(
    mapFile(store),
    JSON.stringify({
      schema_name: SCHEMA_NAME2,
      version: VERSION2,
      snapshot: { id: snapshot.id, files_index_digest: snapshot.filesIndexDigest },
      entries: kept
    })
  );
}
function isStoredEntry(e) {
  return Array.isArray(e) && e.length === 4 && typeof e[0] === "string" && BLOB_ID.test(e[0]) && typeof e[1] === "string" && HEX64.test(e[1]) && Number.isInteger(e[2]) && e[2] >= 0 && (e[3] === 0 || e[3] === 1);
}
function objectsOfKeptSnapshot(store, anchor) {
  if (!anchor) return void 0;
  try {
    if (tryReadSnapshotRecord(store, anchor.id)?.files_index_digest !== anchor.filesIndexDigest)
      return void 0;
    const bytes = fs13.readFileSync(store.layout.filesIndexFile(anchor.id));
    if (toObjectRef(sha256Hex(bytes)) !== anchor.filesIndexDigest) return void 0;
    const hexes = /* @__PURE__ */ new Set();
    everyObjectField(bytes, (hex) => {
      hexes.add(hex);
      return true;
    });
    return hexes;
  } catch {
    return void 0;
  }
}

// ../core/src/snapshot/git-clean-blobs.ts
import fs14 from "node:fs";
import path11 from "node:path";
function readCleanBlobIds(sourceAbs) {
  const repo = findRepo(sourceAbs);
  if (!repo) return void 0;
  const head = resolveHead(repo.gitDir);
  if (!head) return void 0;
  if (fs14.existsSync(path11.join(commonDirOf(repo.gitDir), "info", "attributes"))) return void 0;
  const prefix = path11.relative(repo.workTree, sourceAbs).split(path11.sep).join("/");
  if (prefix.startsWith("..")) return void 0;
  const spec = prefix === "" ? "." : prefix;
  return withScratchGit(repo, head, repo.workTree, (git) => cleanBlobIds(git, spec, prefix));
}
function cleanBlobIds(git, spec, prefix) {
  const autocrlf = git(["config", "--get", "--default=false", "core.autocrlf"]);
  const status = git(statusArgs(spec));
  const stage = status && git(["ls-files", "-s", "-v", "-z", "--full-name", "--", spec]);
  if (!autocrlf || !status || !stage) return void 0;
  const dirty = status.length > 0;
  if (CONVERTS_ON_CHECKOUT.has(autocrlf.toString("utf8").trim().toLowerCase()))
    return { blobs: /* @__PURE__ */ new Map(), dirty };
  const changed = changedPaths(status);
  const candidates = /* @__PURE__ */ new Map();
  for (const entry of stage.toString("utf8").split("\0")) {
    const tab = entry.indexOf("	");
    if (tab < 0) continue;
    const [tag, mode, blob, stageNo] = entry.slice(0, tab).split(" ");
    const file = entry.slice(tab + 1);
    if (tag !== "H" || stageNo !== "0" || mode !== "100644" && mode !== "100755" || !blob) continue;
    if (changed.has(file)) continue;
    candidates.set(file, blob);
  }
  if (candidates.size === 0) return { blobs: /* @__PURE__ */ new Map(), dirty };
  const attrs = git(
    ["check-attr", "-z", "--stdin", "--all"],
    Buffer.from(`${[...candidates.keys()].join("\0")}\0`, "utf8")
  );
  if (!attrs) return void 0;
  const converted = pathsWithAttributes(attrs);
  const out = /* @__PURE__ */ new Map();
  const strip = prefix === "" ? 0 : prefix.length + 1;
  for (const [file, blob] of candidates) {
    if (converted.has(file)) continue;
    out.set(file.slice(strip), blob);
  }
  return { blobs: out, dirty };
}
var CONVERTS_ON_CHECKOUT = /* @__PURE__ */ new Set(["true", "yes", "on", "1"]);
function changedPaths(status) {
  const out = /* @__PURE__ */ new Set();
  for (const entry of status.toString("utf8").split("\0")) if (entry.length > 3) out.add(entry.slice(3));
  return out;
}
var CONVERTING_ATTRIBUTES = /* @__PURE__ */ new Set(["text", "eol", "filter", "ident", "working-tree-encoding"]);
function pathsWithAttributes(output) {
  const parts = output.toString("utf8").split("\0");
  const out = /* @__PURE__ */ new Set();
  for (let i = 0; i + 2 < parts.length; i += 3)
    if (CONVERTING_ATTRIBUTES.has(parts[i + 1]) && parts[i + 2] !== "unspecified") out.add(parts[i]);
  return out;
}

// ../core/src/snapshot/lang-hint.ts
var BY_EXTENSION = {
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  cts: "typescript",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  py: "python",
  pyi: "python",
  pyw: "python",
  json: "json",
  jsonc: "json",
  json5: "json",
  md: "markdown",
  markdown: "markdown",
  mdx: "markdown",
  yml: "yaml",
  yaml: "yaml",
  toml: "toml",
  ini: "ini",
  xml: "xml",
  svg: "xml",
  html: "html",
  htm: "html",
  css: "css",
  scss: "scss",
  sass: "sass",
  less: "less",
  vue: "vue",
  svelte: "svelte",
  sh: "shell",
  bash: "shell",
  zsh: "shell",
  fish: "shell",
  ps1: "powershell",
  bat: "batch",
  cmd: "batch",
  go: "go",
  rs: "rust",
  java: "java",
  kt: "kotlin",
  kts: "kotlin",
  scala: "scala",
  groovy: "groovy",
  gradle: "groovy",
  c: "c",
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  cxx: "cpp",
  hpp: "cpp",
  hh: "cpp",
  hxx: "cpp",
  cs: "csharp",
  fs: "fsharp",
  swift: "swift",
  m: "objective-c",
  mm: "objective-cpp",
  rb: "ruby",
  php: "php",
  pl: "perl",
  pm: "perl",
  lua: "lua",
  r: "r",
  dart: "dart",
  ex: "elixir",
  exs: "elixir",
  erl: "erlang",
  hs: "haskell",
  clj: "clojure",
  elm: "elm",
  zig: "zig",
  sql: "sql",
  graphql: "graphql",
  gql: "graphql",
  proto: "protobuf",
  tf: "terraform",
  hcl: "hcl",
  txt: "text",
  csv: "csv"
};
var BY_NAME = {
  Dockerfile: "dockerfile",
  Makefile: "makefile",
  GNUmakefile: "makefile",
  Jenkinsfile: "groovy",
  Gemfile: "ruby",
  Rakefile: "ruby",
  ".bashrc": "shell",
  ".zshrc": "shell",
  ".profile": "shell"
};
function langHint(path28) {
  const base = path28.slice(path28.lastIndexOf("/") + 1);
  if (Object.hasOwn(BY_NAME, base)) return BY_NAME[base];
  const dot = base.lastIndexOf(".");
  if (dot <= 0 || dot === base.length - 1) return void 0;
  const ext = base.slice(dot + 1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : void 0;
}

// ../core/src/snapshot/path-filter.ts
init_glob_match();
function createPathFilter(include = [], exclude = []) {
  const inc = normalizeGlobs(include);
  const exc = normalizeGlobs(exclude);
  const excludeMatch = compileGlobs(exc);
  const includeMatch = compileGlobs(inc);
  return {
    include: inc,
    exclude: exc,
    excludes: excludeMatch ?? (() => false),
    includes: includeMatch
  };
}
function compileGlobs(globs) {
  if (globs.length === 0) return void 0;
  const full = globs.filter((g) => g.includes("/")).map((g) => compileGlob(g));
  const base = globs.filter((g) => !g.includes("/")).map((g) => compileGlob(g));
  return (p) => {
    if (full.some((m) => m(p))) return true;
    if (base.length === 0) return false;
    const name = p.slice(p.lastIndexOf("/") + 1);
    return base.some((m) => m(name));
  };
}
function normalizeGlobs(globs) {
  const out = /* @__PURE__ */ new Set();
  for (const g of globs) {
    let s = g.trim();
    while (s.startsWith("./")) s = s.slice(2);
    if (s.length > 1 && s.endsWith("/")) s = s.slice(0, -1);
    if (s !== "") out.add(s);
  }
  return [...out].sort();
}

// ../core/src/snapshot/publish-snapshot.ts
init_codebatch_error();
init_atomic_write();
init_canonical_json();
init_hash();
init_read_snapshot();
import fs15 from "node:fs";
import path12 from "node:path";
function publishSnapshot(store, record, indexBytes) {
  const id = record.snapshot_id;
  const finalDir = store.layout.snapshotDir(id);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = tryReadSnapshotRecord(store, id);
    if (existing) return { record: compareExisting(store, existing, record), reused: true };
    const staging = path12.join(store.layout.tmpDir, tempName(`snapshot-${id}`));
    try {
      fs15.mkdirSync(staging, { recursive: true });
      writeFileAtomic(path12.join(staging, FILES_INDEX_FILE), indexBytes);
      writeFileAtomic(path12.join(staging, SNAPSHOT_FILE), stableJsonPretty(record));
      fs15.mkdirSync(path12.dirname(finalDir), { recursive: true });
      fs15.renameSync(staging, finalDir);
      return { record, reused: false };
    } catch (error) {
      fs15.rmSync(staging, { recursive: true, force: true });
      const errno = error.code;
      if (errno !== "ENOTEMPTY" && errno !== "EEXIST")
        throw toCodebatchError(error, `writing snapshot ${id}`);
      if (!tryReadSnapshotRecord(store, id)) fs15.rmSync(finalDir, { recursive: true, force: true });
    }
  }
  throw new CodebatchError("E_LOCKED", `could not publish snapshot ${id}: its directory keeps changing`, {
    hints: ["Another process is writing the same snapshot id; retry when it has finished."]
  });
}
function compareExisting(store, existing, wanted) {
  const existingDigest = existing.files_index_digest ?? digestOfIndexFile(store, existing.snapshot_id);
  if (existingDigest === wanted.files_index_digest) return existing;
  throw new CodebatchError(
    "E_SNAPSHOT_EXISTS",
    `snapshot ${existing.snapshot_id} already exists with different content`,
    {
      hints: ["Snapshots are immutable. Choose another --id, or omit --id to get a content-derived id."],
      details: {
        snapshot_id: existing.snapshot_id,
        existing: existingDigest,
        new: wanted.files_index_digest
      }
    }
  );
}
function digestOfIndexFile(store, id) {
  try {
    return toObjectRef(sha256Hex(fs15.readFileSync(store.layout.filesIndexFile(id))));
  } catch {
    return void 0;
  }
}

// ../core/src/snapshot/read-file-bytes.ts
import fs16 from "node:fs";
var OPEN_FLAGS = fs16.constants.O_RDONLY | (fs16.constants.O_NOFOLLOW ?? 0) | (fs16.constants.O_NONBLOCK ?? 0);
var MAX_FILE_BYTES = 2 ** 30;
var FileBytesReader = class {
  buffer = Buffer.allocUnsafe(1 << 20);
  /**
   * Reads up to `expectedSize + 1` bytes. The extra byte tells a file that grew since it was
   * stat'ed from one that did not, without following an ever-growing file to its end; the
   * caller compares the length with `expectedSize` and refuses any mismatch.
   *
   * @param expectedSize the size lstat reported; at most MAX_FILE_BYTES.
   * @returns a view of the bytes read; a length other than `expectedSize` means the file changed.
   */
  read(file, expectedSize) {
    if (expectedSize > MAX_FILE_BYTES) throw new RangeError(`${file} is larger than ${MAX_FILE_BYTES} bytes`);
    const want = expectedSize + 1;
    if (this.buffer.length < want) this.buffer = Buffer.allocUnsafe(growTo(want));
    const fd = fs16.openSync(file, OPEN_FLAGS);
    try {
      let filled = 0;
      while (filled < want) {
        const n = fs16.readSync(fd, this.buffer, filled, want - filled, null);
        if (n === 0) break;
        filled += n;
      }
      return this.buffer.subarray(0, filled);
    } finally {
      fs16.closeSync(fd);
    }
  }
};
function growTo(n) {
  return Math.max(1 << 20, 2 ** Math.ceil(Math.log2(n)));
}

// ../core/src/snapshot/create-snapshot.ts
init_read_snapshot();

// ../core/src/snapshot/snapshot-id.ts
init_hash();
var SNAPSHOT_ID_SALT = "codebatch.snapshot.v1";
var SNAPSHOT_ID_HEX_LENGTH = 20;
function deriveSnapshotId(filesIndexDigest, filters) {
  const preimage = { salt: SNAPSHOT_ID_SALT, files_index_digest: filesIndexDigest, filters };
  return sha256OfCanonical(preimage).slice(0, SNAPSHOT_ID_HEX_LENGTH);
}

// ../core/src/snapshot/stat-cache.ts
init_atomic_write();
init_hash();
init_stat_fingerprint();
init_time();
import fs17 from "node:fs";
import path13 from "node:path";
var SCHEMA_NAME3 = "codebatch.stat_cache";
var CACHE_VERSION = 1;
var HEX642 = /^[a-f0-9]{64}$/;
var RECENT_MAX = 64;
function statCacheFile(store, sourceAbs) {
  return path13.join(store.layout.indexesDir, "stat-cache", `${sha256Hex(sourceAbs)}.json`);
}
function loadStatCache(store, sourceAbs) {
  const empty = { racyBeforeMs: Number.NEGATIVE_INFINITY, entries: /* @__PURE__ */ new Map(), recent: [] };
  let stored;
  try {
    stored = JSON.parse(fs17.readFileSync(statCacheFile(store, sourceAbs), "utf8"));
  } catch {
    return empty;
  }
  if (stored?.schema_name !== SCHEMA_NAME3 || stored.version !== CACHE_VERSION || stored.source !== sourceAbs || typeof stored.racy_before_ms !== "number" || !Array.isArray(stored.entries)) {
    return empty;
  }
  const entries = /* @__PURE__ */ new Map();
  for (const e of stored.entries) {
    if (!isStoredEntry2(e)) return empty;
    entries.set(e[0], {
      size: e[1],
      mtimeMs: e[2],
      ctimeMs: e[3],
      ino: e[4],
      dev: e[5],
      hex: e[6],
      text: e[7] === 1
    });
  }
  const snap = stored.snapshot;
  const snapshot = snap && typeof snap.id === "string" && typeof snap.files_index_digest === "string" ? { id: snap.id, filesIndexDigest: snap.files_index_digest } : void 0;
  const recent = Array.isArray(stored.recent) && stored.recent.length <= RECENT_MAX ? stored.recent.filter((p) => typeof p === "string") : [];
  return { racyBeforeMs: stored.racy_before_ms, entries, recent, ...snapshot ? { snapshot } : {} };
}
function lookupStatCache(cache, canonicalPath, stat, hasObject) {
  const e = heldEntry(cache, canonicalPath, stat);
  if (!e || !changedBefore(e, cache.racyBeforeMs)) return void 0;
  return hasObject(e.hex) ? e : void 0;
}
function heldEntry(cache, canonicalPath, stat) {
  const e = cache.entries.get(canonicalPath);
  return e !== void 0 && sameFingerprint(e, stat) ? e : void 0;
}
function holdsFingerprint(cache, canonicalPath, stat) {
  return heldEntry(cache, canonicalPath, stat) !== void 0;
}
function saveStatCache(store, sourceAbs, entries, startedAtMs, snapshot, read = []) {
  const stored = {
    schema_name: SCHEMA_NAME3,
    version: CACHE_VERSION,
    source: sourceAbs,
    racy_before_ms: startedAtMs - RACY_WINDOW_MS,
    ...snapshot ? { snapshot: { id: snapshot.id, files_index_digest: snapshot.filesIndexDigest } } : {},
    ...read.length > 0 && read.length <= RECENT_MAX ? { recent: [...read] } : {},
    entries: []
  };
  for (const [p, e] of entries)
    stored.entries.push([p, e.size, e.mtimeMs, e.ctimeMs, e.ino, e.dev, e.hex, e.text ? 1 : 0]);
  writeFileAtomic(statCacheFile(store, sourceAbs), JSON.stringify(stored));
}
function isStoredEntry2(e) {
  return Array.isArray(e) && e.length === 8 && typeof e[0] === "string" && typeof e[1] === "number" && typeof e[2] === "number" && typeof e[3] === "number" && typeof e[4] === "number" && typeof e[5] === "number" && typeof e[6] === "string" && HEX642.test(e[6]) && (e[7] === 0 || e[7] === 1);
}

// ../core/src/snapshot/walk-tree.ts
import { isUtf8 as isUtf82 } from "node:buffer";
import fs18 from "node:fs";
import path15 from "node:path";

// ../core/src/snapshot/gitignore.ts
var import_ignore = __toESM(require_ignore());
import path14 from "node:path";
function loadIgnoreLevel(absDir, base, hasGitignore, isRepoRoot, warnings) {
  let rules = "";
  if (isRepoRoot) {
    const rel = base === "" ? ".git/info/exclude" : `${base}/.git/info/exclude`;
    rules += readRules(path14.join(absDir, ".git", "info", "exclude"), rel, true, warnings);
  }
  if (hasGitignore) {
    const rel = base === "" ? ".gitignore" : `${base}/.gitignore`;
    rules += `
${readRules(path14.join(absDir, ".gitignore"), rel, false, warnings)}`;
  }
  if (!hasRule(rules)) return void 0;
  return { base, matcher: (0, import_ignore.default)({ ignorecase: false }).add(rules) };
}
function hasRule(rules) {
  for (const line of rules.split("\n")) {
    const trimmed = line.replace(/\s+$/, "");
    if (trimmed !== "" && !trimmed.startsWith("#")) return true;
  }
  return false;
}
function isIgnored(levels, canonicalPath, isDirectory2) {
  for (let i = levels.length - 1; i >= 0; i -= 1) {
    const level = levels[i];
    const rel = level.base === "" ? canonicalPath : canonicalPath.slice(level.base.length + 1);
    const result = level.matcher.test(isDirectory2 ? `${rel}/` : rel);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}
function readRules(file, rel, followSymlinks, warnings) {
  const result = readSmallFile(file, { followSymlinks });
  if (result.ok) return result.text;
  if (result.reason === "absent") return "";
  const unapplied = "its ignore rules were not applied";
  if (result.reason === "symlink") {
    warnings.push({
      code: "symlink_skipped",
      path: rel,
      message: `symbolic link not followed; ${unapplied}`
    });
  } else if (result.reason === "special") {
    warnings.push({
      code: "special_file_skipped",
      path: rel,
      message: `not a regular file (FIFO, socket or device); ${unapplied}`
    });
  } else if (result.reason === "too_large") {
    warnings.push({
      code: "unreadable",
      path: rel,
      message: `larger than ${SMALL_FILE_MAX_BYTES / 1024 / 1024} MiB; ${unapplied}`
    });
  } else {
    warnings.push({
      code: "unreadable",
      path: rel,
      message: `cannot read file (${result.errno ?? "error"}); ${unapplied}`
    });
  }
  return "";
}

// ../core/src/snapshot/walk-tree.ts
function walkTree(root, options) {
  const files = [];
  const warnings = [];
  const skip = new Set(options.skipDirs ?? []);
  const { filter } = options;
  const stack = [{ abs: root, rel: "", levels: [], included: filter.includes === void 0 }];
  while (stack.length > 0) {
    const dir = stack.pop();
    let entries;
    try {
      entries = fs18.readdirSync(dir.abs, { withFileTypes: true });
    } catch (error) {
      warnings.push(unreadable(dir.rel || ".", error));
      continue;
    }
    const invalid2 = findInvalidNames(dir.abs, entries);
    let levels = dir.levels;
    let refusedRules = false;
    if (options.gitignore) {
      const hasGitignore = entries.some((e) => e.name === ".gitignore" && !e.isDirectory());
      const isRepoRoot = dir.rel === "" && entries.some((e) => e.name === ".git");
      if (hasGitignore || isRepoRoot) {
        const before = warnings.length;
        const level = loadIgnoreLevel(dir.abs, dir.rel, hasGitignore, isRepoRoot, warnings);
        refusedRules = warnings.slice(before).some((w) => w.path.endsWith(".gitignore"));
        if (level) levels = [...levels, level];
      }
    }
    for (const entry of entries) {
      const name = entry.name;
      if (name === ".git") continue;
      const rel = dir.rel === "" ? name : `${dir.rel}/${name}`;
      const abs = `${dir.abs}${path15.sep}${name}`;
      if (invalid2?.has(name)) {
        warnings.push({ code: "invalid_name", path: rel, message: "file name is not valid UTF-8; skipped" });
        continue;
      }
      const kind = entryKind(entry, abs);
      if (refusedRules && name === ".gitignore" && kind !== "file") continue;
      const isDir = kind === "directory";
      if (options.gitignore && levels.length > 0 && isIgnored(levels, rel, isDir)) continue;
      if (filter.excludes(rel)) continue;
      if (isDir) {
        if (skip.has(abs)) continue;
        const included = dir.included || (filter.includes?.(rel) ?? true);
        stack.push({ abs, rel, levels, included });
      } else if (kind === "file") {
        if (dir.included || filter.includes(rel)) files.push(rel);
      } else if (kind === "symlink") {
        warnings.push({ code: "symlink_skipped", path: rel, message: "symbolic link not followed; skipped" });
      } else if (kind === "other") {
        warnings.push({
          code: "special_file_skipped",
          path: rel,
          message: "not a regular file (FIFO, socket or device); skipped"
        });
      } else if (kind === "gone") {
        warnings.push({
          code: "unreadable",
          path: rel,
          message: "vanished while the tree was read; skipped"
        });
      } else {
        warnings.push({ code: "unreadable", path: rel, message: `cannot stat (${kind.errno}); skipped` });
      }
    }
  }
  return { files, warnings };
}
function entryKind(entry, abs) {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "directory";
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice())
    return "other";
  let stat;
  try {
    stat = fs18.lstatSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    return { errno: error.code ?? "error" };
  }
  if (!stat) return "gone";
  if (stat.isFile()) return "file";
  if (stat.isDirectory()) return "directory";
  return stat.isSymbolicLink() ? "symlink" : "other";
}
function findInvalidNames(dir, entries) {
  if (!entries.some((e) => e.name.includes("\uFFFD"))) return void 0;
  const invalid2 = /* @__PURE__ */ new Set();
  try {
    for (const raw of fs18.readdirSync(dir, { encoding: "buffer" })) {
      if (!isUtf82(raw)) invalid2.add(raw.toString("utf8"));
    }
  } catch {
  }
  return invalid2;
}
function unreadable(rel, error) {
  const code = error.code ?? "error";
  return { code: "unreadable", path: rel, message: `cannot read directory (${code}); skipped` };
}

// ../core/src/snapshot/create-snapshot.ts
var PROGRESS_EVERY = 512;
var GIT_LOOKUP_MIN_MISSES = 64;
function createSnapshot(store, sourceDir, options = {}) {
  const started = performance.now();
  if (options.id !== void 0) assertValidId(options.id, "snapshot");
  const sourceAbs = resolveSourceDir(sourceDir);
  const filter = createPathFilter(options.include, options.exclude);
  const filters = {
    include: filter.include,
    exclude: filter.exclude,
    gitignore: options.gitignore !== false
  };
  const now = options.now ?? Date.now;
  const startedAtMs = now();
  const toAbs = path16.sep === "/" ? (p) => `${sourceAbs}/${p}` : (p) => path16.join(sourceAbs, p);
  const useCache = options.statCache !== false;
  const cache = useCache ? loadStatCache(store, sourceAbs) : { racyBeforeMs: 0, entries: /* @__PURE__ */ new Map(), recent: [] };
  let changeSeen = false;
  if (options.onChangedFile) {
    for (const rel of cache.recent) {
      if (!holdsFingerprint(cache, rel, fingerprintOfPath(toAbs(rel)))) {
        changeSeen = true;
        options.onChangedFile(cache.entries.size);
        break;
      }
    }
  }
  const walk = walkTree(sourceAbs, { gitignore: filters.gitignore, filter, skipDirs: storeDirs(store) });
  const paths = sortPathsUtf8(walk.files);
  const warnings = walk.warnings;
  const nextCache = /* @__PURE__ */ new Map();
  const deferObjectChecks = options.deferObjectChecks !== false;
  const trustedHexes = [];
  const hasObject = deferObjectChecks ? (hex) => {
    trustedHexes.push(hex);
    return true;
  } : (hex) => store.objects.hasObject(hex);
  const reader = new FileBytesReader();
  const files = [];
  let hashed = 0;
  let cached = 0;
  let fromGit = 0;
  let bytes = 0;
  let index = "";
  const known = new Array(paths.length).fill(void 0);
  const misses = [];
  for (let i = 0; i < paths.length; i += 1) {
    const rel = paths[i];
    const abs = toAbs(rel);
    if (options.onProgress && i % PROGRESS_EVERY === 0) options.onProgress({ files: i, hashed, cached });
    let stat;
    try {
      stat = fs19.lstatSync(abs, { throwIfNoEntry: false });
    } catch (error) {
      warnings.push(unreadableFile(rel, error));
      continue;
    }
    if (!stat?.isFile()) {
      warnings.push({
        code: "unreadable",
        path: rel,
        message: "changed or vanished while the tree was read; skipped"
      });
      continue;
    }
    if (stat.size > MAX_FILE_BYTES) {
      warnings.push({
        code: "unreadable",
        path: rel,
        message: `file is too large to read whole (${stat.size} bytes, limit ${MAX_FILE_BYTES}); skipped`
      });
      continue;
    }
    const fingerprint = fingerprintOf(stat);
    const entry = lookupStatCache(cache, rel, fingerprint, hasObject);
    if (entry) {
      cached += 1;
      known[i] = entry;
    } else {
      misses.push({ i, fingerprint });
      if (!changeSeen && !holdsFingerprint(cache, rel, fingerprint)) {
        changeSeen = true;
        options.onChangedFile?.(paths.length);
      }
    }
  }
  const unvouched = misses.map(({ i }) => paths[i]);
  const git = misses.length >= GIT_LOOKUP_MIN_MISSES && options.git !== false ? readCleanBlobIds(sourceAbs) : void 0;
  const blobMap = git ? loadGitBlobMap(store) : void 0;
  const anchored = blobMap ? objectsOfKeptSnapshot(store, blobMap.anchor) : void 0;
  for (const { i, fingerprint } of misses) {
    const rel = paths[i];
    const size = fingerprint.size;
    const vouched = git && blobMap ? blobMap.entries.get(git.blobs.get(rel) ?? "") : void 0;
    if (vouched && vouched.size === size && (anchored?.has(vouched.hex) || store.objects.hasObject(vouched.hex))) {
      known[i] = { ...fingerprint, hex: vouched.hex, text: vouched.text };
      fromGit += 1;
      continue;
    }
    let content;
    try {
      content = reader.read(toAbs(rel), size);
    } catch (error) {
      warnings.push(unreadableFile(rel, error));
      continue;
    }
    if (content.length !== size) {
      warnings.push({
        code: "unreadable",
        path: rel,
        message: `size changed while reading (${size} bytes at stat, ${content.length > size ? "more" : content.length} read); skipped`
      });
      continue;
    }
    const hex = sha256Hex(content);
    known[i] = { ...fingerprint, hex, text: isProbablyText(content) };
    store.objects.writeObjectWithDigest(hex, content);
    hashed += 1;
  }
  const cleanBlobs = /* @__PURE__ */ new Map();
  for (let i = 0; i < paths.length; i += 1) {
    const entry = known[i];
    if (!entry) continue;
    const rel = paths[i];
    nextCache.set(rel, entry);
    const record2 = toFilesIndexRecord(rel, entry.hex, entry.size, entry.text);
    files.push(record2);
    index += `${JSON.stringify(record2)}
`;
    bytes += entry.size;
    if (git) {
      const blob = git.blobs.get(rel);
      if (blob) cleanBlobs.set(blob, { hex: entry.hex, size: entry.size, text: entry.text });
    }
  }
  options.onProgress?.({ files: paths.length, hashed, cached });
  warnings.push(...findCaseCollisions(files));
  warnings.sort((a, b) => compareUtf8(a.path, b.path) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const indexBytes = Buffer.from(index, "utf8");
  const filesIndexDigest = toObjectRef(sha256Hex(indexBytes));
  const snapshotId = options.id ?? deriveSnapshotId(filesIndexDigest, filters);
  const existing = tryReadSnapshotRecord(store, snapshotId);
  const exists = existing?.files_index_digest === filesIndexDigest;
  if (trustedHexes.length > 0 && !exists && !cacheSnapshotKept(store, cache)) {
    if (trustedHexes.some((hex) => !store.objects.hasObject(hex))) {
      return createSnapshot(store, sourceDir, { ...options, deferObjectChecks: false });
    }
  }
  const record = snapshotRecordSchema.parse({
    schema_name: "codebatch.snapshot",
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    snapshot_id: snapshotId,
    created_at: nowIso(),
    source: {
      type: "directory",
      path: sourceAbs,
      // An existing snapshot is kept with the facts of its first publication (publishSnapshot),
      // so asking git again (a `git status` of the tree) would be wasted on every unchanged run.
      ...options.git === false || exists ? {} : readGitInfo(sourceAbs, { knownDirty: git?.dirty })
    },
    file_count: files.length,
    total_bytes: bytes,
    files_index_digest: filesIndexDigest,
    filters,
    warnings
  });
  const published = publishSnapshot(store, record, indexBytes);
  rememberFilesIndex(filesIndexDigest, files);
  if (useCache && (hashed > 0 || fromGit > 0 || nextCache.size !== cache.entries.size)) {
    try {
      saveStatCache(
        store,
        sourceAbs,
        nextCache,
        startedAtMs,
        { id: published.record.snapshot_id, filesIndexDigest },
        unvouched
      );
    } catch {
    }
  }
  if (blobMap && cleanBlobs.size > 0) {
    try {
      saveGitBlobMap(
        store,
        blobMap,
        cleanBlobs,
        { id: published.record.snapshot_id, filesIndexDigest },
        anchored !== void 0
      );
    } catch {
    }
  }
  return {
    record: published.record,
    files,
    reused: published.reused,
    unvouched,
    stats: {
      files: files.length,
      bytes,
      hashed,
      cached,
      fromGit,
      durationMs: Math.round(performance.now() - started)
    }
  };
}
function fingerprintOfPath(abs) {
  try {
    const st = fs19.lstatSync(abs, { throwIfNoEntry: false });
    if (st) return fingerprintOf(st);
  } catch {
  }
  return { size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1, dev: -1 };
}
function cacheSnapshotKept(store, cache) {
  const snap = cache.snapshot;
  if (snap === void 0) return false;
  try {
    return tryReadSnapshotRecord(store, snap.id)?.files_index_digest === snap.filesIndexDigest;
  } catch {
    return false;
  }
}
function toFilesIndexRecord(p, hex, size, text) {
  const lang = langHint(p);
  const object = toObjectRef(hex);
  const pathKey = toPathKey(p);
  return lang === void 0 ? { object, path: p, path_key: pathKey, schema_version: SCHEMA_VERSION, size, text } : { lang_hint: lang, object, path: p, path_key: pathKey, schema_version: SCHEMA_VERSION, size, text };
}
function storeDirs(store) {
  const dirs = [store.layout.root];
  try {
    const real = fs19.realpathSync(store.layout.root);
    if (real !== store.layout.root) dirs.push(real);
  } catch {
  }
  return dirs;
}
function resolveSourceDir(sourceDir) {
  const abs = path16.resolve(sourceDir);
  let real;
  try {
    real = fs19.realpathSync(abs);
  } catch {
    throw sourceNotFound(sourceDir, abs);
  }
  if (!fs19.statSync(real).isDirectory()) throw sourceNotFound(sourceDir, abs, "is not a directory");
  return real;
}
function sourceNotFound(input, abs, what = "does not exist") {
  return new CodebatchError("E_SOURCE_NOT_FOUND", `source directory ${abs} ${what}`, {
    hints: ["Pass the directory to snapshot, e.g. `codebatch snapshot .`."],
    details: { source: input }
  });
}
function unreadableFile(p, error) {
  const errno = error.code ?? "error";
  return { code: "unreadable", path: p, message: `cannot read file (${errno}); skipped` };
}
function findCaseCollisions(files) {
  const first = /* @__PURE__ */ new Map();
  const out = [];
  for (const f of files) {
    const seen = first.get(f.path_key);
    if (seen === void 0) first.set(f.path_key, f.path);
    else out.push({ code: "case_collision", path: f.path, message: `same path_key as ${seen}`, other: seen });
  }
  return out;
}

// ../core/src/store/index-digest-cache.ts
init_stat_fingerprint();
init_time();
init_atomic_write();
init_layout();
init_read_index_file();
import fs20 from "node:fs";
import path17 from "node:path";
var FILE_NAME2 = "index-digests.json";
var SCHEMA_NAME4 = "codebatch.index_digests";
var VERSION3 = 3;
var MAX_ENTRIES2 = 2048;
function cacheFile(store) {
  return path17.join(store.layout.indexesDir, FILE_NAME2);
}
function loadIndexDigests(store) {
  let stored;
  try {
    stored = JSON.parse(fs20.readFileSync(cacheFile(store), "utf8"));
  } catch {
    return 0;
  }
  if (stored?.schema_name !== SCHEMA_NAME4 || stored.version !== VERSION3 || !Array.isArray(stored.entries))
    return 0;
  const root = store.layout.root;
  const taken = [];
  for (const e of stored.entries) {
    if (!isStoredEntry3(e)) return 0;
    const [rel, ino, dev, size, mtimeMs2, ctimeMs, hex, hashedAtMs, objectsPresent] = e;
    if (!isRacyClean(mtimeMs2, ctimeMs, hashedAtMs)) continue;
    taken.push({
      file: path17.join(root, rel),
      ino,
      dev,
      size,
      mtimeMs: mtimeMs2,
      ctimeMs,
      hex,
      hashedAtMs,
      used: false,
      ...objectsPresent === 1 ? { objectsPresent: true } : {}
    });
  }
  adoptIndexDigests(taken);
  return taken.length;
}
function saveIndexDigests(store) {
  const root = store.layout.root;
  const candidates = knownIndexDigests().filter((d) => isRacyClean(d.mtimeMs, d.ctimeMs, d.hashedAtMs)).sort((a, b) => Number(b.used) - Number(a.used));
  const entries = [];
  for (const d of candidates) {
    const rel = path17.relative(root, d.file);
    if (!isStoreRelativePath(rel)) continue;
    entries.push([
      rel,
      d.ino,
      d.dev,
      d.size,
      d.mtimeMs,
      d.ctimeMs,
      d.hex,
      d.hashedAtMs,
      d.objectsPresent ? 1 : 0
    ]);
    if (entries.length >= MAX_ENTRIES2) break;
  }
  entries.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const file = cacheFile(store);
  const text = `${JSON.stringify({ schema_name: SCHEMA_NAME4, version: VERSION3, entries })}
`;
  try {
    if (fs20.readFileSync(file, "utf8") === text) return;
  } catch {
  }
  try {
    fs20.mkdirSync(store.layout.indexesDir, { recursive: true });
    writeFileAtomic(file, text);
  } catch {
  }
}
function isRacyClean(mtimeMs2, ctimeMs, hashedAtMs) {
  return changedBefore({ mtimeMs: mtimeMs2, ctimeMs }, hashedAtMs - RACY_WINDOW_MS);
}
function isStoredEntry3(e) {
  return Array.isArray(e) && e.length === 9 && typeof e[0] === "string" && isStoreRelativePath(e[0]) && [1, 2, 3, 4, 5, 7].every((i) => typeof e[i] === "number" && Number.isFinite(e[i])) && typeof e[6] === "string" && /^[a-f0-9]{64}$/.test(e[6]) && (e[8] === 0 || e[8] === 1);
}

// ../core/src/api/analyze.ts
init_catalog();
function analyze(options) {
  return analyzeWith(options, {});
}
var PREWARM_MIN_FILES = 2e3;
async function analyzeWith(options, shared) {
  const t0 = Date.now();
  const { store } = initStore(options.storeDir);
  loadIndexDigests(store);
  const loaded = options.configPath ? loadConfigFile(options.configPath) : void 0;
  const config = options.eslint === void 0 ? loaded : { ...loaded, eslint: options.eslint };
  const registry = options.registry ?? shared.registry ?? createDefaultRegistry();
  const pipeline = options.pipeline ?? config?.pipeline ?? "full";
  const parallel = options.parallel ?? shared.parallel ?? defaultParallelism();
  const warm = prewarmOnChange(shared, store, pipeline, options.registry === void 0 && parallel > 1);
  try {
    const snapshot = await createSnapshot(store, path18.resolve(options.sourceDir), {
      include: options.include ?? config?.include,
      exclude: [...config?.exclude ?? [], ...options.exclude ?? []],
      gitignore: options.gitignore ?? config?.gitignore ?? true,
      onProgress: options.onProgress ? (p) => options.onProgress({ type: "snapshot", ...p }) : void 0,
      onChangedFile: warm.onChangedFile
    });
    return await analyzeSnapshot(
      store,
      options,
      { ...shared, workers: warm.workers(), parallel },
      registry,
      snapshot,
      {
        pipeline,
        config,
        t0
      }
    );
  } finally {
    await warm.close();
  }
}
function prewarmOnChange(shared, store, pipeline, enabled) {
  let own;
  return {
    onChangedFile: enabled ? (files) => {
      if (files < PREWARM_MIN_FILES || !isPipelineName(pipeline)) return;
      try {
        own ??= shared.workers ? void 0 : createWorkerPool();
        (shared.workers ?? own).prewarm([...PIPELINE_CATALOG[pipeline].tasks], {
          storeDir: store.layout.root,
          taskIds: pipelineTaskIds(pipeline)
        });
      } catch {
      }
    } : void 0,
    workers: () => shared.workers ?? own,
    // Not awaited: terminating a thread that loaded the compiler took 15-20 ms of a one-file
    // check before its report was written. The threads are unref'd, so they never hold the
    // process, and they are stopping already.
    close: async () => {
      own?.close().catch(() => {
      });
    }
  };
}
async function analyzeSnapshot(store, options, shared, registry, snapshot, { pipeline, config, t0 }) {
  if (options.reuseDoneBatch && options.batchId === void 0 && !options.force) {
    const done = await verifyDoneBatch(store, snapshot.record.snapshot_id, pipeline, config, registry);
    if (done) {
      const result = resultOf(store, done, {
        pipeline,
        files: snapshot.record.file_count,
        snapshotId: snapshot.record.snapshot_id,
        t0,
        diagnosticsFrom: options.diagnosticsFrom
      });
      saveIndexDigests(store);
      return result;
    }
  }
  const batch = openOrInitBatch(store, options, snapshot.record.snapshot_id, pipeline, config, registry);
  const prefetch = createDiagnosticsPrefetch(store, batch.batch_id, options.diagnosticsFrom);
  const summary = await runBatchWithProvenance(
    store,
    {
      batchId: batch.batch_id,
      force: options.force,
      registry,
      shardSlice: options.shardSlice,
      parallel: shared.parallel,
      useDefaultRegistryInWorkers: options.registry === void 0,
      workers: shared.workers,
      likelyChanged: snapshot.unvouched,
      onShard: (r, done, total) => {
        prefetch.add(r);
        if (!options.onProgress || r.outcome === "busy" || r.outcome === "blocked") return;
        options.onProgress({
          type: "shard",
          taskId: r.taskId,
          shardId: r.shardId,
          outcome: r.outcome === "executed" ? "executed" : r.outcome === "failed" ? "failed" : "reused",
          done,
          total
        });
      }
    },
    { enabled: options.provenance !== false }
  );
  const { diagnostics, counts } = batchDiagnostics(
    prefetch.view,
    options.diagnosticsFrom,
    summary.results,
    prefetch.shards
  );
  let executedFiles = 0;
  let reusedFiles = 0;
  for (const r of summary.results) {
    executedFiles += r.filesExecuted;
    reusedFiles += r.filesReused;
  }
  const c = summary.counts;
  saveIndexDigests(store);
  return {
    storeDir: store.layout.root,
    snapshotId: snapshot.record.snapshot_id,
    batchId: batch.batch_id,
    pipeline,
    files: snapshot.record.file_count,
    shards: {
      total: summary.results.length,
      executed: c.executed,
      reused: c.reused + c.skipped,
      failed: c.failed,
      blocked: c.blocked
    },
    taskFiles: { executed: executedFiles, reused: reusedFiles },
    diagnostics,
    counts,
    status: c.failed > 0 || c.blocked > 0 || c.busy > 0 ? "failed" : "done",
    failures: summary.results.filter((r) => r.outcome === "failed" && r.error).map((r) => ({ taskId: r.taskId, shardId: r.shardId, code: r.error.code, message: r.error.message })),
    durationMs: Date.now() - t0
  };
}
function openOrInitBatch(store, options, snapshotId, pipeline, config, registry) {
  if (options.batchId !== void 0 && batchExists2(store, options.batchId)) {
    const existing = readBatchRecord(store, options.batchId);
    if (existing.snapshot_id === snapshotId && existing.pipeline === pipeline) return existing;
  }
  return initBatch(store, {
    snapshotId,
    pipeline,
    config,
    registry,
    id: options.batchId,
    metadata: options.metadata
  }).batch;
}
function defaultParallelism() {
  return Math.max(1, os3.availableParallelism?.() ?? os3.cpus().length);
}
function batchDiagnostics(view, from, results, prefetched) {
  const taskIds = resolveTaskIds(view, void 0);
  const { records, counts } = scanDiagnosticsAtLeast(view, taskIds, from ?? "hint", {
    proven: provenIndexes(results),
    prefetched
  });
  return { diagnostics: records, counts };
}
function createDiagnosticsPrefetch(store, batchId, from) {
  const view = loadBatchView(store, batchId);
  const shards = /* @__PURE__ */ new Map();
  return {
    view,
    shards,
    add(r) {
      if (r.outcome !== "executed" && r.outcome !== "reused" && r.outcome !== "skipped") return;
      try {
        const scanned = prefetchShardDiagnostics(view, r.taskId, r.shardId, from ?? "hint", {
          proven: provenIndexes([r])
        });
        if (scanned) shards.set(provenKey(r.taskId, r.shardId), scanned);
      } catch {
      }
    }
  };
}
async function verifyDoneBatch(store, snapshotId, pipeline, config, registry) {
  const sameTree = listBatches(store, snapshotId).filter((b) => b.pipeline === pipeline);
  if (sameTree.length === 0) return void 0;
  const plan = planBatch(store, { snapshotId, pipeline, config, registry });
  const candidate = sameTree.reverse().find(
    (b) => b.config_digest === plan.configDigest && b.shard_count === plan.shardCount && b.chunking?.threshold === plan.chunkThreshold && // Results do not depend on the layout, but a batch planned by content (before
    // path_hash) is planned once more so that later edits stay within their shards.
    plannedStrategy(store, b.batch_id) === plan.strategy
  );
  if (!candidate) return void 0;
  const { results, verdict } = await verifyBatch(store, { batchId: candidate.batch_id, registry });
  const allSkipped = results.length > 0 && results.every((r) => r.outcome === "skipped");
  return allSkipped ? { batchId: candidate.batch_id, results, verdict } : void 0;
}
function plannedStrategy(store, batchId) {
  try {
    return shardingOf(readBatchRecords(store, batchId)).strategy;
  } catch {
    return void 0;
  }
}
function resultOf(store, done, facts) {
  const { diagnostics, counts } = doneBatchDiagnostics(store, done, facts.diagnosticsFrom);
  const reused = done.results.reduce((n, r) => n + r.files, 0);
  return {
    storeDir: store.layout.root,
    snapshotId: facts.snapshotId,
    batchId: done.batchId,
    pipeline: facts.pipeline,
    files: facts.files,
    shards: { total: done.results.length, executed: 0, reused: done.results.length, failed: 0, blocked: 0 },
    taskFiles: { executed: 0, reused },
    diagnostics,
    counts,
    status: "done",
    failures: [],
    durationMs: Date.now() - facts.t0
  };
}
var KEPT_REPORT_FORMAT = 1;
function doneBatchDiagnostics(store, done, from) {
  const name = `report/${KEPT_REPORT_FORMAT}/${from ?? "hint"}`;
  const kept = done.verdict && readVerifiedDerived(store, done.verdict, name);
  const parsed = kept && parseKeptReport(kept);
  if (parsed) return parsed;
  const report = batchDiagnostics(loadBatchView(store, done.batchId), from, done.results);
  if (done.verdict && report.diagnostics.length <= MAX_KEPT_REPORT_DIAGNOSTICS) {
    try {
      recordVerifiedDerived(store, done.verdict, name, Buffer.from(JSON.stringify(report)));
    } catch {
    }
  }
  return report;
}
var MAX_KEPT_REPORT_DIAGNOSTICS = 25e4;
function parseKeptReport(bytes) {
  try {
    const report = JSON.parse(bytes.toString("utf8"));
    const counts = report.counts;
    const countsOk = typeof counts === "object" && counts !== null && SEVERITIES.every((k) => Number.isInteger(counts[k]));
    return Array.isArray(report.diagnostics) && countsOk ? report : void 0;
  } catch {
    return void 0;
  }
}

// ../core/src/api/batch-result.ts
init_read_batch();
init_shard_state();
init_status();
init_read_snapshot();
function readBatchResult(store, batchId) {
  const t0 = Date.now();
  const batch = readBatchRecord(store, batchId);
  const snapshot = readSnapshotRecord(store, batch.snapshot_id);
  const status = deriveBatchStatus(store, batchId);
  const shards = { total: 0, executed: 0, reused: 0, failed: 0, blocked: 0 };
  const taskFiles = { executed: 0, reused: 0 };
  const failures = [];
  for (const task of status.tasks) {
    shards.total += task.shards.total;
    shards.failed += task.shards.failed;
    if (task.status === "blocked")
      shards.blocked += task.shards.total - task.shards.done - task.shards.failed;
  }
  for (const task of status.tasks) {
    const shardIds = readTaskShardIds(store, batchId, task.task_id);
    for (const shardId of shardIds) {
      let state;
      try {
        state = readShardState(store, batchId, task.task_id, shardId, { missingAsReady: true });
      } catch {
        continue;
      }
      if (state.status === "failed" && state.error)
        failures.push({
          taskId: task.task_id,
          shardId,
          code: state.error.code,
          message: state.error.message
        });
      if (state.status !== "done") continue;
      const stats = state.stats ?? {};
      const files = num(stats.files_processed);
      if (state.reused_from) {
        shards.reused += 1;
        taskFiles.reused += files;
        continue;
      }
      shards.executed += 1;
      if (typeof stats.files_executed === "number") {
        taskFiles.executed += num(stats.files_executed);
        taskFiles.reused += num(stats.files_reused);
      } else taskFiles.executed += files;
    }
  }
  const diagnostics = queryDiagnostics(store, batchId).records;
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of diagnostics) if (d.severity) counts[d.severity] += 1;
  return {
    storeDir: store.layout.root,
    snapshotId: batch.snapshot_id,
    batchId,
    pipeline: batch.pipeline,
    files: snapshot.file_count,
    shards,
    taskFiles,
    diagnostics,
    counts,
    status: status.status === "done" ? "done" : "failed",
    failures,
    durationMs: Date.now() - t0
  };
}
function readTaskShardIds(store, batchId, taskId) {
  try {
    return readTaskRecord(store, batchId, taskId).sharding.shard_ids;
  } catch {
    return [];
  }
}
function num(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

// ../core/src/api/create-analyzer.ts
function createAnalyzer(options = {}) {
  const workers = createWorkerPool();
  const registry = createDefaultRegistry();
  return {
    analyze: (call) => analyzeWith(call, { workers, registry, parallel: options.parallel }),
    get workersStarted() {
      return workers.started;
    },
    close: () => workers.close()
  };
}

// ../core/src/batch/find-batch.ts
init_read_snapshot();
init_read_batch();
init_status();
var GIT_SHA_METADATA_KEY = "git_sha";
function findBatchForCommit(store, gitSha, options = {}) {
  const wanted = gitSha.trim().toLowerCase();
  if (!/^[a-f0-9]{7,64}$/.test(wanted)) return void 0;
  const matches = (sha) => typeof sha === "string" && sha.toLowerCase().startsWith(wanted) && sha.length >= wanted.length;
  const newestFirst = listBatches(store).reverse();
  for (const batch of newestFirst) {
    if (options.pipeline !== void 0 && batch.pipeline !== options.pipeline) continue;
    const recorded = batch.metadata?.[GIT_SHA_METADATA_KEY];
    let hit;
    if (recorded !== void 0) hit = matches(recorded);
    else {
      const snapshot = tryReadSnapshotRecord(store, batch.snapshot_id);
      hit = !!snapshot && snapshot.source.git_dirty !== true && matches(snapshot.source.git_ref);
    }
    if (!hit) continue;
    try {
      if (deriveBatchStatus(store, batch.batch_id).status === "done") return batch.batch_id;
    } catch {
    }
  }
  return void 0;
}

// ../core/src/index.ts
init_pipelines();
init_read_batch();
init_status();

// ../core/src/cli/main.ts
init_codebatch_error();
import path26 from "node:path";
import { parseArgs } from "node:util";
init_version();

// ../core/src/report/escape-text.ts
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function escapeCodePoint(ch) {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
function escapeText(text) {
  return text.replace(UNSAFE, escapeCodePoint);
}

// ../core/src/cli/output.ts
function formatJson(value) {
  return `${JSON.stringify(value, null, 2)}
`;
}
var SPLIT_ARRAY = 5e4;
var SLICE = 1e3;
var CHUNK_CHARS = 1 << 20;
function writeJson(value, write) {
  if (!holdsLargeArray(value)) {
    write(formatJson(value));
    return;
  }
  let buffer = "";
  const push = (text) => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      write(buffer);
      buffer = "";
    }
  };
  emitJson(value, "", push);
  push("\n");
  if (buffer.length > 0) write(buffer);
}
function emitJson(value, indent, push) {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > SPLIT_ARRAY) {
    push("[");
    for (let start = 0; start < value.length; start += SLICE) {
      const text2 = JSON.stringify(value.slice(start, start + SLICE), null, 2);
      const body = text2.slice(2, -2);
      push(start === 0 ? "\n" : ",\n");
      push(indent === "" ? body : `${indent}${body.replaceAll("\n", `
${indent}`)}`);
    }
    push(`
${indent}]`);
    return;
  }
  if (isPlainObject(value) && holdsLargeArray(value)) {
    const entries = Object.entries(value).filter(([, v]) => isJsonValue(v));
    if (entries.length === 0) {
      push("{}");
      return;
    }
    push("{");
    entries.forEach(([key, v], i) => {
      push(`${i === 0 ? "" : ","}
${inner}${JSON.stringify(key)}: `);
      emitJson(v, inner, push);
    });
    push(`
${indent}}`);
    return;
  }
  const text = JSON.stringify(value, null, 2) ?? "null";
  push(indent === "" ? text : text.replaceAll("\n", `
${indent}`));
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("toJSON" in value);
}
function isJsonValue(value) {
  return value !== void 0 && typeof value !== "function" && typeof value !== "symbol";
}
function holdsLargeArray(value, depth = 0) {
  if (Array.isArray(value)) return value.length > SPLIT_ARRAY;
  if (!isPlainObject(value) || depth > 4) return false;
  for (const v of Object.values(value)) if (holdsLargeArray(v, depth + 1)) return true;
  return false;
}
function formatErrorHuman(error) {
  let out = `error[${error.code}]: ${escapeText(error.message)}
`;
  for (const hint of error.hints) out += `  hint: ${escapeText(hint)}
`;
  const issues = error.details.issues;
  if (Array.isArray(issues)) for (const issue of issues) out += `  - ${escapeText(String(issue))}
`;
  return out;
}
function formatTable(headers, rows) {
  const cells = [headers, ...rows.map((r) => r.map((c) => escapeText(String(c))))];
  const widths = headers.map((_, i) => {
    let width = 0;
    for (const r of cells) width = Math.max(width, (r[i] ?? "").length);
    return width;
  });
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  return `${cells.map(
    (r) => r.map((c, i) => numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ").trimEnd()
  ).join("\n")}
`;
}

// ../core/src/cli/commands/api.ts
init_pipelines();
init_version();
var OUTPUT_KINDS = [
  { kind: "ast", description: "Stored syntax tree of a file", canonical_key: ["task_id", "path"] },
  {
    kind: "diagnostic",
    description: "A finding with severity, code, message, line, col",
    canonical_key: ["task_id", "path", "code", "line_fingerprint", "occurrence"]
  },
  {
    kind: "metric",
    description: "A named per-file measurement",
    canonical_key: ["task_id", "path", "metric"]
  },
  {
    kind: "symbol",
    description: "A declared name",
    canonical_key: ["task_id", "path", "symbol_type", "scope", "name", "occurrence"]
  },
  {
    kind: "edge",
    description: "A relation: imports, exports, calls, inherits, implements",
    canonical_key: ["task_id", "path", "edge_type", "target", "occurrence"]
  }
];
var apiCommand = {
  name: "api",
  summary: "Describe commands, pipelines, tasks and output kinds (machine-readable with --json)",
  group: "meta",
  since: "0.1.0",
  readOnly: true,
  requiresStore: false,
  run(ctx) {
    const registry = createDefaultRegistry();
    const pipelineTasks = new Map(
      Object.values(PIPELINES).flatMap((p) => p.tasks.map((t) => [t.type, t]))
    );
    const api = {
      schema_name: "codebatch.api",
      schema_version: SCHEMA_VERSION,
      producer: { name: "codebatch", version: ENGINE_VERSION },
      build: {
        platform: process.platform,
        node: process.versions.node,
        schema_version: SCHEMA_VERSION,
        features: { json_output: true, acceleration_index: true, chunked_outputs: true, gitignore: true }
      },
      commands: ctx.commands.map((c) => ({
        name: c.name.replace(/[ -]/g, "."),
        description: c.summary,
        read_only: c.readOnly,
        supports_json: true,
        requires_store: c.requiresStore,
        requires_batch: c.requiresBatch ?? false,
        since: c.since,
        group: c.group
      })),
      pipelines: Object.values(PIPELINES).map((p) => ({
        name: p.name,
        description: p.description,
        tasks: p.tasks.map((t) => ({ task_id: t.task_id, deps: t.depends_on }))
      })),
      tasks: registry.types().map((type) => {
        const def = registry.get(type);
        const t = pipelineTasks.get(type);
        return {
          task_id: t?.task_id ?? type,
          type,
          description: def.description,
          kinds_out: [...def.kindsOut],
          deps: t?.depends_on ?? []
        };
      }),
      output_kinds: OUTPUT_KINDS
    };
    if (ctx.json) ctx.stdout(formatJson(api));
    else {
      ctx.stdout(`codebatch ${ENGINE_VERSION} (schema ${SCHEMA_VERSION}), ${api.commands.length} commands
`);
      for (const p of api.pipelines)
        ctx.stdout(`pipeline ${p.name}: ${p.tasks.map((t) => t.task_id).join(" -> ")}
`);
      for (const t of api.tasks) ctx.stdout(`task ${t.task_id} (${t.type}): ${t.kinds_out.join(", ")}
`);
    }
    return 0;
  }
};

// ../core/src/cli/commands/batch.ts
init_read_batch();
init_status();
init_catalog();

// ../core/src/cli/command.ts
init_codebatch_error();
function stringOpt(ctx, name) {
  const v = ctx.values[name];
  return typeof v === "string" ? v : void 0;
}
function listOpt(ctx, name) {
  const v = ctx.values[name];
  if (Array.isArray(v)) return v;
  return typeof v === "string" ? [v] : [];
}
function boolOpt(ctx, name) {
  return ctx.values[name] === true;
}
var BATCH_OPTION = { type: "string", description: "Batch id", valueName: "id" };
function requireBatch(ctx) {
  const batchId = stringOpt(ctx, "batch");
  if (batchId === void 0) {
    throw new CodebatchError("E_USAGE", "this command needs --batch <id>", {
      hints: ["List batches with `codebatch batch list`."]
    });
  }
  return batchId;
}

// ../core/src/cli/commands/parse-int-option.ts
init_codebatch_error();
function parseIntOption(name, value, min = 1, max = Number.MAX_SAFE_INTEGER) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CodebatchError(
      "E_USAGE",
      `--${name} must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? "up" : max} (got ${JSON.stringify(value)})`
    );
  }
  return n;
}
function usageError(message, hint) {
  return new CodebatchError("E_USAGE", message, hint ? { hints: [hint] } : {});
}

// ../core/src/cli/commands/batch.ts
var batchInitCommand = {
  name: "batch init",
  aliases: ["batch-init"],
  summary: "Plan a batch over a snapshot: batch.json, plan.json, task.json and shard states",
  group: "batch",
  since: "0.1.0",
  readOnly: false,
  requiresStore: true,
  options: {
    snapshot: { type: "string", description: "Snapshot id", valueName: "id" },
    pipeline: { type: "string", description: PIPELINE_NAMES.join(" | "), default: "full" },
    shards: {
      type: "string",
      description: "Number of shards, 1-256 (default 256, or the config file)",
      valueName: "n"
    },
    id: { type: "string", description: "Batch id (default: generated, time-ordered)" },
    config: { type: "string", description: "codebatch config file (JSON)", valueName: "file" }
  },
  run(ctx) {
    const store = ctx.openStore();
    const snapshotId = stringOpt(ctx, "snapshot");
    if (!snapshotId)
      throw usageError("batch init needs --snapshot <id>", "List snapshots with `codebatch snapshot list`.");
    const configPath = stringOpt(ctx, "config");
    const config = configPath ? loadConfigFile(configPath) : void 0;
    const shards = stringOpt(ctx, "shards");
    const result = initBatch(store, {
      snapshotId,
      pipeline: stringOpt(ctx, "pipeline") ?? config?.pipeline ?? "full",
      shards: shards === void 0 ? void 0 : parseIntOption("shards", shards),
      id: stringOpt(ctx, "id"),
      config,
      registry: createDefaultRegistry()
    });
    if (ctx.json)
      ctx.stdout(formatJson({ batch: result.batch, plan: result.plan, shards: result.shardIds.length }));
    else if (ctx.quiet) ctx.stdout(`${result.batch.batch_id}
`);
    else {
      ctx.stdout(
        `Created batch ${result.batch.batch_id} (pipeline ${result.batch.pipeline}, ${result.tasks.length} tasks, ${result.shardIds.length} shards with files)
`
      );
    }
    return 0;
  }
};
var batchListCommand = {
  name: "batch list",
  aliases: ["batch-list"],
  summary: "List batches, oldest first, with their derived status",
  group: "batch",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  run(ctx) {
    const store = ctx.openStore();
    const rows = listBatches(store).map((b) => ({
      ...b,
      status: deriveBatchStatus(store, b.batch_id).status
    }));
    if (ctx.json) ctx.stdout(formatJson(rows));
    else
      ctx.stdout(
        formatTable(
          ["batch", "snapshot", "pipeline", "status", "created"],
          rows.map((b) => [b.batch_id, b.snapshot_id, b.pipeline, b.status, b.created_at])
        )
      );
    return 0;
  }
};
var batchShowCommand = {
  name: "batch show",
  aliases: ["batch-show"],
  summary: "Show a batch record and its plan",
  group: "batch",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  positionals: [{ name: "batch", description: "Batch id", required: true }],
  run(ctx) {
    const store = ctx.openStore();
    const batch = readBatchRecord(store, ctx.positionals[0]);
    const plan = readPlan(store, batch.batch_id);
    if (ctx.json) ctx.stdout(formatJson({ batch, plan }));
    else {
      ctx.stdout(
        `batch ${batch.batch_id}
snapshot ${batch.snapshot_id}
pipeline ${batch.pipeline}
created ${batch.created_at}
shards ${batch.shard_count ?? "?"}

`
      );
      ctx.stdout(
        formatTable(
          ["task", "type", "depends on"],
          plan.tasks.map((t) => [t.task_id, t.type, t.depends_on.join(", ") || "-"])
        )
      );
    }
    return 0;
  }
};

// ../core/src/cli/commands/check.ts
import fs21 from "node:fs";
import path19 from "node:path";
import { pathToFileURL } from "node:url";
init_codebatch_error();

// ../core/src/report/format-text.ts
var ANSI = {
  reset: "\x1B[0m",
  bold: "\x1B[1m",
  dim: "\x1B[2m",
  red: "\x1B[31m",
  yellow: "\x1B[33m",
  cyan: "\x1B[36m",
  green: "\x1B[32m"
};
var SEVERITY_COLOR = {
  error: ANSI.red,
  warning: ANSI.yellow,
  info: ANSI.cyan,
  hint: ANSI.dim
};
function paint(enabled, code, text) {
  return enabled ? `${code}${text}${ANSI.reset}` : text;
}
function location(d, pathPrefix) {
  const p = escapeText(prefixPath(pathPrefix, d.path));
  if (d.line === void 0) return p;
  return d.col === void 0 ? `${p}:${d.line}` : `${p}:${d.line}:${d.col}`;
}
function oneLine(text) {
  return escapeText(text.replace(/\s*\r?\n\s*/g, " ").trim());
}
function formatDiagnosticsText(diagnostics, options = {}) {
  const parts = [];
  writeDiagnosticsText(diagnostics, (chunk) => parts.push(chunk), options);
  return parts.join("");
}
var CHUNK_CHARS2 = 1 << 20;
function writeDiagnosticsText(diagnostics, write, options = {}) {
  if (diagnostics.length === 0) return;
  const color = options.color ?? false;
  const rows = [...diagnostics].sort(compareDiagnostics).map((d) => ({
    path: d.path,
    location: location(d, options.pathPrefix),
    // Typed, but records read back from a JSON report (Nx, Action) are not re-validated.
    severity: escapeText(severityOf(d)),
    message: oneLine(d.message ?? ""),
    rule: escapeText(d.code ?? "")
  }));
  let locationWidth = 0;
  let severityWidth = 0;
  for (const r of rows) {
    if (r.location.length > locationWidth) locationWidth = r.location.length;
    if (r.severity.length > severityWidth) severityWidth = r.severity.length;
  }
  let out = "";
  let previousPath;
  for (const row of rows) {
    if (previousPath !== void 0 && row.path !== previousPath) out += "\n";
    previousPath = row.path;
    const loc = paint(color, ANSI.bold, row.location) + " ".repeat(locationWidth - row.location.length);
    const sev = paint(color, SEVERITY_COLOR[row.severity], row.severity) + " ".repeat(severityWidth - row.severity.length);
    const rule = row.rule ? `  ${paint(color, ANSI.dim, row.rule)}` : "";
    out += `${`${loc}  ${sev}  ${row.message}${rule}`.trimEnd()}
`;
    if (out.length >= CHUNK_CHARS2) {
      write(out);
      out = "";
    }
  }
  if (out.length > 0) write(out);
}
function plural(n, singular, pluralForm = `${singular}s`) {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(2)}s`;
  const totalSeconds = Math.round(ms / 1e3);
  return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, "0")}s`;
}
function formatSummaryLine(summary, options = {}) {
  const color = options.color ?? false;
  const { error, warning, info, hint } = summary.counts;
  const severities = [
    paint(color && error > 0, ANSI.red, plural(error, "error")),
    paint(color && warning > 0, ANSI.yellow, plural(warning, "warning"))
  ];
  if (info > 0) severities.push(`${info} info`);
  if (hint > 0) severities.push(plural(hint, "hint"));
  return `${plural(summary.files, "file")}: ${summary.executed} executed, ${summary.reused} reused; ${severities.join(", ")} in ${formatDuration(summary.durationMs)}
`;
}
function summaryFromResult(result) {
  return {
    files: result.files,
    executed: result.taskFiles.executed,
    reused: result.taskFiles.reused,
    counts: result.counts,
    durationMs: result.durationMs
  };
}

// ../core/src/report/sarif.ts
var SARIF_VERSION = "2.1.0";
var SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
var SARIF_MAX_RESULTS = 25e3;
var SARIF_FINGERPRINT_KEY = "codebatchFingerprint/v1";
var LEVEL_BY_SEVERITY = {
  error: "error",
  warning: "warning",
  info: "note",
  hint: "note"
};
function toSarifLevel(severity) {
  return LEVEL_BY_SEVERITY[severity];
}
function pathToUriReference(path28) {
  return encodeURI(path28).replace(/[?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
function region(d) {
  if (d.line === void 0) return void 0;
  const r = { startLine: d.line };
  if (d.col !== void 0) r.startColumn = d.col;
  if (d.end_line !== void 0 && d.end_line >= d.line) r.endLine = d.end_line;
  const endLine = r.endLine ?? d.line;
  if (d.end_col !== void 0 && (endLine > d.line || d.col === void 0 || d.end_col >= d.col)) {
    r.endColumn = d.end_col;
  }
  return r;
}
function ruleIdOf(d) {
  return d.code || d.task_id || "codebatch";
}
function ruleDescriptor(id, meta, seen) {
  const descriptor = {
    id,
    shortDescription: { text: meta?.shortDescription ?? id },
    defaultConfiguration: { level: toSarifLevel(meta?.defaultSeverity ?? seen) }
  };
  if (meta?.name) descriptor.name = meta.name;
  if (meta?.fullDescription) descriptor.fullDescription = { text: meta.fullDescription };
  if (meta?.help) descriptor.help = { text: meta.help };
  if (meta?.helpUri) descriptor.helpUri = meta.helpUri;
  if (meta?.tags && meta.tags.length > 0) descriptor.properties = { tags: [...new Set(meta.tags)] };
  return descriptor;
}
function toSarif(diagnostics, options) {
  const maxResults = options.maxResults ?? SARIF_MAX_RESULTS;
  let kept = [...diagnostics].sort(compareDiagnostics);
  const omitted = Math.max(0, kept.length - maxResults);
  if (omitted > 0) {
    kept = kept.sort((a, b) => SEVERITIES.indexOf(severityOf(a)) - SEVERITIES.indexOf(severityOf(b))).slice(0, maxResults).sort(compareDiagnostics);
  }
  const metaById = new Map((options.rules ?? []).map((r) => [r.id, r]));
  const seenSeverity = /* @__PURE__ */ new Map();
  for (const d of kept) {
    const id = ruleIdOf(d);
    const previous = seenSeverity.get(id);
    const current = severityOf(d);
    if (previous === void 0 || SEVERITIES.indexOf(current) < SEVERITIES.indexOf(previous)) {
      seenSeverity.set(id, current);
    }
  }
  const ruleIds = [...seenSeverity.keys()].sort(compareStrings);
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => ruleDescriptor(id, metaById.get(id), seenSeverity.get(id)));
  const baseUri = options.baseUri === void 0 ? void 0 : options.baseUri.replace(/\/*$/, "/");
  const results = kept.map((d) => {
    const id = ruleIdOf(d);
    const artifactLocation = {
      uri: pathToUriReference(prefixPath(options.pathPrefix, d.path))
    };
    if (baseUri) artifactLocation.uriBaseId = "SRCROOT";
    const r = region(d);
    const result = {
      ruleId: id,
      ruleIndex: ruleIndex.get(id),
      level: toSarifLevel(severityOf(d)),
      // GitHub rejects results with an empty message text.
      message: { text: d.message?.trim() ? d.message : id },
      locations: [{ physicalLocation: r ? { artifactLocation, region: r } : { artifactLocation } }]
    };
    if (d.fingerprint) result.partialFingerprints = { [SARIF_FINGERPRINT_KEY]: d.fingerprint };
    if (d.task_id) result.properties = { taskId: d.task_id };
    return result;
  });
  const driver = {
    name: options.toolName,
    version: options.toolVersion,
    semanticVersion: options.toolVersion,
    rules
  };
  if (options.informationUri) driver.informationUri = options.informationUri;
  const run = { tool: { driver }, columnKind: "utf16CodeUnits", results };
  if (options.automationId) run.automationDetails = { id: options.automationId };
  if (baseUri) run.originalUriBaseIds = { SRCROOT: { uri: baseUri } };
  if (omitted > 0) {
    run.invocations = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: "warning",
            message: {
              text: `${omitted} of ${diagnostics.length} results were left out: SARIF uploads take at most ${maxResults} per run (the most severe were kept).`
            }
          }
        ]
      }
    ];
  }
  return { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs: [run] };
}

// ../core/src/report/sarif-rules.ts
init_rule_catalog();
function codebatchSarifRules() {
  return Object.values(RULES).map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: rule.description,
    defaultSeverity: rule.defaultSeverity
  }));
}
function rulesFromDiagnostics(diagnostics) {
  const rules = new Map(codebatchSarifRules().map((r) => [r.id, r]));
  for (const d of diagnostics) {
    if (!d.code || !d.docs_url || rules.get(d.code)?.helpUri) continue;
    rules.set(d.code, { ...rules.get(d.code) ?? { id: d.code }, helpUri: d.docs_url });
  }
  return [...rules.values()];
}

// ../core/src/cli/commands/check.ts
init_catalog();
init_version();
var FORMATS = ["text", "json", "sarif"];
var FAILURE_HINTS = {
  E_ESLINT_NOT_FOUND: [
    "Install ESLint where the analysed directory resolves its packages: `npm install --save-dev eslint`.",
    'Or leave ESLint out: `"eslint": false` in codebatch.config.json, or `--pipeline lint` on a tree without an ESLint config.'
  ],
  E_ESLINT_CONFIG: [
    "Run `npx eslint <file>` in the analysed directory to see the same error, then fix the ESLint config."
  ]
};
var checkCommand = {
  name: "check",
  summary: "Lint a directory in one step: snapshot, plan, run and report (text, json or sarif)",
  group: "run",
  since: "0.2.0",
  readOnly: false,
  requiresStore: false,
  positionals: [{ name: "dir", description: "Directory to check (default: the current directory)" }],
  options: {
    pipeline: {
      type: "string",
      description: `${PIPELINE_NAMES.join(" | ")} (default: the config's, else lint)`,
      valueName: "name"
    },
    format: {
      type: "string",
      description: "text | json | sarif (default text; --json = json)",
      valueName: "format"
    },
    "max-warnings": {
      type: "string",
      description: "Exit 1 when there are more warnings than this (as eslint --max-warnings)",
      valueName: "n"
    },
    "fail-on": {
      type: "string",
      description: "Lowest severity that fails the check: error (default), warning, info",
      valueName: "severity"
    },
    config: {
      type: "string",
      description: "codebatch config file (default: DIR/codebatch.config.json when present)",
      valueName: "file"
    },
    parallel: { type: "string", description: "Worker threads (default: number of cores)", valueName: "n" },
    force: { type: "boolean", description: "Re-execute everything, reusing nothing" },
    "no-provenance": {
      type: "boolean",
      description: "Skip run manifests, the session record and the verify step"
    }
  },
  async run(ctx) {
    const dir = path19.resolve(ctx.cwd, ctx.positionals[0] ?? ".");
    if (!isDirectory(dir)) {
      throw new CodebatchError("E_SOURCE_NOT_FOUND", `${dir} is not a directory`, {
        hints: ["Pass the directory to check: `codebatch check path/to/project`."]
      });
    }
    const format = readFormat(ctx);
    const failOn = readFailOn(ctx);
    const maxWarningsOpt = stringOpt(ctx, "max-warnings");
    const maxWarnings = maxWarningsOpt === void 0 ? void 0 : parseIntOption("max-warnings", maxWarningsOpt, 0, 1e9);
    const parallelOpt = stringOpt(ctx, "parallel");
    const parallel = parallelOpt === void 0 ? defaultParallelism() : parseIntOption("parallel", parallelOpt, 1, 64);
    const configPath = findConfig(ctx, dir);
    const config = configPath ? loadConfigFile(configPath) : void 0;
    const pipelineOpt = stringOpt(ctx, "pipeline");
    if (pipelineOpt !== void 0 && !isPipelineName(pipelineOpt))
      throw usageError(
        `unknown pipeline ${JSON.stringify(pipelineOpt)}`,
        `Choose one of: ${PIPELINE_NAMES.join(", ")}.`
      );
    const pipeline = pipelineOpt ?? config?.pipeline ?? "lint";
    const storeDir = ctx.values.store !== void 0 || process.env.CODEBATCH_STORE ? ctx.storeDir : path19.join(dir, ".codebatch");
    const result = await analyze({
      storeDir,
      sourceDir: dir,
      pipeline,
      configPath,
      parallel,
      force: boolOpt(ctx, "force"),
      provenance: !boolOpt(ctx, "no-provenance"),
      reuseDoneBatch: true,
      // --quiet text shows only what fails the run: the rest need only be counted.
      ...format === "text" && ctx.quiet ? { diagnosticsFrom: failOn } : {}
    });
    throwInputFailure(result);
    const diagnostics = result.diagnostics;
    if (format === "json") writeJson(toJsonReport(result, dir), ctx.stdout);
    else if (format === "sarif")
      writeJson(
        toSarif(diagnostics, {
          toolName: "codebatch",
          toolVersion: ENGINE_VERSION,
          baseUri: `${pathToFileURL(dir).href}/`,
          rules: rulesFromDiagnostics(diagnostics)
        }),
        ctx.stdout
      );
    else if (!ctx.quiet || diagnostics.some((d) => isAtLeast(severityOf(d), failOn))) {
      const shown = ctx.quiet ? diagnostics.filter((d) => isAtLeast(severityOf(d), failOn)) : diagnostics;
      writeDiagnosticsText(shown, ctx.stdout, { color: false });
      if (shown.length > 0) ctx.stdout("\n");
      ctx.stdout(formatSummaryLine(summaryFromResult(result)));
      for (const f of result.failures)
        ctx.stderr(`shard ${f.taskId}/${f.shardId} failed: error[${f.code}]: ${escapeText(f.message)}
`);
    }
    if (result.status === "failed") return 1;
    if (diagnostics.some((d) => isAtLeast(severityOf(d), failOn))) return 1;
    if (maxWarnings !== void 0 && result.counts.warning > maxWarnings) {
      if (format === "text") ctx.stderr(`codebatch found too many warnings (maximum: ${maxWarnings}).
`);
      return 1;
    }
    return 0;
  }
};
function isDirectory(dir) {
  try {
    return fs21.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
function readFormat(ctx) {
  const value = stringOpt(ctx, "format") ?? (ctx.json ? "json" : "text");
  if (!FORMATS.includes(value))
    throw usageError(`--format must be one of ${FORMATS.join(", ")} (got ${JSON.stringify(value)})`);
  return value;
}
function readFailOn(ctx) {
  const value = stringOpt(ctx, "fail-on") ?? "error";
  if (!["error", "warning", "info", "hint"].includes(value))
    throw usageError(`--fail-on must be error, warning, info or hint (got ${JSON.stringify(value)})`);
  return value;
}
function findConfig(ctx, dir) {
  const given = stringOpt(ctx, "config");
  if (given !== void 0) return path19.resolve(ctx.cwd, given);
  const implicit = path19.join(dir, "codebatch.config.json");
  return fs21.existsSync(implicit) ? implicit : void 0;
}
function throwInputFailure(result) {
  const input = result.failures.find((f) => ERROR_CODES[f.code] === 2);
  if (!input) return;
  throw new CodebatchError(input.code, input.message, {
    hints: FAILURE_HINTS[input.code] ?? [],
    details: { task_id: input.taskId, shard_id: input.shardId, shards_failed: result.failures.length }
  });
}
function toJsonReport(result, dir) {
  return {
    dir,
    store: result.storeDir,
    snapshot_id: result.snapshotId,
    batch_id: result.batchId,
    pipeline: result.pipeline,
    status: result.status,
    files: result.files,
    shards: result.shards,
    taskFiles: result.taskFiles,
    counts: result.counts,
    failures: result.failures,
    duration_ms: result.durationMs,
    diagnostics: result.diagnostics.map((d) => {
      const { schema_version, snapshot_id, batch_id, shard_id, ts, kind, ...rest } = d;
      return rest;
    })
  };
}

// ../core/src/cli/commands/query-support.ts
init_codebatch_error();
var TASK_OPTION = {
  type: "string",
  description: "Only this task (e.g. 04_lint)",
  valueName: "task"
};
var PATH_OPTION = {
  type: "string",
  description: 'Exact path, or a glob such as "src/**/*.ts"',
  valueName: "path|glob"
};
var LIMIT_OPTION = {
  type: "string",
  description: "At most this many results",
  valueName: "n"
};
var SEVERITY_OPTION = {
  type: "string",
  description: "error, warning, info or hint",
  valueName: "severity"
};
function parseLimit(ctx, fallback) {
  const raw = stringOpt(ctx, "limit");
  if (raw === void 0) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new CodebatchError(
      "E_USAGE",
      `--limit must be a non-negative integer (got ${JSON.stringify(raw)})`
    );
  }
  return n;
}
function formatLocation(r) {
  const path28 = escapeText(r.path);
  if (r.line === void 0) return path28;
  return r.col === void 0 ? `${path28}:${r.line}` : `${path28}:${r.line}:${r.col}`;
}
function formatDiagnosticLine(r) {
  return escapeText(
    `${formatLocation(r)}  ${r.severity ?? "-"}  ${r.code ?? "-"}  ${r.message ?? ""}`.trimEnd()
  );
}
function formatOutputLine(r) {
  if (r.kind === "diagnostic") return `${formatDiagnosticLine(r)}  [${escapeText(r.task_id)}]`;
  return escapeText(`${formatLocation(r)}  ${r.task_id}  ${r.kind}  ${describeOutput(r)}`.trimEnd());
}
function describeOutput(r) {
  return escapeText(describeRaw(r));
}
function describeRaw(r) {
  switch (r.kind) {
    case "metric":
      return `${r.metric ?? "?"}=${String(r.value)}`;
    case "symbol":
      return `${r.symbol_type ?? "?"} ${r.scope ? `${r.scope}.` : ""}${r.name ?? "?"}`;
    case "edge":
      return `${r.edge_type ?? "?"} -> ${r.target ?? "?"}`;
    case "diagnostic":
      return `${r.severity ?? "-"} ${r.code ?? "-"} ${r.message ?? ""}`;
    default:
      return [
        r.format,
        r.object ?? (typeof r.inline === "string" ? `inline, ${Buffer.byteLength(r.inline)} bytes` : void 0)
      ].filter(Boolean).join(" ");
  }
}

// ../core/src/cli/commands/diff.ts
var diffModule = () => (init_diff_batches(), __toCommonJS(diff_batches_exports));
var BATCH_PAIR = [
  { name: "base", description: "Base batch id (before)", required: true },
  { name: "head", description: "Head batch id (after)", required: true }
];
var diffCommand = {
  name: "diff",
  summary: "Outputs added, removed and changed between two batches (position moves are not changes)",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  positionals: BATCH_PAIR,
  options: {
    task: TASK_OPTION,
    kind: { type: "string", description: "Only this output kind", valueName: "kind" },
    path: PATH_OPTION
  },
  run(ctx) {
    const [base, head] = pair(ctx);
    const result = diffModule().diffBatches(ctx.openStore(), base, head, {
      task: stringOpt(ctx, "task"),
      kind: stringOpt(ctx, "kind"),
      path: stringOpt(ctx, "path")
    });
    if (ctx.json) {
      ctx.stdout(formatJson(result));
      return 0;
    }
    for (const r of result.added) ctx.stdout(`+ ${formatOutputLine(r)}
`);
    for (const r of result.removed) ctx.stdout(`- ${formatOutputLine(r)}
`);
    for (const c of result.changed)
      ctx.stdout(`~ ${formatOutputLine(c.head)}  (was: ${formatOutputLine(c.base)})
`);
    if (!ctx.quiet) {
      const rows = Object.entries(result.counts_by_kind).map(([k, c]) => [
        k,
        c.added,
        c.removed,
        c.changed,
        c.unchanged
      ]);
      rows.push([
        "total",
        result.counts.added,
        result.counts.removed,
        result.counts.changed,
        result.counts.unchanged
      ]);
      ctx.stdout(formatTable(["kind", "added", "removed", "changed", "unchanged"], rows));
    }
    return 0;
  }
};
var DELTA_OPTIONS = {
  task: TASK_OPTION,
  path: PATH_OPTION,
  severity: { ...SEVERITY_OPTION, description: "Threshold: warning keeps errors and warnings" }
};
var regressionsCommand = {
  name: "regressions",
  summary: "Diagnostics new in head or more severe than in base (exit 1 when there are any, so CI can gate on it)",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  positionals: BATCH_PAIR,
  options: DELTA_OPTIONS,
  run(ctx) {
    const [base, head] = pair(ctx);
    const result = diffModule().findRegressions(ctx.openStore(), base, head, deltaOptions(ctx));
    printDelta(ctx, result, "new diagnostic");
    return result.total > 0 ? 1 : 0;
  }
};
var improvementsCommand = {
  name: "improvements",
  summary: "Diagnostics gone in head or less severe than in base",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  positionals: BATCH_PAIR,
  options: DELTA_OPTIONS,
  run(ctx) {
    const [base, head] = pair(ctx);
    printDelta(
      ctx,
      diffModule().findImprovements(ctx.openStore(), base, head, deltaOptions(ctx)),
      "fixed diagnostic"
    );
    return 0;
  }
};
function pair(ctx) {
  return [ctx.positionals[0], ctx.positionals[1]];
}
function deltaOptions(ctx) {
  return { task: stringOpt(ctx, "task"), path: stringOpt(ctx, "path"), severity: stringOpt(ctx, "severity") };
}
function printDelta(ctx, result, noun) {
  if (ctx.json) {
    ctx.stdout(formatJson(result));
    return;
  }
  for (const r of result.records) ctx.stdout(`${formatDiagnosticLine(r)}  [${r.task_id}]
`);
  if (!ctx.quiet) ctx.stdout(`${result.total} ${noun}${result.total === 1 ? "" : "s"}
`);
}

// ../core/src/query/query-errors.ts
init_shard_assignment();
init_batch_record();
init_batch_facts();
init_batch_view();
init_files_index();
init_query_outputs();
init_shard_scan();
import fs22 from "node:fs";
function queryErrors(store, batchId, options = {}) {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const diagnostics = loadDiagnostics(view, taskIds, { ...options, severity: "error" });
  const failedShards = listFailedShards(view, taskIds);
  const files = new Set(diagnostics.map((r) => r.path));
  for (const s of failedShards) for (const f of s.files ?? []) files.add(f);
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task }),
    files: [...files].sort(),
    diagnostics,
    failed_shards: failedShards
  };
}
function listFailedShards(view, taskIds) {
  const out = [];
  let files;
  for (const taskId of taskIds) {
    const failed = listShards(view, taskId).filter((e) => e.status === "failed");
    if (failed.length === 0) continue;
    files ??= [...readFilesByPath(view.store, view.batch.snapshot_id).values()];
    const assign = shardAssigner(view, taskId);
    for (const entry of failed) {
      const error = entry.state?.error;
      out.push({
        task_id: taskId,
        shard_id: entry.shardId,
        attempt: entry.state?.attempt ?? 1,
        error: error ? { code: error.code, message: error.message } : null,
        files: assign ? files.filter((f) => assign(f) === entry.shardId).map((f) => f.path) : null
      });
    }
  }
  return out;
}
function shardAssigner(view, taskId) {
  let task;
  try {
    task = taskRecordSchema.parse(
      JSON.parse(fs22.readFileSync(view.store.layout.taskFile(view.batchId, taskId), "utf8"))
    );
  } catch {
    return void 0;
  }
  const { sharding } = task;
  if (!isFileFunction(sharding)) return void 0;
  return (f) => {
    try {
      return shardOf(sharding, f);
    } catch {
      return void 0;
    }
  };
}

// ../core/src/cli/commands/errors.ts
var errorsCommand = {
  name: "errors",
  summary: "Files that failed a task: error diagnostics and failed shards (with their error)",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: { batch: BATCH_OPTION, task: TASK_OPTION },
  run(ctx) {
    const result = queryErrors(ctx.openStore(), requireBatch(ctx), { task: stringOpt(ctx, "task") });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      for (const s of result.failed_shards) {
        const files = s.files === null ? "files unknown" : `${s.files.length} file${s.files.length === 1 ? "" : "s"}`;
        const error = s.error ? `${s.error.code}: ${s.error.message}` : "no error recorded";
        ctx.stdout(
          `shard ${s.task_id}/${s.shard_id} failed (attempt ${s.attempt}, ${files}): ${escapeText(error)}
`
        );
        for (const f of s.files ?? []) ctx.stdout(`  ${escapeText(f)}
`);
      }
      for (const r of result.diagnostics)
        ctx.stdout(`${formatDiagnosticLine(r)}  [${escapeText(r.task_id)}]
`);
      if (!ctx.quiet) {
        ctx.stdout(
          `${result.files.length} files with errors: ${result.diagnostics.length} error diagnostics, ${result.failed_shards.length} failed shards
`
        );
      }
    }
    return 0;
  }
};

// ../core/src/query/query-files.ts
init_batch_facts();
init_batch_view();
init_files_index();
init_output_filter();
init_query_outputs();
function queryFiles(store, batchId, options = {}) {
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const matchPath = createPathMatcher(options.path);
  const summaries = /* @__PURE__ */ new Map();
  for (const f of readFilesByPath(store, view.batch.snapshot_id).values()) {
    if (matchPath(f.path)) summaries.set(f.path, emptySummary(f.path, f.lang_hint ?? UNKNOWN_LANG, f.size));
  }
  for (const row of loadCountRows(view, taskIds, options)) {
    if (!matchPath(row.path)) continue;
    let s = summaries.get(row.path);
    if (!s) {
      s = emptySummary(row.path, row.lang, null);
      summaries.set(row.path, s);
    }
    addRow(s, row.kind, row.severity, row.count);
  }
  const files = [...summaries.values()].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task, path: options.path }),
    total: files.length,
    files
  };
}
function queryTop(store, batchId, options = {}) {
  assertSeverity(options.severity);
  const limit = options.limit ?? 10;
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const summaries = /* @__PURE__ */ new Map();
  for (const row of loadCountRows(view, taskIds, options)) {
    if (row.kind !== "diagnostic") continue;
    if (options.severity !== void 0 && row.severity !== options.severity) continue;
    let s = summaries.get(row.path);
    if (!s) {
      s = emptySummary(row.path, row.lang, null);
      summaries.set(row.path, s);
    }
    addRow(s, row.kind, row.severity, row.count);
  }
  const sizes = readFilesByPath(store, view.batch.snapshot_id);
  const files = [...summaries.values()].map((s) => ({ ...s, size: sizes.get(s.path)?.size ?? null })).sort((a, b) => b.diagnostics - a.diagnostics || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task, severity: options.severity, limit }),
    total: files.length,
    files: applyLimit(files, limit)
  };
}
function emptySummary(path28, lang, size) {
  return { path: path28, lang, size, outputs: 0, diagnostics: 0, ...emptySeverityCounts() };
}
function addRow(s, kind, severity, count) {
  s.outputs += count;
  if (kind !== "diagnostic") return;
  s.diagnostics += count;
  if (severity !== null && severity in SEVERITY_KEYS) s[severity] += count;
}
var SEVERITY_KEYS = emptySeverityCounts();

// ../core/src/cli/commands/files.ts
var filesCommand = {
  name: "files",
  summary: "Files of a batch with their output and diagnostic counts",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: { batch: BATCH_OPTION, task: TASK_OPTION, path: PATH_OPTION },
  run(ctx) {
    const result = queryFiles(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, "task"),
      path: stringOpt(ctx, "path")
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else ctx.stdout(formatFileTable(result.files, "outputs"));
    return 0;
  }
};
var topCommand = {
  name: "top",
  summary: "Files with the most diagnostics",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    severity: { ...SEVERITY_OPTION, description: "Count only diagnostics of this severity" },
    limit: { type: "string", description: "At most this many files", valueName: "n", default: "10" }
  },
  run(ctx) {
    const result = queryTop(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, "task"),
      severity: stringOpt(ctx, "severity"),
      limit: parseLimit(ctx, 10)
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else if (result.files.length === 0) {
      if (!ctx.quiet) ctx.stdout("no diagnostics\n");
    } else ctx.stdout(formatFileTable(result.files, "diagnostics"));
    return 0;
  }
};
function formatFileTable(files, first) {
  const headers = first === "outputs" ? ["path", "lang", "outputs", "diagnostics", "error", "warning", "info", "hint"] : ["path", "lang", "diagnostics", "error", "warning", "info", "hint"];
  return formatTable(
    headers,
    files.map(
      (f) => first === "outputs" ? [f.path, f.lang, f.outputs, f.diagnostics, f.error, f.warning, f.info, f.hint] : [f.path, f.lang, f.diagnostics, f.error, f.warning, f.info, f.hint]
    )
  );
}

// ../core/src/cli/commands/gc.ts
var gcCommand = {
  name: "gc",
  summary: "Remove old batches, then unreferenced snapshots, objects, index entries and stale temp files (--dry-run: report only)",
  group: "store",
  since: "0.1.0",
  readOnly: false,
  requiresStore: true,
  options: {
    "keep-batches": {
      type: "string",
      description: "Keep the newest N batches (others may go)",
      valueName: "n"
    },
    "older-than": {
      type: "string",
      description: "Remove batches created longer ago than this (e.g. 30d, 12h); with --keep-batches, a batch goes only if neither keeps it",
      valueName: "duration"
    },
    grace: {
      type: "string",
      description: "Never remove objects, temp files or unfinished batches younger than this (default 1h; a run refreshes the objects it names at most every 5 minutes, so keep it above that while runs go on)",
      valueName: "duration"
    },
    "dry-run": { type: "boolean", description: "Report what would be removed; write nothing" },
    auto: {
      type: "boolean",
      description: "Collect only when a batch, a snapshot or an unfinished batch goes (otherwise only stale temp files): for a gc after every run"
    }
  },
  run(ctx) {
    const { parseDuration: parseDuration2, pruneStore: pruneStore2 } = (init_prune_store(), __toCommonJS(prune_store_exports));
    const keep = stringOpt(ctx, "keep-batches");
    const olderThan = stringOpt(ctx, "older-than");
    const grace = stringOpt(ctx, "grace");
    const report = pruneStore2(ctx.openStore(), {
      keepBatches: keep === void 0 ? void 0 : parseIntOption("keep-batches", keep, 0),
      olderThanMs: olderThan === void 0 ? void 0 : parseDuration2(olderThan),
      graceMs: grace === void 0 ? void 0 : parseDuration2(grace),
      dryRun: boolOpt(ctx, "dry-run"),
      auto: boolOpt(ctx, "auto")
    });
    if (ctx.json) ctx.stdout(formatJson(report));
    else if (!ctx.quiet) {
      const verb = report.dry_run ? "would free" : "freed";
      ctx.stdout(
        [
          ...report.skipped ? ["auto: no batch, snapshot or unfinished batch to remove; objects and indexes not swept"] : [],
          `batches    ${report.batches.removed.length} removed, ${report.batches.kept.length} kept${report.batches.removed.length > 0 ? ` (${report.batches.removed.join(", ")})` : ""}`,
          ...report.batches.unreadable.length > 0 ? [
            `           kept unread (damaged batch.json, see \`codebatch verify\`): ${report.batches.unreadable.join(", ")}`
          ] : [],
          `snapshots  ${report.snapshots.removed.length} removed, ${report.snapshots.kept} kept`,
          report.skipped ? "objects    not swept" : `objects    ${report.objects.removed} removed (${formatBytes(report.objects.bytes)}), ${report.objects.kept} kept`,
          `indexes    ${report.indexes.memo_entries_removed} memo entries, ${report.indexes.bundles_removed} bundle entries, ${report.indexes.query_removed} query indexes removed`,
          `sessions   ${report.sessions.removed} removed`,
          `tmp        ${report.tmp.removed} stale entries removed`,
          `${report.dry_run ? "dry run: " : ""}${verb} ${formatBytes(report.bytes_freed)}`,
          ""
        ].join("\n")
      );
    }
    return 0;
  }
};
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// ../core/src/cli/commands/index-build.ts
init_read_batch();
init_codebatch_error();

// ../core/src/query/accel/build-query-index.ts
init_codebatch_error();
init_atomic_write();
init_jsonl();
init_canonical_json();
init_batch_view();
init_files_index();
init_scan_outputs();
init_tally_outputs();
init_index_sources();
init_query_index_file();
import fs24 from "node:fs";
import path21 from "node:path";
var MAX_ATTEMPTS = 3;
function buildQueryIndex(store, batchId) {
  const view = loadBatchView(store, batchId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const before = computeIndexSources(view);
    const records = scanOutputs(view, view.taskIds);
    const after = computeIndexSources(view);
    if (canonicalJson(before) !== canonicalJson(after)) continue;
    return writeIndex(store, batchId, before, records);
  }
  throw new CodebatchError("E_LOCKED", `batch ${batchId} kept changing while its index was built`, {
    hints: ["Build the index after the run finishes; queries answer correctly without it meanwhile."],
    details: { batch_id: batchId }
  });
}
function writeIndex(store, batchId, sources, records) {
  const files = readFilesByPath(store, sources.snapshot_id);
  const rows = tallyOutputs(records, files);
  const parts = [];
  let offset = 0;
  const addSection = (text) => {
    const bytes = Buffer.from(text, "utf8");
    parts.push(bytes);
    offset += bytes.length;
    return [offset - bytes.length, bytes.length];
  };
  const countRows = addSection(`${JSON.stringify(rows.map(toCountTuple))}
`);
  const bySection = new Map(DIAGNOSTIC_SECTIONS.map((s) => [s, []]));
  let diagnosticCount = 0;
  for (const r of records) {
    if (r.kind !== "diagnostic") continue;
    bySection.get(sectionOf(r.severity)).push(r);
    diagnosticCount += 1;
  }
  const diagnostics = {};
  for (const [section, list] of bySection)
    diagnostics[section] = { range: addSection(toJsonl(list)), count: list.length };
  const header = {
    schema_name: QUERY_INDEX_SCHEMA,
    schema_version: 1,
    index_version: QUERY_INDEX_VERSION,
    sources,
    record_count: records.length,
    diagnostic_count: diagnosticCount,
    totals: aggregateTotals(rows).map(toTotalTuple),
    sections: { count_rows: countRows, diagnostics }
  };
  const data = Buffer.concat([Buffer.from(`${JSON.stringify(header)}
`, "utf8"), ...parts]);
  const file = queryIndexFile(store, batchId);
  fs24.mkdirSync(path21.dirname(file), { recursive: true });
  writeFileAtomic(file, data);
  return {
    batch_id: batchId,
    file,
    records: records.length,
    diagnostics: diagnosticCount,
    count_rows: rows.length,
    bytes: data.length
  };
}

// ../core/src/cli/commands/index-build.ts
var indexBuildCommand = {
  name: "index build",
  aliases: ["index-build"],
  summary: "Build the optional query acceleration index of a batch under indexes/ (never needed for correctness)",
  group: "query",
  since: "0.1.0",
  readOnly: false,
  requiresStore: true,
  options: {
    batch: BATCH_OPTION,
    all: { type: "boolean", description: "Index every batch of the store" }
  },
  run(ctx) {
    const store = ctx.openStore();
    const batch = stringOpt(ctx, "batch");
    const all = boolOpt(ctx, "all");
    if (batch === void 0 === !all) {
      throw new CodebatchError("E_USAGE", "index build needs exactly one of --batch <id> or --all");
    }
    const ids2 = all ? listBatches(store).map((b) => b.batch_id).sort() : [batch];
    const results = ids2.map((id) => {
      const started = process.hrtime.bigint();
      const r = buildQueryIndex(store, id);
      return { ...r, ms: Number((process.hrtime.bigint() - started) / 1000000n) };
    });
    if (ctx.json) ctx.stdout(formatJson({ indexes: results }));
    else if (!ctx.quiet) {
      ctx.stdout(
        formatTable(
          ["batch", "records", "diagnostics", "bytes", "ms"],
          results.map((r) => [r.batch_id, r.records, r.diagnostics, r.bytes, r.ms])
        )
      );
    }
    return 0;
  }
};

// ../core/src/cli/commands/init.ts
var initCommand = {
  name: "init",
  summary: "Create a store (store.json, objects/, snapshots/, batches/, indexes/)",
  group: "store",
  since: "0.1.0",
  readOnly: false,
  requiresStore: false,
  positionals: [{ name: "dir", description: "Store directory (default: --store, or .codebatch)" }],
  run(ctx) {
    const dir = ctx.positionals[0] ?? ctx.storeDir;
    const { store, created } = initStore(dir);
    if (ctx.json) ctx.stdout(formatJson({ store: store.layout.root, created, record: store.record }));
    else if (!ctx.quiet)
      ctx.stdout(`${created ? "Created" : "Already a store:"} ${escapeText(store.layout.root)}
`);
    return 0;
  }
};

// ../core/src/query/inspect-file.ts
init_codebatch_error();
init_batch_view();
init_files_index();
init_scan_outputs();
function inspectFile(store, batchId, filePath) {
  const view = loadBatchView(store, batchId);
  const files = readFilesByPath(store, view.batch.snapshot_id);
  const file = files.get(filePath) ?? [...files.values()].find((f) => f.path_key === filePath);
  if (!file) {
    throw new CodebatchError("E_NOT_FOUND", `${JSON.stringify(filePath)} is not a file of batch ${batchId}`, {
      hints: [
        `List the batch's files with \`codebatch files --batch ${batchId}\`; paths are relative to the snapshot root.`
      ],
      details: { batch_id: batchId, path: filePath }
    });
  }
  const outputs = scanOutputs(view, view.taskIds, (r) => r.path === file.path);
  return {
    batch_id: batchId,
    path: file.path,
    file,
    tasks: view.taskIds.map((taskId) => {
      const own = outputs.filter((r) => r.task_id === taskId);
      const counts = {};
      for (const r of own) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
      return {
        task_id: taskId,
        counts: Object.fromEntries(
          Object.keys(counts).sort().map((k) => [k, counts[k] ?? 0])
        ),
        outputs: own
      };
    })
  };
}

// ../core/src/cli/commands/inspect.ts
var inspectCommand = {
  name: "inspect",
  summary: "Everything a batch knows about one file: its index record and outputs per task",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  positionals: [{ name: "path", description: "File path as in the snapshot", required: true }],
  options: { batch: BATCH_OPTION },
  run(ctx) {
    const result = inspectFile(ctx.openStore(), requireBatch(ctx), ctx.positionals[0]);
    if (ctx.json) {
      ctx.stdout(formatJson(result));
      return 0;
    }
    const f = result.file;
    ctx.stdout(
      `${escapeText(f.path)}
  object  ${f.object}
  size    ${f.size}
  lang    ${escapeText(f.lang_hint ?? "unknown")}
`
    );
    for (const t of result.tasks) {
      const counts = Object.entries(t.counts).map(([k, n]) => `${n} ${k}`).join(", ");
      ctx.stdout(`
${t.task_id}: ${counts || "no outputs"}
`);
      for (const r of t.outputs) ctx.stdout(`  ${formatOutputLine(r)}
`);
    }
    return 0;
  }
};

// ../core/src/cli/commands/manifest.ts
init_run_manifest2();
init_shard_manifest();
function need(ctx, name, hint) {
  const v = stringOpt(ctx, name);
  if (!v) throw usageError(`this command needs --${name} <id>`, hint);
  return v;
}
var short = (v) => v ? v.replace(/^sha256:/, "").slice(0, 12) : "-";
var manifestShowCommand = {
  name: "manifest show",
  aliases: ["manifest"],
  summary: "Run manifest of a shard run (--task T --shard S) or of the batch (its shard runs, linked)",
  group: "provenance",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: { type: "string", description: "Task id", valueName: "id" },
    shard: {
      type: "string",
      description: "Shard id (with --task: that shard run's manifest)",
      valueName: "id"
    }
  },
  run(ctx) {
    const store = ctx.openStore();
    const batchId = requireBatch(ctx);
    const taskId = stringOpt(ctx, "task");
    const shardId = stringOpt(ctx, "shard");
    if (shardId && !taskId) throw usageError("--shard needs --task <id>");
    if (taskId && shardId) {
      const { manifest: manifest2, ref: ref3 } = loadShardManifest(store, batchId, taskId, shardId);
      if (ctx.json) {
        const files = manifest2.inputs.files ?? readManifestPreimage(store, manifest2).members.map(([path28, object]) => ({ path: path28, object }));
        ctx.stdout(formatJson({ ref: ref3 ?? null, manifest: manifest2, files }));
        return 0;
      }
      const m = manifest2;
      ctx.stdout(
        `shard run ${batchId}/${taskId}/${shardId}${ref3 ? ` manifest ${ref3}` : " (derived from state.json: no recorded manifest)"}
`
      );
      ctx.stdout(
        `  outcome      ${m.run.outcome} (attempt ${m.run.attempt})${m.run.reused_from ? ` reused from ${m.run.reused_from.batch_id}/${m.run.reused_from.shard_id}` : ""}
`
      );
      ctx.stdout(`  time         ${m.run.started_at} .. ${m.run.completed_at}
`);
      ctx.stdout(`  task         ${m.task.type}@${m.task.version} config ${short(m.task.config_digest)}
`);
      ctx.stdout(`  bundle       ${m.input_bundle.hash}
`);
      ctx.stdout(
        `  inputs       ${m.inputs.files?.length ?? readManifestPreimage(store, m).members.length} files; upstream ${m.inputs.upstream.map((u) => `${u.task_id}=${short(u.result_digest)}`).join(", ") || "-"}
`
      );
      ctx.stdout(
        `  outputs      ${m.outputs ? `${m.outputs.count} records ${Object.entries(m.outputs.by_kind).map(([k, v]) => `${k} ${v}`).join(", ")} digest ${short(m.outputs.outputs_digest)}` : "-"}
`
      );
      ctx.stdout(
        `  versions     engine ${m.versions.engine}, node ${m.versions.node}, task ${m.versions.task}
`
      );
      ctx.stdout(
        `  timings ms   analysis ${m.timings_ms.analysis}, compilation ${m.timings_ms.compilation}, processing ${m.timings_ms.processing}
`
      );
      ctx.stdout(`  memo         ${m.memo.files_executed} files executed, ${m.memo.files_reused} reused
`);
      ctx.stdout(
        `  verification outputs ${m.verification.outputs_rehash}${m.verification.records_validated ? `, records ${m.verification.records_validated.checked} checked / ${m.verification.records_validated.invalid} invalid` : ""}
`
      );
      if (m.error) ctx.stdout(`  error        ${m.error.code}: ${escapeText(m.error.message)}
`);
      return 0;
    }
    const manifest = buildBatchManifest(store, batchId);
    const ref2 = readBatchManifestRef(store, batchId);
    const runs = taskId ? manifest.shard_runs.filter((r) => r.task_id === taskId) : manifest.shard_runs;
    if (ctx.json) {
      ctx.stdout(formatJson({ ref: ref2 ?? null, manifest: { ...manifest, shard_runs: runs } }));
      return 0;
    }
    ctx.stdout(
      `batch ${batchId}: ${runs.length} shard runs${ref2 ? `; last written batch manifest ${ref2}` : ""}
`
    );
    ctx.stdout(
      formatTable(
        ["task", "shard", "status", "attempt", "reused", "manifest", "bundle"],
        runs.map((r) => [
          r.task_id,
          r.shard_id,
          r.status,
          r.attempt,
          r.reused ? "yes" : "-",
          short(r.manifest),
          short(r.bundle_hash)
        ])
      )
    );
    return 0;
  }
};
var explainMissCommand = {
  name: "explain-miss",
  summary: "Which labelled part of a shard run's input bundle changed against an earlier batch (files, config, upstream, versions)",
  group: "provenance",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: { type: "string", description: "Task id", valueName: "id" },
    shard: { type: "string", description: "Shard id", valueName: "id" },
    file: {
      type: "string",
      description: "Explain one file instead of a shard: its content, or which file its types depend on changed",
      valueName: "path"
    },
    against: {
      type: "string",
      description: "Batch to compare with (default: the latest earlier batch with the task)",
      valueName: "id"
    }
  },
  run(ctx) {
    const store = ctx.openStore();
    const file = stringOpt(ctx, "file");
    if (file !== void 0) return explainFile(ctx, file);
    const { explainShardMiss: explainShardMiss2 } = (init_explain_shard_miss(), __toCommonJS(explain_shard_miss_exports));
    const { formatBundleChange: formatBundleChange2 } = (init_explain_miss(), __toCommonJS(explain_miss_exports));
    const r = explainShardMiss2(store, {
      batchId: requireBatch(ctx),
      taskId: need(ctx, "task", "List tasks with `codebatch tasks --batch <id>`."),
      shardId: need(ctx, "shard", "List shards with `codebatch shards --batch <id> --task <id>`."),
      against: stringOpt(ctx, "against")
    });
    if (ctx.json) {
      ctx.stdout(formatJson(r));
      return 0;
    }
    ctx.stdout(
      `${r.task_id}/${r.shard_id}: ${r.batch_id} bundle ${short(r.current.bundle_hash)} (${r.current.source}) vs ${r.against.batch_id} bundle ${short(r.against.bundle_hash)} (${r.against.source})
`
    );
    if (r.same) ctx.stdout("identical input bundles: no miss (the run was skipped or reused)\n");
    else {
      ctx.stdout(`changed: ${r.parts.join(", ")}
`);
      for (const c of r.changes) ctx.stdout(`  ${escapeText(formatBundleChange2(c))}
`);
    }
    return 0;
  }
};
function explainFile(ctx, file) {
  const { explainFileMiss: explainFileMiss2 } = (init_explain_file_miss(), __toCommonJS(explain_file_miss_exports));
  const r = explainFileMiss2(ctx.openStore(), {
    batchId: requireBatch(ctx),
    taskId: need(ctx, "task", "List tasks with `codebatch tasks --batch <id>`."),
    path: file,
    against: stringOpt(ctx, "against")
  });
  if (ctx.json) {
    ctx.stdout(formatJson(r));
    return 0;
  }
  ctx.stdout(`${r.task_id} ${escapeText(r.path)}: ${r.batch_id} vs ${r.against}
`);
  if (r.content)
    ctx.stdout(`  content: ${short(r.content.from ?? "absent")} -> ${short(r.content.to ?? "absent")}
`);
  else ctx.stdout("  content: unchanged\n");
  if (r.dependencies.length === 0) ctx.stdout("  type dependencies: unchanged\n");
  for (const d of r.dependencies) {
    const detail = d.change === "changed" ? ` ${short(d.from)} -> ${short(d.to)}` : "";
    ctx.stdout(`  type dependency ${d.change}: ${escapeText(d.path)}${detail}
`);
  }
  return 0;
}

// ../core/src/cli/commands/provenance-export.ts
init_codebatch_error();
init_atomic_write();
import fs27 from "node:fs";
import path23 from "node:path";
var dsse = () => (init_dsse(), __toCommonJS(dsse_exports));
var eventsExport = () => (init_events_export(), __toCommonJS(events_export_exports));
var exportModule = () => (init_export_provenance(), __toCommonJS(export_provenance_exports));
var verifyStatement = () => (init_verify_statement(), __toCommonJS(verify_statement_exports));
function emit(ctx, text) {
  const out = stringOpt(ctx, "out");
  if (out) writeFileAtomic(path23.resolve(ctx.cwd, out), text);
  else ctx.stdout(text);
}
var provenanceExportCommand = {
  name: "provenance export",
  summary: "Export a batch's provenance as PROV-O JSON-LD (prov) or an in-toto Statement v1 with a SLSA v1 predicate (intoto)",
  group: "provenance",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    format: { type: "string", description: "prov | intoto", valueName: "format", default: "prov" },
    out: { type: "string", description: "Write to this file instead of stdout", valueName: "file" },
    "sign-key": {
      type: "string",
      description: "intoto only: sign with this ed25519 private key (PEM) into a DSSE envelope",
      valueName: "file"
    }
  },
  run(ctx) {
    const format = stringOpt(ctx, "format") ?? "prov";
    if (format !== "prov" && format !== "intoto")
      throw usageError(`--format must be prov or intoto (got ${JSON.stringify(format)})`);
    const signKey = stringOpt(ctx, "sign-key");
    if (signKey !== void 0 && format !== "intoto")
      throw usageError("--sign-key signs in-toto statements: add --format intoto");
    const exported = exportModule().exportProvenance(ctx.openStore(), requireBatch(ctx), format);
    const document = signKey === void 0 ? exported : dsse().signStatement(exported, readKey(ctx, signKey));
    emit(ctx, `${JSON.stringify(document, null, 2)}
`);
    return 0;
  }
};
var provenanceVerifyCommand = {
  name: "provenance verify",
  summary: "Check a signed in-toto envelope: its signature, and that every subject digest matches the store",
  group: "provenance",
  since: "0.2.0",
  readOnly: true,
  requiresStore: true,
  options: {
    envelope: {
      type: "string",
      description: "The DSSE envelope (from provenance export --sign-key)",
      valueName: "file"
    },
    "public-key": {
      type: "string",
      description: "The ed25519 public key (PEM) to check the signature with",
      valueName: "file"
    }
  },
  run(ctx) {
    const envelopeFile = stringOpt(ctx, "envelope");
    const keyFile = stringOpt(ctx, "public-key");
    if (envelopeFile === void 0 || keyFile === void 0)
      throw usageError("provenance verify needs --envelope FILE and --public-key FILE");
    let envelope;
    try {
      envelope = JSON.parse(fs27.readFileSync(path23.resolve(ctx.cwd, envelopeFile), "utf8"));
    } catch (error) {
      throw usageError(`cannot read the envelope ${envelopeFile}: ${error.message}`);
    }
    const statement = dsse().openEnvelope(envelope, readKey(ctx, keyFile));
    const check = verifyStatement().checkStatementSubjects(ctx.openStore(), statement);
    if (check.mismatches.length > 0) {
      throw new CodebatchError(
        "E_SUBJECT_MISMATCH",
        `${check.mismatches.length} of ${check.subjects} attested subjects do not match the store`,
        {
          hints: ["The store changed since the statement was signed, or the statement is of another store."],
          details: { issues: check.mismatches.map((m) => `${m.name}: ${m.reason}`) }
        }
      );
    }
    if (ctx.json) ctx.stdout(formatJson({ ok: true, subjects: check.subjects }));
    else ctx.stdout(`signature ok; ${check.subjects} subjects match the store
`);
    return 0;
  }
};
function readKey(ctx, file) {
  try {
    return fs27.readFileSync(path23.resolve(ctx.cwd, file), "utf8");
  } catch (error) {
    throw usageError(`cannot read the key ${file}: ${error.message}`);
  }
}
var eventsExportCommand = {
  name: "events export",
  summary: "Export batch, task and shard events plus session actions as normalized observation rows (jsonl or csv)",
  group: "provenance",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    format: { type: "string", description: "jsonl | csv", valueName: "format", default: "jsonl" },
    out: { type: "string", description: "Write to this file instead of stdout", valueName: "file" },
    "no-sessions": { type: "boolean", description: "Leave out provenance session actions" }
  },
  run(ctx) {
    const format = stringOpt(ctx, "format") ?? "jsonl";
    if (format !== "jsonl" && format !== "csv")
      throw usageError(`--format must be jsonl or csv (got ${JSON.stringify(format)})`);
    const rows = eventsExport().exportObservations(ctx.openStore(), requireBatch(ctx), {
      sessions: ctx.values["no-sessions"] !== true
    });
    emit(
      ctx,
      format === "csv" ? eventsExport().formatObservationsCsv(rows) : eventsExport().formatObservationsJsonl(rows)
    );
    return 0;
  }
};

// ../core/src/cli/commands/query.ts
init_query_outputs();

// ../core/src/query/query-stats.ts
init_codebatch_error();
init_batch_facts();
init_batch_view();
init_output_filter();
init_query_outputs();
var GROUP_BY = ["kind", "severity", "code", "lang", "task"];
function queryStats(store, batchId, options = {}) {
  const groupBy = parseGroupBy(options.groupBy);
  assertKind(options.kind);
  const diagnosticOnly = groupBy === "severity" || groupBy === "code";
  if (diagnosticOnly && options.kind !== void 0 && options.kind !== "diagnostic") {
    throw new CodebatchError(
      "E_USAGE",
      `--group-by ${groupBy} applies to diagnostics only (got --kind ${options.kind})`,
      {
        hints: ["Drop --kind, or group by kind, lang or task."]
      }
    );
  }
  const view = loadBatchView(store, batchId);
  const taskIds = resolveTaskIds(view, options.task);
  const kind = diagnosticOnly ? "diagnostic" : options.kind;
  const groups = /* @__PURE__ */ new Map();
  let total = 0;
  for (const row of loadTotals(view, taskIds, options)) {
    if (kind !== void 0 && row.kind !== kind) continue;
    const key = groupKey(row, groupBy);
    groups.set(key, (groups.get(key) ?? 0) + row.count);
    total += row.count;
  }
  return {
    batch_id: batchId,
    filters: definedFields({ task: options.task, kind: options.kind }),
    group_by: groupBy,
    total,
    groups: [...groups].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  };
}
function groupKey(row, groupBy) {
  switch (groupBy) {
    case "kind":
      return row.kind;
    case "severity":
      return row.severity ?? "(none)";
    case "code":
      return row.code ?? "(none)";
    case "lang":
      return row.lang;
    case "task":
      return row.task_id;
  }
}
function parseGroupBy(value) {
  if (value === void 0) return "kind";
  if (GROUP_BY.includes(value)) return value;
  throw new CodebatchError("E_USAGE", `unknown --group-by ${JSON.stringify(value)}`, {
    hints: [`Use one of: ${GROUP_BY.join(", ")}.`]
  });
}

// ../core/src/cli/commands/query.ts
var KIND_OPTION = {
  type: "string",
  description: "ast, diagnostic, metric, symbol, edge, ...",
  valueName: "kind"
};
var queryOutputsCommand = {
  name: "query outputs",
  aliases: ["query-outputs"],
  summary: "List output records of a batch (filter by task, kind, path)",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    kind: KIND_OPTION,
    path: PATH_OPTION,
    limit: LIMIT_OPTION
  },
  run(ctx) {
    const result = queryOutputs(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, "task"),
      kind: stringOpt(ctx, "kind"),
      path: stringOpt(ctx, "path"),
      limit: parseLimit(ctx)
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      for (const r of result.records) ctx.stdout(`${formatOutputLine(r)}
`);
      if (!ctx.quiet) ctx.stdout(`${countLine(result.records.length, result.total, "output")}
`);
    }
    return 0;
  }
};
var queryDiagnosticsCommand = {
  name: "query diagnostics",
  aliases: ["query-diagnostics"],
  summary: "List diagnostics of a batch (filter by task, severity, code, path)",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    severity: SEVERITY_OPTION,
    code: { type: "string", description: "Only this diagnostic code (e.g. L101)", valueName: "code" },
    path: PATH_OPTION,
    limit: LIMIT_OPTION
  },
  run(ctx) {
    const result = queryDiagnostics(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, "task"),
      severity: stringOpt(ctx, "severity"),
      code: stringOpt(ctx, "code"),
      path: stringOpt(ctx, "path"),
      limit: parseLimit(ctx)
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      for (const r of result.records) ctx.stdout(`${formatDiagnosticLine(r)}
`);
      if (!ctx.quiet) {
        const s = result.by_severity;
        ctx.stdout(
          `${countLine(result.records.length, result.total, "diagnostic")} (${s.error} error, ${s.warning} warning, ${s.info} info, ${s.hint} hint)
`
        );
      }
    }
    return 0;
  }
};
var queryStatsCommand = {
  name: "query stats",
  aliases: ["query-stats"],
  summary: "Count outputs of a batch grouped by kind, severity, code, lang or task",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    kind: KIND_OPTION,
    "group-by": {
      type: "string",
      description: `${GROUP_BY.join("|")} (severity and code count diagnostics only)`,
      valueName: "field",
      default: "kind"
    }
  },
  run(ctx) {
    const result = queryStats(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, "task"),
      kind: stringOpt(ctx, "kind"),
      groupBy: stringOpt(ctx, "group-by")
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      ctx.stdout(
        formatTable(
          [result.group_by, "count"],
          [...result.groups.map((g) => [g.key, g.count]), ["total", result.total]]
        )
      );
    }
    return 0;
  }
};
function countLine(shown, total, noun) {
  const plural2 = total === 1 ? noun : `${noun}s`;
  return shown === total ? `${total} ${plural2}` : `${shown} of ${total} ${plural2} (--limit)`;
}

// ../core/src/cli/progress.ts
function createShardProgress(isTty, write) {
  if (!isTty) return { onShard: () => {
  }, log: (line) => write(`${escapeText(line)}
`), end: () => {
  } };
  const started = Date.now();
  let last = 0;
  let shown = false;
  let bar = "";
  return {
    log(line) {
      write(`${shown ? "\r\x1B[K" : ""}${escapeText(line)}
${shown ? bar : ""}`);
    },
    onShard(r, done, total) {
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const elapsed = (now - started) / 1e3;
      const eta = done > 0 ? (total - done) * elapsed / done : 0;
      const width = 24;
      const filled = Math.round(done / Math.max(total, 1) * width);
      bar = `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${r.taskId} ${r.shardId} ${r.outcome.padEnd(8)} ETA ${eta.toFixed(1)}s \x1B[K`;
      write(bar);
      shown = true;
    },
    end() {
      if (shown) write("\r\x1B[K");
    }
  };
}

// ../core/src/cli/commands/run.ts
async function runAndReport(ctx, options) {
  const parallelOpt = stringOpt(ctx, "parallel");
  const parallel = parallelOpt === void 0 ? defaultParallelism() : parseIntOption("parallel", parallelOpt, 1, 64);
  const retriesOpt = stringOpt(ctx, "retries");
  const retries = retriesOpt === void 0 ? void 0 : parseIntOption("retries", retriesOpt, 0, 10);
  const maxShardsOpt = stringOpt(ctx, "max-shards");
  const replicatesOpt = stringOpt(ctx, "replicates");
  const replicates = replicatesOpt === void 0 ? 1 : parseIntOption("replicates", replicatesOpt, 1, 20);
  const store = ctx.openStore();
  const progress = createShardProgress(ctx.isTty && !ctx.json && !ctx.quiet, ctx.stderr);
  const base = {
    batchId: requireBatch(ctx),
    taskIds: options.taskIds,
    shardIds: options.shardIds,
    force: options.force,
    registry: createDefaultRegistry(),
    onShard: progress.onShard,
    parallel,
    useDefaultRegistryInWorkers: true,
    maxShards: maxShardsOpt === void 0 ? void 0 : parseIntOption("max-shards", maxShardsOpt, 1, 256),
    failFast: boolOpt(ctx, "fail-fast")
  };
  const provenance = {
    enabled: !boolOpt(ctx, "no-provenance"),
    retries,
    replicates,
    live: ctx.json || ctx.quiet ? void 0 : progress.log
  };
  let summary;
  let replicateReport;
  const cpuBefore = process.cpuUsage();
  try {
    const result = await runBatchWithProvenance(store, base, provenance);
    summary = result;
    replicateReport = result.replicateReport;
  } finally {
    progress.end();
  }
  const deterministic = !replicateReport || replicateReport.mismatches.length === 0;
  if (!deterministic) {
    for (const m of replicateReport.mismatches) {
      ctx.stderr(
        `nondeterministic  ${m.task_id} shard ${m.shard_id}: ${new Set(m.digests).size} different results in ${replicates} runs
`
      );
    }
  }
  const ok = deterministic && summary.counts.failed === 0 && summary.counts.blocked === 0 && summary.counts.busy === 0;
  if (ctx.json) {
    ctx.stdout(
      formatJson({
        batch_id: summary.batchId,
        ok,
        counts: summary.counts,
        duration_ms: summary.durationMs,
        // All threads of this process (workers included), user + system: with duration_ms it
        // shows how many cores a run kept busy.
        cpu_ms: Math.round(cpuMs(process.cpuUsage(cpuBefore))),
        status: summary.status,
        failures: summary.results.filter((r) => r.outcome === "failed"),
        ...replicateReport ? { replicates: replicateReport } : {}
      })
    );
  } else {
    for (const r of summary.results) {
      if (r.outcome === "failed")
        ctx.stderr(
          `failed  ${r.taskId} shard ${r.shardId}: ${r.error?.code}: ${escapeText(r.error?.message ?? "")}
`
        );
    }
    const c = summary.counts;
    const blocked = c.blocked > 0 ? `, ${c.blocked} blocked by a failed dependency` : "";
    const busy = c.busy > 0 ? `, ${c.busy} still held by another process` : "";
    if (!ctx.quiet || !ok) {
      ctx.stdout(
        `${ok ? "done" : "FAILED"}: batch ${summary.batchId}: ${summary.results.length} shard runs: ${c.executed} executed, ${c.skipped} skipped (already done), ${c.reused} reused (identical input bundle), ${c.failed} failed${blocked}${busy} in ${(summary.durationMs / 1e3).toFixed(2)}s
`
      );
    }
  }
  return ok ? 0 : 1;
}
function cpuMs(usage) {
  return (usage.user + usage.system) / 1e3;
}
var batchOption = {
  batch: BATCH_OPTION,
  parallel: {
    type: "string",
    description: "Worker threads (default: number of cores)",
    valueName: "n"
  },
  "no-provenance": {
    type: "boolean",
    description: "Skip run manifests, the session record and the verify step"
  },
  "max-shards": {
    type: "string",
    description: "Run budget: at most N shards with work left in this invocation",
    valueName: "n"
  },
  "fail-fast": { type: "boolean", description: "Stop taking new shards after the first failure" },
  replicates: {
    type: "string",
    description: "Determinism check: execute every shard N times (forced) and fail if any result differs",
    valueName: "n"
  },
  retries: {
    type: "string",
    description: "Retries per shard after a failed verification or a transient failure (default 2)",
    valueName: "n"
  }
};
var runCommand = {
  name: "run",
  aliases: ["run-task"],
  summary: "Run a batch (or --task T) shard by shard; done shards with an identical input bundle are skipped",
  group: "run",
  since: "0.1.0",
  readOnly: false,
  requiresStore: true,
  requiresBatch: true,
  options: {
    ...batchOption,
    task: {
      type: "string",
      multiple: true,
      description: "Run only this task (its dependencies must be done)",
      valueName: "id"
    },
    force: { type: "boolean", description: "Re-execute even when an identical input bundle is already done" }
  },
  run: (ctx) => runAndReport(ctx, { taskIds: listOpt(ctx, "task"), force: boolOpt(ctx, "force") })
};
var runShardCommand = {
  name: "run-shard",
  summary: "Run one shard of one task",
  group: "run",
  since: "0.1.0",
  readOnly: false,
  requiresStore: true,
  requiresBatch: true,
  options: {
    ...batchOption,
    task: { type: "string", description: "Task id", valueName: "id" },
    shard: { type: "string", description: "Shard id (two hex digits)", valueName: "id" },
    force: { type: "boolean", description: "Re-execute even when an identical input bundle is already done" }
  },
  run(ctx) {
    const task = stringOpt(ctx, "task");
    const shard = stringOpt(ctx, "shard");
    if (!task || !shard) throw usageError("run-shard needs --task <id> and --shard <id>");
    return runAndReport(ctx, { taskIds: [task], shardIds: [shard], force: boolOpt(ctx, "force") });
  }
};
var resumeCommand = {
  name: "resume",
  summary: "Finish a batch after a crash or failure: interrupted and failed shards run again, done ones are kept",
  group: "run",
  since: "0.1.0",
  readOnly: false,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption,
  run: (ctx) => runAndReport(ctx, { force: false })
};

// ../core/src/cli/commands/sessions.ts
init_session();
var sessionsListCommand = {
  name: "sessions list",
  aliases: ["sessions"],
  summary: "Provenance sessions (one per run invocation), newest first",
  group: "provenance",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  options: { batch: { type: "string", description: "Only sessions that ran this batch", valueName: "id" } },
  run(ctx) {
    const sessions = listSessions(ctx.openStore(), { batchId: stringOpt(ctx, "batch") });
    const rows = sessions.map((s) => ({
      session_id: s.session_id,
      label: s.label,
      batch_id: s.batch_id ?? null,
      started_at: s.started_at,
      ended_at: s.ended_at ?? null,
      status: s.status,
      counts: s.counts,
      actions: s.actions.length
    }));
    if (ctx.json) ctx.stdout(formatJson(rows));
    else {
      ctx.stdout(
        formatTable(
          ["session", "batch", "started", "status", "actions", "verified", "skipped", "retry", "failed"],
          rows.map((r) => [
            r.session_id,
            r.batch_id ?? "-",
            r.started_at,
            r.status,
            r.actions,
            r.counts.verified ?? 0,
            r.counts.skipped ?? 0,
            r.counts.retry ?? 0,
            r.counts.failed ?? 0
          ])
        )
      );
    }
    return 0;
  }
};
var sessionsShowCommand = {
  name: "sessions show",
  aliases: ["session"],
  summary: "One provenance session with its actions (id or unique prefix)",
  group: "provenance",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  positionals: [{ name: "id", description: "Session id or a unique prefix", required: true }],
  run(ctx) {
    const id = ctx.positionals[0];
    if (!id) throw usageError("sessions show needs <id>", "List sessions with `codebatch sessions list`.");
    const s = readSession(ctx.openStore(), id);
    if (ctx.json) {
      ctx.stdout(formatJson(s));
      return 0;
    }
    const env = s.environment;
    ctx.stdout(`session ${s.session_id} (${escapeText(s.label)}) batch ${s.batch_id ?? "-"}: ${s.status}
`);
    ctx.stdout(
      `  ${s.started_at} .. ${s.ended_at ?? "(not finished)"}${s.duration_ms !== void 0 ? ` (${s.duration_ms} ms)` : ""}
`
    );
    if (env)
      ctx.stdout(
        `  host ${escapeText(env.host ?? "?")}, node ${env.node_version ?? "?"}${env.git?.commit ? `, git ${env.git.commit.slice(0, 12)}${env.git.dirty ? " (dirty)" : ""}` : ""}
`
      );
    if (s.batch_manifest) ctx.stdout(`  batch manifest ${s.batch_manifest}
`);
    ctx.stdout(
      formatTable(
        ["seq", "action", "task", "shard", "attempt", "outcome", "detail"],
        s.actions.map((a) => [
          a.seq,
          a.type,
          a.task_id ?? "-",
          a.shard_id ?? "-",
          a.attempt,
          a.outcome,
          a.note ?? a.diff ?? ""
        ])
      )
    );
    return 0;
  }
};

// ../core/src/cli/commands/snapshot.ts
import fs28 from "node:fs";
import path24 from "node:path";
var MAX_WARNINGS_SHOWN = 20;
var snapshotCommand = {
  name: "snapshot",
  summary: "Freeze a source directory into the store (honours .gitignore; unchanged trees are reused)",
  group: "snapshot",
  since: "0.1.0",
  readOnly: false,
  // Like `git init` on first use: a missing store is created (an existing non-store directory
  // is still refused by initStore), so `codebatch snapshot .` works in a fresh checkout.
  requiresStore: false,
  positionals: [{ name: "dir", description: "Source directory to snapshot", required: true }],
  options: {
    id: { type: "string", description: "Snapshot id (default: derived from the content)", valueName: "id" },
    include: {
      type: "string",
      multiple: true,
      description: "Only files matching this glob",
      valueName: "glob"
    },
    exclude: {
      type: "string",
      multiple: true,
      description: "Leave out files matching this glob",
      valueName: "glob"
    },
    "no-gitignore": {
      type: "boolean",
      description: "Do not honour .gitignore files (.git/ is still skipped)"
    }
  },
  run(ctx) {
    const store = openOrCreateStore(ctx);
    const showProgress = ctx.isTty && !ctx.quiet && !ctx.json;
    const result = createSnapshot(store, path24.resolve(ctx.cwd, ctx.positionals[0]), {
      id: stringOpt(ctx, "id"),
      include: listOpt(ctx, "include"),
      exclude: listOpt(ctx, "exclude"),
      gitignore: !boolOpt(ctx, "no-gitignore"),
      onProgress: showProgress ? (p) => ctx.stderr(`\r${progressLine(p)}`) : void 0
    });
    if (showProgress) ctx.stderr("\r\x1B[K");
    const { record, stats, reused } = result;
    if (ctx.json) {
      ctx.stdout(formatJson({ record, stats, reused }));
      return 0;
    }
    if (ctx.quiet) {
      ctx.stdout(`${record.snapshot_id}
`);
      return 0;
    }
    for (const w of record.warnings.slice(0, MAX_WARNINGS_SHOWN))
      ctx.stderr(`warning[${w.code}]: ${escapeText(w.path)}: ${escapeText(w.message)}
`);
    if (record.warnings.length > MAX_WARNINGS_SHOWN) {
      ctx.stderr(
        `... ${record.warnings.length - MAX_WARNINGS_SHOWN} more (codebatch snapshot show ${record.snapshot_id} --json)
`
      );
    }
    ctx.stdout(
      `snapshot ${record.snapshot_id} (${reused ? "reused: identical snapshot already in the store" : "created"})
  files     ${record.file_count} (${formatBytes2(record.total_bytes)})
  hashed    ${stats.hashed}, from stat cache ${stats.cached}, from git ${stats.fromGit}, in ${stats.durationMs} ms
  warnings  ${record.warnings.length}
`
    );
    return 0;
  }
};
function openOrCreateStore(ctx) {
  if (fs28.existsSync(path24.join(ctx.storeDir, "store.json"))) return openStore(ctx.storeDir);
  const { store, created } = initStore(ctx.storeDir);
  if (created && !ctx.quiet && !ctx.json) ctx.stderr(`Created store ${escapeText(store.layout.root)}
`);
  return store;
}
function progressLine(p) {
  return `snapshot: ${p.files} files (${p.hashed} hashed, ${p.cached} cached)`;
}
function formatBytes2(n) {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

// ../core/src/cli/commands/snapshot-list.ts
init_read_snapshot();
var snapshotListCommand = {
  name: "snapshot list",
  aliases: ["snapshot-list"],
  summary: "List the snapshots in the store, oldest first",
  group: "snapshot",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  run(ctx) {
    const records = listSnapshots(ctx.openStore());
    if (ctx.json) {
      ctx.stdout(formatJson(records));
      return 0;
    }
    if (records.length === 0) {
      if (!ctx.quiet) ctx.stdout("No snapshots yet. Create one with `codebatch snapshot <dir>`.\n");
      return 0;
    }
    const rows = records.map((r) => [
      r.snapshot_id,
      r.created_at,
      r.file_count,
      r.total_bytes,
      r.warnings.length,
      r.source.path
    ]);
    ctx.stdout(formatTable(["ID", "CREATED", "FILES", "BYTES", "WARNINGS", "SOURCE"], rows));
    return 0;
  }
};

// ../core/src/cli/commands/snapshot-show.ts
init_read_snapshot();
var snapshotShowCommand = {
  name: "snapshot show",
  aliases: ["snapshot-show"],
  summary: "Show one snapshot: source, counts, filters, warnings (--files: every file)",
  group: "snapshot",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  positionals: [{ name: "id", description: "Snapshot id", required: true }],
  options: {
    files: { type: "boolean", description: "List the files (path, size, language, object)" }
  },
  run(ctx) {
    const store = ctx.openStore();
    const id = ctx.positionals[0];
    const record = readSnapshotRecord(store, id);
    const files = boolOpt(ctx, "files") ? readFilesIndex(store, id) : void 0;
    if (ctx.json) {
      ctx.stdout(formatJson(files ? { record, files } : { record }));
      return 0;
    }
    const { source, filters } = record;
    let out = `snapshot ${record.snapshot_id}
  created   ${record.created_at}
  source    ${escapeText(source.path)}${source.git_ref ? ` @ ${source.git_ref.slice(0, 12)}${source.git_dirty ? " (dirty)" : ""}` : ""}
  files     ${record.file_count} (${formatBytes2(record.total_bytes)})
`;
    if (filters) {
      out += `  filters   gitignore ${filters.gitignore ? "on" : "off"}`;
      if (filters.include.length) out += `, include ${escapeText(filters.include.join(" "))}`;
      if (filters.exclude.length) out += `, exclude ${escapeText(filters.exclude.join(" "))}`;
      out += "\n";
    }
    out += `  warnings  ${record.warnings.length}
`;
    for (const w of record.warnings)
      out += `    ${w.code}  ${escapeText(w.path)}  ${escapeText(w.message)}
`;
    ctx.stdout(out);
    if (files) {
      const rows = files.map((f) => [
        f.path,
        f.size,
        f.lang_hint ?? "-",
        f.text === false ? "binary" : "text",
        f.object.slice(7, 19)
      ]);
      ctx.stdout(formatTable(["PATH", "SIZE", "LANG", "KIND", "OBJECT"], rows));
    }
    return 0;
  }
};

// ../core/src/cli/commands/status.ts
init_read_batch();
init_shard_state();
init_status();

// ../core/src/query/count-outputs.ts
init_batch_facts();
init_batch_view();
var STANDARD_KINDS = ["ast", "diagnostic", "edge", "metric", "symbol"];
function countOutputs(store, batchId, options = {}) {
  const view = loadBatchView(store, batchId);
  const total = emptyCounts2();
  const byTask = new Map(view.taskIds.map((t) => [t, emptyCounts2()]));
  for (const row of loadTotals(view, view.taskIds, options)) {
    for (const counts of [total, byTask.get(row.task_id)]) {
      if (!counts) continue;
      counts.total += row.count;
      counts.by_kind[row.kind] = (counts.by_kind[row.kind] ?? 0) + row.count;
      if (row.kind !== "diagnostic") continue;
      counts.diagnostics += row.count;
      const severity = row.severity;
      if (severity !== null && severity in counts.by_severity) counts.by_severity[severity] += row.count;
    }
  }
  return {
    batch_id: batchId,
    ...sortKinds(total),
    by_task: Object.fromEntries([...byTask].map(([t, c]) => [t, sortKinds(c)]))
  };
}
function emptyCounts2() {
  return {
    total: 0,
    by_kind: Object.fromEntries(STANDARD_KINDS.map((k) => [k, 0])),
    diagnostics: 0,
    by_severity: emptySeverityCounts()
  };
}
function sortKinds(counts) {
  const keys = Object.keys(counts.by_kind).sort();
  return { ...counts, by_kind: Object.fromEntries(keys.map((k) => [k, counts.by_kind[k] ?? 0])) };
}

// ../core/src/cli/commands/status.ts
var batchOption2 = { batch: BATCH_OPTION };
var statusCommand = {
  name: "status",
  summary: "Batch and task status derived from shard states (done, partial, failed, blocked, ...)",
  group: "batch",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption2,
  run(ctx) {
    const report = deriveBatchStatus(ctx.openStore(), requireBatch(ctx));
    if (ctx.json) ctx.stdout(formatJson(report));
    else {
      ctx.stdout(`batch ${report.batch_id}: ${report.status}
`);
      ctx.stdout(
        formatTable(
          [
            "task",
            "status",
            "shards",
            "done",
            "reused",
            "running",
            "interrupted",
            "failed",
            "ready",
            "outputs"
          ],
          report.tasks.map((t) => [
            t.task_id,
            t.status,
            t.shards.total,
            t.shards.done,
            t.shards.reused,
            t.shards.running,
            t.shards.interrupted,
            t.shards.failed,
            t.shards.ready,
            t.outputs
          ])
        )
      );
    }
    return report.status === "failed" || report.status === "blocked" ? 1 : 0;
  }
};
var tasksCommand = {
  name: "tasks",
  summary: "List the tasks of a batch with type, version, dependencies and status",
  group: "batch",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption2,
  run(ctx) {
    const store = ctx.openStore();
    const report = deriveBatchStatus(store, requireBatch(ctx));
    const rows = report.tasks.map((t) => {
      const record = readTaskRecord(store, report.batch_id, t.task_id);
      return {
        task_id: t.task_id,
        type: t.type,
        task_version: record.task_version,
        depends_on: t.depends_on,
        status: t.status,
        config_digest: record.config_digest,
        config: record.config
      };
    });
    if (ctx.json) ctx.stdout(formatJson(rows));
    else
      ctx.stdout(
        formatTable(
          ["task", "type", "version", "depends on", "status"],
          rows.map((r) => [r.task_id, r.type, r.task_version, r.depends_on.join(", ") || "-", r.status])
        )
      );
    return 0;
  }
};
var shardsCommand = {
  name: "shards",
  summary: "List the shards of a task with state, attempt, outputs and bundle hash",
  group: "batch",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    ...batchOption2,
    task: { type: "string", description: "Task id (default: the first task)", valueName: "id" }
  },
  run(ctx) {
    const store = ctx.openStore();
    const batchId = requireBatch(ctx);
    const report = deriveBatchStatus(store, batchId);
    const taskId = stringOpt(ctx, "task") ?? report.tasks[0]?.task_id;
    if (!taskId) return 0;
    const task = readTaskRecord(store, batchId, taskId);
    const states = task.sharding.shard_ids.map((s) => readShardState(store, batchId, taskId, s));
    if (ctx.json) ctx.stdout(formatJson(states));
    else {
      ctx.stdout(
        formatTable(
          ["shard", "status", "attempt", "files", "outputs", "reused from", "bundle"],
          states.map((s) => [
            s.shard_id,
            s.status,
            s.attempt,
            s.stats?.files_processed ?? 0,
            s.stats?.outputs_written ?? 0,
            s.reused_from?.batch_id ?? "-",
            s.bundle_hash?.slice(0, 12) ?? "-"
          ])
        )
      );
    }
    return 0;
  }
};
var summaryCommand = {
  name: "summary",
  summary: "Status plus output counts by kind and diagnostics by severity (diagnostics counted right)",
  group: "query",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption2,
  run(ctx) {
    const store = ctx.openStore();
    const batchId = requireBatch(ctx);
    const status = deriveBatchStatus(store, batchId);
    const counts = countOutputs(store, batchId);
    const shards = status.tasks.reduce(
      (a, t) => ({
        total: a.total + t.shards.total,
        done: a.done + t.shards.done,
        reused: a.reused + t.shards.reused,
        failed: a.failed + t.shards.failed
      }),
      { total: 0, done: 0, reused: 0, failed: 0 }
    );
    if (ctx.json)
      ctx.stdout(
        formatJson({
          batch_id: batchId,
          status: status.status,
          shards,
          outputs: counts,
          tasks: status.tasks
        })
      );
    else {
      ctx.stdout(
        `batch ${batchId}: ${status.status}; shard runs ${shards.done}/${shards.total} done (${shards.done - shards.reused} executed, ${shards.reused} reused), ${shards.failed} failed
`
      );
      ctx.stdout(
        `outputs: ${counts.total} (${Object.entries(counts.by_kind).map(([k, v]) => `${k} ${v}`).join(", ")})
`
      );
      const s = counts.by_severity;
      ctx.stdout(
        `diagnostics: ${counts.diagnostics} (${Object.entries(s).map(([k, v]) => `${k} ${v}`).join(", ")})
`
      );
    }
    return 0;
  }
};

// ../core/src/cli/commands/verify.ts
var verifyCommand = {
  name: "verify",
  summary: "Re-hash every object and check every reference in every index (exit 1 on problems)",
  group: "store",
  since: "0.1.0",
  readOnly: true,
  requiresStore: true,
  run(ctx) {
    const { verifyStore: verifyStore2 } = (init_verify_store(), __toCommonJS(verify_store_exports));
    const report = verifyStore2(ctx.openStore());
    if (ctx.json) ctx.stdout(formatJson(report));
    else {
      for (const p of report.problems)
        ctx.stdout(`${escapeText(`${p.kind}  ${p.file}${p.object ? `  ${p.object}` : ""}  ${p.message}`)}
`);
      if (!ctx.quiet || !report.ok) {
        ctx.stdout(
          `${report.ok ? "ok" : "FAILED"}: ${report.objects_checked} objects re-hashed, ${report.references_checked} references and ${report.indexes_checked} indexes checked, ${report.problems.length} problems
`
        );
      }
    }
    return report.ok ? 0 : 1;
  }
};

// ../core/src/cli/registry.ts
var COMMANDS = [
  checkCommand,
  initCommand,
  verifyCommand,
  snapshotCommand,
  snapshotListCommand,
  snapshotShowCommand,
  batchInitCommand,
  batchListCommand,
  batchShowCommand,
  runCommand,
  runShardCommand,
  resumeCommand,
  statusCommand,
  tasksCommand,
  shardsCommand,
  summaryCommand,
  apiCommand,
  queryOutputsCommand,
  queryDiagnosticsCommand,
  queryStatsCommand,
  errorsCommand,
  filesCommand,
  topCommand,
  inspectCommand,
  diffCommand,
  regressionsCommand,
  improvementsCommand,
  indexBuildCommand,
  gcCommand,
  manifestShowCommand,
  explainMissCommand,
  sessionsListCommand,
  sessionsShowCommand,
  provenanceExportCommand,
  provenanceVerifyCommand,
  eventsExportCommand
];

// ../core/src/cli/stdio.ts
init_codebatch_error();

// ../core/src/cli/main.ts
var GLOBAL_OPTIONS = {
  store: {
    type: "string",
    description: "Store directory (default: $CODEBATCH_STORE or .codebatch)",
    valueName: "dir"
  },
  json: { type: "boolean", description: "Machine-readable JSON on stdout (errors as an error envelope)" },
  quiet: { type: "boolean", short: "q", description: "Print only results and errors" },
  help: { type: "boolean", short: "h", description: "Show help" }
};
function resolveCommand(argv) {
  let best;
  for (const spec of COMMANDS) {
    for (const name of [spec.name, ...spec.aliases ?? []]) {
      const words = name.split(" ");
      if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.words)) {
        best = { spec, rest: argv.slice(words.length), words: words.length };
      }
    }
  }
  return best && { spec: best.spec, rest: best.rest };
}
async function main(io) {
  const stdout = io.stdout ?? ((t) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t) => process.stderr.write(t));
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const wantsJson = io.argv.includes("--json");
  try {
    if (io.argv.length === 0 || io.argv[0] === "--help" || io.argv[0] === "-h" || io.argv[0] === "help") {
      stdout(formatGeneralHelp());
      return 0;
    }
    if (io.argv[0] === "--version" || io.argv[0] === "-V") {
      stdout(`${ENGINE_VERSION}
`);
      return 0;
    }
    const resolved = resolveCommand(io.argv);
    if (!resolved) {
      throw new CodebatchError("E_USAGE", `unknown command: ${io.argv.slice(0, 2).join(" ")}`, {
        hints: ["Run `codebatch --help` for the list of commands."]
      });
    }
    const { spec, rest } = resolved;
    const optionSpecs = { ...GLOBAL_OPTIONS, ...spec.options ?? {} };
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: Object.fromEntries(
          Object.entries(optionSpecs).map(([k, o]) => {
            const def = { type: o.type };
            if ("multiple" in o && o.multiple) def.multiple = true;
            if (o.short) def.short = o.short;
            return [k, def];
          })
        ),
        allowPositionals: true,
        strict: true
      });
    } catch (error) {
      throw new CodebatchError("E_USAGE", `${spec.name}: ${error.message}`, {
        hints: [`Run \`codebatch ${spec.name} --help\`.`]
      });
    }
    const values = parsed.values;
    if (values.help) {
      stdout(formatCommandHelp(spec));
      return 0;
    }
    const required = (spec.positionals ?? []).filter((p) => p.required);
    if (parsed.positionals.length < required.length) {
      throw new CodebatchError(
        "E_USAGE",
        `${spec.name}: missing <${required[parsed.positionals.length].name}>`,
        {
          hints: [`Usage: ${usageLine(spec)}`]
        }
      );
    }
    if (parsed.positionals.length > (spec.positionals ?? []).length) {
      throw new CodebatchError(
        "E_USAGE",
        `${spec.name}: unexpected argument ${JSON.stringify(parsed.positionals.at(-1))}`,
        {
          hints: [`Usage: ${usageLine(spec)}`]
        }
      );
    }
    for (const [name, o] of Object.entries(optionSpecs)) {
      if (values[name] === void 0 && "default" in o && o.default !== void 0) values[name] = o.default;
    }
    const storeDir = path26.resolve(
      cwd,
      values.store ?? env.CODEBATCH_STORE ?? ".codebatch"
    );
    const ctx = {
      values,
      positionals: parsed.positionals,
      json: values.json === true,
      quiet: values.quiet === true,
      storeDir,
      openStore: () => openStore(storeDir),
      cwd,
      stdout,
      stderr,
      isTty: io.isTty ?? Boolean(process.stderr.isTTY),
      commands: COMMANDS
    };
    return await spec.run(ctx);
  } catch (error) {
    const cbError = isCodebatchError(error) ? error : toCodebatchError(error, "unexpected failure");
    if (wantsJson) stdout(formatJson(cbError.toEnvelope()));
    else stderr(formatErrorHuman(cbError));
    if (cbError.code === "E_INTERNAL" && env.CODEBATCH_DEBUG) stderr(`${error.stack ?? ""}
`);
    return cbError.exitCode;
  }
}
function usageLine(spec) {
  const pos = (spec.positionals ?? []).map((p) => p.required ? `<${p.name}>` : `[${p.name}]`).join(" ");
  return `codebatch ${spec.name}${pos ? ` ${pos}` : ""} [options]`;
}
function formatCommandHelp(spec) {
  let out = `${usageLine(spec)}

${spec.summary}
`;
  if (spec.positionals?.length) {
    out += "\nArguments:\n";
    for (const p of spec.positionals) out += `  ${p.name.padEnd(22)} ${p.description}
`;
  }
  const all = { ...spec.options ?? {}, ...GLOBAL_OPTIONS };
  out += "\nOptions:\n";
  for (const [name, o] of Object.entries(all)) {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` <${"valueName" in o && o.valueName ? o.valueName : "value"}>` : ""}`;
    const def = "default" in o && o.default !== void 0 && o.default !== false ? ` (default: ${String(o.default)})` : "";
    out += `  ${flag.padEnd(30)} ${o.description}${"multiple" in o && o.multiple ? " (repeatable)" : ""}${def}
`;
  }
  return out;
}
function formatGeneralHelp() {
  let out = `codebatch ${ENGINE_VERSION}: content-addressed batch execution for code analysis

Usage: codebatch <command> [options]
`;
  const groups = /* @__PURE__ */ new Map();
  for (const c of COMMANDS) groups.set(c.group, [...groups.get(c.group) ?? [], c]);
  for (const [group, specs] of groups) {
    out += `
${group}:
`;
    for (const s of specs) out += `  ${s.name.padEnd(24)} ${s.summary}
`;
  }
  out += "\nGlobal options: --store <dir>, --json, --quiet, --help. Exit codes: 0 ok, 1 findings or failed run, 2 usage or input error.\n";
  return out;
}

// ../core/src/index.ts
init_codebatch_error();
init_prune_store();
init_bundle_preimage();
init_events_export();
init_explain_miss();
init_explain_shard_miss();
init_export_provenance();
init_run_manifest2();
init_session();
init_diff_batches();
init_query_outputs();
init_shard_manifest();
init_batch_record();
init_chunk_manifest();
init_common();

// ../core/src/schemas/error-envelope.ts
init_zod();
var errorEnvelopeSchema = external_exports.strictObject({
  error: external_exports.strictObject({
    code: external_exports.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: external_exports.string().min(1),
    hints: external_exports.array(external_exports.string()).optional(),
    details: external_exports.record(external_exports.string(), external_exports.unknown()).optional()
  })
});

// ../core/src/schemas/event-record.ts
init_zod();
init_common();
var eventNameSchema = external_exports.enum([
  "batch_started",
  "batch_completed",
  "batch_failed",
  "task_started",
  "task_completed",
  "task_failed",
  "task_blocked",
  "shard_started",
  "shard_completed",
  "shard_failed",
  "shard_retrying",
  "shard_skipped"
]);
var eventRecordSchema = external_exports.looseObject({
  schema_version: schemaVersion,
  ts: isoDateTime,
  event: eventNameSchema,
  batch_id: idSchema.optional(),
  task_id: idSchema.optional(),
  shard_id: shardIdSchema.optional(),
  attempt: external_exports.number().int().min(1).optional(),
  duration_ms: external_exports.number().int().min(0).optional(),
  error: external_exports.looseObject({ code: external_exports.string().optional(), message: external_exports.string().optional() }).optional(),
  stats: external_exports.record(external_exports.string(), external_exports.unknown()).optional()
});

// ../core/src/index.ts
init_output_record();
init_run_manifest();
init_snapshot_record();
init_state_record();
init_canonical_path();
init_read_snapshot();
init_chunking();
init_layout();

// ../core/src/store/merge-stores.ts
init_codebatch_error();
init_hash();
init_atomic_write();
init_layout();
init_shard_outputs();
import fs31 from "node:fs";
import path27 from "node:path";
function mergeStores(targetDir, sourceDirs) {
  const { store: target } = initStore(targetDir);
  const sources = sourceDirs.map((dir) => openStore(dir));
  const report = {
    target: target.layout.root,
    sources: sources.length,
    objects: { copied: 0, present: 0, bytes: 0 },
    snapshots: { copied: 0, identical: 0 },
    batches: { copied: 0, combined: 0 },
    shards: { copied: 0, identical: 0 },
    indexes: { bundles: 0, memo_lines: 0 }
  };
  const snapshotDigests = /* @__PURE__ */ new Map();
  const batchIdentity = /* @__PURE__ */ new Map();
  const picks = /* @__PURE__ */ new Map();
  const stores = [target, ...sources];
  for (const [i, store] of stores.entries()) {
    const from = i - 1;
    for (const id of listDir3(path27.join(store.layout.root, SNAPSHOTS_DIR))) {
      const index = readIfExists(store.layout.filesIndexFile(id));
      if (index === void 0 || !fs31.existsSync(store.layout.snapshotFile(id))) continue;
      const digest = sha256Hex(index);
      const seen = snapshotDigests.get(id);
      if (seen === void 0) snapshotDigests.set(id, digest);
      else if (seen !== digest) {
        throw new CodebatchError(
          "E_SNAPSHOT_EXISTS",
          `cannot merge ${store.layout.root}: snapshot ${id} exists with different content`,
          {
            hints: [
              "Snapshot ids are content-derived unless chosen by hand; merge only stores of the same tree."
            ],
            details: {
              snapshot_id: id,
              source: store.layout.root,
              existing: `sha256:${seen}`,
              new: `sha256:${digest}`
            }
          }
        );
      }
    }
    for (const batchId of listDir3(path27.join(store.layout.root, BATCHES_DIR))) {
      const batch = readJson(store.layout.batchFile(batchId));
      if (!batch) continue;
      const identity = JSON.stringify([
        batch.snapshot_id,
        batch.pipeline,
        batch.shard_count ?? null,
        batch.config_digest ?? null
      ]);
      const seen = batchIdentity.get(batchId);
      if (seen === void 0) batchIdentity.set(batchId, { value: identity, origin: store.layout.root });
      else if (seen.value !== identity) {
        throw new CodebatchError(
          "E_BATCH_EXISTS",
          `cannot merge ${store.layout.root}: batch ${batchId} was planned differently in ${seen.origin}`,
          {
            hints: [
              "Only slices of the same batch (same snapshot, pipeline, shard count and config) share a batch id."
            ],
            details: { batch_id: batchId, conflict: "batch", source: store.layout.root, other: seen.origin }
          }
        );
      }
      for (const taskId of listDir3(path27.join(store.layout.batchDir(batchId), "tasks"))) {
        for (const shardId of listDir3(store.layout.shardsDir(batchId, taskId))) {
          const state = readJson(store.layout.stateFile(batchId, taskId, shardId));
          if (!state) continue;
          const key = `${batchId}/${taskId}/${shardId}`;
          if (state.status === "done" && from >= 0) verifyOutputs(store, batchId, taskId, shardId, state);
          const current = picks.get(key);
          if (!current) {
            picks.set(key, { from, state });
            continue;
          }
          if (state.status === "done" && current.state.status === "done") {
            if (!sameResult2(current.state, state)) {
              throw new CodebatchError(
                "E_BATCH_EXISTS",
                `cannot merge ${store.layout.root}: shard ${shardId} of task ${taskId} in batch ${batchId} holds different results on each side`,
                {
                  hints: ["Each matrix slice must run different shards of the batch; re-run the slice jobs."],
                  details: {
                    batch_id: batchId,
                    task_id: taskId,
                    shard_id: shardId,
                    conflict: "shard",
                    existing: current.state.result_digest ?? current.state.outputs_digest,
                    new: state.result_digest ?? state.outputs_digest
                  }
                }
              );
            }
            continue;
          }
          if (state.status === "done" || state.status === "failed" && current.state.status === "ready")
            picks.set(key, { from, state });
        }
      }
    }
  }
  for (const source of sources) mergeObjects(target, source, report);
  for (const [i, source] of sources.entries()) {
    for (const id of listDir3(path27.join(source.layout.root, SNAPSHOTS_DIR))) {
      if (!fs31.existsSync(source.layout.snapshotFile(id)) || !fs31.existsSync(source.layout.filesIndexFile(id)))
        continue;
      if (fs31.existsSync(target.layout.snapshotFile(id))) {
        report.snapshots.identical += 1;
        continue;
      }
      installDir(target, source.layout.snapshotDir(id), target.layout.snapshotDir(id));
      report.snapshots.copied += 1;
    }
    for (const batchId of listDir3(path27.join(source.layout.root, BATCHES_DIR))) {
      if (!fs31.existsSync(source.layout.batchFile(batchId))) continue;
      if (!fs31.existsSync(target.layout.batchFile(batchId))) {
        installDir(target, source.layout.batchDir(batchId), target.layout.batchDir(batchId));
        report.batches.copied += 1;
        continue;
      }
      combineBatch(target, source, i, batchId, picks, report);
      report.batches.combined += 1;
    }
    mergeIndexes(target, source, report);
  }
  return report;
}
function combineBatch(target, source, sourceIndex, batchId, picks, report) {
  for (const file of [target.layout.planFile(batchId)]) {
    if (!fs31.existsSync(file)) copyFileAtomic(source.layout.planFile(batchId), file);
  }
  unionLines(source.layout.batchEventsFile(batchId), target.layout.batchEventsFile(batchId));
  for (const taskId of listDir3(path27.join(source.layout.batchDir(batchId), "tasks"))) {
    if (!fs31.existsSync(target.layout.taskFile(batchId, taskId))) {
      installDir(target, source.layout.taskDir(batchId, taskId), target.layout.taskDir(batchId, taskId));
      continue;
    }
    unionLines(source.layout.taskEventsFile(batchId, taskId), target.layout.taskEventsFile(batchId, taskId));
    for (const shardId of listDir3(source.layout.shardsDir(batchId, taskId))) {
      const pick = picks.get(`${batchId}/${taskId}/${shardId}`);
      if (!pick) continue;
      if (pick.from !== sourceIndex) {
        if (pick.state.status === "done" && readJson(source.layout.stateFile(batchId, taskId, shardId))?.status === "done") {
          report.shards.identical += 1;
        }
        continue;
      }
      const targetState = readJson(target.layout.stateFile(batchId, taskId, shardId));
      if (targetState?.status === "done") continue;
      const outputs = source.layout.outputsFile(batchId, taskId, shardId);
      if (fs31.existsSync(outputs))
        copyFileAtomic(outputs, target.layout.outputsFile(batchId, taskId, shardId));
      copyFileAtomic(
        source.layout.stateFile(batchId, taskId, shardId),
        target.layout.stateFile(batchId, taskId, shardId)
      );
      report.shards.copied += 1;
    }
  }
}
function mergeObjects(target, source, report) {
  for (const hex of source.objects.listObjects()) {
    if (target.objects.hasObject(hex)) {
      report.objects.present += 1;
      continue;
    }
    const bytes = fs31.readFileSync(source.objects.objectPath(hex));
    if (sha256Hex(bytes) !== hex) {
      throw new CodebatchError(
        "E_OBJECT_CORRUPT",
        `cannot merge ${source.layout.root}: object sha256:${hex} is corrupt`,
        {
          hints: [`Run \`codebatch verify --store ${source.layout.root}\`.`],
          details: { object: `sha256:${hex}`, source: source.layout.root }
        }
      );
    }
    target.objects.writeObjectWithDigest(hex, bytes);
    report.objects.copied += 1;
    report.objects.bytes += bytes.length;
  }
}
function mergeIndexes(target, source, report) {
  const bundlesDir = path27.join(source.layout.root, INDEXES_DIR, "bundles");
  for (const prefix of listDir3(bundlesDir)) {
    for (const name of listDir3(path27.join(bundlesDir, prefix))) {
      if (!/^[a-f0-9]{64}\.json$/.test(name)) continue;
      const to = path27.join(target.layout.indexesDir, "bundles", prefix, name);
      if (fs31.existsSync(to)) continue;
      copyFileAtomic(path27.join(bundlesDir, prefix, name), to);
      report.indexes.bundles += 1;
    }
  }
  const memoDir = path27.join(source.layout.root, INDEXES_DIR, "memo");
  for (const name of listDir3(memoDir)) {
    if (!name.endsWith(".jsonl")) continue;
    report.indexes.memo_lines += unionLines(
      path27.join(memoDir, name),
      path27.join(target.layout.indexesDir, "memo", name)
    );
  }
}
function unionLines(from, to) {
  const incoming = readIfExists(from)?.toString("utf8");
  if (!incoming) return 0;
  const existing = readIfExists(to)?.toString("utf8") ?? "";
  const have = new Set(existing.split("\n"));
  const added = [];
  const lines = incoming.split("\n").slice(0, -1);
  for (const line of lines) {
    if (line.length === 0 || have.has(line)) continue;
    have.add(line);
    added.push(line);
  }
  if (added.length === 0) return 0;
  const base = existing.length === 0 || existing.endsWith("\n") ? existing : `${existing}
`;
  writeFileAtomic(to, `${base}${added.join("\n")}
`);
  return added.length;
}
function verifyOutputs(store, batchId, taskId, shardId, state) {
  const read = readStoredOutputs(store, { batch_id: batchId, task_id: taskId, shard_id: shardId }, state);
  const file = read?.file ?? store.layout.outputsFile(batchId, taskId, shardId);
  const hex = read?.hex ?? sha256Hex(Buffer.alloc(0));
  if (state.outputs_digest !== void 0 && `sha256:${hex}` !== state.outputs_digest) {
    throw new CodebatchError(
      "E_INDEX_CORRUPT",
      `cannot merge ${store.layout.root}: ${file} does not match the outputs_digest of its state.json`,
      {
        hints: [`Run \`codebatch verify --store ${store.layout.root}\`; re-run the slice that produced it.`],
        details: { file, batch_id: batchId, task_id: taskId, shard_id: shardId }
      }
    );
  }
}
function sameResult2(a, b) {
  if (a.result_digest !== void 0 && b.result_digest !== void 0)
    return a.result_digest === b.result_digest;
  return a.outputs_digest === b.outputs_digest;
}
function installDir(target, from, to) {
  const staging = path27.join(target.layout.tmpDir, tempName(`merge-${path27.basename(to)}`));
  try {
    copyTree(from, staging);
    fs31.mkdirSync(path27.dirname(to), { recursive: true });
    fs31.renameSync(staging, to);
  } finally {
    fs31.rmSync(staging, { recursive: true, force: true });
  }
}
function copyTree(from, to) {
  fs31.mkdirSync(to, { recursive: true });
  for (const entry of fs31.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === ".lock" || entry.name.endsWith(".tmp")) continue;
    const src = path27.join(from, entry.name);
    const dst = path27.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst);
    else if (entry.isFile()) fs31.copyFileSync(src, dst);
  }
}
function copyFileAtomic(from, to) {
  writeFileAtomic(to, fs31.readFileSync(from));
}
function readIfExists(file) {
  try {
    return fs31.readFileSync(file);
  } catch {
    return void 0;
  }
}
function readJson(file) {
  const bytes = readIfExists(file);
  if (!bytes) return void 0;
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return void 0;
  }
}
function listDir3(dir) {
  try {
    return fs31.readdirSync(dir).filter((n) => !n.startsWith(".") && !n.endsWith(".tmp")).sort();
  } catch {
    return [];
  }
}

// ../core/src/index.ts
init_object_store();
init_catalog();
init_ancestor_configs();
init_config_files();
init_canonical_json();
init_hash();
init_verify_store();
init_version();

export {
  configFileSchema,
  parseConfig,
  loadConfigFile,
  PIPELINES,
  getPipeline,
  initBatch,
  deriveBatchStatus,
  runBatch,
  captureEnvironment,
  verifyShardOutputs,
  verifyOutputsFile,
  SessionRecorder,
  listSessions,
  readSession,
  reconstructPreimage,
  explainBundleMiss,
  formatBundleChange,
  loadShardManifest,
  deriveShardManifest,
  buildBatchManifest,
  writeBatchManifest,
  readBatchManifestRef,
  runBatchWithProvenance,
  queryOutputs,
  queryDiagnostics,
  SEVERITIES,
  severityOf,
  isAtLeast,
  countBySeverity,
  isProbablyText,
  langHint,
  createSnapshot,
  analyze,
  defaultParallelism,
  readBatchResult,
  createAnalyzer,
  GIT_SHA_METADATA_KEY,
  findBatchForCommit,
  escapeText,
  formatErrorHuman,
  formatDiagnosticsText,
  formatDuration,
  formatSummaryLine,
  summaryFromResult,
  SARIF_VERSION,
  SARIF_SCHEMA_URI,
  SARIF_MAX_RESULTS,
  SARIF_FINGERPRINT_KEY,
  toSarifLevel,
  pathToUriReference,
  toSarif,
  codebatchSarifRules,
  rulesFromDiagnostics,
  diffBatches,
  findRegressions,
  findImprovements,
  queryErrors,
  queryFiles,
  queryTop,
  pruneStore,
  parseDuration,
  buildQueryIndex,
  inspectFile,
  explainShardMiss,
  exportObservations,
  formatObservationsJsonl,
  formatObservationsCsv,
  exportProvenance,
  toProvO,
  toInToto,
  queryStats,
  countOutputs,
  verifyStore,
  main,
  errorEnvelopeSchema,
  eventNameSchema,
  eventRecordSchema,
  mergeStores
};
