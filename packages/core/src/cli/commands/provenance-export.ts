import path from 'node:path';
import {
  exportObservations,
  formatObservationsCsv,
  formatObservationsJsonl,
} from '../../provenance/events-export';
import { exportProvenance } from '../../provenance/export-provenance';
import { writeFileAtomic } from '../../store/atomic-write';
import { type CommandContext, type CommandSpec, stringOpt } from '../command';
import { usageError } from './parse-int-option';

function emit(ctx: CommandContext, text: string): void {
  const out = stringOpt(ctx, 'out');
  if (out) writeFileAtomic(path.resolve(ctx.cwd, out), text);
  else ctx.stdout(text);
}

function needBatch(ctx: CommandContext): string {
  const b = stringOpt(ctx, 'batch');
  if (!b) throw usageError('this command needs --batch <id>', 'List batches with `codebatch batch list`.');
  return b;
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
    batch: { type: 'string', description: 'Batch id', valueName: 'id' },
    format: { type: 'string', description: 'prov | intoto', valueName: 'format', default: 'prov' },
    out: { type: 'string', description: 'Write to this file instead of stdout', valueName: 'file' },
  },
  run(ctx) {
    const format = stringOpt(ctx, 'format') ?? 'prov';
    if (format !== 'prov' && format !== 'intoto')
      throw usageError(`--format must be prov or intoto (got ${JSON.stringify(format)})`);
    emit(ctx, `${JSON.stringify(exportProvenance(ctx.openStore(), needBatch(ctx), format), null, 2)}\n`);
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
    batch: { type: 'string', description: 'Batch id', valueName: 'id' },
    format: { type: 'string', description: 'jsonl | csv', valueName: 'format', default: 'jsonl' },
    out: { type: 'string', description: 'Write to this file instead of stdout', valueName: 'file' },
    'no-sessions': { type: 'boolean', description: 'Leave out provenance session actions' },
  },
  run(ctx) {
    const format = stringOpt(ctx, 'format') ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv')
      throw usageError(`--format must be jsonl or csv (got ${JSON.stringify(format)})`);
    const rows = exportObservations(ctx.openStore(), needBatch(ctx), {
      sessions: ctx.values['no-sessions'] !== true,
    });
    emit(ctx, format === 'csv' ? formatObservationsCsv(rows) : formatObservationsJsonl(rows));
    return 0;
  },
};
