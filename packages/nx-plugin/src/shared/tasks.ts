import type { PipelineName } from '@codebatch/core';

/** The engine's task types, each of which can be exposed as its own Nx target. */
export const CODEBATCH_TASKS = ['parse', 'analyze', 'symbols', 'lint'] as const;
export type CodebatchTaskName = (typeof CODEBATCH_TASKS)[number];

/**
 * The engine pipeline that runs a task. The engine runs pipelines, not single tasks: every
 * pipeline includes 01_parse, and its shards are memo hits when codebatch-parse ran first.
 * There is no parse+symbols pipeline yet, so `symbols` runs `full` (a superset).
 */
export const TASK_PIPELINE: Record<CodebatchTaskName, PipelineName> = {
  parse: 'parse',
  analyze: 'analyze',
  symbols: 'full',
  lint: 'lint',
};

/** Task dependencies as in the engine's plan: 02_analyze, 03_symbols and 04_lint read 01_parse. */
export const TASK_DEPENDS_ON: Record<CodebatchTaskName, readonly CodebatchTaskName[]> = {
  parse: [],
  analyze: ['parse'],
  symbols: ['parse'],
  lint: ['parse'],
};

/**
 * The engine task ids whose diagnostics belong to a task's target: the task and what it reads.
 * A target whose pipeline is a superset (`symbols` runs `full`) reports and fails on these only.
 */
export const TASK_ENGINE_IDS: Record<CodebatchTaskName, readonly string[]> = {
  parse: ['01_parse'],
  analyze: ['01_parse', '02_analyze'],
  symbols: ['01_parse', '03_symbols'],
  lint: ['01_parse', '04_lint'],
};

export const DEFAULT_TARGET_NAMES: Record<CodebatchTaskName, string> = {
  parse: 'codebatch-parse',
  analyze: 'codebatch-analyze',
  symbols: 'codebatch-symbols',
  lint: 'codebatch-lint',
};

export function isCodebatchTask(value: unknown): value is CodebatchTaskName {
  return typeof value === 'string' && (CODEBATCH_TASKS as readonly string[]).includes(value);
}
