import { CodebatchError } from '../errors/codebatch-error';
import { countKinds, sortCounts } from '../query/diagnostic-counts';
import type { ManifestVerification, RunManifest, ShardRunManifest } from '../schemas/run-manifest';
import { bundlePreimageSchema, runManifestSchema } from '../schemas/run-manifest';
import type { Store } from '../store/store';
import { canonicalJson } from '../util/canonical-json';
import { parseObjectRef, sha256OfCanonical } from '../util/hash';
import { ENGINE_VERSION, PRODUCER, SCHEMA_VERSION } from '../version';
import type { InputBundlePreimage } from './input-bundle';

/**
 * Everything the runner knows about one shard run, as plain data, so that building the
 * manifest is a pure function (same input -> same bytes). Filled by the runner:
 * analysis gives `upstream`, compilation gives `bundle`, processing gives the rest.
 */
export interface ShardManifestInput {
  batch_id: string;
  snapshot_id: string;
  task_id: string;
  shard_id: string;
  /** From task.json: type, task_version, config_digest. */
  task: { type: string; version: string; config_digest: string };
  attempt: number;
  outcome: 'executed' | 'reused' | 'failed';
  started_at: string;
  completed_at: string;
  /** `buildInputBundle(...)` result of the compilation stage. */
  bundle: { hash: string; preimage: InputBundlePreimage };
  /** One entry per upstream task read: its shard run's result digest and state.manifest. */
  upstream: { task_id: string; shard_id: string; result_digest: string; manifest?: string }[];
  /** Absent for a failed run. outputs_digest as `sha256:<hex>`, result_digest as bare hex. */
  outputs?: { outputs_digest: string; result_digest: string; count: number; by_kind: Record<string, number> };
  /** `createStageTimer().timings()`. */
  timings_ms: { analysis: number; compilation: number; processing: number; total?: number };
  /** From executeTask: files whose task ran vs records taken from the memo (reused: 0 / members). */
  memo: { files_executed: number; files_reused: number };
  reused_from?: { batch_id: string; shard_id: string; task_id?: string; manifest?: string };
  /** What the runner checked before committing; default: nothing checked. */
  verification?: ManifestVerification;
  error?: { code: string; message: string };
  /** state.manifest before this run (a retry or --force supersedes it). */
  previous_manifest?: string;
  /** Default `currentVersions()`. */
  versions?: { engine: string; node: string };
  /** Set only by deriveShardManifest. */
  derived?: boolean;
  /**
   * `sha256:` of the canonical JSON of `bundle.preimage.members`, already stored: the manifest
   * then names it instead of listing the files (recordShardManifest).
   */
  members_object?: string;
}

/** Engine and Node versions of this process (full Node version; the bundle holds only the major). */
export function currentVersions(): { engine: string; node: string } {
  return { engine: ENGINE_VERSION, node: process.versions.node };
}

/** Outputs per kind, for ShardManifestInput.outputs.by_kind (the counter verify recounts with). */
export const countOutputKinds: (outputs: Iterable<{ kind?: unknown }>) => Record<string, number> = countKinds;

/**
 * Stage timer for the three stages of seed 000. Under CODEBATCH_FIXED_TIME every duration is
 * 0, so manifests of identical runs are byte-identical (the determinism tests rely on it).
 *   const timer = createStageTimer();   // at the start of a task's chain step
 *   timer.mark('analysis');             // after upstream states are read
 *   timer.mark('compilation');          // after buildInputBundle
 *   timer.mark('processing');           // after outputs + state are committed
 */
export function createStageTimer(now: () => number = () => performance.now()): {
  mark(stage: 'analysis' | 'compilation' | 'processing'): void;
  timings(): { analysis: number; compilation: number; processing: number; total: number };
} {
  const fixed = Boolean(process.env.CODEBATCH_FIXED_TIME);
  let last = now();
  const t: { analysis: number; compilation: number; processing: number } = {
    analysis: 0,
    compilation: 0,
    processing: 0,
  };
  return {
    mark(stage) {
      const n = now();
      if (!fixed) t[stage] += Math.round((n - last) * 1000) / 1000;
      last = n;
    },
    timings: () => ({ ...t, total: Math.round((t.analysis + t.compilation + t.processing) * 1000) / 1000 }),
  };
}

/** Builds a shard run manifest. Pure: no clock, no I/O. */
export function buildShardManifest(input: ShardManifestInput): ShardRunManifest {
  const versions = input.versions ?? currentVersions();
  const upstream = [...input.upstream].sort((a, b) => a.task_id.localeCompare(b.task_id));
  const timings = input.timings_ms;
  const manifest: ShardRunManifest = {
    schema_name: 'codebatch.run_manifest',
    schema_version: SCHEMA_VERSION,
    producer: { ...PRODUCER },
    kind: 'shard_run',
    run: {
      batch_id: input.batch_id,
      snapshot_id: input.snapshot_id,
      task_id: input.task_id,
      shard_id: input.shard_id,
      attempt: input.attempt,
      outcome: input.outcome,
      started_at: input.started_at,
      completed_at: input.completed_at,
      ...(input.reused_from ? { reused_from: { ...input.reused_from } } : {}),
      ...(input.previous_manifest ? { previous_manifest: input.previous_manifest } : {}),
    },
    task: {
      task_id: input.task_id,
      type: input.task.type,
      version: input.task.version,
      config_digest: input.task.config_digest,
    },
    inputs: {
      ...(input.members_object
        ? {}
        : { files: input.bundle.preimage.members.map(([p, object]) => ({ path: p, object })) }),
      upstream: upstream.map((u) => ({
        task_id: u.task_id,
        shard_id: u.shard_id,
        result_digest: u.result_digest,
        ...(u.manifest ? { manifest: u.manifest } : {}),
      })),
    },
    input_bundle: input.members_object
      ? {
          hash: input.bundle.hash,
          preimage: withoutMembers(input.bundle.preimage),
          members_object: input.members_object,
        }
      : { hash: input.bundle.hash, preimage: { ...input.bundle.preimage } },
    versions: {
      engine: versions.engine,
      node: versions.node,
      runtime: input.bundle.preimage.runtime,
      task: input.task.version,
    },
    ...(input.outputs ? { outputs: { ...input.outputs, by_kind: sortCounts(input.outputs.by_kind) } } : {}),
    dependencies: upstream.map((u) => ({
      edge: 'reads_outputs_of' as const,
      task_id: u.task_id,
      shard_id: u.shard_id,
      ...(u.manifest ? { manifest: u.manifest } : {}),
    })),
    verification: input.verification ?? { outputs_rehash: 'not_checked' },
    timings_ms: {
      analysis: timings.analysis,
      compilation: timings.compilation,
      processing: timings.processing,
      total: timings.total ?? timings.analysis + timings.compilation + timings.processing,
    },
    memo: { ...input.memo },
    ...(input.error ? { error: { code: input.error.code, message: input.error.message } } : {}),
    ...(input.derived ? { derived: true } : {}),
  };
  return manifest;
}

function withoutMembers(preimage: InputBundlePreimage): Omit<InputBundlePreimage, 'members'> {
  const { members: _members, ...rest } = preimage;
  return rest;
}

/**
 * Writes a shard run's manifest the runner's way: the bundle's members (path and object of each
 * file) as their own object, named from the manifest. A shard that reuses another's results has
 * the same bundle, so its members object is there already; its manifest, written for each of the
 * 30-60 shards a one-file run reuses, is then 2 KB instead of 130 KB (the file list twice).
 * Returns the manifest's `sha256:<hex>`.
 */
export function recordShardManifest(store: Store, input: ShardManifestInput): string {
  const members = `sha256:${store.objects.writeObject(canonicalJson(input.bundle.preimage.members))}`;
  return writeShardManifest(store, buildShardManifest({ ...input, members_object: members }));
}

/**
 * Writes a manifest (shard or batch) as a canonical-JSON object and returns `sha256:<hex>`.
 * Objects are add-only and named by content, so writing the same manifest twice (two
 * processes, a resumed run) is harmless.
 */
export function writeShardManifest(store: Store, manifest: RunManifest): string {
  return `sha256:${store.objects.writeObject(canonicalJson(manifest))}`;
}

/**
 * A shard run's whole input-bundle preimage: its members inline, or read (verified) from the
 * object `members_object` names. E_OBJECT_NOT_FOUND / E_OBJECT_CORRUPT / E_RECORD_INVALID.
 */
export function readManifestPreimage(store: Store, manifest: ShardRunManifest): InputBundlePreimage {
  const { preimage, members_object: ref } = manifest.input_bundle;
  if (preimage.members) return preimage as InputBundlePreimage;
  const hex = ref === undefined ? undefined : parseObjectRef(ref);
  if (!hex)
    throw new CodebatchError('E_RECORD_INVALID', 'a run manifest without members names no members object');
  const bytes = store.objects.readObjectVerified(hex);
  let parsed: ReturnType<typeof bundlePreimageSchema.shape.members.safeParse> | undefined;
  try {
    parsed = bundlePreimageSchema.shape.members.safeParse(JSON.parse(bytes.toString('utf8')));
  } catch {
    parsed = undefined;
  }
  const whole = parsed?.success ? ({ ...preimage, members: parsed.data } as InputBundlePreimage) : undefined;
  // The members must be the ones the bundle hash was taken over, not merely some list.
  if (!whole || sha256OfCanonical(whole) !== manifest.input_bundle.hash)
    throw new CodebatchError(
      'E_RECORD_INVALID',
      `object ${ref} is not the member list of bundle ${manifest.input_bundle.hash}`,
      {
        hints: ['Run `codebatch verify`; re-run the shard with --force to record its manifest again.'],
      },
    );
  return whole;
}

/** Reads and validates a manifest object; E_OBJECT_NOT_FOUND / E_OBJECT_CORRUPT / E_RECORD_INVALID. */
export function readManifest(store: Store, ref: string): RunManifest {
  const hex = parseObjectRef(ref);
  if (!hex)
    throw new CodebatchError('E_USAGE', `not an object reference: ${JSON.stringify(ref)}`, {
      hints: ['Use sha256:<64 hex digits>.'],
    });
  const bytes = store.objects.readObjectVerified(hex);
  let parsed: ReturnType<typeof runManifestSchema.safeParse>;
  try {
    parsed = runManifestSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  } catch {
    throw new CodebatchError('E_RECORD_INVALID', `object ${ref} is not JSON, so not a run manifest`);
  }
  if (!parsed.success) {
    throw new CodebatchError('E_RECORD_INVALID', `object ${ref} is not a valid run manifest`, {
      details: { issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) },
    });
  }
  return parsed.data;
}
