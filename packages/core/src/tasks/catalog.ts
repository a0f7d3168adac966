import { analyzeMeta } from './analyze/analyze-meta';
import { eslintMeta } from './eslint/eslint-meta';
import { lintMeta } from './lint/lint-meta';
import { parseMeta } from './parse/parse-meta';
import { symbolsMeta } from './symbols/symbols-meta';
import type { TaskMeta } from './task-definition';

// biome-ignore lint/suspicious/noExplicitAny: each task's meta has its own config type
type AnyTaskMeta = TaskMeta<any>;

/**
 * The one list of task types. Pipelines, the registry, `codebatch api`, the Nx plugin's targets
 * and the Action's inputs are all derived from it, so a new task type is one entry here (plus
 * its meta, its implementation module and a line in implementations.ts).
 *
 * Implementations are loaded on first execution only: planning, queries and fully reused runs
 * never pay for the TypeScript compiler, tree-sitter or the workspace's ESLint.
 */
export const TASK_CATALOG = {
  parse: {
    taskId: '01_parse',
    dependsOn: [],
    meta: parseMeta,
    target: 'codebatch-parse',
    grammars: true,
  },
  analyze: {
    taskId: '02_analyze',
    dependsOn: ['parse'],
    meta: analyzeMeta,
    target: 'codebatch-analyze',
    grammars: true,
  },
  symbols: {
    taskId: '03_symbols',
    dependsOn: ['parse'],
    meta: symbolsMeta,
    target: 'codebatch-symbols',
    grammars: true,
  },
  lint: {
    taskId: '04_lint',
    dependsOn: ['parse'],
    meta: lintMeta,
    target: 'codebatch-lint',
    grammars: true,
  },
  eslint: {
    taskId: '05_eslint',
    dependsOn: [],
    meta: eslintMeta,
    target: 'codebatch-eslint',
  },
} as const satisfies Record<
  string,
  {
    taskId: string;
    dependsOn: readonly string[];
    meta: AnyTaskMeta;
    target: string;
    /** Its synchronous runFile needs the tree-sitter runtime and grammars prepared first. */
    grammars?: boolean;
  }
>;

export type TaskType = keyof typeof TASK_CATALOG;
export const TASK_TYPES = Object.keys(TASK_CATALOG) as TaskType[];

/**
 * Pipelines by name. `conditional` tasks join the plan only when the analysed tree calls for
 * them (ESLint when it has an ESLint config, or when the config says `"eslint": true`).
 */
export const PIPELINE_CATALOG = {
  parse: { description: 'Parse every file (ASTs and syntax diagnostics)', tasks: ['parse'], conditional: [] },
  analyze: { description: 'Parse, then per-file metrics', tasks: ['parse', 'analyze'], conditional: [] },
  lint: {
    description:
      "Parse, then codebatch's lint rules; plus the workspace's ESLint when the tree has an ESLint config",
    tasks: ['parse', 'lint'],
    conditional: ['eslint'],
  },
  full: {
    description: 'Parse, then metrics, symbols and lint; plus ESLint when the tree has an ESLint config',
    tasks: ['parse', 'analyze', 'symbols', 'lint'],
    conditional: ['eslint'],
  },
  eslint: {
    description: "The workspace's own ESLint, per file, through the engine",
    tasks: ['eslint'],
    conditional: [],
  },
} as const satisfies Record<
  string,
  { description: string; tasks: readonly TaskType[]; conditional: readonly TaskType[] }
>;

export type PipelineName = keyof typeof PIPELINE_CATALOG;
export const PIPELINE_NAMES = Object.keys(PIPELINE_CATALOG) as PipelineName[];

export function isTaskType(type: string): type is TaskType {
  return Object.hasOwn(TASK_CATALOG, type);
}

export function isPipelineName(name: string): name is PipelineName {
  return Object.hasOwn(PIPELINE_CATALOG, name);
}

/** The engine task ids a pipeline can run (conditional ones included), in plan order. */
export function pipelineTaskIds(name: PipelineName): string[] {
  const p = PIPELINE_CATALOG[name];
  return [...p.tasks, ...p.conditional].map((t) => TASK_CATALOG[t].taskId);
}
