import { listSnapshots } from '../../snapshot/read-snapshot';
import type { CommandSpec } from '../command';
import { formatJson, formatTable } from '../output';

export const snapshotListCommand: CommandSpec = {
  name: 'snapshot list',
  aliases: ['snapshot-list'],
  summary: 'List the snapshots in the store, oldest first',
  group: 'snapshot',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  run(ctx) {
    const records = listSnapshots(ctx.openStore());
    if (ctx.json) {
      ctx.stdout(formatJson(records));
      return 0;
    }
    if (records.length === 0) {
      if (!ctx.quiet) ctx.stdout('No snapshots yet. Create one with `codebatch snapshot <dir>`.\n');
      return 0;
    }
    const rows = records.map((r) => [
      r.snapshot_id,
      r.created_at,
      r.file_count,
      r.total_bytes,
      r.warnings.length,
      r.source.path,
    ]);
    ctx.stdout(formatTable(['ID', 'CREATED', 'FILES', 'BYTES', 'WARNINGS', 'SOURCE'], rows));
    return 0;
  },
};
