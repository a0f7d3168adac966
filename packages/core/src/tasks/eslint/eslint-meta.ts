import { sha256OfCanonical } from '../../util/hash';
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
  // With type information in play a file's result depends on the files its types depend on:
  // each shard's bundle covers its files' type closure digests, so an edit re-executes only
  // the shards holding files whose closure it is in.
  shardInputs: ({ environment, members, snapshot, cacheDir }) => {
    if (environment.type_aware !== true) return undefined;
    const { closureDigestsFor } = require('./type-closure-cache') as typeof import('./type-closure-cache');
    const digests = closureDigestsFor(snapshot, cacheDir);
    return { type_closures: sha256OfCanonical(members.map((m) => [m.path, digests.get(m.path) ?? null])) };
  },
  environment: async (input) =>
    (require('./eslint-environment') as typeof import('./eslint-environment')).computeEslintEnvironment(
      input,
    ),
};
