import path from 'node:path';
import { type RunResult, runNode } from './processes';
import type { RunnerEnv } from './runner-env';

/** The committed bundle, exactly what GitHub runs (`runs.main` of action.yml). */
export const ACTION_BUNDLE = path.resolve(__dirname, '../../../packages/action/dist/index.js');

/** Runs `node dist/index.js` as the runner does: cwd = GITHUB_WORKSPACE, the step's environment. */
export function runAction(runner: RunnerEnv, options: { timeoutMs?: number } = {}): Promise<RunResult> {
  return runNode([ACTION_BUNDLE], {
    env: runner.env,
    cwd: runner.env.GITHUB_WORKSPACE!,
    timeoutMs: options.timeoutMs ?? 120000,
  });
}
