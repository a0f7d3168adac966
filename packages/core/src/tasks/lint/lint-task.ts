import { detectSourceLanguage } from '../shared/language';
import { getPythonTree } from '../shared/python-tree';
import { getTypeScriptTree } from '../shared/ts-tree';
import { defineTask } from '../task-definition';
import type { LintConfig } from './lint-config';
import { lintMeta } from './lint-meta';
import { warmUpLint } from './lint-warmup';
import { checkPythonRules } from './python-rules';
import { parseSuppressions } from './suppressions';
import { checkTextRules, type Finding, toDiagnostics } from './text-rules';
import { checkTypeScriptRules } from './ts-rules';

/**
 * Minified bundles reuse one-letter names everywhere: every shadowing and dead parameter is
 * real but nobody will act on it, so scope rules skip them (text rules still apply).
 */
export function isLikelyMinified(path: string, text: string): boolean {
  if (/\.min\.[cm]?js$/i.test(path)) return true;
  if (text.length < 2048) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  return text.length / lines > 300;
}

function wantsAstRules(config: LintConfig): boolean {
  const { L101, L102, L103 } = config.rules;
  return L101.severity !== 'off' || L102.severity !== 'off' || L103.severity !== 'off';
}

/**
 * 04_lint. Text rules (L001-L005) on every text file; scope rules (L101-L103) on TS/JS and
 * Python. Rule ids, severities, options and suppression comments: docs/lint-rules.md.
 */
export const lintTask = defineTask<LintConfig>({
  ...lintMeta,
  warmUp: warmUpLint,
  runFile(file, ctx) {
    if (!file.isText) return [];
    const text = file.text();
    const config = ctx.config;
    const findings: Finding[] = checkTextRules(file.path, text, config);
    if (wantsAstRules(config) && !isLikelyMinified(file.path, text)) {
      const lang = detectSourceLanguage(file.path);
      if (lang === 'typescript' || lang === 'javascript') {
        findings.push(...checkTypeScriptRules(getTypeScriptTree(file, ctx), file.path, config));
      } else if (lang === 'python') {
        findings.push(...checkPythonRules(getPythonTree(file, ctx), file.path, config));
      }
    }
    // Stable order whatever the rule evaluation order: by position, then rule id.
    findings.sort(
      (a, b) => a.line - b.line || a.col - b.col || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
    );
    return toDiagnostics(file.path, findings, config, parseSuppressions(text).isSuppressed);
  },
});
