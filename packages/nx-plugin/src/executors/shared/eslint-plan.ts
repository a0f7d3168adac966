import { type CodebatchTaskName, targetRunsEslint } from '../../shared/tasks';

/**
 * The ESLint setting the engine gets for a target: off for a target that does not report
 * ESLint findings (codebatch-symbols runs `full`), so a target never runs, or fails on, work it
 * does not report; otherwise the project's own setting, whose `auto` the engine decides as
 * ESLint does (a config in the project or a folder above it, up to the workspace root).
 */
export function eslintSettingFor(task: CodebatchTaskName | undefined): false | undefined {
  return task !== undefined && !targetRunsEslint(task) ? false : undefined;
}
