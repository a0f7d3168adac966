import {
  PIPELINE_CATALOG,
  PIPELINE_NAMES,
  type PipelineName,
  TASK_CATALOG,
  TASK_TYPES,
  type TaskType,
} from '@codebatch/core';

/**
 * Everything here is derived from core's TASK_CATALOG and PIPELINE_CATALOG, so a new task type
 * is one entry in core: it becomes a plugin option value, a target name, an executor `task`.
 */

/** The engine's task types, each of which can be exposed as its own Nx target. */
export const CODEBATCH_TASKS: readonly TaskType[] = TASK_TYPES;
export type CodebatchTaskName = TaskType;

/** The ESLint task's type and engine id (its inputs and its `eslint` setting are special). */
export const ESLINT_TASK = 'eslint' satisfies TaskType;
export const ESLINT_TASK_ID: string = TASK_CATALOG[ESLINT_TASK].taskId;

/** One value per task type, in catalog order. */
function byTask<V>(value: (task: TaskType) => V): Record<TaskType, V> {
  return Object.fromEntries(TASK_TYPES.map((t) => [t, value(t)])) as Record<TaskType, V>;
}

/** The task and what it reads, transitively, in catalog order. */
function withDependencies(task: TaskType): TaskType[] {
  const seen = new Set<TaskType>();
  const visit = (t: TaskType) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const d of TASK_CATALOG[t].dependsOn as readonly TaskType[]) visit(d);
  };
  visit(task);
  return TASK_TYPES.filter((t) => seen.has(t));
}

/**
 * The engine runs pipelines, not single tasks: a task runs the smallest pipeline that plans it
 * unconditionally (its shards of shared tasks are memo hits when, say, codebatch-parse ran
 * first). There is no parse+symbols pipeline, so `symbols` runs `full` (a superset).
 */
function pipelineFor(task: TaskType): PipelineName {
  const candidates = PIPELINE_NAMES.filter((p) =>
    (PIPELINE_CATALOG[p].tasks as readonly TaskType[]).includes(task),
  ).sort((a, b) => PIPELINE_CATALOG[a].tasks.length - PIPELINE_CATALOG[b].tasks.length);
  const pipeline = candidates[0];
  if (!pipeline) throw new Error(`@codebatch/core plans task "${task}" in no pipeline`);
  return pipeline;
}

/**
 * Whether a pipeline stands for the task alone: it plans exactly the task and what it reads.
 * Its conditional tasks (ESLint in `lint`) then belong to the task's target too; a superset
 * pipeline's (ESLint in `full`, run for `symbols`) do not.
 */
function pipelineIsTask(pipeline: PipelineName, task: TaskType): boolean {
  const planned = [...(PIPELINE_CATALOG[pipeline].tasks as readonly TaskType[])].sort();
  return planned.join(',') === withDependencies(task).sort().join(',');
}

export const TASK_PIPELINE: Record<CodebatchTaskName, PipelineName> = byTask(pipelineFor);

/** Task dependencies as in the engine's plan: 02_analyze, 03_symbols and 04_lint read 01_parse. */
export const TASK_DEPENDS_ON: Record<CodebatchTaskName, readonly CodebatchTaskName[]> = byTask(
  (t) => TASK_CATALOG[t].dependsOn as readonly TaskType[],
);

/**
 * The engine task ids whose diagnostics belong to a task's target: the task, what it reads and,
 * when its pipeline stands for it, that pipeline's conditional tasks (05_eslint for `lint`). A
 * target whose pipeline is a superset (`symbols` runs `full`) reports and fails on these only.
 */
export const TASK_ENGINE_IDS: Record<CodebatchTaskName, readonly string[]> = byTask((t) => {
  const pipeline = TASK_PIPELINE[t];
  const conditional = pipelineIsTask(pipeline, t)
    ? (PIPELINE_CATALOG[pipeline].conditional as readonly TaskType[])
    : [];
  return [...withDependencies(t), ...conditional].map((d) => TASK_CATALOG[d].taskId);
});

export const DEFAULT_TARGET_NAMES: Record<CodebatchTaskName, string> = byTask((t) => TASK_CATALOG[t].target);

/**
 * One line per target in `nx show project`, from core: the pipeline's description when the
 * pipeline stands for the task (it mentions ESLint for `lint`), else the task's own.
 */
export const TASK_DESCRIPTIONS: Record<CodebatchTaskName, string> = byTask((t) => {
  const pipeline = TASK_PIPELINE[t];
  const what = pipelineIsTask(pipeline, t)
    ? PIPELINE_CATALOG[pipeline].description
    : TASK_CATALOG[t].meta.description;
  return `codebatch: ${what}. Unchanged files are reused.`;
});

/** Whether a task's target can run the workspace's ESLint (its engine ids include 05_eslint). */
export function targetRunsEslint(task: CodebatchTaskName): boolean {
  return TASK_ENGINE_IDS[task].includes(ESLINT_TASK_ID);
}

export function isCodebatchTask(value: unknown): value is CodebatchTaskName {
  return typeof value === 'string' && (CODEBATCH_TASKS as readonly string[]).includes(value);
}
