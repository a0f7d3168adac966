import { toolchainEnvironment } from '../shared/toolchain';
import type { TaskMeta } from '../task-definition';
import { type LintConfig, lintConfigSchema } from './lint-config';

/** What the engine needs to plan and hash lint work without loading its implementation. */
export const lintMeta: TaskMeta<LintConfig> = {
  type: 'lint',
  // 1.1.0: JSDoc uses, qualified type names, minified files, Python re-export conventions.
  // 1.2.0: L103 checks Python unpacking targets and TS parameter properties and setter values;
  // `nonlocal n` uses the outer n wherever it is assigned; `import a.b` is used through an
  // alias of `a` (pyflakes).
  version: '1.2.0',
  description:
    'Text rules (L001-L005) and scope rules (L101 unused import, L102 unused variable, L103 shadowing)',
  kindsOut: ['diagnostic'],
  configSchema: lintConfigSchema,
  // Parser versions and the grammar's hash: an upgrade re-executes (see toolchain.ts).
  environment: toolchainEnvironment,
};
