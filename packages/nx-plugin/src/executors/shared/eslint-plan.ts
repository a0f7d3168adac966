import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ConfigFile, loadConfigFile, PIPELINE_CATALOG, type PipelineName } from '@codebatch/core';
import { type EslintSetting, findEslintFilesOnDisk, isEslintConfigName } from '../../shared/eslint-facts';
import { type CodebatchTaskName, ESLINT_TASK, targetRunsEslint } from '../../shared/tasks';

/** The codebatch config the engine gets for one target run, and how to clean up after it. */
export interface EngineConfig {
  configPath: string | undefined;
  /** Whether ESLint runs, as decided here; undefined when left to the engine (it plans the same). */
  eslint: boolean | undefined;
  dispose(): void;
}

/**
 * Whether ESLint runs for a target whose pipeline plans it conditionally (`lint`, `full`):
 * - not when the target reports no ESLint diagnostics (codebatch-symbols runs `full`), so a
 *   target never runs, or fails on, work it does not report;
 * - under `"eslint": "auto"` (the default), when ESLint covers the project: an ESLint config in
 *   the project root or a folder above it up to the workspace root, as ESLint itself and
 *   @nx/eslint look for one. The engine's own `auto` sees only the project's files, so a project
 *   covered by the workspace's eslint.config.mjs is decided here;
 * - otherwise as the setting says.
 * @returns true or false to impose, or undefined when the engine decides the same by itself
 */
export function decideEslint(input: {
  pipeline: PipelineName;
  task: CodebatchTaskName | undefined;
  setting: EslintSetting;
  workspaceRoot: string;
  projectRoot: string;
}): boolean | undefined {
  const conditional = PIPELINE_CATALOG[input.pipeline].conditional as readonly string[];
  if (!conditional.includes(ESLINT_TASK)) return undefined;
  if (input.task !== undefined && !targetRunsEslint(input.task))
    return input.setting === false ? undefined : false;
  if (input.setting !== 'auto') return undefined;
  const covered = findEslintFilesOnDisk(input.workspaceRoot, input.projectRoot).some(isEslintConfigName);
  return covered ? true : undefined;
}

/**
 * The config for the engine: the project's codebatch config as it is, or, when `decideEslint`
 * imposes a value, a copy with `eslint` set, written to a temporary folder (removed by
 * `dispose`). The original is validated first, so a mistake in it is reported with its own path.
 */
export function engineConfigFor(input: {
  configPath: string | undefined;
  pipeline: PipelineName;
  task: CodebatchTaskName | undefined;
  workspaceRoot: string;
  projectRoot: string;
}): EngineConfig {
  const config: ConfigFile | undefined = input.configPath ? loadConfigFile(input.configPath) : undefined;
  const eslint = decideEslint({ ...input, setting: config?.eslint ?? 'auto' });
  if (eslint === undefined) return { configPath: input.configPath, eslint, dispose: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-nx-config-'));
  const file = path.join(dir, 'codebatch.config.json');
  const { $schema: _schema, ...rest } = config ?? {};
  fs.writeFileSync(file, `${JSON.stringify({ ...rest, eslint }, null, 2)}\n`);
  return { configPath: file, eslint, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
