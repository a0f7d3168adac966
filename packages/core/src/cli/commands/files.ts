import type { FileSummary } from '../../query/query-files';
import { queryFiles, queryTop } from '../../query/query-files';
import { type CommandSpec, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';
import {
  BATCH_OPTION,
  PATH_OPTION,
  parseLimit,
  requireBatch,
  SEVERITY_OPTION,
  TASK_OPTION,
} from './query-support';

export const filesCommand: CommandSpec = {
  name: 'files',
  summary: 'Files of a batch with their output and diagnostic counts',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: { batch: BATCH_OPTION, task: TASK_OPTION, path: PATH_OPTION },
  run(ctx) {
    const result = queryFiles(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, 'task'),
      path: stringOpt(ctx, 'path'),
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else ctx.stdout(formatFileTable(result.files, 'outputs'));
    return 0;
  },
};

export const topCommand: CommandSpec = {
  name: 'top',
  summary: 'Files with the most diagnostics',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: TASK_OPTION,
    severity: { ...SEVERITY_OPTION, description: 'Count only diagnostics of this severity' },
    limit: { type: 'string', description: 'At most this many files', valueName: 'n', default: '10' },
  },
  run(ctx) {
    const result = queryTop(ctx.openStore(), requireBatch(ctx), {
      task: stringOpt(ctx, 'task'),
      severity: stringOpt(ctx, 'severity'),
      limit: parseLimit(ctx, 10),
    });
    if (ctx.json) ctx.stdout(formatJson(result));
    else if (result.files.length === 0) {
      if (!ctx.quiet) ctx.stdout('no diagnostics\n');
    } else ctx.stdout(formatFileTable(result.files, 'diagnostics'));
    return 0;
  },
};

function formatFileTable(files: FileSummary[], first: 'outputs' | 'diagnostics'): string {
  const headers =
    first === 'outputs'
      ? ['path', 'lang', 'outputs', 'diagnostics', 'error', 'warning', 'info', 'hint']
      : ['path', 'lang', 'diagnostics', 'error', 'warning', 'info', 'hint'];
  return formatTable(
    headers,
    files.map((f) =>
      first === 'outputs'
        ? [f.path, f.lang, f.outputs, f.diagnostics, f.error, f.warning, f.info, f.hint]
        : [f.path, f.lang, f.diagnostics, f.error, f.warning, f.info, f.hint],
    ),
  );
}
