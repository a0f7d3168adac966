import { z } from 'zod';
import { toolchainEnvironment } from '../shared/toolchain';
import type { TaskMeta } from '../task-definition';

export const parseConfigSchema = z.strictObject({
  /** Store the AST object. Off keeps only syntax diagnostics (and the in-process tree). */
  ast: z.boolean().default(true),
});
export type ParseConfig = z.infer<typeof parseConfigSchema>;

/** What the engine needs to plan and hash parse work without loading its implementation. */
export const parseMeta: TaskMeta<ParseConfig> = {
  type: 'parse',
  // 1.1.0: an AST of at most 4 KB is kept in its record (`inline`), not as an object.
  version: '1.1.0',
  description:
    'Parses TS/JS (TypeScript parser) and Python (tree-sitter) into ASTs; syntax errors as diagnostics',
  kindsOut: ['ast', 'diagnostic'],
  configSchema: parseConfigSchema,
  // Parser versions and the grammar's hash: an upgrade re-executes (see toolchain.ts).
  environment: toolchainEnvironment,
};
