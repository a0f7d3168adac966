import { RULES } from '../tasks/lint/rule-catalog';
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
