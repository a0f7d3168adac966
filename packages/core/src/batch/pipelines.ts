import type { PipelineName } from '../api/types';
import { CodebatchError } from '../errors/codebatch-error';

export type TaskType = 'parse' | 'analyze' | 'symbols' | 'lint';

export interface PipelineTask {
  task_id: string;
  type: TaskType;
  depends_on: string[];
}

export interface PipelineDefinition {
  name: PipelineName;
  description: string;
  tasks: PipelineTask[];
}

const parse: PipelineTask = { task_id: '01_parse', type: 'parse', depends_on: [] };
const analyze: PipelineTask = { task_id: '02_analyze', type: 'analyze', depends_on: ['01_parse'] };
const symbols: PipelineTask = { task_id: '03_symbols', type: 'symbols', depends_on: ['01_parse'] };
const lint: PipelineTask = { task_id: '04_lint', type: 'lint', depends_on: ['01_parse'] };

/** Task ids match the reference implementation's, so its users find the same names. */
export const PIPELINES: Record<PipelineName, PipelineDefinition> = {
  parse: { name: 'parse', description: 'Parse every file (ASTs and syntax diagnostics)', tasks: [parse] },
  analyze: { name: 'analyze', description: 'Parse, then per-file metrics', tasks: [parse, analyze] },
  lint: { name: 'lint', description: 'Parse, then lint rules', tasks: [parse, lint] },
  full: {
    name: 'full',
    description: 'Parse, then metrics, symbols and lint',
    tasks: [parse, analyze, symbols, lint],
  },
};

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
