import type { CodebatchError } from '../errors/codebatch-error';
import { escapeText } from '../report/escape-text';

/** Prints `value` as one JSON document (2-space indent, trailing newline). */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Human rendering of an error: `error[CODE]: message`, then one `hint:` line per hint. Messages
 * quote paths and arguments the user (or a file name) supplied, so each part is escaped.
 */
export function formatErrorHuman(error: CodebatchError): string {
  let out = `error[${error.code}]: ${escapeText(error.message)}\n`;
  for (const hint of error.hints) out += `  hint: ${escapeText(hint)}\n`;
  const issues = error.details.issues;
  if (Array.isArray(issues)) for (const issue of issues) out += `  - ${escapeText(String(issue))}\n`;
  return out;
}

/**
 * Renders rows as an aligned plain-text table (no colour: pipes and CI logs stay clean). Cells
 * are escaped (`escapeText`): a path with a newline must not add a row, and widths are
 * measured on what is printed.
 */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => escapeText(String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return `${cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
