import type { CodebatchError } from '../errors/codebatch-error';
import { escapeText } from '../report/escape-text';

/** Prints `value` as one JSON document (2-space indent, trailing newline). */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Documents holding an array longer than this are written in pieces; smaller ones as one string,
 * which the native encoder makes several times faster (a 12k-diagnostic report: 6 ms vs 40 ms).
 */
const SPLIT_ARRAY = 50_000;
/** Elements per native JSON.stringify call when an array is written in pieces. */
const SLICE = 1000;
const CHUNK_CHARS = 1 << 20;

/**
 * formatJson for documents of any size: the same bytes, handed to `write` in pieces of about
 * 1 MB. A report of millions of diagnostics is longer than V8's largest string, so the large
 * arrays in it are written one element at a time (each by the native JSON.stringify, indented).
 */
export function writeJson(value: unknown, write: (chunk: string) => void): void {
  if (!holdsLargeArray(value)) {
    write(formatJson(value));
    return;
  }
  let buffer = '';
  const push = (text: string) => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      write(buffer);
      buffer = '';
    }
  };
  emitJson(value, '', push);
  push('\n');
  if (buffer.length > 0) write(buffer);
}

function emitJson(value: unknown, indent: string, push: (text: string) => void): void {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > SPLIT_ARRAY) {
    // Slices of elements by the native encoder, re-indented once per slice: one call per
    // element cost more than the whole report did as one string.
    push('[');
    for (let start = 0; start < value.length; start += SLICE) {
      const text = JSON.stringify(value.slice(start, start + SLICE), null, 2);
      const body = text.slice(2, -2); // without the slice's own "[\n" and "\n]"
      push(start === 0 ? '\n' : ',\n');
      push(indent === '' ? body : `${indent}${body.replaceAll('\n', `\n${indent}`)}`);
    }
    push(`\n${indent}]`);
    return;
  }
  if (isPlainObject(value) && holdsLargeArray(value)) {
    const entries = Object.entries(value).filter(([, v]) => isJsonValue(v));
    if (entries.length === 0) {
      push('{}');
      return;
    }
    push('{');
    entries.forEach(([key, v], i) => {
      push(`${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `);
      emitJson(v, inner, push);
    });
    push(`\n${indent}}`);
    return;
  }
  const text = JSON.stringify(value, null, 2) ?? 'null';
  // A JSON text holds no raw newline inside a string, so every newline starts an indented line.
  push(indent === '' ? text : text.replaceAll('\n', `\n${indent}`));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('toJSON' in value);
}

function isJsonValue(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** Whether some array below `value` is long enough to be written element by element. */
function holdsLargeArray(value: unknown, depth = 0): boolean {
  if (Array.isArray(value)) return value.length > SPLIT_ARRAY;
  if (!isPlainObject(value) || depth > 4) return false;
  for (const v of Object.values(value)) if (holdsLargeArray(v, depth + 1)) return true;
  return false;
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
  // A loop, not Math.max(...cells): a spread of a million rows overflows the stack.
  const widths = headers.map((_, i) => {
    let width = 0;
    for (const r of cells) width = Math.max(width, (r[i] ?? '').length);
    return width;
  });
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
