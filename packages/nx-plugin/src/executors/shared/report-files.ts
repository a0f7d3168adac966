import fs from 'node:fs';
import path from 'node:path';
import { type AnalyzeResult, ENGINE_VERSION, rulesFromDiagnostics, toSarif } from '@codebatch/core';
import { REPORT_FILES } from '../../shared/defaults';
import type { Outcome } from './evaluate-outcome';
import type { TargetContext } from './options';

export const REPORT_SCHEMA_NAME = 'codebatch.nx.report';
export const REPORT_SCHEMA_VERSION = 1;

/** The JSON report: the engine result plus where it ran and whether it passed. */
export interface JsonReport {
  schema_name: typeof REPORT_SCHEMA_NAME;
  schema_version: typeof REPORT_SCHEMA_VERSION;
  project: string;
  projectRoot: string;
  target: string;
  engineVersion: string;
  batchId: string;
  snapshotId: string;
  pipeline: AnalyzeResult['pipeline'];
  status: AnalyzeResult['status'];
  success: boolean;
  reasons: string[];
  files: number;
  shards: AnalyzeResult['shards'];
  taskFiles: AnalyzeResult['taskFiles'];
  counts: AnalyzeResult['counts'];
  durationMs: number;
  /** Output records as the engine returned them: paths relative to `projectRoot`. */
  diagnostics: AnalyzeResult['diagnostics'];
}

export function buildJsonReport(result: AnalyzeResult, outcome: Outcome, target: TargetContext): JsonReport {
  return {
    schema_name: REPORT_SCHEMA_NAME,
    schema_version: REPORT_SCHEMA_VERSION,
    project: target.projectName,
    projectRoot: target.projectRoot,
    target: target.targetName,
    engineVersion: ENGINE_VERSION,
    batchId: result.batchId,
    snapshotId: result.snapshotId,
    pipeline: result.pipeline,
    status: result.status,
    success: outcome.success,
    reasons: outcome.reasons,
    files: result.files,
    shards: result.shards,
    taskFiles: result.taskFiles,
    counts: result.counts,
    durationMs: result.durationMs,
    diagnostics: result.diagnostics,
  };
}

/** Writes via a temp file and rename, so a reader (or Nx caching outputs) never sees half a file. */
function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * Writes report.json, report.sarif (repository-relative URIs, one GitHub category per
 * project and target, rule help URIs) and batch-id into the target's report folder, its Nx `outputs`.
 * @returns the SARIF text, for `--output-format sarif`
 */
export function writeReportFiles(
  reportDir: string,
  report: JsonReport,
  result: AnalyzeResult,
  target: TargetContext,
): { sarifText: string } {
  fs.mkdirSync(reportDir, { recursive: true });
  const sarif = toSarif(result.diagnostics, {
    toolName: 'codebatch',
    toolVersion: ENGINE_VERSION,
    // codebatch's rules plus each ESLint rule's docs URL, so code scanning links every alert.
    rules: rulesFromDiagnostics(result.diagnostics),
    pathPrefix: target.projectRoot,
    automationId: `${target.targetName}/${target.projectRoot === '.' ? '' : `${target.projectRoot}/`}`,
  });
  const sarifText = `${JSON.stringify(sarif, null, 2)}\n`;
  writeFileAtomic(path.join(reportDir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(path.join(reportDir, REPORT_FILES.sarif), sarifText);
  writeFileAtomic(path.join(reportDir, REPORT_FILES.batchId), `${result.batchId}\n`);
  return { sarifText };
}

/** Removes only the files this plugin writes: the folder may be shared or user-chosen. */
export function removeReportFiles(reportDir: string): void {
  for (const name of Object.values(REPORT_FILES)) fs.rmSync(path.join(reportDir, name), { force: true });
}
