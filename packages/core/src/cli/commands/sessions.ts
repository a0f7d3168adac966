import { listSessions, readSession } from '../../provenance/session';
import { escapeText } from '../../report/escape-text';
import { type CommandSpec, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';
import { usageError } from './parse-int-option';

export const sessionsListCommand: CommandSpec = {
  name: 'sessions list',
  aliases: ['sessions'],
  summary: 'Provenance sessions (one per run invocation), newest first',
  group: 'provenance',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  options: { batch: { type: 'string', description: 'Only sessions that ran this batch', valueName: 'id' } },
  run(ctx) {
    const sessions = listSessions(ctx.openStore(), { batchId: stringOpt(ctx, 'batch') });
    const rows = sessions.map((s) => ({
      session_id: s.session_id,
      label: s.label,
      batch_id: s.batch_id ?? null,
      started_at: s.started_at,
      ended_at: s.ended_at ?? null,
      status: s.status,
      counts: s.counts,
      actions: s.actions.length,
    }));
    if (ctx.json) ctx.stdout(formatJson(rows));
    else {
      ctx.stdout(
        formatTable(
          ['session', 'batch', 'started', 'status', 'actions', 'verified', 'skipped', 'retry', 'failed'],
          rows.map((r) => [
            r.session_id,
            r.batch_id ?? '-',
            r.started_at,
            r.status,
            r.actions,
            r.counts.verified ?? 0,
            r.counts.skipped ?? 0,
            r.counts.retry ?? 0,
            r.counts.failed ?? 0,
          ]),
        ),
      );
    }
    return 0;
  },
};

export const sessionsShowCommand: CommandSpec = {
  name: 'sessions show',
  aliases: ['session'],
  summary: 'One provenance session with its actions (id or unique prefix)',
  group: 'provenance',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  positionals: [{ name: 'id', description: 'Session id or a unique prefix', required: true }],
  run(ctx) {
    const id = ctx.positionals[0];
    if (!id) throw usageError('sessions show needs <id>', 'List sessions with `codebatch sessions list`.');
    const s = readSession(ctx.openStore(), id);
    if (ctx.json) {
      ctx.stdout(formatJson(s));
      return 0;
    }
    const env = s.environment as
      | { host?: string; node_version?: string; git?: { commit?: string; dirty?: boolean } }
      | undefined;
    ctx.stdout(`session ${s.session_id} (${escapeText(s.label)}) batch ${s.batch_id ?? '-'}: ${s.status}\n`);
    ctx.stdout(
      `  ${s.started_at} .. ${s.ended_at ?? '(not finished)'}${s.duration_ms !== undefined ? ` (${s.duration_ms} ms)` : ''}\n`,
    );
    if (env)
      ctx.stdout(
        `  host ${escapeText(env.host ?? '?')}, node ${env.node_version ?? '?'}${env.git?.commit ? `, git ${env.git.commit.slice(0, 12)}${env.git.dirty ? ' (dirty)' : ''}` : ''}\n`,
      );
    if (s.batch_manifest) ctx.stdout(`  batch manifest ${s.batch_manifest}\n`);
    ctx.stdout(
      formatTable(
        ['seq', 'action', 'task', 'shard', 'attempt', 'outcome', 'detail'],
        s.actions.map((a) => [
          a.seq,
          a.type,
          a.task_id ?? '-',
          a.shard_id ?? '-',
          a.attempt,
          a.outcome,
          a.note ?? a.diff ?? '',
        ]),
      ),
    );
    return 0;
  },
};
