import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, defaultParallelism } from '../../api/analyze';
import type { AnalyzeResult } from '../../api/types';
import type { ConfigFile } from '../../config/config-schema';
import { loadConfigFile } from '../../config/load-config';
import { CodebatchError, ERROR_CODES, type ErrorCode } from '../../errors/codebatch-error';
import { isAtLeast, type ReportDiagnostic, severityOf } from '../../report/diagnostic';
import { escapeText } from '../../report/escape-text';
import { formatSummaryLine, summaryFromResult, writeDiagnosticsText } from '../../report/format-text';
import { toSarif } from '../../report/sarif';
import { rulesFromDiagnostics } from '../../report/sarif-rules';
import type { Severity } from '../../schemas/output-record';
import { isPipelineName, PIPELINE_NAMES, type PipelineName } from '../../tasks/catalog';
import { ENGINE_VERSION } from '../../version';
import { boolOpt, type CommandContext, type CommandSpec, stringOpt } from '../command';
import { writeJson } from '../output';
import { parseIntOption, usageError } from './parse-int-option';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Hints for errors that failed shards (the shard state keeps code and message only). */
const FAILURE_HINTS: Partial<Record<ErrorCode, string[]>> = {
  E_ESLINT_NOT_FOUND: [
    'Install ESLint where the analysed directory resolves its packages: `npm install --save-dev eslint`.',
    'Or leave ESLint out: `"eslint": false` in codebatch.config.json, or `--pipeline lint` on a tree without an ESLint config.',
  ],
  E_ESLINT_CONFIG: [
    'Run `npx eslint <file>` in the analysed directory to see the same error, then fix the ESLint config.',
  ],
};

/**
 * `codebatch check [DIR]`: what people expect from a linter, in one process. Snapshot (honouring
 * .gitignore), plan, run (reusing every result whose inputs did not change) and report.
 */
export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'Lint a directory in one step: snapshot, plan, run and report (text, json or sarif)',
  group: 'run',
  since: '0.2.0',
  readOnly: false,
  requiresStore: false,
  positionals: [{ name: 'dir', description: 'Directory to check (default: the current directory)' }],
  options: {
    pipeline: {
      type: 'string',
      description: `${PIPELINE_NAMES.join(' | ')} (default: the config's, else lint)`,
      valueName: 'name',
    },
    format: {
      type: 'string',
      description: 'text | json | sarif (default text; --json = json)',
      valueName: 'format',
    },
    'max-warnings': {
      type: 'string',
      description: 'Exit 1 when there are more warnings than this (as eslint --max-warnings)',
      valueName: 'n',
    },
    'fail-on': {
      type: 'string',
      description: 'Lowest severity that fails the check: error (default), warning, info',
      valueName: 'severity',
    },
    config: {
      type: 'string',
      description: 'codebatch config file (default: DIR/codebatch.config.json when present)',
      valueName: 'file',
    },
    parallel: { type: 'string', description: 'Worker threads (default: number of cores)', valueName: 'n' },
    force: { type: 'boolean', description: 'Re-execute everything, reusing nothing' },
    'no-provenance': {
      type: 'boolean',
      description: 'Skip run manifests, the session record and the verify step',
    },
  },
  async run(ctx) {
    const dir = path.resolve(ctx.cwd, ctx.positionals[0] ?? '.');
    if (!isDirectory(dir)) {
      throw new CodebatchError('E_SOURCE_NOT_FOUND', `${dir} is not a directory`, {
        hints: ['Pass the directory to check: `codebatch check path/to/project`.'],
      });
    }
    const format = readFormat(ctx);
    const failOn = readFailOn(ctx);
    const maxWarningsOpt = stringOpt(ctx, 'max-warnings');
    const maxWarnings =
      maxWarningsOpt === undefined ? undefined : parseIntOption('max-warnings', maxWarningsOpt, 0, 1e9);
    const parallelOpt = stringOpt(ctx, 'parallel');
    const parallel =
      parallelOpt === undefined ? defaultParallelism() : parseIntOption('parallel', parallelOpt, 1, 64);
    const configPath = findConfig(ctx, dir);
    const config: ConfigFile | undefined = configPath ? loadConfigFile(configPath) : undefined;
    const pipelineOpt = stringOpt(ctx, 'pipeline');
    if (pipelineOpt !== undefined && !isPipelineName(pipelineOpt))
      throw usageError(
        `unknown pipeline ${JSON.stringify(pipelineOpt)}`,
        `Choose one of: ${PIPELINE_NAMES.join(', ')}.`,
      );
    const pipeline: PipelineName = (pipelineOpt as PipelineName | undefined) ?? config?.pipeline ?? 'lint';
    // --store wins; else the CODEBATCH_STORE the CLI already resolved; else DIR/.codebatch.
    const storeDir =
      ctx.values.store !== undefined || process.env.CODEBATCH_STORE
        ? ctx.storeDir
        : path.join(dir, '.codebatch');
    const result = await analyze({
      storeDir,
      sourceDir: dir,
      pipeline,
      configPath,
      parallel,
      force: boolOpt(ctx, 'force'),
      provenance: !boolOpt(ctx, 'no-provenance'),
      reuseDoneBatch: true,
      // --quiet text shows only what fails the run: the rest need only be counted.
      ...(format === 'text' && ctx.quiet ? { diagnosticsFrom: failOn } : {}),
    });
    throwInputFailure(result);
    const diagnostics = result.diagnostics as ReportDiagnostic[];
    if (format === 'json') writeJson(toJsonReport(result, dir), ctx.stdout);
    else if (format === 'sarif')
      writeJson(
        toSarif(diagnostics, {
          toolName: 'codebatch',
          toolVersion: ENGINE_VERSION,
          baseUri: `${pathToFileURL(dir).href}/`,
          rules: rulesFromDiagnostics(diagnostics),
        }),
        ctx.stdout,
      );
    else if (!ctx.quiet || diagnostics.some((d) => isAtLeast(severityOf(d), failOn))) {
      const shown = ctx.quiet ? diagnostics.filter((d) => isAtLeast(severityOf(d), failOn)) : diagnostics;
      writeDiagnosticsText(shown, ctx.stdout, { color: false });
      if (shown.length > 0) ctx.stdout('\n');
      ctx.stdout(formatSummaryLine(summaryFromResult(result)));
      for (const f of result.failures)
        ctx.stderr(`shard ${f.taskId}/${f.shardId} failed: error[${f.code}]: ${escapeText(f.message)}\n`);
    }
    if (result.status === 'failed') return 1;
    if (diagnostics.some((d) => isAtLeast(severityOf(d), failOn))) return 1;
    if (maxWarnings !== undefined && result.counts.warning > maxWarnings) {
      if (format === 'text') ctx.stderr(`codebatch found too many warnings (maximum: ${maxWarnings}).\n`);
      return 1;
    }
    return 0;
  },
};

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function readFormat(ctx: CommandContext): Format {
  const value = stringOpt(ctx, 'format') ?? (ctx.json ? 'json' : 'text');
  if (!(FORMATS as readonly string[]).includes(value))
    throw usageError(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(value)})`);
  return value as Format;
}

function readFailOn(ctx: CommandContext): Severity {
  const value = stringOpt(ctx, 'fail-on') ?? 'error';
  if (!['error', 'warning', 'info', 'hint'].includes(value))
    throw usageError(`--fail-on must be error, warning, info or hint (got ${JSON.stringify(value)})`);
  return value as Severity;
}

function findConfig(ctx: CommandContext, dir: string): string | undefined {
  const given = stringOpt(ctx, 'config');
  if (given !== undefined) return path.resolve(ctx.cwd, given);
  const implicit = path.join(dir, 'codebatch.config.json');
  return fs.existsSync(implicit) ? implicit : undefined;
}

/**
 * A shard that failed because of its input (ESLint missing, a config that throws) is the user's
 * to fix: report it as that error (exit 2) rather than as a failed run.
 */
function throwInputFailure(result: AnalyzeResult): void {
  const input = result.failures.find((f) => (ERROR_CODES as Record<string, number>)[f.code] === 2);
  if (!input) return;
  throw new CodebatchError(input.code as ErrorCode, input.message, {
    hints: FAILURE_HINTS[input.code as ErrorCode] ?? [],
    details: { task_id: input.taskId, shard_id: input.shardId, shards_failed: result.failures.length },
  });
}

function toJsonReport(result: AnalyzeResult, dir: string) {
  return {
    dir,
    store: result.storeDir,
    snapshot_id: result.snapshotId,
    batch_id: result.batchId,
    pipeline: result.pipeline,
    status: result.status,
    files: result.files,
    shards: result.shards,
    taskFiles: result.taskFiles,
    counts: result.counts,
    failures: result.failures,
    duration_ms: result.durationMs,
    diagnostics: result.diagnostics.map((d) => {
      const { schema_version, snapshot_id, batch_id, shard_id, ts, kind, ...rest } = d;
      return rest;
    }),
  };
}
