import { detectSourceLanguage } from '../shared/language';
import { getPythonTree } from '../shared/python-tree';
import { getTypeScriptTree } from '../shared/ts-tree';
import { defineTask } from '../task-definition';
import { type LintConfig, lintConfigSchema } from './lint-config';
import { checkPythonRules } from './python-rules';
import { parseSuppressions } from './suppressions';
import { checkTextRules, type Finding, toDiagnostics } from './text-rules';
import { checkTypeScriptRules } from './ts-rules';

function wantsAstRules(config: LintConfig): boolean {
  const { L101, L102, L103 } = config.rules;
  return L101.severity !== 'off' || L102.severity !== 'off' || L103.severity !== 'off';
}

/**
 * 04_lint. Text rules (L001-L005) on every text file; scope rules (L101-L103) on TS/JS and
 * Python. Rule ids, severities, options and suppression comments: docs/lint-rules.md.
 */
export const lintTask = defineTask<LintConfig>({
  type: 'lint',
  version: '1.0.0',
  description:
    'Text rules (L001-L005) and scope rules (L101 unused import, L102 unused variable, L103 shadowing)',
  kindsOut: ['diagnostic'],
  configSchema: lintConfigSchema,
  runFile(file, ctx) {
    if (!file.isText) return [];
    const text = file.text();
    const config = ctx.config;
    const findings: Finding[] = checkTextRules(file.path, text, config);
    if (wantsAstRules(config)) {
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
