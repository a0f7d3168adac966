/**
 * Defaults shared by the inference plugin, the executors and the init generator. One place,
 * so that a target inferred at graph time and a target written by hand behave the same.
 */

/** Workspace-wide store: every project writes objects and memo entries into the same one. */
export const DEFAULT_STORE_DIR = '.codebatch';

/** The codebatch config file, relative to the workspace root (a project may have its own). */
export const DEFAULT_CONFIG_FILE = 'codebatch.config.json';

/** Reports go to `<reportRoot>/<projectRoot>/<task>`: one folder per target, never nested. */
export const DEFAULT_REPORT_ROOT = 'reports/codebatch';

/** Files written into a target's report folder (its Nx `outputs`). */
export const REPORT_FILES = {
  json: 'report.json',
  sarif: 'report.sarif',
  batchId: 'batch-id',
} as const;

/** The engine and this plugin: a new version of either must invalidate cached results. */
export const ENGINE_PACKAGES = ['@codebatch/core', '@codebatch/nx'] as const;

export const PLUGIN_NAME = '@codebatch/nx';

/**
 * The config the init generator writes. The engine's config schema
 * (packages/core/src/config/config-schema.ts) is the authority: keep this in step with it.
 */
export function defaultConfigFileContent(): Record<string, unknown> {
  return {
    $schema: './node_modules/@codebatch/core/schemas/config.schema.json',
    pipeline: 'lint',
    exclude: [],
  };
}
