import { DEFAULT_CONFIG_FILE, DEFAULT_REPORT_ROOT, DEFAULT_STORE_DIR } from '../shared/defaults';
import {
  CODEBATCH_TASKS,
  type CodebatchTaskName,
  DEFAULT_TARGET_NAMES,
  isCodebatchTask,
} from '../shared/tasks';

/** Options of the `@codebatch/nx` entry in nx.json `plugins`. */
export interface CodebatchPluginOptions {
  /** Which codebatch tasks (core's task types) become targets (default `["lint"]`). */
  tasks?: CodebatchTaskName[];
  /** Target name per task (defaults from core's catalog: `codebatch-parse`, ..., `codebatch-eslint`). */
  targetNames?: Partial<Record<CodebatchTaskName, string>>;
  /** Workspace-relative store directory (default `.codebatch`). */
  storeDir?: string;
  /** Workspace-relative codebatch config file (default `codebatch.config.json`). */
  configFile?: string;
  /** Workspace-relative folder under which each target's reports go (default `reports/codebatch`). */
  reportDir?: string;
}

export interface NormalizedPluginOptions {
  tasks: CodebatchTaskName[];
  targetNames: Record<CodebatchTaskName, string>;
  storeDir: string;
  configFile: string;
  reportDir: string;
}

function trimSlashes(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

/**
 * Applies defaults and checks the options; a mistake here is the user's, so the message says
 * what to change in nx.json.
 */
export function normalizePluginOptions(options: CodebatchPluginOptions | undefined): NormalizedPluginOptions {
  const tasks = options?.tasks ?? ['lint'];
  const unknown = tasks.filter((t) => !isCodebatchTask(t));
  if (unknown.length > 0 || tasks.length === 0) {
    throw new Error(
      `@codebatch/nx: plugin option "tasks" must list some of ${CODEBATCH_TASKS.join(', ')}` +
        (unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : '; it is empty'),
    );
  }
  const targetNames = { ...DEFAULT_TARGET_NAMES, ...options?.targetNames };
  const exposed = CODEBATCH_TASKS.filter((t) => tasks.includes(t));
  const names = exposed.map((t) => targetNames[t]);
  if (new Set(names).size !== names.length) {
    throw new Error(
      `@codebatch/nx: plugin option "targetNames" gives two tasks the same target name (${names.join(', ')})`,
    );
  }
  return {
    tasks: exposed,
    targetNames,
    storeDir: trimSlashes(options?.storeDir ?? DEFAULT_STORE_DIR),
    configFile: trimSlashes(options?.configFile ?? DEFAULT_CONFIG_FILE),
    reportDir: trimSlashes(options?.reportDir ?? DEFAULT_REPORT_ROOT),
  };
}
