import path from 'node:path';
import { isFlatConfigFile, isRcConfigFile } from '@codebatch/core';

/**
 * What the plugin needs to know about the workspace's ESLint without loading it: which files
 * configure it, which folders they cover, and the `eslint` setting of codebatch.config.json.
 * Shared by the inference (target inputs) and the executors (whether ESLint runs).
 */

export type EslintSetting = 'auto' | boolean;

/** The `eslint` setting of a parsed codebatch config; anything invalid counts as the default. */
export function eslintSettingOf(config: unknown): EslintSetting {
  const value = (config as { eslint?: unknown } | undefined)?.eslint;
  return value === true || value === false ? value : 'auto';
}

/** A file that configures ESLint (not an ignore file): what `auto` looks for. */
export function isEslintConfigName(file: string): boolean {
  return isFlatConfigFile(file) || isRcConfigFile(file);
}

/** `dir`, then each folder above it up to the workspace root (`.`), nearest first. */
export function selfAndAncestors(dir: string): string[] {
  const out: string[] = [];
  let d = dir === '' ? '.' : dir;
  for (;;) {
    out.push(d);
    if (d === '.') return out;
    d = path.posix.dirname(d);
  }
}

/**
 * The ESLint files (configs and ignore files) that apply to a project: those in its root and
 * in the folders above it up to the workspace root, where ESLint looks for them. The project
 * is covered when one of them is a config. A config further down (`src/legacy/.eslintrc.json`)
 * does not cover the project, but the engine's own `auto` finds it among the project's files
 * and runs ESLint: `nested` says so. `configs` are the configs ESLint may load for the
 * project's files, those above and those below: what their imports are looked up from.
 *
 * @param eslintFiles workspace-relative POSIX paths of every ESLint file in the workspace
 */
export function eslintFilesFor(
  projectRoot: string,
  eslintFiles: readonly string[],
): { files: string[]; configs: string[]; covered: boolean; nested: boolean } {
  const dirs = new Set(selfAndAncestors(projectRoot));
  const files = eslintFiles.filter((f) => dirs.has(path.posix.dirname(f))).sort();
  const below = projectRoot === '.' || projectRoot === '' ? '' : `${projectRoot}/`;
  const nestedConfigs = eslintFiles.filter(
    (f) => f.startsWith(below) && !dirs.has(path.posix.dirname(f)) && isEslintConfigName(f),
  );
  const covering = files.filter(isEslintConfigName);
  return {
    files,
    configs: [...covering, ...nestedConfigs].sort(),
    covered: covering.length > 0,
    nested: nestedConfigs.length > 0,
  };
}

/**
 * Packages whose version changes what ESLint reports, as @nx/eslint picks them: eslint itself,
 * `@eslint/*`, typescript-eslint and `@typescript-eslint/*`, unscoped `eslint-plugin-*` and
 * `eslint-config-*`, and scoped `@scope/eslint-plugin*` and `@scope/eslint-config*`.
 */
export function isEslintPackage(name: string): boolean {
  return (
    name === 'eslint' ||
    name === 'typescript-eslint' ||
    /^eslint-(plugin|config)-/.test(name) ||
    /^@(eslint|typescript-eslint)\/[^/]+$/.test(name) ||
    /^@[^/]+\/eslint-(plugin|config)([-.][^/]*)?$/.test(name)
  );
}

/**
 * Packages whose version changes what type-aware rules report without any import naming them:
 * the compiler (its lib.d.ts files and checker) and the `@types` packages a tsconfig includes
 * automatically. The engine keys type-aware files on them; Nx must too.
 */
export function isTypeInformationPackage(name: string): boolean {
  return name === 'typescript' || name.startsWith('@types/');
}
