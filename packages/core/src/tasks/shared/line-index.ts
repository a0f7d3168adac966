/**
 * Offset -> 1-based line/col over a JS string. Columns count UTF-16 code units, the unit
 * TypeScript and web-tree-sitter report in, so every task agrees on `col`.
 */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line containing `offset`. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  position(offset: number): { line: number; col: number } {
    const line = this.lineOf(offset);
    return { line, col: offset - this.lineStarts[line - 1]! + 1 };
  }

  /** Line text without its terminator (`\n` or `\r\n`). */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1]!;
    let end = line < this.lineStarts.length ? this.lineStarts[line]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end -= 1;
    return this.text.slice(start, end);
  }
}

/**
 * Splits text into lines without terminators. A `\r` before `\n` belongs to the terminator
 * (CRLF files are not "trailing whitespace"); the empty string after a final newline is not a
 * line.
 */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}
