import { repoPath } from './annotations';
import type { Diagnostic, Severity } from './diagnostics';

/**
 * Workflow-command annotations (`::error file=...,line=...::message`), the fallback when the
 * token cannot write check runs. GitHub shows at most 10 per level per step (50 per job) and
 * drops the rest silently, so the caller says so in the log.
 */
export const WORKFLOW_ANNOTATION_LIMIT_PER_LEVEL = 10;

export type CommandLevel = 'error' | 'warning' | 'notice';

export interface CommandProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

/** Escapes a command's message: `%`, CR and LF (as the runner decodes them). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: as data, plus `:` and `,`, which delimit properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line (without the trailing newline). */
export function formatCommand(command: string, properties: CommandProperties, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

const LEVELS: Record<Severity, CommandLevel> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** The workflow command for a diagnostic; columns only on a single line, as in the Checks API. */
export function diagnosticToCommand(d: Diagnostic, pathPrefix = ''): string {
  const line = Math.max(1, d.line ?? 1);
  const endLine = Math.max(line, d.end_line ?? line);
  const props: CommandProperties = {
    title: d.code ? `${d.code} (${d.task_id})` : d.task_id,
    file: repoPath(pathPrefix, d.path),
    line,
    endLine: endLine === line ? undefined : endLine,
  };
  if (endLine === line && d.col !== undefined) {
    props.col = d.col;
    props.endColumn = d.end_col !== undefined && d.end_col > d.col ? d.end_col : undefined;
  }
  return formatCommand(
    LEVELS[d.severity ?? 'warning'],
    props,
    d.message?.trim() || d.code || 'problem reported by codebatch',
  );
}

/** The log line explaining the display limit, or undefined when nothing will be dropped. */
export function limitNote(diagnostics: readonly Diagnostic[]): string | undefined {
  const perLevel = new Map<CommandLevel, number>();
  for (const d of diagnostics) {
    const level = LEVELS[d.severity ?? 'warning'];
    perLevel.set(level, (perLevel.get(level) ?? 0) + 1);
  }
  const over = [...perLevel].filter(([, n]) => n > WORKFLOW_ANNOTATION_LIMIT_PER_LEVEL);
  if (over.length === 0) return undefined;
  return (
    `GitHub shows only ${WORKFLOW_ANNOTATION_LIMIT_PER_LEVEL} workflow-command annotations per level per step ` +
    `(and 50 per job); ${over.map(([l, n]) => `${n} ${l}`).join(', ')} were emitted, so some are not displayed. ` +
    'All of them are in the log above, the job summary and the SARIF file.'
  );
}
