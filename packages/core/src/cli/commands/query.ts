import { queryDiagnostics } from '../../query/query-diagnostics';
import { queryOutputs } from '../../query/query-outputs';
import { GROUP_BY, queryStats } from '../../query/query-stats';
import { type CommandSpec, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';
import {
  BATCH_OPTION,
  formatDiagnosticLine,
  formatOutputLine,
  LIMIT_OPTION,
  PATH_OPTION,
  parseLimit,
  requireBatch,
  SEVERITY_OPTION,
  TASK_OPTION,
} from './query-support';

const KIND_OPTION = {
  type: 'string',
  description: 'ast, diagnostic, metric, symbol, edge, ...',
  valueName: 'kind',
} as const;

export const queryOutputsCommand: CommandSpec = {
  name: 'query outputs',
  aliases: ['query-outputs'],
  summary: 'List output records of a batch (filter by task, kind, path)',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    kind: KIND_OPTION,
    path: PATH_OPTION,
    limit: LIMIT_OPTION,
  },
  run(ctx) {
    const result = queryOutputs(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, 'task'),
      kind: stringOpt(ctx, 'kind'),
      path: stringOpt(ctx, 'path'),
      limit: parseLimit(ctx),
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      for (const r of result.records) ctx.stdout(`${formatOutputLine(r)}\n`);
      if (!ctx.quiet) ctx.stdout(`${countLine(result.records.length, result.total, 'output')}\n`);
    }
    return 0;
  },
};

export const queryDiagnosticsCommand: CommandSpec = {
  name: 'query diagnostics',
  aliases: ['query-diagnostics'],
  summary: 'List diagnostics of a batch (filter by task, severity, code, path)',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    severity: SEVERITY_OPTION,
    code: { type: 'string', description: 'Only this diagnostic code (e.g. L101)', valueName: 'code' },
    path: PATH_OPTION,
    limit: LIMIT_OPTION,
  },
  run(ctx) {
    const result = queryDiagnostics(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, 'task'),
      severity: stringOpt(ctx, 'severity'),
      code: stringOpt(ctx, 'code'),
      path: stringOpt(ctx, 'path'),
      limit: parseLimit(ctx),
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      for (const r of result.records) ctx.stdout(`${formatDiagnosticLine(r)}\n`);
      if (!ctx.quiet) {
        const s = result.by_severity;
        ctx.stdout(
          `${countLine(result.records.length, result.total, 'diagnostic')} (${s.error} error, ${s.warning} warning, ${s.info} info, ${s.hint} hint)\n`,
        );
      }
    }
    return 0;
  },
};

export const queryStatsCommand: CommandSpec = {
  name: 'query stats',
  aliases: ['query-stats'],
  summary: 'Count outputs of a batch grouped by kind, severity, code, lang or task',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    kind: KIND_OPTION,
    'group-by': {
      type: 'string',
      description: `${GROUP_BY.join('|')} (severity and code count diagnostics only)`,
      valueName: 'field',
      default: 'kind',
    },
  },
  run(ctx) {
    const result = queryStats(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, 'task'),
      kind: stringOpt(ctx, 'kind'),
      groupBy: stringOpt(ctx, 'group-by'),
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      ctx.stdout(
        formatTable(
          [result.group_by, 'count'],
          [...result.groups.map((g) => [g.key, g.count]), ['total', result.total]],
        ),
      );
    }
    return 0;
  },
};

function countLine(shown: number, total: number, noun: string): string {
  const plural = total === 1 ? noun : `${noun}s`;
  return shown === total ? `${total} ${plural}` : `${shown} of ${total} ${plural} (--limit)`;
}
