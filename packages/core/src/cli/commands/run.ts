import { defaultParallelism } from '../../api/analyze';
import { runBatchWithProvenance } from '../../provenance/run-with-provenance';
import { escapeText } from '../../report/escape-text';
import type { ReplicateReport } from '../../run/replicate-check';
import type { RunBatchOptions, RunBatchSummary } from '../../run/run-batch';
import { createDefaultRegistry } from '../../tasks/default-registry';
import {
  BATCH_OPTION,
  boolOpt,
  type CommandContext,
  type CommandSpec,
  listOpt,
  requireBatch,
  stringOpt,
} from '../command';
import { formatJson } from '../output';
import { createShardProgress } from '../progress';
import { parseIntOption, usageError } from './parse-int-option';

async function runAndReport(
  ctx: CommandContext,
  options: { taskIds?: string[]; shardIds?: string[]; force: boolean },
): Promise<number> {
  const parallelOpt = stringOpt(ctx, 'parallel');
  const parallel =
    parallelOpt === undefined ? defaultParallelism() : parseIntOption('parallel', parallelOpt, 1, 64);
  const retriesOpt = stringOpt(ctx, 'retries');
  const retries = retriesOpt === undefined ? undefined : parseIntOption('retries', retriesOpt, 0, 10);
  const maxShardsOpt = stringOpt(ctx, 'max-shards');
  const replicatesOpt = stringOpt(ctx, 'replicates');
  const replicates = replicatesOpt === undefined ? 1 : parseIntOption('replicates', replicatesOpt, 1, 20);
  const store = ctx.openStore();
  const progress = createShardProgress(ctx.isTty && !ctx.json && !ctx.quiet, ctx.stderr);
  const base: RunBatchOptions = {
    batchId: requireBatch(ctx),
    taskIds: options.taskIds,
    shardIds: options.shardIds,
    force: options.force,
    registry: createDefaultRegistry(),
    onShard: progress.onShard,
    parallel,
    useDefaultRegistryInWorkers: true,
    maxShards: maxShardsOpt === undefined ? undefined : parseIntOption('max-shards', maxShardsOpt, 1, 256),
    failFast: boolOpt(ctx, 'fail-fast'),
  };
  const provenance = {
    enabled: !boolOpt(ctx, 'no-provenance'),
    retries,
    replicates,
    live: ctx.json || ctx.quiet ? undefined : progress.log,
  };
  let summary: RunBatchSummary;
  let replicateReport: ReplicateReport | undefined;
  const cpuBefore = process.cpuUsage();
  try {
    // The replicate passes run inside the same session, which records their report.
    const result = await runBatchWithProvenance(store, base, provenance);
    summary = result;
    replicateReport = result.replicateReport;
  } finally {
    progress.end();
  }
  const deterministic = !replicateReport || replicateReport.mismatches.length === 0;
  if (!deterministic) {
    for (const m of replicateReport!.mismatches) {
      ctx.stderr(
        `nondeterministic  ${m.task_id} shard ${m.shard_id}: ${new Set(m.digests).size} different results in ${replicates} runs\n`,
      );
    }
  }
  const ok =
    deterministic && summary.counts.failed === 0 && summary.counts.blocked === 0 && summary.counts.busy === 0;
  if (ctx.json) {
    ctx.stdout(
      formatJson({
        batch_id: summary.batchId,
        ok,
        counts: summary.counts,
        duration_ms: summary.durationMs,
        // All threads of this process (workers included), user + system: with duration_ms it
        // shows how many cores a run kept busy.
        cpu_ms: Math.round(cpuMs(process.cpuUsage(cpuBefore))),
        status: summary.status,
        failures: summary.results.filter((r) => r.outcome === 'failed'),
        ...(replicateReport ? { replicates: replicateReport } : {}),
      }),
    );
  } else {
    for (const r of summary.results) {
      if (r.outcome === 'failed')
        ctx.stderr(
          `failed  ${r.taskId} shard ${r.shardId}: ${r.error?.code}: ${escapeText(r.error?.message ?? '')}\n`,
        );
    }
    const c = summary.counts;
    const blocked = c.blocked > 0 ? `, ${c.blocked} blocked by a failed dependency` : '';
    const busy = c.busy > 0 ? `, ${c.busy} still held by another process` : '';
    if (!ctx.quiet || !ok) {
      ctx.stdout(
        `${ok ? 'done' : 'FAILED'}: batch ${summary.batchId}: ${summary.results.length} shard runs: ${c.executed} executed, ${c.skipped} skipped (already done), ${c.reused} reused (identical input bundle), ${c.failed} failed${blocked}${busy} in ${(summary.durationMs / 1000).toFixed(2)}s\n`,
      );
    }
  }
  return ok ? 0 : 1;
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

const batchOption = {
  batch: BATCH_OPTION,
  parallel: {
    type: 'string' as const,
    description: 'Worker threads (default: number of cores)',
    valueName: 'n',
  },
  'no-provenance': {
    type: 'boolean' as const,
    description: 'Skip run manifests, the session record and the verify step',
  },
  'max-shards': {
    type: 'string' as const,
    description: 'Run budget: at most N shards with work left in this invocation',
    valueName: 'n',
  },
  'fail-fast': { type: 'boolean' as const, description: 'Stop taking new shards after the first failure' },
  replicates: {
    type: 'string' as const,
    description: 'Determinism check: execute every shard N times (forced) and fail if any result differs',
    valueName: 'n',
  },
  retries: {
    type: 'string' as const,
    description: 'Retries per shard after a failed verification or a transient failure (default 2)',
    valueName: 'n',
  },
};

export const runCommand: CommandSpec = {
  name: 'run',
  aliases: ['run-task'],
  summary: 'Run a batch (or --task T) shard by shard; done shards with an identical input bundle are skipped',
  group: 'run',
  since: '0.1.0',
  readOnly: false,
  requiresStore: true,
  requiresBatch: true,
  options: {
    ...batchOption,
    task: {
      type: 'string',
      multiple: true,
      description: 'Run only this task (its dependencies must be done)',
      valueName: 'id',
    },
    force: { type: 'boolean', description: 'Re-execute even when an identical input bundle is already done' },
  },
  run: (ctx) => runAndReport(ctx, { taskIds: listOpt(ctx, 'task'), force: boolOpt(ctx, 'force') }),
};

export const runShardCommand: CommandSpec = {
  name: 'run-shard',
  summary: 'Run one shard of one task',
  group: 'run',
  since: '0.1.0',
  readOnly: false,
  requiresStore: true,
  requiresBatch: true,
  options: {
    ...batchOption,
    task: { type: 'string', description: 'Task id', valueName: 'id' },
    shard: { type: 'string', description: 'Shard id (two hex digits)', valueName: 'id' },
    force: { type: 'boolean', description: 'Re-execute even when an identical input bundle is already done' },
  },
  run(ctx) {
    const task = stringOpt(ctx, 'task');
    const shard = stringOpt(ctx, 'shard');
    if (!task || !shard) throw usageError('run-shard needs --task <id> and --shard <id>');
    return runAndReport(ctx, { taskIds: [task], shardIds: [shard], force: boolOpt(ctx, 'force') });
  },
};

export const resumeCommand: CommandSpec = {
  name: 'resume',
  summary:
    'Finish a batch after a crash or failure: interrupted and failed shards run again, done ones are kept',
  group: 'run',
  since: '0.1.0',
  readOnly: false,
  requiresStore: true,
  requiresBatch: true,
  options: batchOption,
  run: (ctx) => runAndReport(ctx, { force: false }),
};
