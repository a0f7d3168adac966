import { boolOpt, type CommandSpec, stringOpt } from '../command';
import { formatJson } from '../output';
import { parseIntOption } from './parse-int-option';

export const gcCommand: CommandSpec = {
  name: 'gc',
  summary:
    'Remove old batches, then unreferenced snapshots, objects, index entries and stale temp files (--dry-run: report only)',
  group: 'store',
  since: '0.1.0',
  readOnly: false,
  requiresStore: true,
  options: {
    'keep-batches': {
      type: 'string',
      description: 'Keep the newest N batches (others may go)',
      valueName: 'n',
    },
    'older-than': {
      type: 'string',
      description:
        'Remove batches created longer ago than this (e.g. 30d, 12h); with --keep-batches, a batch goes only if neither keeps it',
      valueName: 'duration',
    },
    grace: {
      type: 'string',
      description:
        'Never remove objects, temp files or unfinished batches younger than this (default 1h; a run refreshes the objects it names at most every 5 minutes, so keep it above that while runs go on)',
      valueName: 'duration',
    },
    'dry-run': { type: 'boolean', description: 'Report what would be removed; write nothing' },
    auto: {
      type: 'boolean',
      description:
        'Collect only when a batch, a snapshot or an unfinished batch goes (otherwise only stale temp files): for a gc after every run',
    },
  },
  run(ctx) {
    const { parseDuration, pruneStore } =
      require('../../gc/prune-store') as typeof import('../../gc/prune-store');
    const keep = stringOpt(ctx, 'keep-batches');
    const olderThan = stringOpt(ctx, 'older-than');
    const grace = stringOpt(ctx, 'grace');
    const report = pruneStore(ctx.openStore(), {
      keepBatches: keep === undefined ? undefined : parseIntOption('keep-batches', keep, 0),
      olderThanMs: olderThan === undefined ? undefined : parseDuration(olderThan),
      graceMs: grace === undefined ? undefined : parseDuration(grace),
      dryRun: boolOpt(ctx, 'dry-run'),
      auto: boolOpt(ctx, 'auto'),
    });
    if (ctx.json) ctx.stdout(formatJson(report));
    else if (!ctx.quiet) {
      const verb = report.dry_run ? 'would free' : 'freed';
      ctx.stdout(
        [
          ...(report.skipped
            ? ['auto: no batch, snapshot or unfinished batch to remove; objects and indexes not swept']
            : []),
          `batches    ${report.batches.removed.length} removed, ${report.batches.kept.length} kept${report.batches.removed.length > 0 ? ` (${report.batches.removed.join(', ')})` : ''}`,
          ...(report.batches.unreadable.length > 0
            ? [
                `           kept unread (damaged batch.json, see \`codebatch verify\`): ${report.batches.unreadable.join(', ')}`,
              ]
            : []),
          `snapshots  ${report.snapshots.removed.length} removed, ${report.snapshots.kept} kept`,
          report.skipped
            ? 'objects    not swept'
            : `objects    ${report.objects.removed} removed (${formatBytes(report.objects.bytes)}), ${report.objects.kept} kept`,
          `indexes    ${report.indexes.memo_entries_removed} memo entries, ${report.indexes.bundles_removed} bundle entries, ${report.indexes.query_removed} query indexes removed`,
          `sessions   ${report.sessions.removed} removed`,
          `tmp        ${report.tmp.removed} stale entries removed`,
          `${report.dry_run ? 'dry run: ' : ''}${verb} ${formatBytes(report.bytes_freed)}`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  },
};

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
