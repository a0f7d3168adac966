/**
 * Inline suppressions: `codebatch-disable-line [RULE[, RULE]]` silences the comment's own
 * line, `codebatch-disable-next-line [RULE[, RULE]]` the line after it. No rule id means all
 * rules. Recognised after `//`, inside `/* *\/` and after `#` (Python, shell, YAML).
 *
 * Matched on raw lines rather than on tokenised comments, so one implementation serves every
 * language and plain text files; a directive spelled out inside a string literal is the
 * accepted cost of that.
 */
const DIRECTIVE = /(?:\/\/|\/\*|#)\s*codebatch-disable-(next-line|line)\b([^\n]*)/g;
const RULE_ID = /^[A-Z]\d{3}$/;

export interface Suppressions {
  isSuppressed(rule: string, line: number): boolean;
}

const NONE: Suppressions = { isSuppressed: () => false };

export function parseSuppressions(text: string): Suppressions {
  if (!text.includes('codebatch-disable')) return NONE;
  // line -> rule ids, or null for "all rules"
  const byLine = new Map<number, Set<string> | null>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i]!;
    if (!raw.includes('codebatch-disable')) continue;
    for (const match of raw.matchAll(DIRECTIVE)) {
      const target = match[1] === 'next-line' ? i + 2 : i + 1;
      addDirective(byLine, target, parseRuleList(match[2] ?? ''));
    }
  }
  return {
    isSuppressed(rule, line) {
      if (!byLine.has(line)) return false;
      const rules = byLine.get(line);
      return rules === null || rules!.has(rule);
    },
  };
}

/** Ids up to an optional `--` description or the end of a block comment; none means all. */
function parseRuleList(rest: string): Set<string> | null {
  const body = rest.split('--')[0]!.split('*/')[0]!;
  const ids = body
    .split(/[\s,]+/)
    .map((token) => token.trim())
    .filter((token) => RULE_ID.test(token));
  return ids.length === 0 ? null : new Set(ids);
}

function addDirective(
  byLine: Map<number, Set<string> | null>,
  line: number,
  rules: Set<string> | null,
): void {
  const existing = byLine.get(line);
  if (existing === null) return;
  if (rules === null || existing === undefined) {
    byLine.set(line, rules === null ? null : new Set(rules));
    return;
  }
  for (const rule of rules) existing.add(rule);
}
