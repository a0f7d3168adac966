/**
 * Rendering of engine results for people and tools: terminal text, a summary line and SARIF.
 * Shared by the Nx plugin and the GitHub Action so both print and export the same way.
 */
export {
  countBySeverity,
  isAtLeast,
  type ReportDiagnostic,
  SEVERITIES,
  severityOf,
} from './diagnostic';
export { escapeText } from './escape-text';
export {
  formatDiagnosticsText,
  formatDuration,
  formatSummaryLine,
  type ReportSummary,
  summaryFromResult,
  type TextFormatOptions,
} from './format-text';
export {
  pathToUriReference,
  SARIF_FINGERPRINT_KEY,
  SARIF_MAX_RESULTS,
  SARIF_SCHEMA_URI,
  SARIF_VERSION,
  type SarifLevel,
  type SarifLog,
  type SarifOptions,
  type SarifResult,
  type SarifRuleMetadata,
  type SarifRun,
  toSarif,
  toSarifLevel,
} from './sarif';
export { codebatchSarifRules, rulesFromDiagnostics } from './sarif-rules';
