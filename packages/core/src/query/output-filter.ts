import { CodebatchError } from '../errors/codebatch-error';
import type { OutputRecord } from '../schemas/output-record';
import { outputKindSchema, severitySchema } from '../schemas/output-record';
import { compileGlob } from '../util/glob-match';

/** Record filters shared by every query. Absent fields match everything. */
export interface OutputFilter {
  kind?: string;
  /** Exact path, or a glob when it contains glob characters (`src/**\/*.ts`). */
  path?: string;
  severity?: string;
  code?: string;
}

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/**
 * Builds a path predicate. Plain strings match exactly, so a file literally named `a[1].ts`
 * needs no escaping unless the user wants a pattern; `dot: true` because `.github/**` is a
 * place people look for problems too.
 */
export function createPathMatcher(pattern: string | undefined): (path: string) => boolean {
  if (pattern === undefined) return () => true;
  if (!GLOB_CHARS.test(pattern)) return (p) => p === pattern;
  // Linear-time matcher: `--path '*a*a*a*a*a*a*b'` must not hang a query (util/glob-match.ts).
  const isMatch = compileGlob(pattern, { errorCode: 'E_USAGE' });
  return (p) => p === pattern || isMatch(p);
}

/** Rejects an unknown --severity early: a typo would otherwise silently match nothing. */
export function assertSeverity(severity: string | undefined): void {
  if (severity === undefined) return;
  if (!severitySchema.safeParse(severity).success) {
    throw new CodebatchError('E_USAGE', `unknown severity ${JSON.stringify(severity)}`, {
      hints: [`Use one of: ${severitySchema.options.join(', ')}.`],
    });
  }
}

/** Rejects an unknown --kind for the same reason. */
export function assertKind(kind: string | undefined): void {
  if (kind === undefined) return;
  if (!outputKindSchema.safeParse(kind).success) {
    throw new CodebatchError('E_USAGE', `unknown output kind ${JSON.stringify(kind)}`, {
      hints: [`Use one of: ${outputKindSchema.options.join(', ')}.`],
    });
  }
}

/** Compiles a filter into one predicate. */
export function createOutputPredicate(filter: OutputFilter): (record: OutputRecord) => boolean {
  assertSeverity(filter.severity);
  assertKind(filter.kind);
  const matchPath = createPathMatcher(filter.path);
  return (r) =>
    (filter.kind === undefined || r.kind === filter.kind) &&
    (filter.severity === undefined || r.severity === filter.severity) &&
    (filter.code === undefined || r.code === filter.code) &&
    matchPath(r.path);
}

/** Severity ranks, worst first: a threshold `warning` admits error and warning. */
export const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function meetsSeverityThreshold(severity: string | undefined, threshold: string | undefined): boolean {
  if (threshold === undefined) return true;
  const rank = SEVERITY_RANK[severity ?? ''];
  return rank !== undefined && rank <= (SEVERITY_RANK[threshold] ?? -1);
}
