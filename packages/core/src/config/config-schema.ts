import { z } from 'zod';
import { PIPELINE_NAMES, type PipelineName } from '../tasks/catalog';

/**
 * codebatch.config.json: the one user configuration file. Task settings are keyed by task
 * type (`lint`, `analyze`, ...) and validated by each task's own schema, so an issue is
 * reported with its full path (`tasks.lint.rules.L002.options.max: ...`).
 */
export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  pipeline: z.enum(PIPELINE_NAMES as [PipelineName, ...PipelineName[]]).optional(),
  /**
   * The workspace's ESLint in the `lint` and `full` pipelines: `auto` (default) when the tree has
   * an ESLint config, `true` always (a missing ESLint is then an error), `false` never.
   */
  eslint: z.union([z.literal('auto'), z.boolean()]).optional(),
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  gitignore: z.boolean().optional(),
  shards: z.number().int().min(1).max(256).optional(),
  /** Outputs above this many bytes are chunked (SPEC 10). */
  chunkThreshold: z.number().int().min(1024).optional(),
  /** Base of the per-shard seed policy (seed 001 SeedPolicy), recorded in each run's session. */
  seed: z.number().int().min(0).max(2147483646).optional(),
  tasks: z.record(z.string(), z.unknown()).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/**
 * 16, not the reference's 256: on this kind of disk every shard directory and state file is a
 * metadata write costing 0.3-1 ms, and 16 chains already keep 2-8 workers busy (measured in
 * docs/design.md). `--shards 256` gives the reference's layout.
 */
export const DEFAULT_SHARDS = 16;
