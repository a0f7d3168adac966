import { z } from 'zod';

/**
 * `tasks.eslint` in codebatch.config.json. ESLint's own configuration stays in the workspace's
 * eslint.config.* (or .eslintrc*); these settings only say how codebatch finds it.
 */
export const eslintConfigSchema = z.strictObject({
  /**
   * Flat config lookup: `file` (default) uses the eslint.config.* nearest to each file, as
   * ESLint 10 and `nx lint` (one config per project) do; `cwd` uses the one found from the
   * analysed directory only, as `eslint .` in ESLint 9 does.
   */
  configLookup: z.enum(['file', 'cwd']).default('file'),
  /**
   * eslintrc only (flat configs say which files they lint): the extensions `eslint .` lints, as
   * its `--ext` option (ESLint 8's default is `.js`).
   */
  extensions: z.array(z.string().regex(/^\.[\w.-]+$/)).default(['.js']),
});
export type EslintConfig = z.infer<typeof eslintConfigSchema>;
