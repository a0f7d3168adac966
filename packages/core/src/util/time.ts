/**
 * The single clock of the engine. CODEBATCH_FIXED_TIME pins it, so golden tests and
 * determinism checks can compare whole files byte for byte.
 */
export function nowIso(): string {
  const fixed = process.env.CODEBATCH_FIXED_TIME;
  return fixed ? new Date(fixed).toISOString() : new Date().toISOString();
}
