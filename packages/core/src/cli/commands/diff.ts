import type { DiagnosticDelta } from '../../query/diff/diff-batches';
import { type CommandContext, type CommandSpec, type PositionalSpec, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';
import {
  formatDiagnosticLine,
  formatOutputLine,
  PATH_OPTION,
  SEVERITY_OPTION,
  TASK_OPTION,
} from './query-support';

// Loaded when a diff runs, not at every CLI start.
const diffModule = () =>
  require('../../query/diff/diff-batches') as typeof import('../../query/diff/diff-batches');

const BATCH_PAIR: PositionalSpec[] = [
  { name: 'base', description: 'Base batch id (before)', required: true },
  { name: 'head', description: 'Head batch id (after)', required: true },
];

export const diffCommand: CommandSpec = {
  name: 'diff',
  summary: 'Outputs added, removed and changed between two batches (position moves are not changes)',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  positionals: BATCH_PAIR,
  options: {
    task: TASK_OPTION,
    kind: { type: 'string', description: 'Only this output kind', valueName: 'kind' },
    path: PATH_OPTION,
  },
  run(ctx) {
    const [base, head] = pair(ctx);
    const result = diffModule().diffBatches(ctx.openStore(), base, head, {
      task: stringOpt(ctx, 'task'),
      kind: stringOpt(ctx, 'kind'),
      path: stringOpt(ctx, 'path'),
    });
    if (ctx.json) {
      ctx.stdout(formatJson(result));
      return 0;
    }
    for (const r of result.added) ctx.stdout(`+ ${formatOutputLine(r)}\n`);
    for (const r of result.removed) ctx.stdout(`- ${formatOutputLine(r)}\n`);
    for (const c of result.changed)
      ctx.stdout(`~ ${formatOutputLine(c.head)}  (was: ${formatOutputLine(c.base)})\n`);
    if (!ctx.quiet) {
      const rows = Object.entries(result.counts_by_kind).map(([k, c]) => [
        k,
        c.added,
        c.removed,
        c.changed,
        c.unchanged,
      ]);
      rows.push([
        'total',
        result.counts.added,
        result.counts.removed,
        result.counts.changed,
        result.counts.unchanged,
      ]);
      ctx.stdout(formatTable(['kind', 'added', 'removed', 'changed', 'unchanged'], rows));
    }
    return 0;
  },
};

const DELTA_OPTIONS = {
  task: TASK_OPTION,
  path: PATH_OPTION,
  severity: { ...SEVERITY_OPTION, description: 'Threshold: warning keeps errors and warnings' },
};

export const regressionsCommand: CommandSpec = {
  name: 'regressions',
  summary:
    'Diagnostics new in head or more severe than in base (exit 1 when there are any, so CI can gate on it)',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  positionals: BATCH_PAIR,
  options: DELTA_OPTIONS,
  run(ctx) {
    const [base, head] = pair(ctx);
    const result = diffModule().findRegressions(ctx.openStore(), base, head, deltaOptions(ctx));
    printDelta(ctx, result, 'new diagnostic');
    // Exit 1 is the CI gate: findings, not a failure of the command (which would be 2).
    return result.total > 0 ? 1 : 0;
  },
};

export const improvementsCommand: CommandSpec = {
  name: 'improvements',
  summary: 'Diagnostics gone in head or less severe than in base',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  positionals: BATCH_PAIR,
  options: DELTA_OPTIONS,
  run(ctx) {
    const [base, head] = pair(ctx);
    printDelta(
      ctx,
      diffModule().findImprovements(ctx.openStore(), base, head, deltaOptions(ctx)),
      'fixed diagnostic',
    );
    return 0;
  },
};

function pair(ctx: CommandContext): [string, string] {
  return [ctx.positionals[0]!, ctx.positionals[1]!];
}

function deltaOptions(ctx: CommandContext) {
  return { task: stringOpt(ctx, 'task'), path: stringOpt(ctx, 'path'), severity: stringOpt(ctx, 'severity') };
}

function printDelta(ctx: CommandContext, result: DiagnosticDelta, noun: string): void {
  if (ctx.json) {
    ctx.stdout(formatJson(result));
    return;
  }
  for (const r of result.records) ctx.stdout(`${formatDiagnosticLine(r)}  [${r.task_id}]\n`);
  if (!ctx.quiet) ctx.stdout(`${result.total} ${noun}${result.total === 1 ? '' : 's'}\n`);
}
