import path from 'node:path';
import { type RunResult, runNode } from './processes';
import type { RunnerEnv } from './runner-env';

/**
 * The committed bundle, exactly what GitHub runs (`runs.main` of action.yml).
 * CODEBATCH_ACTION_BUNDLE points the suite at another build of it (a bundle built into a
 * temporary folder, to try source changes before dist/ is rebuilt and committed).
 */
export const ACTION_BUNDLE =
  process.env.CODEBATCH_ACTION_BUNDLE ?? path.resolve(__dirname, '../../../packages/action/dist/index.js');

/** Runs `node dist/index.js` as the runner does: cwd = GITHUB_WORKSPACE, the step's environment. */
export function runAction(runner: RunnerEnv, options: { timeoutMs?: number } = {}): Promise<RunResult> {
  return runNode([ACTION_BUNDLE], {
    env: runner.env,
    cwd: runner.env.GITHUB_WORKSPACE!,
    timeoutMs: options.timeoutMs ?? 120000,
  });
}
