import type { TaskOutput } from '../../schemas/output-record';
import type { EslintLintResult, EslintMessage } from './load-eslint';

/** Codes for ESLint messages that have no rule: a parse error, an unused disable directive. */
const ESLINT_FATAL_CODE = 'eslint/parse-error';
const ESLINT_DIRECTIVE_CODE = 'eslint/directive';

/**
 * ESLint's messages for one file as diagnostic records, in ESLint's order. Positions are
 * ESLint's (1-based line and column); a position ESLint leaves out (or reports as 0) is left
 * out rather than invented.
 */
export function toDiagnostics(
  filePath: string,
  result: EslintLintResult | undefined,
  docsUrl: (ruleId: string) => string | undefined,
): TaskOutput[] {
  if (!result) return [];
  return result.messages.map((m) => toDiagnostic(filePath, m, docsUrl));
}

function toDiagnostic(
  filePath: string,
  m: EslintMessage,
  docsUrl: (ruleId: string) => string | undefined,
): TaskOutput {
  const url = m.ruleId ? docsUrl(m.ruleId) : undefined;
  const record: TaskOutput = {
    path: filePath,
    kind: 'diagnostic',
    severity: m.fatal || m.severity === 2 ? 'error' : 'warning',
    code: m.ruleId ?? (m.fatal ? ESLINT_FATAL_CODE : ESLINT_DIRECTIVE_CODE),
    message: m.message,
    ...position('line', m.line),
    ...position('col', m.column),
    ...position('end_line', m.endLine),
    ...position('end_col', m.endColumn),
    source: 'eslint',
  };
  if (m.fix) record.fixable = true;
  if (Array.isArray(m.suggestions) && m.suggestions.length > 0) record.suggestions = true;
  if (url) record.docs_url = url;
  return record;
}

function position<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1
    ? ({ [key]: value } as Record<K, number>)
    : {};
}
