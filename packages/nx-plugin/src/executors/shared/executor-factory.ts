import { type Analyzer, analyze, createAnalyzer } from '@codebatch/core';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import {
  type CodebatchExecutorOptions,
  type ExecutorDefaults,
  resolveOptions,
  type TargetContext,
} from './options';
import { type AnalyzeFn, runTarget, shouldUseColor } from './run-target';

/** Mirrors Nx's BatchExecutorTaskResult (not exported from @nx/devkit's public entry). */
export interface BatchTaskResult {
  task: string;
  result: {
    success: boolean;
    terminalOutput: string;
    startTime?: number;
    endTime?: number;
    /** Nx 24 reads it to tell peers that never ran from failures; older versions ignore it. */
    status?: 'success' | 'failure' | 'skipped';
  };
}

function normalizeRoot(root: string | undefined): string {
  return !root || root === '' ? '.' : root.replace(/\\/g, '/').replace(/\/+$/, '');
}

/** The Nx facts a target run needs, from an executor context. */
export function targetContextFrom(
  context: ExecutorContext,
  projectName: string,
  targetName: string,
): TargetContext {
  const projects = context.projectsConfigurations?.projects ?? {};
  const project = projects[projectName];
  if (!project) throw new Error(`Project "${projectName}" is not in the workspace's project configurations.`);
  return {
    workspaceRoot: context.root,
    projectName,
    projectRoot: normalizeRoot(project.root),
    targetName,
    allProjectRoots: Object.values(projects).map((p) => normalizeRoot(p.root)),
  };
}

/**
 * Writes and waits until the stream has taken all of it. Nx ends the task's process soon after
 * the executor returns; a large report still queued on a pipe or pseudo-terminal would be cut
 * off (seen at about 200 KB), and the cut output is what Nx caches and replays.
 */
export function writeFully(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve, reject) => {
    stream.write(text, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/**
 * An Nx executor over `runTarget`: prints the report and returns pass/fail (Nx turns a
 * failure into a non-zero exit, and caches the printed output for replay on a cache hit).
 */
export function createExecutor(defaults: ExecutorDefaults, engine: AnalyzeFn = analyze) {
  return async function codebatchExecutor(
    options: CodebatchExecutorOptions,
    context: ExecutorContext,
  ): Promise<{ success: boolean }> {
    if (!context.projectName || !context.targetName) {
      throw new Error('The codebatch executors run on a project target (nx run <project>:<target>).');
    }
    const target = targetContextFrom(context, context.projectName, context.targetName);
    const out = await runTarget(resolveOptions(options, defaults, target), target, engine, shouldUseColor());
    await writeFully(process.stdout, out.stdout);
    await writeFully(process.stderr, out.stderr);
    return { success: out.success };
  };
}

/**
 * Ids of the tasks `taskId` depends on. Nx 21-23 list ids; Nx 24 lists edges `{ id }`.
 */
export function dependencyIds(taskGraph: TaskGraph, taskId: string): string[] {
  const edges = (taskGraph.dependencies[taskId] ?? []) as readonly (string | { id: string })[];
  return edges.map((e) => (typeof e === 'string' ? e : e.id));
}

/** Batch tasks in dependency order (codebatch-parse before codebatch-lint), ties by task id. */
export function orderBatchTasks(taskGraph: TaskGraph): string[] {
  const ids = Object.keys(taskGraph.tasks).sort();
  const inBatch = new Set(ids);
  const pending = new Map(ids.map((id) => [id, dependencyIds(taskGraph, id).filter((d) => inBatch.has(d))]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending.keys()].filter((id) => pending.get(id)!.every((d) => !pending.has(d)));
    // A cycle cannot come from Nx; if one did, run the rest in id order rather than hang.
    const next = ready.length > 0 ? ready : [...pending.keys()];
    for (const id of next) {
      order.push(id);
      pending.delete(id);
    }
  }
  return order;
}

/** The engine a batch runs its tasks with, and releases when the batch ends. */
export type OpenEngine = () => Pick<Analyzer, 'analyze' | 'close'>;

/**
 * A batch (Nx 24 by default, via preferBatch; older Nx with `--batch`): every codebatch task
 * of the batch runs in this one process, one after another (the engine parallelises within a
 * run, and they share one store; two runs at once were measured at 1.8x slower cold on two
 * cores), streaming each result as it completes. Output is returned as each task's terminalOutput, which Nx
 * prints and caches per task, so nothing is printed here. A task whose dependency in the
 * batch failed is skipped. One analyzer serves every task, so its worker threads start and
 * load the task code once per batch rather than once per project.
 */
export function createBatchImplementation(
  defaults: ExecutorDefaults,
  openEngine: OpenEngine = createAnalyzer,
) {
  return async function* codebatchBatch(
    taskGraph: TaskGraph,
    inputs: Record<string, CodebatchExecutorOptions>,
    _overrides: CodebatchExecutorOptions,
    context: ExecutorContext,
  ): AsyncGenerator<BatchTaskResult> {
    const engine = openEngine();
    try {
      yield* runBatchTasks(taskGraph, inputs, context, defaults, engine.analyze);
    } finally {
      // Also when Nx stops consuming the results early: no worker may outlive the batch.
      await engine.close();
    }
  };
}

async function* runBatchTasks(
  taskGraph: TaskGraph,
  inputs: Record<string, CodebatchExecutorOptions>,
  context: ExecutorContext,
  defaults: ExecutorDefaults,
  engine: AnalyzeFn,
): AsyncGenerator<BatchTaskResult> {
  const notPassed = new Set<string>();
  const color = shouldUseColor();
  for (const taskId of orderBatchTasks(taskGraph)) {
    const task = taskGraph.tasks[taskId]!;
    const startTime = Date.now();
    const blockedBy = dependencyIds(taskGraph, taskId).filter((d) => notPassed.has(d));
    if (blockedBy.length > 0) {
      notPassed.add(taskId);
      yield {
        task: taskId,
        result: {
          success: false,
          status: 'skipped',
          terminalOutput: `skipped: ${blockedBy.join(', ')} did not pass\n`,
          startTime,
          endTime: startTime,
        },
      };
      continue;
    }
    let success = false;
    let terminalOutput: string;
    try {
      const target = targetContextFrom(context, task.target.project, task.target.target);
      const out = await runTarget(
        resolveOptions(inputs[taskId] ?? {}, defaults, target),
        target,
        engine,
        color,
      );
      success = out.success;
      terminalOutput = out.stdout + out.stderr;
    } catch (error) {
      // One project's defect must not take down the others in the batch.
      terminalOutput = `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    }
    if (!success) notPassed.add(taskId);
    yield {
      task: taskId,
      result: {
        success,
        status: success ? 'success' : 'failure',
        terminalOutput,
        startTime,
        endTime: Date.now(),
      },
    };
  }
}
