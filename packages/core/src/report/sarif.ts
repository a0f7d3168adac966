import type { Severity } from '../schemas/output-record';
import {
  compareDiagnostics,
  compareStrings,
  prefixPath,
  type ReportDiagnostic,
  SEVERITIES,
  severityOf,
} from './diagnostic';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** github/codeql-action/upload-sarif rejects runs with more results than this. */
export const SARIF_MAX_RESULTS = 25_000;
/**
 * Key of our fingerprint in `partialFingerprints`. Versioned: if the fingerprint recipe ever
 * changes, a new key keeps GitHub from matching old alerts to unrelated new ones.
 */
export const SARIF_FINGERPRINT_KEY = 'codebatchFingerprint/v1';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** Rule metadata a caller may know (from the task registry); every field but `id` is optional. */
export interface SarifRuleMetadata {
  id: string;
  name?: string;
  shortDescription?: string;
  fullDescription?: string;
  help?: string;
  helpUri?: string;
  defaultSeverity?: Severity;
  tags?: string[];
}

export interface SarifOptions {
  toolName: string;
  toolVersion: string;
  informationUri?: string;
  /** Metadata for rule ids (= diagnostic codes); rules without metadata get a minimal entry. */
  rules?: readonly SarifRuleMetadata[];
  /**
   * Absolute URI (e.g. `file:///work/repo/`) of the directory the paths are relative to. When
   * set, it is recorded as `originalUriBaseIds.SRCROOT` and every location refers to it.
   */
  baseUri?: string;
  /** POSIX prefix for every path (e.g. the project root), so URIs are repository-relative. */
  pathPrefix?: string;
  /** `runAutomationDetails.id`: GitHub's category, so several runs (projects) do not collide. */
  automationId?: string;
  /** Default SARIF_MAX_RESULTS; the most severe results are kept. */
  maxResults?: number;
}

/* A minimal typing of the SARIF subset we emit (names as in the SARIF 2.1.0 schema). */
export interface SarifMessage {
  text: string;
}
export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: SarifRegion };
  }[];
  partialFingerprints?: Record<string, string>;
  properties?: { taskId?: string };
}
export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties?: { tags: string[] };
}
export interface SarifRun {
  tool: {
    driver: {
      name: string;
      version: string;
      semanticVersion: string;
      informationUri?: string;
      rules: SarifReportingDescriptor[];
    };
  };
  automationDetails?: { id: string };
  originalUriBaseIds?: Record<string, { uri: string }>;
  invocations?: {
    executionSuccessful: boolean;
    toolExecutionNotifications?: { level: SarifLevel; message: SarifMessage }[];
  }[];
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}
export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: SarifRun[];
}

const LEVEL_BY_SEVERITY: Record<Severity, SarifLevel> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** error -> error, warning -> warning, info and hint -> note. */
export function toSarifLevel(severity: Severity): SarifLevel {
  return LEVEL_BY_SEVERITY[severity];
}

/**
 * Percent-encodes a POSIX path for a SARIF `uri` (a URI reference): spaces, `%`, `#`, `?` and
 * non-ASCII characters would otherwise make it another URI or an invalid one.
 */
export function pathToUriReference(path: string): string {
  return encodeURI(path).replace(/[?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function region(d: ReportDiagnostic): SarifRegion | undefined {
  if (d.line === undefined) return undefined;
  const r: SarifRegion = { startLine: d.line };
  if (d.col !== undefined) r.startColumn = d.col;
  if (d.end_line !== undefined && d.end_line >= d.line) r.endLine = d.end_line;
  const endLine = r.endLine ?? d.line;
  if (d.end_col !== undefined && (endLine > d.line || d.col === undefined || d.end_col >= d.col)) {
    r.endColumn = d.end_col;
  }
  return r;
}

/** A record without a code still needs a rule id: GitHub groups alerts by rule. */
function ruleIdOf(d: ReportDiagnostic): string {
  return d.code || d.task_id || 'codebatch';
}

function ruleDescriptor(
  id: string,
  meta: SarifRuleMetadata | undefined,
  seen: Severity,
): SarifReportingDescriptor {
  const descriptor: SarifReportingDescriptor = {
    id,
    shortDescription: { text: meta?.shortDescription ?? id },
    defaultConfiguration: { level: toSarifLevel(meta?.defaultSeverity ?? seen) },
  };
  if (meta?.name) descriptor.name = meta.name;
  if (meta?.fullDescription) descriptor.fullDescription = { text: meta.fullDescription };
  if (meta?.help) descriptor.help = { text: meta.help };
  if (meta?.helpUri) descriptor.helpUri = meta.helpUri;
  if (meta?.tags && meta.tags.length > 0) descriptor.properties = { tags: [...new Set(meta.tags)] };
  return descriptor;
}

/**
 * Converts diagnostics to one SARIF 2.1.0 run that github/codeql-action/upload-sarif accepts:
 * at most `maxResults` results (errors kept first, a tool notification says how many were
 * left out), one rule per distinct code, levels mapped from severities, and the diagnostic's
 * stable fingerprint (when it has one) as a partial fingerprint. Deterministic for a given set.
 * @param diagnostics diagnostic records (any order)
 * @param options tool identity, rule metadata, path base and limits
 * @returns the SARIF log object (serialize with JSON.stringify)
 */
export function toSarif(diagnostics: readonly ReportDiagnostic[], options: SarifOptions): SarifLog {
  const maxResults = options.maxResults ?? SARIF_MAX_RESULTS;
  let kept = [...diagnostics].sort(compareDiagnostics);
  const omitted = Math.max(0, kept.length - maxResults);
  if (omitted > 0) {
    // Keep the most severe; a stable sort keeps path order within each severity.
    kept = kept
      .sort((a, b) => SEVERITIES.indexOf(severityOf(a)) - SEVERITIES.indexOf(severityOf(b)))
      .slice(0, maxResults)
      .sort(compareDiagnostics);
  }

  const metaById = new Map((options.rules ?? []).map((r) => [r.id, r]));
  // The most severe level seen per rule is its default when no metadata says otherwise.
  const seenSeverity = new Map<string, Severity>();
  for (const d of kept) {
    const id = ruleIdOf(d);
    const previous = seenSeverity.get(id);
    const current = severityOf(d);
    if (previous === undefined || SEVERITIES.indexOf(current) < SEVERITIES.indexOf(previous)) {
      seenSeverity.set(id, current);
    }
  }
  const ruleIds = [...seenSeverity.keys()].sort(compareStrings);
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => ruleDescriptor(id, metaById.get(id), seenSeverity.get(id)!));

  const baseUri = options.baseUri === undefined ? undefined : options.baseUri.replace(/\/*$/, '/');
  const results = kept.map((d): SarifResult => {
    const id = ruleIdOf(d);
    const artifactLocation: { uri: string; uriBaseId?: string } = {
      uri: pathToUriReference(prefixPath(options.pathPrefix, d.path)),
    };
    if (baseUri) artifactLocation.uriBaseId = 'SRCROOT';
    const r = region(d);
    const result: SarifResult = {
      ruleId: id,
      ruleIndex: ruleIndex.get(id)!,
      level: toSarifLevel(severityOf(d)),
      // GitHub rejects results with an empty message text.
      message: { text: d.message?.trim() ? d.message : id },
      locations: [{ physicalLocation: r ? { artifactLocation, region: r } : { artifactLocation } }],
    };
    if (d.fingerprint) result.partialFingerprints = { [SARIF_FINGERPRINT_KEY]: d.fingerprint };
    if (d.task_id) result.properties = { taskId: d.task_id };
    return result;
  });

  const driver: SarifRun['tool']['driver'] = {
    name: options.toolName,
    version: options.toolVersion,
    semanticVersion: options.toolVersion,
    rules,
  };
  if (options.informationUri) driver.informationUri = options.informationUri;
  const run: SarifRun = { tool: { driver }, columnKind: 'utf16CodeUnits', results };
  if (options.automationId) run.automationDetails = { id: options.automationId };
  if (baseUri) run.originalUriBaseIds = { SRCROOT: { uri: baseUri } };
  if (omitted > 0) {
    run.invocations = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text: `${omitted} of ${diagnostics.length} results were left out: SARIF uploads take at most ${maxResults} per run (the most severe were kept).`,
            },
          },
        ],
      },
    ];
  }
  return { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs: [run] };
}
