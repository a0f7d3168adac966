import { inspectFile } from '../../query/inspect-file';
import { escapeText } from '../../report/escape-text';
import type { CommandSpec } from '../command';
import { formatJson } from '../output';
import { BATCH_OPTION, formatOutputLine, requireBatch } from './query-support';

export const inspectCommand: CommandSpec = {
  name: 'inspect',
  summary: 'Everything a batch knows about one file: its index record and outputs per task',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  positionals: [{ name: 'path', description: 'File path as in the snapshot', required: true }],
  options: { batch: BATCH_OPTION },
  run(ctx) {
    const result = inspectFile(ctx.openStore(), requireBatch(ctx), ctx.positionals[0]!);
    if (ctx.json) {
      ctx.stdout(formatJson(result));
      return 0;
    }
    const f = result.file;
    ctx.stdout(
      `${escapeText(f.path)}\n  object  ${f.object}\n  size    ${f.size}\n  lang    ${escapeText(f.lang_hint ?? 'unknown')}\n`,
    );
    for (const t of result.tasks) {
      const counts = Object.entries(t.counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      ctx.stdout(`\n${t.task_id}: ${counts || 'no outputs'}\n`);
      for (const r of t.outputs) ctx.stdout(`  ${formatOutputLine(r)}\n`);
    }
    return 0;
  },
};
