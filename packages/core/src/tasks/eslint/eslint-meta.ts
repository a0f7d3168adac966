import type { TaskMeta } from '../task-definition';
import { hasEslintConfig } from './config-files';
import { type EslintConfig, eslintConfigSchema } from './eslint-config';

/** What the engine needs to plan and key ESLint work without loading ESLint. */
export const eslintMeta: TaskMeta<EslintConfig> = {
  type: 'eslint',
  version: '1.0.0',
  description: "The workspace's own ESLint (flat config or eslintrc, its plugins and parsers), per file",
  kindsOut: ['diagnostic'],
  configSchema: eslintConfigSchema,
  batched: true,
  // ESLint also finds configs above the analysed directory (a project under a workspace root).
  detect: (files, root) =>
    hasEslintConfig(files) ||
    (root !== undefined &&
      (require('./ancestor-configs') as typeof import('./ancestor-configs')).hasAncestorEslintConfig(root)),
  environment: async (input) =>
    (require('./eslint-environment') as typeof import('./eslint-environment')).computeEslintEnvironment(
      input,
    ),
};
