import { z } from 'zod';
import { toolchainEnvironment } from '../shared/toolchain';
import type { TaskMeta } from '../task-definition';

export const analyzeConfigSchema = z.strictObject({});
export type AnalyzeConfig = z.infer<typeof analyzeConfigSchema>;

/** What the engine needs to plan and hash analyze work without loading its implementation. */
export const analyzeMeta: TaskMeta<AnalyzeConfig> = {
  type: 'analyze',
  version: '1.0.0',
  description: 'Per-file metrics: size, lines, language; complexity and counts for TS/JS and Python',
  kindsOut: ['metric'],
  configSchema: analyzeConfigSchema,
  // Parser versions and the grammar's hash: an upgrade re-executes (see toolchain.ts).
  environment: toolchainEnvironment,
};
