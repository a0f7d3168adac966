import path from 'node:path';
import { type ChangedLines, touchesChangedLines } from './changed-lines';
import { compareDiagnostics, type Diagnostic, type Severity } from './diagnostics';
import type { AnnotateMode } from './inputs';

/** An annotation of the Checks API (`output.annotations[]`). */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

/** Limits of the Checks API (documented; GitHub's OpenAPI description encodes only some). */
export const CHECKS_LIMITS = {
  annotationsPerRequest: 50,
  titleChars: 255,
  messageBytes: 64 * 1024,
  rawDetailsBytes: 64 * 1024,
  summaryChars: 65535,
  textChars: 65535,
} as const;

const LEVELS: Record<Severity, CheckAnnotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** error -> failure, warning -> warning, info and hint -> notice. */
export function severityToLevel(severity: Severity | undefined): CheckAnnotation['annotation_level'] {
  return LEVELS[severity ?? 'warning'];
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes (never inside a character), marking the cut.
 */
export function truncateBytes(text: string, maxBytes: number, marker = ' [truncated]'): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(marker);
  let out = Buffer.from(text).subarray(0, Math.max(0, budget)).toString('utf8');
  // A cut inside a multi-byte character decodes to U+FFFD: drop it.
  out = out.replace(/\uFFFD$/, '');
  while (Buffer.byteLength(out) > budget) out = out.slice(0, -1);
  return out + marker;
}

/** Cuts `text` to at most `maxChars` UTF-16 units, marking the cut with an ellipsis. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let out = text.slice(0, maxChars - 1);
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return `${out}…`;
}

/**
 * Builds the Checks API annotation for a diagnostic.
 *
 * @param diagnostic the engine's record; `path` relative to the analysed directory
 * @param pathPrefix that directory relative to the repository root ('' for the root), since
 *   annotations name repository paths
 */
export function toCheckAnnotation(diagnostic: Diagnostic, pathPrefix = ''): CheckAnnotation {
  const startLine = Math.max(1, diagnostic.line ?? 1);
  const endLine = Math.max(startLine, diagnostic.end_line ?? startLine);
  const annotation: CheckAnnotation = {
    path: repoPath(pathPrefix, diagnostic.path),
    start_line: startLine,
    end_line: endLine,
    annotation_level: severityToLevel(diagnostic.severity),
    message: truncateBytes(
      diagnostic.message?.trim() || diagnostic.code || 'problem reported by codebatch',
      CHECKS_LIMITS.messageBytes,
    ),
    title: truncateChars(annotationTitle(diagnostic), CHECKS_LIMITS.titleChars),
  };
  // Annotations have no link field: the rule's docs (ESLint rules) go in the expandable details.
  if (diagnostic.docs_url) {
    annotation.raw_details = truncateBytes(
      `${diagnostic.code ?? 'rule'}: ${diagnostic.docs_url}`,
      CHECKS_LIMITS.rawDetailsBytes,
    );
  }
  // The API takes columns only on single-line annotations.
  if (startLine === endLine && diagnostic.col !== undefined) {
    annotation.start_column = Math.max(1, diagnostic.col);
    annotation.end_column = Math.max(annotation.start_column, diagnostic.end_col ?? diagnostic.col);
  }
  return annotation;
}

function annotationTitle(d: Diagnostic): string {
  return d.code ? `${d.code} (${d.task_id})` : d.task_id;
}

/** A path relative to the analysed directory, as a repository path with forward slashes. */
export function repoPath(prefix: string, file: string): string {
  const joined = path.posix.normalize(path.posix.join(prefix.replace(/\\/g, '/'), file.replace(/\\/g, '/')));
  return joined.replace(/^\.\//, '');
}

export interface SelectionInput {
  mode: AnnotateMode;
  all: readonly Diagnostic[];
  /** New against the base batch; undefined when there was no base batch. */
  added: readonly Diagnostic[] | undefined;
  /** For `changed-lines`; undefined when the diff was not available. */
  changedLines: ChangedLines | undefined;
  pathPrefix: string;
}

export interface Selection {
  diagnostics: Diagnostic[];
  /** What the selection means, for the log and the summary. */
  note: string;
}

/**
 * Chooses what to annotate. `new` and `changed-lines` fall back (to everything, and to `new`)
 * when their inputs are missing, and say so in `note`, rather than annotate nothing.
 */
export function selectForAnnotation(input: SelectionInput): Selection {
  const sorted = (list: readonly Diagnostic[]) => [...list].sort(compareDiagnostics);
  switch (input.mode) {
    case 'none':
      return { diagnostics: [], note: 'annotations are off (annotate: none)' };
    case 'all':
      return { diagnostics: sorted(input.all), note: 'every diagnostic (annotate: all)' };
    case 'new':
      return input.added
        ? { diagnostics: sorted(input.added), note: 'diagnostics new against the base batch' }
        : {
            diagnostics: sorted(input.all),
            note: 'no base batch to compare with: every diagnostic counts as new',
          };
    case 'changed-lines': {
      const candidates = input.added ?? input.all;
      if (!input.changedLines) {
        return {
          diagnostics: sorted(candidates),
          note: 'the changed lines are unknown (no diff): annotating every new diagnostic',
        };
      }
      const changed = input.changedLines;
      const onChanged = candidates.filter((d) => {
        const start = Math.max(1, d.line ?? 1);
        return touchesChangedLines(
          changed,
          repoPath(input.pathPrefix, d.path),
          start,
          Math.max(start, d.end_line ?? start),
        );
      });
      return { diagnostics: sorted(onChanged), note: 'new diagnostics on lines this change touched' };
    }
  }
}

/**
 * Splits annotations into request-sized groups: the first goes with the create request, each
 * further group with a PATCH (which appends). Always at least one (possibly empty) group.
 */
export function batchAnnotations(
  annotations: readonly CheckAnnotation[],
  size: number = CHECKS_LIMITS.annotationsPerRequest,
): CheckAnnotation[][] {
  if (size < 1 || size > CHECKS_LIMITS.annotationsPerRequest)
    throw new RangeError(`batch size must be 1..${CHECKS_LIMITS.annotationsPerRequest}`);
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches.length > 0 ? batches : [[]];
}
