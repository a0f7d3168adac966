import { z } from 'zod';
import { toolchainEnvironment } from '../shared/toolchain';
import type { TaskMeta } from '../task-definition';

export const symbolsConfigSchema = z.strictObject({
  /** Emit `calls` edges (the most numerous records; off for a smaller store). */
  calls: z.boolean().default(true),
});
export type SymbolsConfig = z.infer<typeof symbolsConfigSchema>;

/** What the engine needs to plan and hash symbols work without loading its implementation. */
export const symbolsMeta: TaskMeta<SymbolsConfig> = {
  type: 'symbols',
  version: '1.0.0',
  description:
    'Symbols (functions, classes, variables, ...) and edges (imports, exports, calls, inherits, implements)',
  kindsOut: ['symbol', 'edge'],
  configSchema: symbolsConfigSchema,
  // Parser versions and the grammar's hash: an upgrade re-executes (see toolchain.ts).
  environment: toolchainEnvironment,
};
