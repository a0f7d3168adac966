import { formatFiles, type NxJsonConfiguration, readNxJson, type Tree, updateNxJson } from '@nx/devkit';
import {
  DEFAULT_CONFIG_FILE,
  DEFAULT_REPORT_ROOT,
  DEFAULT_STORE_DIR,
  defaultConfigFileContent,
  PLUGIN_NAME,
} from '../../shared/defaults';
import { stripUndefined } from '../../shared/strip-undefined';
import type { InitGeneratorSchema } from './schema';

/** Defaults of `@codebatch/nx:init` (kept equal to schema.json by a test). */
export const INIT_DEFAULTS: Required<InitGeneratorSchema> = {
  storeDir: DEFAULT_STORE_DIR,
  configFile: DEFAULT_CONFIG_FILE,
  skipFormat: false,
};

type PluginEntry = NonNullable<NxJsonConfiguration['plugins']>[number];

function pluginName(entry: PluginEntry): string {
  return typeof entry === 'string' ? entry : entry.plugin;
}

/**
 * Adds `@codebatch/nx` to nx.json `plugins` unless some entry already names it (whatever its
 * options: the user's choices win). Options are written only when they differ from defaults.
 * @returns whether nx.json changed
 */
export function registerPlugin(tree: Tree, options: Required<InitGeneratorSchema>): boolean {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  if (plugins.some((p) => pluginName(p) === PLUGIN_NAME)) return false;
  const pluginOptions: Record<string, string> = {};
  if (options.storeDir !== DEFAULT_STORE_DIR) pluginOptions.storeDir = options.storeDir;
  if (options.configFile !== DEFAULT_CONFIG_FILE) pluginOptions.configFile = options.configFile;
  const entry: PluginEntry =
    Object.keys(pluginOptions).length === 0 ? PLUGIN_NAME : { plugin: PLUGIN_NAME, options: pluginOptions };
  updateNxJson(tree, { ...nxJson, plugins: [...plugins, entry] });
  return true;
}

/** Writes the default codebatch config unless the file exists. @returns whether it was written */
export function writeDefaultConfig(tree: Tree, configFile: string): boolean {
  if (tree.exists(configFile)) return false;
  tree.write(configFile, `${JSON.stringify(defaultConfigFileContent(), null, 2)}\n`);
  return true;
}

/** The spellings of an ignore entry for `dir` that already cover it. */
function coveringEntries(dir: string): Set<string> {
  const d = dir.replace(/^\/+|\/+$/g, '');
  return new Set([d, `${d}/`, `/${d}`, `/${d}/`, `${d}/**`, `/${d}/**`]);
}

/**
 * Appends root-anchored entries for `dirs` to .gitignore (created if missing), skipping those
 * already there in any equivalent spelling. @returns whether .gitignore changed
 */
export function addToGitignore(tree: Tree, dirs: readonly string[]): boolean {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8')! : '';
  const lines = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = dirs.filter((dir) => ![...coveringEntries(dir)].some((e) => lines.has(e)));
  if (missing.length === 0) return false;
  const prefix = current === '' || current.endsWith('\n') ? current : `${current}\n`;
  const header = lines.has('# codebatch store and reports') ? '' : '\n# codebatch store and reports\n';
  tree.write(
    '.gitignore',
    `${prefix}${header}${missing.map((d) => `/${d.replace(/^\/+|\/+$/g, '')}/`).join('\n')}\n`,
  );
  return true;
}

/**
 * `@codebatch/nx:init`, also what `nx add @codebatch/nx` runs: registers the plugin in nx.json,
 * writes a default codebatch config, and keeps the store and report folders out of git.
 * Running it again changes nothing.
 */
export default async function initGenerator(tree: Tree, schema: InitGeneratorSchema = {}): Promise<void> {
  const options: Required<InitGeneratorSchema> = { ...INIT_DEFAULTS, ...stripUndefined(schema) };
  registerPlugin(tree, options);
  writeDefaultConfig(tree, options.configFile);
  addToGitignore(tree, [options.storeDir, DEFAULT_REPORT_ROOT]);
  if (!options.skipFormat) await formatFiles(tree);
}
