import type { TaskOutput } from '../../schemas/output-record';
import { splitLines } from '../shared/line-index';
import type { LintConfig } from './lint-config';
import type { RuleId } from './rule-catalog';

/** A finding before severity and suppression are applied. */
export interface Finding {
  rule: RuleId;
  message: string;
  line: number;
  col: number;
  end_line?: number;
  end_col?: number;
}

const TODO_MARKER = /\b(TODO|FIXME|XXX|HACK)\b/;
const TRAILING_WS = /[ \t\f\v\u00a0\ufeff]+$/;

/** The last character TRAILING_WS needs: most lines end otherwise, and skip the regex. */
function endsWithTrailingWsChar(line: string): boolean {
  switch (line.charCodeAt(line.length - 1)) {
    case 0x20:
    case 0x09:
    case 0x0c:
    case 0x0b:
    case 0xa0:
    case 0xfeff:
      return true;
    default:
      return false;
  }
}

/** Tab indentation is the convention (or a requirement) in these files. */
function allowsTabs(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return /^(GNU)?makefile$/i.test(base) || /\.(mk|go|tsv)$/i.test(base) || base === '.gitmodules';
}

/**
 * L001-L005 over any text file. Lines are split on `\n`; a `\r` before it is part of the
 * terminator, so CRLF files are neither trailing-whitespace nor "longer by one".
 */
export function checkTextRules(path: string, text: string, config: LintConfig): Finding[] {
  const { rules } = config;
  const findings: Finding[] = [];
  const lines = splitLines(text);
  const checkTrailing = rules.L001.severity !== 'off';
  const checkLength = rules.L002.severity !== 'off';
  const max = rules.L002.options.max;
  // A marker in a line is one in the text (a line's ends are word boundaries there too, `\r`
  // and `\n` being non-word), so one scan of the text rules most files out.
  const checkTodo = rules.L003.severity !== 'off' && TODO_MARKER.test(text);
  const checkTabs = rules.L004.severity !== 'off' && !allowsTabs(path);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (checkTrailing && endsWithTrailingWsChar(line)) {
      const ws = TRAILING_WS.exec(line);
      if (ws) {
        findings.push({
          rule: 'L001',
          message: 'trailing whitespace',
          line: lineNo,
          col: ws.index + 1,
          end_line: lineNo,
          end_col: line.length + 1,
        });
      }
    }
    // UTF-16 length is an upper bound on code points: only count code points when it matters.
    if (checkLength && line.length > max) {
      const codePoints = countCodePoints(line);
      if (codePoints > max) {
        findings.push({
          rule: 'L002',
          message: `line is ${codePoints} characters long (max ${max})`,
          line: lineNo,
          col: offsetOfCodePoint(line, max) + 1,
        });
      }
    }
    if (checkTodo) {
      const todo = TODO_MARKER.exec(line);
      if (todo) {
        findings.push({ rule: 'L003', message: `${todo[1]} marker`, line: lineNo, col: todo.index + 1 });
      }
    }
    if (checkTabs && (line.charCodeAt(0) === 9 || line.charCodeAt(0) === 32)) {
      const indentEnd = line.search(/[^ \t]/);
      const indent = indentEnd === -1 ? line : line.slice(0, indentEnd);
      // A whitespace-only line is L001's business, not an indentation.
      if (indentEnd !== -1) {
        const tab = indent.indexOf('\t');
        if (tab !== -1)
          findings.push({ rule: 'L004', message: 'tab used for indentation', line: lineNo, col: tab + 1 });
      }
    }
  }
  // An empty file needs no final newline; a file of only "\n" has one.
  if (rules.L005.severity !== 'off' && text.length > 0 && text.charCodeAt(text.length - 1) !== 10) {
    const last = lines[lines.length - 1] ?? '';
    findings.push({
      rule: 'L005',
      message: 'missing newline at end of file',
      line: lines.length,
      col: last.length + 1,
    });
  }
  return findings;
}

function countCodePoints(line: string): number {
  let count = 0;
  for (let i = 0; i < line.length; i += 1) {
    const c = line.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < line.length) {
      const d = line.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

/** UTF-16 offset of the `n`-th code point (0-based). */
function offsetOfCodePoint(line: string, n: number): number {
  let offset = 0;
  for (let k = 0; k < n && offset < line.length; k += 1) {
    const c = line.charCodeAt(offset);
    offset += c >= 0xd800 && c <= 0xdbff && offset + 1 < line.length ? 2 : 1;
  }
  return offset;
}

/** Applies configured severities and suppressions; findings of `off` rules are dropped. */
export function toDiagnostics(
  path: string,
  findings: Finding[],
  config: LintConfig,
  isSuppressed: (rule: string, line: number) => boolean,
): TaskOutput[] {
  const out: TaskOutput[] = [];
  for (const f of findings) {
    const severity = config.rules[f.rule].severity;
    if (severity === 'off' || isSuppressed(f.rule, f.line)) continue;
    const record: TaskOutput = {
      path,
      kind: 'diagnostic',
      severity,
      code: f.rule,
      message: f.message,
      line: f.line,
      col: f.col,
    };
    if (f.end_line !== undefined) record.end_line = f.end_line;
    if (f.end_col !== undefined) record.end_col = f.end_col;
    out.push(record);
  }
  return out;
}
