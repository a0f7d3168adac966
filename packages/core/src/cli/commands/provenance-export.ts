import fs from 'node:fs';
import path from 'node:path';
import { CodebatchError } from '../../errors/codebatch-error';
import { writeFileAtomic } from '../../store/atomic-write';
import { BATCH_OPTION, type CommandContext, type CommandSpec, requireBatch, stringOpt } from '../command';
import { formatJson } from '../output';
import { usageError } from './parse-int-option';

// The exporters and signers are loaded when a command runs, not at every CLI start.
const dsse = () => require('../../provenance/dsse') as typeof import('../../provenance/dsse');
const eventsExport = () =>
  require('../../provenance/events-export') as typeof import('../../provenance/events-export');
const exportModule = () =>
  require('../../provenance/export-provenance') as typeof import('../../provenance/export-provenance');
const verifyStatement = () =>
  require('../../provenance/verify-statement') as typeof import('../../provenance/verify-statement');

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
    'sign-key': {
      type: 'string',
      description: 'intoto only: sign with this ed25519 private key (PEM) into a DSSE envelope',
      valueName: 'file',
    },
  },
  run(ctx) {
    const format = stringOpt(ctx, 'format') ?? 'prov';
    if (format !== 'prov' && format !== 'intoto')
      throw usageError(`--format must be prov or intoto (got ${JSON.stringify(format)})`);
    const signKey = stringOpt(ctx, 'sign-key');
    if (signKey !== undefined && format !== 'intoto')
      throw usageError('--sign-key signs in-toto statements: add --format intoto');
    const exported = exportModule().exportProvenance(ctx.openStore(), requireBatch(ctx), format);
    const document = signKey === undefined ? exported : dsse().signStatement(exported, readKey(ctx, signKey));
    emit(ctx, `${JSON.stringify(document, null, 2)}\n`);
    return 0;
  },
};

export const provenanceVerifyCommand: CommandSpec = {
  name: 'provenance verify',
  summary: 'Check a signed in-toto envelope: its signature, and that every subject digest matches the store',
  group: 'provenance',
  since: '0.2.0',
  readOnly: true,
  requiresStore: true,
  options: {
    envelope: {
      type: 'string',
      description: 'The DSSE envelope (from provenance export --sign-key)',
      valueName: 'file',
    },
    'public-key': {
      type: 'string',
      description: 'The ed25519 public key (PEM) to check the signature with',
      valueName: 'file',
    },
  },
  run(ctx) {
    const envelopeFile = stringOpt(ctx, 'envelope');
    const keyFile = stringOpt(ctx, 'public-key');
    if (envelopeFile === undefined || keyFile === undefined)
      throw usageError('provenance verify needs --envelope FILE and --public-key FILE');
    let envelope: unknown;
    try {
      envelope = JSON.parse(fs.readFileSync(path.resolve(ctx.cwd, envelopeFile), 'utf8'));
    } catch (error) {
      throw usageError(`cannot read the envelope ${envelopeFile}: ${(error as Error).message}`);
    }
    const statement = dsse().openEnvelope(envelope, readKey(ctx, keyFile));
    const check = verifyStatement().checkStatementSubjects(ctx.openStore(), statement);
    if (check.mismatches.length > 0) {
      throw new CodebatchError(
        'E_SUBJECT_MISMATCH',
        `${check.mismatches.length} of ${check.subjects} attested subjects do not match the store`,
        {
          hints: ['The store changed since the statement was signed, or the statement is of another store.'],
          details: { issues: check.mismatches.map((m) => `${m.name}: ${m.reason}`) },
        },
      );
    }
    if (ctx.json) ctx.stdout(formatJson({ ok: true, subjects: check.subjects }));
    else ctx.stdout(`signature ok; ${check.subjects} subjects match the store\n`);
    return 0;
  },
};

function readKey(ctx: CommandContext, file: string): string {
  try {
    return fs.readFileSync(path.resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    throw usageError(`cannot read the key ${file}: ${(error as Error).message}`);
  }
}

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
    const rows = eventsExport().exportObservations(ctx.openStore(), requireBatch(ctx), {
      sessions: ctx.values['no-sessions'] !== true,
    });
    emit(
      ctx,
      format === 'csv'
        ? eventsExport().formatObservationsCsv(rows)
        : eventsExport().formatObservationsJsonl(rows),
    );
    return 0;
  },
};
