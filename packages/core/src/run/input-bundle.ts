import { sha256OfCanonical } from '../util/hash';
import { BUNDLE_SALT, ENGINE_VERSION, runtimeMajor } from '../version';

/**
 * Everything that can change a shard's outputs, labelled so that a miss can be explained by
 * diffing two preimages (seed 000, FR-4.3). Never timestamps, hosts, absolute paths or run
 * ids: batch and snapshot ids are left out on purpose, so identical work in a new batch over
 * the same files hashes the same and is reused.
 */
export interface InputBundlePreimage {
  salt: string;
  engine_version: string;
  runtime: string;
  task: { task_id: string; type: string; version: string };
  config_digest: string;
  /** Output chunking changes the bytes of stored outputs, so it is part of the bundle. */
  chunking: { threshold: number; chunk_size: number };
  /**
   * The batch's seed base (`seed` in codebatch.config.json), from which a task that samples
   * gets its per-shard seed: another base is other work. Absent when the batch has none.
   */
  seed_base?: number;
  /** Shard membership as sorted (path, object) pairs. */
  members: [string, string][];
  /** Semantic digests of the upstream outputs this shard reads, by task id. */
  upstream: { task_id: string; result_digest: string }[];
  /**
   * Facts outside the tree that decide the task's results (its tool's version, config files,
   * lockfiles), for tasks that declare them; absent otherwise, so other tasks' hashes are
   * unchanged.
   */
  environment?: Record<string, unknown>;
}

/** What identifies a task's computation, shared by the shard bundle and the per-file memo key. */
export interface TaskIdentityParts {
  taskId: string;
  type: string;
  version: string;
  configDigest: string;
  chunking: { threshold: number; chunk_size: number };
  /** The batch's seed base; 0 and absent are the same (no base). */
  seedBase?: number;
}

export function taskIdentity(parts: TaskIdentityParts): Omit<InputBundlePreimage, 'members' | 'upstream'> {
  return {
    salt: BUNDLE_SALT,
    engine_version: ENGINE_VERSION,
    runtime: runtimeMajor(),
    task: { task_id: parts.taskId, type: parts.type, version: parts.version },
    config_digest: parts.configDigest,
    chunking: parts.chunking,
    ...(parts.seedBase ? { seed_base: parts.seedBase } : {}),
  };
}

export function buildInputBundle(
  parts: TaskIdentityParts & {
    members: [string, string][];
    upstream: { task_id: string; result_digest: string }[];
    environment?: Record<string, unknown>;
  },
): { hash: string; preimage: InputBundlePreimage } {
  const preimage: InputBundlePreimage = {
    ...taskIdentity(parts),
    members: [...parts.members].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    upstream: [...parts.upstream].sort((a, b) => a.task_id.localeCompare(b.task_id)),
    ...(parts.environment ? { environment: parts.environment } : {}),
  };
  return { hash: sha256OfCanonical(preimage), preimage };
}
