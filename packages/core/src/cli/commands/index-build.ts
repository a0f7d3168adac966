import { listBatches } from '../../batch/read-batch';
import { CodebatchError } from '../../errors/codebatch-error';
import { buildQueryIndex } from '../../query/accel/build-query-index';
import { boolOpt, type CommandSpec, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';
import { BATCH_OPTION } from './query-support';

export const indexBuildCommand: CommandSpec = {
  name: 'index build',
  aliases: ['index-build'],
  summary:
    'Build the optional query acceleration index of a batch under indexes/ (never needed for correctness)',
  group: 'query',
  since: '0.1.0',
  readOnly: false,
  requiresStore: true,
  options: {
    batch: BATCH_OPTION,
    all: { type: 'boolean', description: 'Index every batch of the store' },
  },
  run(ctx) {
    const store = ctx.openStore();
    const batch = stringOpt(ctx, 'batch');
    const all = boolOpt(ctx, 'all');
    if ((batch === undefined) === !all) {
      throw new CodebatchError('E_USAGE', 'index build needs exactly one of --batch <id> or --all');
    }
    const ids = all
      ? listBatches(store)
          .map((b) => b.batch_id)
          .sort()
      : [batch!];
    const results = ids.map((id) => {
      const started = process.hrtime.bigint();
      const r = buildQueryIndex(store, id);
      return { ...r, ms: Number((process.hrtime.bigint() - started) / 1_000_000n) };
    });
    if (ctx.json) ctx.stdout(formatJson({ indexes: results }));
    else if (!ctx.quiet) {
      ctx.stdout(
        formatTable(
          ['batch', 'records', 'diagnostics', 'bytes', 'ms'],
          results.map((r) => [r.batch_id, r.records, r.diagnostics, r.bytes, r.ms]),
        ),
      );
    }
    return 0;
  },
};
