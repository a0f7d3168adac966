import { readTaskRecord } from '../../batch/read-batch';
import { readShardState } from '../../batch/shard-state';
import { deriveBatchStatus } from '../../batch/status';
import { countOutputs } from '../../query/count-outputs';
import { BATCH_OPTION, type CommandSpec, requireBatch, stringOpt } from '../command';
import { formatJson, formatTable } from '../output';

const batchOption = { batch: BATCH_OPTION };

export const statusCommand: CommandSpec = {
  name: 'status',
  summary: 'Batch and task status derived from shard states (done, partial, failed, blocked, ...)',
  group: 'batch',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption,
  run(ctx) {
    const report = deriveBatchStatus(ctx.openStore(), requireBatch(ctx));
    if (ctx.json) ctx.stdout(formatJson(report));
    else {
      ctx.stdout(`batch ${report.batch_id}: ${report.status}\n`);
      ctx.stdout(
        formatTable(
          [
            'task',
            'status',
            'shards',
            'done',
            'reused',
            'running',
            'interrupted',
            'failed',
            'ready',
            'outputs',
          ],
          report.tasks.map((t) => [
            t.task_id,
            t.status,
            t.shards.total,
            t.shards.done,
            t.shards.reused,
            t.shards.running,
            t.shards.interrupted,
            t.shards.failed,
            t.shards.ready,
            t.outputs,
          ]),
        ),
      );
    }
    return report.status === 'failed' || report.status === 'blocked' ? 1 : 0;
  },
};

export const tasksCommand: CommandSpec = {
  name: 'tasks',
  summary: 'List the tasks of a batch with type, version, dependencies and status',
  group: 'batch',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption,
  run(ctx) {
    const store = ctx.openStore();
    const report = deriveBatchStatus(store, requireBatch(ctx));
    const rows = report.tasks.map((t) => {
      const record = readTaskRecord(store, report.batch_id, t.task_id);
      return {
        task_id: t.task_id,
        type: t.type,
        task_version: record.task_version,
        depends_on: t.depends_on,
        status: t.status,
        config_digest: record.config_digest,
        config: record.config,
      };
    });
    if (ctx.json) ctx.stdout(formatJson(rows));
    else
      ctx.stdout(
        formatTable(
          ['task', 'type', 'version', 'depends on', 'status'],
          rows.map((r) => [r.task_id, r.type, r.task_version, r.depends_on.join(', ') || '-', r.status]),
        ),
      );
    return 0;
  },
};

export const shardsCommand: CommandSpec = {
  name: 'shards',
  summary: 'List the shards of a task with state, attempt, outputs and bundle hash',
  group: 'batch',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: {
    ...batchOption,
    task: { type: 'string', description: 'Task id (default: the first task)', valueName: 'id' },
  },
  run(ctx) {
    const store = ctx.openStore();
    const batchId = requireBatch(ctx);
    const report = deriveBatchStatus(store, batchId);
    const taskId = stringOpt(ctx, 'task') ?? report.tasks[0]?.task_id;
    if (!taskId) return 0;
    const task = readTaskRecord(store, batchId, taskId);
    const states = task.sharding.shard_ids.map((s) => readShardState(store, batchId, taskId, s));
    if (ctx.json) ctx.stdout(formatJson(states));
    else {
      ctx.stdout(
        formatTable(
          ['shard', 'status', 'attempt', 'files', 'outputs', 'reused from', 'bundle'],
          states.map((s) => [
            s.shard_id,
            s.status,
            s.attempt,
            s.stats?.files_processed ?? 0,
            s.stats?.outputs_written ?? 0,
            s.reused_from?.batch_id ?? '-',
            s.bundle_hash?.slice(0, 12) ?? '-',
          ]),
        ),
      );
    }
    return 0;
  },
};

export const summaryCommand: CommandSpec = {
  name: 'summary',
  summary: 'Status plus output counts by kind and diagnostics by severity (diagnostics counted right)',
  group: 'query',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption,
  run(ctx) {
    const store = ctx.openStore();
    const batchId = requireBatch(ctx);
    const status = deriveBatchStatus(store, batchId);
    const counts = countOutputs(store, batchId);
    const shards = status.tasks.reduce(
      (a, t) => ({
        total: a.total + t.shards.total,
        done: a.done + t.shards.done,
        reused: a.reused + t.shards.reused,
        failed: a.failed + t.shards.failed,
      }),
      { total: 0, done: 0, reused: 0, failed: 0 },
    );
    if (ctx.json)
      ctx.stdout(
        formatJson({
          batch_id: batchId,
          status: status.status,
          shards,
          outputs: counts,
          tasks: status.tasks,
        }),
      );
    else {
      ctx.stdout(
        `batch ${batchId}: ${status.status}; shard runs ${shards.done}/${shards.total} done (${shards.done - shards.reused} executed, ${shards.reused} reused), ${shards.failed} failed\n`,
      );
      ctx.stdout(
        `outputs: ${counts.total} (${Object.entries(counts.by_kind)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})\n`,
      );
      const s = counts.by_severity as unknown as Record<string, number>;
      ctx.stdout(
        `diagnostics: ${counts.diagnostics} (${Object.entries(s)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})\n`,
      );
    }
    return 0;
  },
};
