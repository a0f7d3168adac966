import type { InputBundlePreimage } from '../run/input-bundle';
import { canonicalJson } from '../util/canonical-json';

/** One labelled part of the bundle preimage that differs, `from` the earlier run `to` the later. */
export type BundleChange =
  | { part: 'salt' | 'engine_version' | 'runtime' | 'config_digest'; from: string; to: string }
  | { part: 'task' | 'chunking'; field: string; from: unknown; to: unknown }
  | {
      part: 'members';
      change: 'added' | 'removed' | 'changed';
      path: string;
      from?: string;
      to?: string;
      note?: string;
    }
  | { part: 'upstream'; change: 'added' | 'removed' | 'changed'; task_id: string; from?: string; to?: string }
  | { part: string; field?: string; from: unknown; to: unknown };

export interface BundleMissReport {
  /** true when both preimages are identical (so are their hashes: no miss). */
  same: boolean;
  /** Distinct labelled parts that changed, in preimage order. */
  parts: string[];
  changes: BundleChange[];
}

const SCALARS = ['salt', 'engine_version', 'runtime', 'config_digest'] as const;
const KNOWN = new Set<string>([...SCALARS, 'task', 'chunking', 'members', 'upstream']);

/**
 * Diffs two input-bundle preimages field by field (the rushstack idea: every input to a cache
 * key is labelled, so a miss can be named). `a` is the earlier run, `b` the later one. Members
 * are compared by path: added, removed, or changed object; upstream by task id.
 */
export function explainBundleMiss(a: InputBundlePreimage, b: InputBundlePreimage): BundleMissReport {
  const changes: BundleChange[] = [];
  for (const key of SCALARS) {
    if (a[key] !== b[key]) changes.push({ part: key, from: a[key], to: b[key] });
  }
  for (const part of ['task', 'chunking'] as const) {
    const x = a[part] as unknown as Record<string, unknown>;
    const y = b[part] as unknown as Record<string, unknown>;
    for (const field of [...new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})])].sort()) {
      if (canonicalJson(x?.[field] ?? null) !== canonicalJson(y?.[field] ?? null))
        changes.push({ part, field, from: x?.[field], to: y?.[field] });
    }
  }
  const before = new Map(a.members);
  const after = new Map(b.members);
  for (const [p, object] of b.members) {
    const was = before.get(p);
    if (was === undefined) changes.push({ part: 'members', change: 'added', path: p, to: object });
    else if (was !== object)
      changes.push({ part: 'members', change: 'changed', path: p, from: was, to: object });
  }
  for (const [p, object] of a.members) {
    if (!after.has(p)) changes.push({ part: 'members', change: 'removed', path: p, from: object });
  }
  const upBefore = new Map(a.upstream.map((u) => [u.task_id, u.result_digest]));
  const upAfter = new Map(b.upstream.map((u) => [u.task_id, u.result_digest]));
  for (const [taskId, digest] of upAfter) {
    const was = upBefore.get(taskId);
    if (was === undefined) changes.push({ part: 'upstream', change: 'added', task_id: taskId, to: digest });
    else if (was !== digest)
      changes.push({ part: 'upstream', change: 'changed', task_id: taskId, from: was, to: digest });
  }
  for (const [taskId, digest] of upBefore) {
    if (!upAfter.has(taskId))
      changes.push({ part: 'upstream', change: 'removed', task_id: taskId, from: digest });
  }
  // Other parts (a task's `environment`: its tool's version, config files, lockfiles) are
  // compared key by key, so a miss names the config file or package version that changed.
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
    if (KNOWN.has(key)) continue;
    for (const d of diffValues(x[key], y[key], ''))
      changes.push({ part: key, field: d.field, from: d.from, to: d.to });
  }
  const parts = [...new Set(changes.map((c) => c.part))];
  return { same: changes.length === 0, parts, changes };
}

/** One line per change, for the CLI. */
export function formatBundleChange(c: BundleChange): string {
  const short = (v: unknown) =>
    typeof v === 'string' && /^(sha256:)?[a-f0-9]{64}$/.test(v)
      ? `${v.replace(/^sha256:/, '').slice(0, 12)}`
      : JSON.stringify(v);
  if (c.part === 'members' && 'change' in c) {
    const note = 'note' in c && c.note ? ` (${c.note})` : '';
    if (c.change === 'changed')
      return `members: ${c.path} changed object ${short(c.from)} -> ${short(c.to)}${note}`;
    return `members: ${c.change} ${c.path} ${short(c.change === 'added' ? c.to : c.from)}${note}`;
  }
  if (c.part === 'upstream' && 'task_id' in c) {
    if (c.change === 'changed')
      return `upstream: ${c.task_id} result digest ${short(c.from)} -> ${short(c.to)}`;
    return `upstream: ${c.change} ${c.task_id}`;
  }
  if ('field' in c) return `${c.part}${c.field ? `.${c.field}` : ''}: ${short(c.from)} -> ${short(c.to)}`;
  return `${c.part}: ${short(c.from)} -> ${short(c.to)}`;
}

/** Leaf-level differences of two JSON values: `configs.eslint.config.mjs`, `eslint`, ... */
export function diffValues(
  a: unknown,
  b: unknown,
  prefix: string,
): { field: string; from: unknown; to: unknown }[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const out: { field: string; from: unknown; to: unknown }[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      out.push(...diffValues(a[k], b[k], prefix ? `${prefix}.${k}` : k));
    return out;
  }
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return [];
  return [{ field: prefix, from: a, to: b }];
}
