import { queryErrors } from '../../query/query-errors';
import { escapeText } from '../../report/escape-text';
import { type CommandSpec, stringOpt } from '../command';
import { formatJson } from '../output';
import { BATCH_OPTION, formatDiagnosticLine, requireBatch, TASK_OPTION } from './query-support';

export const errorsCommand: CommandSpec = {
  name: 'errors',
  summary: 'Files that failed a task: error diagnostics and failed shards (with their error)',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: { batch: BATCH_OPTION, task: TASK_OPTION },
  run(ctx) {
    const result = queryErrors(ctx.openStore(), requireBatch(ctx), { task: stringOpt(ctx, 'task') });
    if (ctx.json) ctx.stdout(formatJson(result));
    else {
      for (const s of result.failed_shards) {
        const files =
          s.files === null ? 'files unknown' : `${s.files.length} file${s.files.length === 1 ? '' : 's'}`;
        const error = s.error ? `${s.error.code}: ${s.error.message}` : 'no error recorded';
        ctx.stdout(
          `shard ${s.task_id}/${s.shard_id} failed (attempt ${s.attempt}, ${files}): ${escapeText(error)}\n`,
        );
        for (const f of s.files ?? []) ctx.stdout(`  ${escapeText(f)}\n`);
      }
      for (const r of result.diagnostics)
        ctx.stdout(`${formatDiagnosticLine(r)}  [${escapeText(r.task_id)}]\n`);
      if (!ctx.quiet) {
        ctx.stdout(
          `${result.files.length} files with errors: ${result.diagnostics.length} error diagnostics, ${result.failed_shards.length} failed shards\n`,
        );
      }
    }
    return 0;
  },
};
