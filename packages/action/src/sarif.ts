import {
  ENGINE_VERSION,
  type ReportDiagnostic,
  rulesFromDiagnostics,
  type SarifLog,
  toSarif,
} from '@codebatch/core';

/**
 * The action's SARIF log for a batch's diagnostics: repository-relative paths, one category
 * per pipeline, and rule metadata for codebatch's rules and every ESLint rule that has a docs
 * URL (its `helpUri`), so code scanning links each alert to its rule.
 *
 * @param diagnostics the batch's diagnostic records (paths relative to the analysed directory)
 * @param options `pathPrefix`: that directory relative to the repository root ('' at the root);
 *   `category`: GitHub's `runAutomationDetails.id`
 */
export function buildSarifLog(
  diagnostics: readonly ReportDiagnostic[],
  options: { pathPrefix: string; category: string },
): SarifLog {
  return toSarif(diagnostics, {
    toolName: 'codebatch',
    toolVersion: ENGINE_VERSION,
    rules: rulesFromDiagnostics(diagnostics),
    pathPrefix: options.pathPrefix || undefined,
    automationId: options.category,
  });
}
