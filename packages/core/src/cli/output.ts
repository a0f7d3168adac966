import type { CodebatchError } from '../errors/codebatch-error';

/** Prints `value` as one JSON document (2-space indent, trailing newline). */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Human rendering of an error: `error[CODE]: message`, then one `hint:` line per hint. */
export function formatErrorHuman(error: CodebatchError): string {
  let out = `error[${error.code}]: ${error.message}\n`;
  for (const hint of error.hints) out += `  hint: ${hint}\n`;
  const issues = error.details.issues;
  if (Array.isArray(issues)) for (const issue of issues) out += `  - ${String(issue)}\n`;
  return out;
}

/** Renders rows as an aligned plain-text table (no colour: pipes and CI logs stay clean). */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
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
