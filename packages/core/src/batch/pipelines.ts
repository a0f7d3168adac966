import { CodebatchError } from '../errors/codebatch-error';
import { PIPELINE_CATALOG, type PipelineName, TASK_CATALOG, type TaskType } from '../tasks/catalog';

export type { TaskType } from '../tasks/catalog';

export interface PipelineTask {
  task_id: string;
  type: TaskType;
  depends_on: string[];
  /** Planned only when the tree calls for it (see PIPELINE_CATALOG). */
  conditional?: boolean;
}

export interface PipelineDefinition {
  name: PipelineName;
  description: string;
  tasks: PipelineTask[];
}

function toPipelineTask(type: TaskType, conditional: boolean): PipelineTask {
  const entry = TASK_CATALOG[type];
  return {
    task_id: entry.taskId,
    type,
    depends_on: entry.dependsOn.map((d: TaskType) => TASK_CATALOG[d].taskId),
    ...(conditional ? { conditional: true } : {}),
  };
}

/** Task ids match the reference implementation's, so its users find the same names. */
export const PIPELINES = Object.fromEntries(
  Object.entries(PIPELINE_CATALOG).map(([name, p]) => [
    name,
    {
      name,
      description: p.description,
      tasks: [
        ...p.tasks.map((t: TaskType) => toPipelineTask(t, false)),
        ...p.conditional.map((t: TaskType) => toPipelineTask(t, true)),
      ],
    },
  ]),
) as Record<PipelineName, PipelineDefinition>;

export function getPipeline(name: string): PipelineDefinition {
  const pipeline = (PIPELINES as Record<string, PipelineDefinition>)[name];
  if (!pipeline) {
    throw new CodebatchError('E_PIPELINE_UNKNOWN', `unknown pipeline ${JSON.stringify(name)}`, {
      hints: [`Choose one of: ${Object.keys(PIPELINES).join(', ')}.`],
    });
  }
  return pipeline;
}

/** Topological order of the plan's tasks (stable: plan order breaks ties). */
export function orderTasks<T extends { task_id: string; depends_on: string[] }>(tasks: readonly T[]): T[] {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const done = new Set<string>();
  const out: T[] = [];
  const visit = (t: T, stack: string[]) => {
    if (done.has(t.task_id)) return;
    if (stack.includes(t.task_id)) {
      throw new CodebatchError(
        'E_CONFIG_INVALID',
        `task dependency cycle: ${[...stack, t.task_id].join(' -> ')}`,
      );
    }
    for (const dep of t.depends_on) {
      const d = byId.get(dep);
      if (!d)
        throw new CodebatchError('E_CONFIG_INVALID', `task ${t.task_id} depends on unknown task ${dep}`);
      visit(d, [...stack, t.task_id]);
    }
    done.add(t.task_id);
    out.push(t);
  };
  for (const t of tasks) visit(t, []);
  return out;
}
