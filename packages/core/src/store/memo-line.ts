/**
 * The shape of a line of a memo table (indexes/memo/<task>.jsonl): a file entry `{k, b, s, n}`
 * or a bundle entry `{h, b, s}`. Lines come from disk (a restored cache, a hand edit), so
 * readers check it before trusting one: `null`, arrays or wrong types are skipped, never an
 * E_INTERNAL.
 */
export function isMemoLine(
  e: unknown,
): e is { b: string; s: string } & ({ k: string; n: number } | { h: string }) {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return false;
  const r = e as Record<string, unknown>;
  if (typeof r.b !== 'string' || typeof r.s !== 'string') return false;
  if (typeof r.k === 'string') return typeof r.n === 'number' && Number.isInteger(r.n) && r.n >= 0;
  return typeof r.h === 'string';
}
