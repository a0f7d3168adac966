import path from 'node:path';
import {
  exportObservations,
  formatObservationsCsv,
  formatObservationsJsonl,
} from '../../provenance/events-export';
import { exportProvenance } from '../../provenance/export-provenance';
import { writeFileAtomic } from '../../store/atomic-write';
import { BATCH_OPTION, type CommandContext, type CommandSpec, requireBatch, stringOpt } from '../command';
import { usageError } from './parse-int-option';

function emit(ctx: CommandContext, text: string): void {
  const out = stringOpt(ctx, 'out');
  if (out) writeFileAtomic(path.resolve(ctx.cwd, out), text);
  else ctx.stdout(text);
}

export const provenanceExportCommand: CommandSpec = {
  name: 'provenance export',
  summary:
    "Export a batch's provenance as PROV-O JSON-LD (prov) or an in-toto Statement v1 with a SLSA v1 predicate (intoto)",
  group: 'provenance',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    format: { type: 'string', description: 'prov | intoto', valueName: 'format', default: 'prov' },
    out: { type: 'string', description: 'Write to this file instead of stdout', valueName: 'file' },
  },
  run(ctx) {
    const format = stringOpt(ctx, 'format') ?? 'prov';
    if (format !== 'prov' && format !== 'intoto')
      throw usageError(`--format must be prov or intoto (got ${JSON.stringify(format)})`);
    emit(ctx, `${JSON.stringify(exportProvenance(ctx.openStore(), requireBatch(ctx), format), null, 2)}\n`);
    return 0;
  },
};

export const eventsExportCommand: CommandSpec = {
  name: 'events export',
  summary:
    'Export batch, task and shard events plus session actions as normalized observation rows (jsonl or csv)',
  group: 'provenance',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    format: { type: 'string', description: 'jsonl | csv', valueName: 'format', default: 'jsonl' },
    out: { type: 'string', description: 'Write to this file instead of stdout', valueName: 'file' },
    'no-sessions': { type: 'boolean', description: 'Leave out provenance session actions' },
  },
  run(ctx) {
    const format = stringOpt(ctx, 'format') ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv')
      throw usageError(`--format must be jsonl or csv (got ${JSON.stringify(format)})`);
    const rows = exportObservations(ctx.openStore(), requireBatch(ctx), {
      sessions: ctx.values['no-sessions'] !== true,
    });
    emit(ctx, format === 'csv' ? formatObservationsCsv(rows) : formatObservationsJsonl(rows));
    return 0;
  },
};
