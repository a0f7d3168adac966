import { buildBatchManifest, loadShardManifest, readBatchManifestRef } from '../../provenance/run-manifest';
import { escapeText } from '../../report/escape-text';
import { readManifestPreimage } from '../../run/shard-manifest';
import { BATCH_OPTION, type CommandContext, type CommandSpec, requireBatch, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';
import { usageError } from './parse-int-option';

function need(ctx: CommandContext, name: string, hint?: string): string {
  const v = stringOpt(ctx, name);
  if (!v) throw usageError(`this command needs --${name} <id>`, hint);
  return v;
}

const short = (v?: string) => (v ? v.replace(/^sha256:/, '').slice(0, 12) : '-');

export const manifestShowCommand: CommandSpec = {
  name: 'manifest show',
  aliases: ['manifest'],
  summary: 'Run manifest of a shard run (--task T --shard S) or of the batch (its shard runs, linked)',
  group: 'provenance',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: { type: 'string', description: 'Task id', valueName: 'id' },
    shard: {
      type: 'string',
      description: "Shard id (with --task: that shard run's manifest)",
      valueName: 'id',
    },
  },
  run(ctx) {
    const store = ctx.openStore();
    const batchId = requireBatch(ctx);
    const taskId = stringOpt(ctx, 'task');
    const shardId = stringOpt(ctx, 'shard');
    if (shardId && !taskId) throw usageError('--shard needs --task <id>');
    if (taskId && shardId) {
      const { manifest, ref } = loadShardManifest(store, batchId, taskId, shardId);
      if (ctx.json) {
        // The stored manifest names its file list by object (input_bundle.members_object): the
        // list itself is given beside it, as `files`.
        const files =
          manifest.inputs.files ??
          readManifestPreimage(store, manifest).members.map(([path, object]) => ({ path, object }));
        ctx.stdout(formatJson({ ref: ref ?? null, manifest, files }));
        return 0;
      }
      const m = manifest;
      ctx.stdout(
        `shard run ${batchId}/${taskId}/${shardId}${ref ? ` manifest ${ref}` : ' (derived from state.json: no recorded manifest)'}\n`,
      );
      ctx.stdout(
        `  outcome      ${m.run.outcome} (attempt ${m.run.attempt})${m.run.reused_from ? ` reused from ${m.run.reused_from.batch_id}/${m.run.reused_from.shard_id}` : ''}\n`,
      );
      ctx.stdout(`  time         ${m.run.started_at} .. ${m.run.completed_at}\n`);
      ctx.stdout(`  task         ${m.task.type}@${m.task.version} config ${short(m.task.config_digest)}\n`);
      ctx.stdout(`  bundle       ${m.input_bundle.hash}\n`);
      ctx.stdout(
        `  inputs       ${m.inputs.files?.length ?? readManifestPreimage(store, m).members.length} files; upstream ${m.inputs.upstream.map((u) => `${u.task_id}=${short(u.result_digest)}`).join(', ') || '-'}\n`,
      );
      ctx.stdout(
        `  outputs      ${
          m.outputs
            ? `${m.outputs.count} records ${Object.entries(m.outputs.by_kind)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')} digest ${short(m.outputs.outputs_digest)}`
            : '-'
        }\n`,
      );
      ctx.stdout(
        `  versions     engine ${m.versions.engine}, node ${m.versions.node}, task ${m.versions.task}\n`,
      );
      ctx.stdout(
        `  timings ms   analysis ${m.timings_ms.analysis}, compilation ${m.timings_ms.compilation}, processing ${m.timings_ms.processing}\n`,
      );
      ctx.stdout(`  memo         ${m.memo.files_executed} files executed, ${m.memo.files_reused} reused\n`);
      ctx.stdout(
        `  verification outputs ${m.verification.outputs_rehash}${m.verification.records_validated ? `, records ${m.verification.records_validated.checked} checked / ${m.verification.records_validated.invalid} invalid` : ''}\n`,
      );
      if (m.error) ctx.stdout(`  error        ${m.error.code}: ${escapeText(m.error.message)}\n`);
      return 0;
    }
    const manifest = buildBatchManifest(store, batchId);
    const ref = readBatchManifestRef(store, batchId);
    const runs = taskId ? manifest.shard_runs.filter((r) => r.task_id === taskId) : manifest.shard_runs;
    if (ctx.json) {
      ctx.stdout(formatJson({ ref: ref ?? null, manifest: { ...manifest, shard_runs: runs } }));
      return 0;
    }
    ctx.stdout(
      `batch ${batchId}: ${runs.length} shard runs${ref ? `; last written batch manifest ${ref}` : ''}\n`,
    );
    ctx.stdout(
      formatTable(
        ['task', 'shard', 'status', 'attempt', 'reused', 'manifest', 'bundle'],
        runs.map((r) => [
          r.task_id,
          r.shard_id,
          r.status,
          r.attempt,
          r.reused ? 'yes' : '-',
          short(r.manifest),
          short(r.bundle_hash),
        ]),
      ),
    );
    return 0;
  },
};

export const explainMissCommand: CommandSpec = {
  name: 'explain-miss',
  summary:
    "Which labelled part of a shard run's input bundle changed against an earlier batch (files, config, upstream, versions)",
  group: 'provenance',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    batch: BATCH_OPTION,
    task: { type: 'string', description: 'Task id', valueName: 'id' },
    shard: { type: 'string', description: 'Shard id', valueName: 'id' },
    file: {
      type: 'string',
      description:
        'Explain one file instead of a shard: its content, or which file its types depend on changed',
      valueName: 'path',
    },
    against: {
      type: 'string',
      description: 'Batch to compare with (default: the latest earlier batch with the task)',
      valueName: 'id',
    },
  },
  run(ctx) {
    const store = ctx.openStore();
    const file = stringOpt(ctx, 'file');
    if (file !== undefined) return explainFile(ctx, file);
    // The explainers are loaded here, not at CLI start: every command would pay for them.
    const { explainShardMiss } =
      require('../../provenance/explain-shard-miss') as typeof import('../../provenance/explain-shard-miss');
    const { formatBundleChange } =
      require('../../provenance/explain-miss') as typeof import('../../provenance/explain-miss');
    const r = explainShardMiss(store, {
      batchId: requireBatch(ctx),
      taskId: need(ctx, 'task', 'List tasks with `codebatch tasks --batch <id>`.'),
      shardId: need(ctx, 'shard', 'List shards with `codebatch shards --batch <id> --task <id>`.'),
      against: stringOpt(ctx, 'against'),
    });
    if (ctx.json) {
      ctx.stdout(formatJson(r));
      return 0;
    }
    ctx.stdout(
      `${r.task_id}/${r.shard_id}: ${r.batch_id} bundle ${short(r.current.bundle_hash)} (${r.current.source}) vs ${r.against.batch_id} bundle ${short(r.against.bundle_hash)} (${r.against.source})\n`,
    );
    if (r.same) ctx.stdout('identical input bundles: no miss (the run was skipped or reused)\n');
    else {
      ctx.stdout(`changed: ${r.parts.join(', ')}\n`);
      // Member changes name files: escaped like every path we print.
      for (const c of r.changes) ctx.stdout(`  ${escapeText(formatBundleChange(c))}\n`);
    }
    return 0;
  },
};

function explainFile(ctx: CommandContext, file: string): number {
  const { explainFileMiss } =
    require('../../provenance/explain-file-miss') as typeof import('../../provenance/explain-file-miss');
  const r = explainFileMiss(ctx.openStore(), {
    batchId: requireBatch(ctx),
    taskId: need(ctx, 'task', 'List tasks with `codebatch tasks --batch <id>`.'),
    path: file,
    against: stringOpt(ctx, 'against'),
  });
  if (ctx.json) {
    ctx.stdout(formatJson(r));
    return 0;
  }
  ctx.stdout(`${r.task_id} ${escapeText(r.path)}: ${r.batch_id} vs ${r.against}\n`);
  if (r.content)
    ctx.stdout(`  content: ${short(r.content.from ?? 'absent')} -> ${short(r.content.to ?? 'absent')}\n`);
  else ctx.stdout('  content: unchanged\n');
  if (r.dependencies.length === 0) ctx.stdout('  type dependencies: unchanged\n');
  for (const d of r.dependencies) {
    const detail = d.change === 'changed' ? ` ${short(d.from!)} -> ${short(d.to!)}` : '';
    ctx.stdout(`  type dependency ${d.change}: ${escapeText(d.path)}${detail}\n`);
  }
  return 0;
}
