import { CodebatchError } from '../../errors/codebatch-error';
import { escapeText } from '../../report/escape-text';
import type { OutputRecord } from '../../schemas/output-record';
import { type CommandContext, type OptionSpec, stringOpt } from '../command';

/** Options shared by the query family, so help text reads the same everywhere. */
export { BATCH_OPTION } from '../command';
export const TASK_OPTION: OptionSpec = {
  type: 'string',
  description: 'Only this task (e.g. 04_lint)',
  valueName: 'task',
};
export const PATH_OPTION: OptionSpec = {
  type: 'string',
  description: 'Exact path, or a glob such as "src/**/*.ts"',
  valueName: 'path|glob',
};
export const LIMIT_OPTION: OptionSpec = {
  type: 'string',
  description: 'At most this many results',
  valueName: 'n',
};
export const SEVERITY_OPTION: OptionSpec = {
  type: 'string',
  description: 'error, warning, info or hint',
  valueName: 'severity',
};

/** --batch is required by every per-batch query; no implicit "latest batch" guessing. */
export { requireBatch } from '../command';

export function parseLimit(ctx: CommandContext, fallback?: number): number | undefined {
  const raw = stringOpt(ctx, 'limit');
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new CodebatchError(
      'E_USAGE',
      `--limit must be a non-negative integer (got ${JSON.stringify(raw)})`,
    );
  }
  return n;
}

/** `path:line:col`, leaving out what the record does not have; the path escaped (`escapeText`). */
export function formatLocation(r: OutputRecord): string {
  const path = escapeText(r.path);
  if (r.line === undefined) return path;
  return r.col === undefined ? `${path}:${r.line}` : `${path}:${r.line}:${r.col}`;
}

/**
 * The compiler-style line editors and CI logs can jump to: `path:line:col  severity  code  message`.
 * The whole line is escaped: paths come from file names and messages quote source text, and
 * either could otherwise print a second, forged line.
 */
export function formatDiagnosticLine(r: OutputRecord): string {
  return escapeText(
    `${formatLocation(r)}  ${r.severity ?? '-'}  ${r.code ?? '-'}  ${r.message ?? ''}`.trimEnd(),
  );
}

/** One line per output of any kind: location, task, kind, then what the kind is about (escaped). */
export function formatOutputLine(r: OutputRecord): string {
  if (r.kind === 'diagnostic') return `${formatDiagnosticLine(r)}  [${escapeText(r.task_id)}]`;
  return escapeText(`${formatLocation(r)}  ${r.task_id}  ${r.kind}  ${describeOutput(r)}`.trimEnd());
}

/** What an output is about, in a few words (escaped: names and import targets come from source). */
export function describeOutput(r: OutputRecord): string {
  return escapeText(describeRaw(r));
}

function describeRaw(r: OutputRecord): string {
  switch (r.kind) {
    case 'metric':
      return `${r.metric ?? '?'}=${String(r.value)}`;
    case 'symbol':
      return `${r.symbol_type ?? '?'} ${r.scope ? `${r.scope}.` : ''}${r.name ?? '?'}`;
    case 'edge':
      return `${r.edge_type ?? '?'} -> ${r.target ?? '?'}`;
    case 'diagnostic':
      return `${r.severity ?? '-'} ${r.code ?? '-'} ${r.message ?? ''}`;
    default:
      return [
        r.format,
        r.object ??
          (typeof r.inline === 'string' ? `inline, ${Buffer.byteLength(r.inline)} bytes` : undefined),
      ]
        .filter(Boolean)
        .join(' ');
  }
}
