import type { TaskOutput } from '../../schemas/output-record';

export function metricRecord(path: string, metric: string, value: number | string): TaskOutput {
  return { path, kind: 'metric', metric, value };
}

/** Lines with at least one non-whitespace character. */
export function countNonEmptyLines(text: string): number {
  let count = 0;
  let blank = true;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (!blank) count += 1;
      blank = true;
    } else if (blank && c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) {
      blank = false;
    }
  }
  return blank ? count : count + 1;
}

/** Physical lines; a final newline does not start another line, and an empty file has none. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return text.endsWith('\n') ? count - 1 : count;
}
