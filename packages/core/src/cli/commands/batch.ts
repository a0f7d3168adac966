import { initBatch } from '../../batch/init-batch';
import { listBatches, readBatchRecord, readPlan } from '../../batch/read-batch';
import { deriveBatchStatus } from '../../batch/status';
import { loadConfigFile } from '../../config/load-config';
import { PIPELINE_NAMES } from '../../tasks/catalog';
import { createDefaultRegistry } from '../../tasks/default-registry';
import { type CommandSpec, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';
import { parseIntOption, usageError } from './parse-int-option';

export const batchInitCommand: CommandSpec = {
  name: 'batch init',
  aliases: ['batch-init'],
  summary: 'Plan a batch over a snapshot: batch.json, plan.json, task.json and shard states',
  group: 'batch',
  since: '0.1.0',
  readOnly: false,
  requiresStore: true,
  options: {
    snapshot: { type: 'string', description: 'Snapshot id', valueName: 'id' },
    pipeline: { type: 'string', description: PIPELINE_NAMES.join(' | '), default: 'full' },
    shards: {
      type: 'string',
      description: 'Number of shards, 1-256 (default 256, or the config file)',
      valueName: 'n',
    },
    id: { type: 'string', description: 'Batch id (default: generated, time-ordered)' },
    config: { type: 'string', description: 'codebatch config file (JSON)', valueName: 'file' },
  },
  run(ctx) {
    const store = ctx.openStore();
    const snapshotId = stringOpt(ctx, 'snapshot');
    if (!snapshotId)
      throw usageError('batch init needs --snapshot <id>', 'List snapshots with `codebatch snapshot list`.');
    const configPath = stringOpt(ctx, 'config');
    const config = configPath ? loadConfigFile(configPath) : undefined;
    const shards = stringOpt(ctx, 'shards');
    const result = initBatch(store, {
      snapshotId,
      pipeline: stringOpt(ctx, 'pipeline') ?? config?.pipeline ?? 'full',
      shards: shards === undefined ? undefined : parseIntOption('shards', shards),
      id: stringOpt(ctx, 'id'),
      config,
      registry: createDefaultRegistry(),
    });
    if (ctx.json)
      ctx.stdout(formatJson({ batch: result.batch, plan: result.plan, shards: result.shardIds.length }));
    else if (ctx.quiet) ctx.stdout(`${result.batch.batch_id}\n`);
    else {
      ctx.stdout(
        `Created batch ${result.batch.batch_id} (pipeline ${result.batch.pipeline}, ${result.tasks.length} tasks, ${result.shardIds.length} shards with files)\n`,
      );
    }
    return 0;
  },
};

export const batchListCommand: CommandSpec = {
  name: 'batch list',
  aliases: ['batch-list'],
  summary: 'List batches, oldest first, with their derived status',
  group: 'batch',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  run(ctx) {
    const store = ctx.openStore();
    const rows = listBatches(store).map((b) => ({
      ...b,
      status: deriveBatchStatus(store, b.batch_id).status,
    }));
    if (ctx.json) ctx.stdout(formatJson(rows));
    else
      ctx.stdout(
        formatTable(
          ['batch', 'snapshot', 'pipeline', 'status', 'created'],
          rows.map((b) => [b.batch_id, b.snapshot_id, b.pipeline, b.status, b.created_at]),
        ),
      );
    return 0;
  },
};

export const batchShowCommand: CommandSpec = {
  name: 'batch show',
  aliases: ['batch-show'],
  summary: 'Show a batch record and its plan',
  group: 'batch',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  positionals: [{ name: 'batch', description: 'Batch id', required: true }],
  run(ctx) {
    const store = ctx.openStore();
    const batch = readBatchRecord(store, ctx.positionals[0]!);
    const plan = readPlan(store, batch.batch_id);
    if (ctx.json) ctx.stdout(formatJson({ batch, plan }));
    else {
      ctx.stdout(
        `batch ${batch.batch_id}\nsnapshot ${batch.snapshot_id}\npipeline ${batch.pipeline}\ncreated ${batch.created_at}\nshards ${batch.shard_count ?? '?'}\n\n`,
      );
      ctx.stdout(
        formatTable(
          ['task', 'type', 'depends on'],
          plan.tasks.map((t) => [t.task_id, t.type, t.depends_on.join(', ') || '-']),
        ),
      );
    }
    return 0;
  },
};
