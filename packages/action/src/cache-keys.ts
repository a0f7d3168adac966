import { createHash } from 'node:crypto';

/**
 * Cache keys for the store. Every part is labelled (`cfg=`, `ref=`, `sha=`, `slice=`) so a
 * miss can be explained from the log, and ordered from the most stable to the most specific
 * so that restore keys are plain prefixes:
 *
 *   <prefix>-<RUNNER_OS>-cfg=<12 hex>-ref=<branch>-sha=<commit>[-slice=<i>of<n>]
 *
 * The cache service refuses keys over 512 characters and keys with commas; entries are
 * immutable, so a matrix slice saves under its own key and the merge job under the plain one.
 */
export const MAX_KEY_LENGTH = 512;
const MAX_REF_LENGTH = 120;

export interface CacheKeyParts {
  prefix: string;
  runnerOs: string;
  /** From computeConfigDigest. */
  configDigest: string;
  /** The branch this run belongs to (a pull request's head branch). */
  branch: string;
  /** A pull request's base branch; tried after `branch`. */
  baseBranch?: string;
  /** The repository's default branch; tried after the base branch. */
  defaultBranch?: string;
  sha: string;
  slice?: { index: number; total: number };
}

export interface CacheKeys {
  primaryKey: string;
  /** Newest entry of this branch, of the base branch, of the default branch, then any. */
  restoreKeys: string[];
}

/**
 * The digest of everything that changes what the store should hold: pipeline and config bytes.
 * Returns the preimage too, to print on a miss.
 */
export function computeConfigDigest(parts: { pipeline: string; configBytes?: Uint8Array | string }): {
  digest: string;
  preimage: string;
} {
  const config =
    parts.configBytes === undefined ? 'none' : createHash('sha256').update(parts.configBytes).digest('hex');
  const preimage = `pipeline=${parts.pipeline}\nconfig=${config}\n`;
  return { digest: createHash('sha256').update(preimage).digest('hex').slice(0, 12), preimage };
}

/**
 * A branch name as a key part: characters outside `[A-Za-z0-9._/+-]` become `_` (so it holds
 * no `=` and no comma, which keeps `-sha=` an unambiguous terminator for prefix matching), and
 * a long name is shortened with a hash of the whole name so that two long names stay apart.
 */
export function sanitizeRef(ref: string): string {
  const branch = ref.replace(/^refs\/heads\//, '');
  const clean = branch.replace(/[^A-Za-z0-9._/+-]/g, '_') || '_';
  if (clean.length <= MAX_REF_LENGTH) return clean;
  const hash = createHash('sha256').update(branch).digest('hex').slice(0, 12);
  return `${clean.slice(0, MAX_REF_LENGTH - 13)}~${hash}`;
}

function keyBase(parts: Pick<CacheKeyParts, 'prefix' | 'runnerOs' | 'configDigest'>): string {
  return `${parts.prefix}-${sanitizeRef(parts.runnerOs)}-cfg=${parts.configDigest}`;
}

function branchPrefix(parts: CacheKeyParts, branch: string): string {
  return `${keyBase(parts)}-ref=${sanitizeRef(branch)}-sha=`;
}

/**
 * @returns the primary key and the restore keys for one job (a matrix slice when `slice` is set)
 * @throws Error when a key would break the cache service's rules (a defect: inputs are checked)
 */
export function computeCacheKeys(parts: CacheKeyParts): CacheKeys {
  const sliceSuffix = parts.slice ? `-slice=${parts.slice.index}of${parts.slice.total}` : '';
  const primaryKey = `${branchPrefix(parts, parts.branch)}${parts.sha}${sliceSuffix}`;
  const branches = [parts.branch, parts.baseBranch, parts.defaultBranch].filter((b): b is string => !!b);
  const restoreKeys = [...new Set(branches.map((b) => branchPrefix(parts, b)))];
  // Last resort: the newest store of any config for this OS. The store is content-addressed,
  // so objects and per-file results that the new config shares are still reused.
  restoreKeys.push(`${parts.prefix}-${sanitizeRef(parts.runnerOs)}-`);
  for (const key of [primaryKey, ...restoreKeys]) assertValidKey(key);
  return { primaryKey, restoreKeys };
}

/** The exact keys the slices of a matrix saved for this commit, in slice order (merge job). */
export function computeSliceKeys(parts: Omit<CacheKeyParts, 'slice'>, total: number): string[] {
  return Array.from(
    { length: total },
    (_, index) => computeCacheKeys({ ...parts, slice: { index, total } }).primaryKey,
  );
}

/** The rules @actions/cache enforces with a ValidationError (which would fail the job). */
export function assertValidKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH)
    throw new Error(`cache key is ${key.length} characters, over ${MAX_KEY_LENGTH}: ${key}`);
  if (key.includes(',')) throw new Error(`cache key contains a comma: ${key}`);
}
