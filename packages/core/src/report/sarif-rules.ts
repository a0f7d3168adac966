import { RULES } from '../tasks/lint/rule-catalog';
import type { ReportDiagnostic } from './diagnostic';
import type { SarifRuleMetadata } from './sarif';

/**
 * SARIF rule metadata for codebatch's published lint rules (from the rule catalog), so that
 * code scanning shows a rule's name and description rather than a bare id.
 */
export function codebatchSarifRules(): SarifRuleMetadata[] {
  return Object.values(RULES).map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: rule.description,
    defaultSeverity: rule.defaultSeverity,
  }));
}

/**
 * Rule metadata the diagnostics carry themselves (an ESLint rule's docs URL), merged over
 * codebatch's own rules: one entry per code, so SARIF viewers link each alert to its rule's docs.
 */
export function rulesFromDiagnostics(diagnostics: readonly ReportDiagnostic[]): SarifRuleMetadata[] {
  const rules = new Map(codebatchSarifRules().map((r) => [r.id, r]));
  for (const d of diagnostics) {
    if (!d.code || !d.docs_url || rules.get(d.code)?.helpUri) continue;
    rules.set(d.code, { ...(rules.get(d.code) ?? { id: d.code }), helpUri: d.docs_url });
  }
  return [...rules.values()];
}
