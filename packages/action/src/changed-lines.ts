/**
 * Lines a pull request added or changed, per file, from a unified diff: `git diff
 * --unified=0 <base> <head>` (hunk headers alone say it all) or a diff with context lines (the
 * REST API's `patch` fields); the walker below handles both.
 */
export type ChangedLines = Map<string, LineRange[]>;

/** Inclusive, 1-based, on the new side of the diff. */
export interface LineRange {
  start: number;
  end: number;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * @param diff the output of `git diff --unified=0 --no-color --no-ext-diff <base> <head>`
 * @returns for each file present after the change (by its new path), the changed line ranges
 *   merged and sorted; deleted files are absent, files with only deletions map to []
 */
export function parseUnifiedDiff(diff: string): ChangedLines {
  const result: ChangedLines = new Map();
  let current: LineRange[] | undefined;
  let newLine = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
      continue;
    }
    if (line.startsWith('+++ ')) {
      const target = parseDiffPath(line.slice(4));
      current = target === undefined ? undefined : (result.get(target) ?? []);
      if (target !== undefined && current) result.set(target, current);
      continue;
    }
    if (line.startsWith('--- ')) continue;
    const hunk = HUNK.exec(line);
    if (hunk) {
      newLine = Number(hunk[1]);
      continue;
    }
    if (!current) continue;
    if (line.startsWith('+')) {
      addLine(current, newLine);
      newLine++;
    } else if (line.startsWith(' ')) {
      newLine++;
    }
    // '-' lines and '\ No newline at end of file' do not move the new side.
  }
  for (const ranges of result.values()) ranges.sort((a, b) => a.start - b.start);
  return result;
}

function addLine(ranges: LineRange[], line: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.end + 1 === line) last.end = line;
  else if (!last || last.end < line) ranges.push({ start: line, end: line });
}

/**
 * `b/src/a.ts` -> `src/a.ts`; `/dev/null` -> undefined; C-quoted names (git quotes paths with
 * special or non-ASCII characters: `"b/caf\303\251.ts"`) are unquoted to their UTF-8 text.
 */
export function parseDiffPath(raw: string): string | undefined {
  let value = raw.replace(/\t.*$/, '');
  if (value === '/dev/null') return undefined;
  if (value.startsWith('"') && value.endsWith('"')) value = unquoteC(value.slice(1, -1));
  return value.replace(/^[ab]\//, '');
}

function unquoteC(text: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = text[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Whether any line of `start..end` (inclusive) was changed in `path`. */
export function touchesChangedLines(
  changed: ChangedLines,
  path: string,
  start: number,
  end = start,
): boolean {
  const ranges = changed.get(path);
  if (!ranges) return false;
  return ranges.some((r) => r.start <= end && start <= r.end);
}
