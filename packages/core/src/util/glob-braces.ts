/**
 * Brace expansion for globs, as bash and picomatch do it: `*.{ts,tsx}` is `*.ts` and `*.tsx`,
 * `{a,b{c,d}}` nests, `{1..3}` / `{a..c}` / `{01..10..3}` are ranges. A brace without a
 * top-level comma or a range (`{a}`, `{}`) and an unbalanced one are literal text. Escaped
 * braces (`\{`) and braces inside a character class (`[{]`) are literal too.
 */

/** Index of the `]` closing the class opened at `open`, or -1 when `[` is literal there. */
export function findClassEnd(p: string, open: number): number {
  let i = open + 1;
  if (p[i] === '!' || p[i] === '^') i += 1;
  if (p[i] === ']') i += 1; // a leading `]` is a member, not the end
  while (i < p.length) {
    const ch = p[i];
    if (ch === '\\') i += 2;
    else if (ch === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2);
      i = end === -1 ? i + 1 : end + 2;
    } else if (ch === ']') return i;
    else i += 1;
  }
  return -1;
}

/** Index of the `}` matching the `{` at `open`, or -1. */
function findBraceEnd(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i += 1) {
    const ch = p[i];
    if (ch === '\\') i += 1;
    else if (ch === '[') {
      const end = findClassEnd(p, i);
      if (end !== -1) i = end;
    } else if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Splits a brace body at its top-level commas. */
function splitAlternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (ch === '\\') i += 1;
    else if (ch === '[') {
      const end = findClassEnd(body, i);
      if (end !== -1) i = end;
    } else if (ch === '{') depth += 1;
    else if (ch === '}') depth -= 1;
    else if (ch === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

const NUMERIC_RANGE = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/;
const CHAR_RANGE = /^([^\\])\.\.([^\\])$/u;

/** The members of `{x..y}`, or undefined when the body is not a range. */
function expandRange(body: string, limit: number): string[] | undefined {
  const numeric = NUMERIC_RANGE.exec(body);
  if (numeric) {
    const [, fromText, toText, stepText] = numeric;
    const from = Number(fromText);
    const to = Number(toText);
    const step = Math.max(1, Math.abs(Number(stepText ?? '1')));
    const count = Math.floor(Math.abs(to - from) / step) + 1;
    if (count > limit) return new Array(limit + 1).fill('');
    // `{01..10}` pads to the wider bound, as bash does.
    const padded = /^-?0\d/.test(fromText!) || /^-?0\d/.test(toText!);
    const width = Math.max(fromText!.replace('-', '').length, toText!.replace('-', '').length);
    const out: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const n = from <= to ? from + i * step : from - i * step;
      const digits = String(Math.abs(n));
      out.push(`${n < 0 ? '-' : ''}${padded ? digits.padStart(width, '0') : digits}`);
    }
    return out;
  }
  const chars = CHAR_RANGE.exec(body);
  if (chars) {
    const from = chars[1]!.codePointAt(0)!;
    const to = chars[2]!.codePointAt(0)!;
    const out: string[] = [];
    const dir = from <= to ? 1 : -1;
    for (let c = from; out.length <= limit; c += dir) {
      out.push(String.fromCodePoint(c));
      if (c === to) break;
    }
    return out;
  }
  return undefined;
}

/**
 * Expands every brace of `pattern`.
 * @param pattern a glob
 * @param limit the most patterns the expansion may produce
 * @returns the brace-free patterns in order (duplicates removed), or undefined when there would
 * be more than `limit` (`{a,b}{a,b}...` doubles with every brace)
 */
export function expandBraces(pattern: string, limit: number): string[] | undefined {
  const out = new Set<string>();
  // Depth-first over a work list of (text, where to resume the scan): no recursion, and the
  // scan never re-reads a prefix already known to hold no expandable brace.
  const work: [string, number][] = [[pattern, 0]];
  while (work.length > 0) {
    const [p, from] = work.pop()!;
    let expanded = false;
    for (let i = from; i < p.length && !expanded; i += 1) {
      const ch = p[i];
      if (ch === '\\') i += 1;
      else if (ch === '[') {
        const end = findClassEnd(p, i);
        if (end !== -1) i = end;
      } else if (ch === '{') {
        const close = findBraceEnd(p, i);
        if (close === -1) continue;
        const body = p.slice(i + 1, close);
        const parts = splitAlternatives(body);
        const members = parts.length > 1 ? parts : expandRange(body, limit);
        if (!members) continue; // `{a}`: literal; braces inside it are still looked at
        if (members.length > limit) return undefined;
        const before = p.slice(0, i);
        const after = p.slice(close + 1);
        for (let m = members.length - 1; m >= 0; m -= 1) work.push([before + members[m] + after, i]);
        expanded = true;
      }
    }
    if (!expanded) {
      out.add(p);
      if (out.size > limit) return undefined;
    }
    if (work.length > limit * 4) return undefined;
  }
  return [...out];
}
