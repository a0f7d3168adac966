import { readShardState } from '../batch/shard-state';
import { CodebatchError } from '../errors/codebatch-error';
import type { FilesIndexRecord } from '../schemas/snapshot-record';
import type { ShardState } from '../schemas/state-record';
import type { BatchRunContext } from './batch-context';
import { type ChainScope, createChainScope, keepUpstreamIndex } from './chain-scope';
import { readCommittedIndex } from './committed-outputs';
import { executeTask } from './execute-task';
import { buildInputBundle } from './input-bundle';
import type { ManifestContext, ShardAttempt } from './shard-attempt';
import { createStageTimer, type ShardManifestInput } from './shard-manifest';
import type { ShardOutcome, ShardRunResult } from './shard-outcome';
import { taskEnvironment, withShardInputs } from './task-environment';
import { tryReuse } from './try-reuse';

/**
 * Runs the given tasks (in dependency order) for one shard. The tasks of a chain share the
 * shard's files, so content is read once and an upstream's outputs stay in memory for its
 * dependents. Each task goes through the three stages of seed 000:
 *   analysis     the shard's members and the upstream shards it reads;
 *   compilation  their digests -> the input-bundle hash;
 *   processing   skip (same bundle already done here), reuse (done elsewhere, verified),
 *                or execute and commit.
 */
export async function runShardChain(
  ctx: BatchRunContext,
  shardId: string,
  members: readonly FilesIndexRecord[],
  taskIds: readonly string[],
): Promise<ShardRunResult[]> {
  const scope = createChainScope(ctx, shardId, members, taskIds);
  try {
    const results: ShardRunResult[] = [];
    // Tasks of this chain that did not settle: their dependents cannot run either.
    const unsettled = new Map<string, ShardOutcome>();
    for (const taskId of taskIds) {
      const started = Date.now();
      const settled = await settleTask(ctx, scope, taskId, unsettled);
      const { outcome, outputs = 0, error, filesExecuted = 0, outputsDigest } = settled;
      const filesReused =
        outcome === 'skipped' || outcome === 'reused'
          ? members.length
          : outcome === 'executed'
            ? members.length - filesExecuted
            : 0;
      results.push({
        taskId,
        shardId,
        outcome,
        files: members.length,
        outputs,
        filesExecuted,
        filesReused,
        durationMs: Date.now() - started,
        ...(outputsDigest ? { outputsDigest } : {}),
        ...(error ? { error } : {}),
      });
      if (outcome === 'failed' || outcome === 'blocked' || outcome === 'busy' || outcome === 'deferred')
        unsettled.set(taskId, outcome);
    }
    return results;
  } finally {
    scope.close();
  }
}

interface Settled {
  outcome: ShardOutcome;
  outputs?: number;
  error?: { code: string; message: string };
  filesExecuted?: number;
  outputsDigest?: string;
}

async function settleTask(
  ctx: BatchRunContext,
  scope: ChainScope,
  taskId: string,
  unsettled: ReadonlyMap<string, ShardOutcome>,
): Promise<Settled> {
  const { shardId, members } = scope;
  const task = ctx.tasks.get(taskId)!;
  const planTask = ctx.plan.tasks.find((t) => t.task_id === taskId)!;
  const timer = createStageTimer();
  // 1. analysis: upstream shards must be done; a failed or blocked one blocks this task.
  const upstream = readUpstream(ctx, scope, taskId, planTask.depends_on, unsettled);
  if ('blocker' in upstream) return { outcome: upstream.blocker };
  timer.mark('analysis');

  // 2. compilation
  const environment = await taskEnvironment(ctx, task);
  const bundle = buildInputBundle({
    environment: withShardInputs(ctx, task, members, environment),
    taskId,
    type: task.type,
    version: task.task_version,
    configDigest: task.config_digest,
    chunking: { threshold: ctx.chunking.threshold, chunk_size: ctx.chunking.chunkSize },
    seedBase: ctx.batch.seed,
    members: members.map((m): [string, string] => [m.path, m.object]),
    upstream: upstream.digests,
  });
  timer.mark('compilation');
  const provenance: ManifestContext = { bundle, timer, upstream: upstream.refs };
  const attempt: ShardAttempt = { ctx, scope, taskId, provenance };

  // 3. processing
  const outputsFile = ctx.store.layout.outputsFile(ctx.batch.batch_id, taskId, shardId);
  const current = readShardState(ctx.store, ctx.batch.batch_id, taskId, shardId, { missingAsReady: true });
  const skipped = trySkip(ctx, scope, taskId, current, bundle.hash);
  if (skipped) return skipped;
  if (ctx.skipOnly) return { outcome: 'deferred' };
  if (!scope.lock()) return { outcome: 'busy' };
  // Someone may have committed between our read and the lock.
  const state = readShardState(ctx.store, ctx.batch.batch_id, taskId, shardId, { missingAsReady: true });
  const skippedNow = trySkip(ctx, scope, taskId, state, bundle.hash);
  if (skippedNow) return skippedNow;
  if (!ctx.force) {
    const reused = tryReuse(attempt, state, outputsFile);
    if (reused) return { outcome: 'reused', ...reused };
  }
  if (!ctx.canExecute) return { outcome: 'deferred' };
  const result = await executeTask(attempt, state, {
    def: ctx.registry.get(task.type),
    task,
    outputsFile,
    deps: planTask.depends_on,
  });
  return { outcome: result.error ? 'failed' : 'executed', ...result };
}

/** The done upstream shards this task reads, or what stops it from running now. */
function readUpstream(
  ctx: BatchRunContext,
  scope: ChainScope,
  taskId: string,
  dependsOn: readonly string[],
  unsettled: ReadonlyMap<string, ShardOutcome>,
):
  | { digests: { task_id: string; result_digest: string }[]; refs: ShardManifestInput['upstream'] }
  | { blocker: ShardOutcome } {
  const { shardId } = scope;
  const digests: { task_id: string; result_digest: string }[] = [];
  const refs: ShardManifestInput['upstream'] = [];
  for (const dep of dependsOn) {
    const inChain = unsettled.get(dep);
    if (inChain) return { blocker: inChain === 'busy' || inChain === 'deferred' ? inChain : 'blocked' };
    const depState = readShardState(ctx.store, ctx.batch.batch_id, dep, shardId, { missingAsReady: true });
    if (depState.status === 'failed') return { blocker: 'blocked' };
    if (depState.status !== 'done' || !depState.result_digest) {
      throw new CodebatchError(
        'E_DEP_NOT_DONE',
        `task ${taskId} needs ${dep} to be done for shard ${shardId} (it is ${depState.status})`,
        {
          hints: [
            `Run \`codebatch run --batch ${ctx.batch.batch_id} --task ${dep}\` first, or run the whole batch.`,
          ],
          details: { task_id: taskId, depends_on: dep, shard_id: shardId, status: depState.status },
        },
      );
    }
    digests.push({ task_id: dep, result_digest: depState.result_digest });
    refs.push({
      task_id: dep,
      shard_id: shardId,
      result_digest: depState.result_digest,
      ...(depState.manifest ? { manifest: depState.manifest } : {}),
    });
  }
  return { digests, refs };
}

/**
 * Skip: this shard is already done with this very bundle and its committed index verifies.
 * Nothing is written; later tasks of the chain read the verified index.
 */
function trySkip(
  ctx: BatchRunContext,
  scope: ChainScope,
  taskId: string,
  state: ShardState,
  bundleHash: string,
): Settled | undefined {
  if (ctx.force || state.bundle_hash !== bundleHash) return undefined;
  const committed = readCommittedIndex(
    ctx.store,
    { batch_id: ctx.batch.batch_id, task_id: taskId, shard_id: scope.shardId },
    state,
  );
  if (!committed) return undefined;
  keepUpstreamIndex(scope, taskId, committed.bytes);
  return {
    outcome: 'skipped',
    outputs: state.stats?.outputs_written ?? 0,
    outputsDigest: state.outputs_digest,
  };
}
