import { createRequire } from 'node:module';
import path from 'node:path';
import { CodebatchError } from '../../errors/codebatch-error';
import { findWorkspaceEslint } from './resolve-eslint';

/** The part of ESLint's API (8.57+ and 9.x, flat and eslintrc) the task uses. */
export interface EslintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  fatal?: boolean;
  fix?: unknown;
  suggestions?: unknown[];
}
export interface EslintLintResult {
  filePath: string;
  messages: EslintMessage[];
}
export interface EslintInstance {
  lintText(code: string, options: { filePath: string; warnIgnored?: boolean }): Promise<EslintLintResult[]>;
  calculateConfigForFile(filePath: string): Promise<unknown>;
  isPathIgnored(filePath: string): Promise<boolean>;
  getRulesMetaForResults(
    results: EslintLintResult[],
  ): Record<string, { docs?: { url?: string } } | undefined>;
}

export interface LoadedEslint {
  eslint: EslintInstance;
  version: string;
  flat: boolean;
  root: string;
}

interface EslintModule {
  ESLint: {
    new (options: Record<string, unknown>): EslintInstance;
    version?: string;
    configType?: 'flat' | 'eslintrc';
  };
  loadESLint?: (options: { useFlatConfig?: boolean; cwd?: string }) => Promise<{
    new (options: Record<string, unknown>): EslintInstance;
    configType?: 'flat' | 'eslintrc';
  }>;
}

const loaded = new Map<string, Promise<LoadedEslint>>();

/**
 * The workspace's ESLint, once per process (or worker) and root. Flat config unless the tree
 * has only eslintrc files; ESLINT_USE_FLAT_CONFIG is honoured as ESLint's CLI honours it.
 */
export function loadWorkspaceEslint(
  root: string,
  options: { flat: boolean; lookupFromFile: boolean },
): Promise<LoadedEslint> {
  const key = `${root}\0${options.flat}\0${options.lookupFromFile}`;
  let promise = loaded.get(key);
  if (!promise) {
    promise = load(root, options);
    loaded.set(key, promise);
    // A failed load is not cached: the next shard reports the same clear error.
    promise.catch(() => loaded.delete(key));
  }
  return promise;
}

async function load(
  root: string,
  options: { flat: boolean; lookupFromFile: boolean },
): Promise<LoadedEslint> {
  const install = findWorkspaceEslint(root);
  if (!install) {
    throw new CodebatchError('E_ESLINT_NOT_FOUND', `ESLint is not installed in ${root}`, {
      hints: [
        'Install it where the analysed workspace resolves its packages: `npm install --save-dev eslint` (8.57 or later).',
        'Or leave ESLint out: `"eslint": false` in codebatch.config.json, or another --pipeline.',
      ],
      details: { root },
    });
  }
  const [major, minor] = install.version.split('.').map((n) => Number.parseInt(n, 10)) as [number, number];
  if (major < 8 || (major === 8 && minor < 57)) {
    throw new CodebatchError('E_ESLINT_NOT_FOUND', `ESLint ${install.version} in ${root} is too old`, {
      hints: ['codebatch runs ESLint 8.57 or later: `npm install --save-dev eslint@9`.'],
      details: { root, version: install.version },
    });
  }
  const req = createRequire(path.join(root, '__codebatch__.js'));
  let mod: EslintModule;
  try {
    mod = req('eslint') as EslintModule;
  } catch (error) {
    throw new CodebatchError(
      'E_ESLINT_NOT_FOUND',
      `ESLint in ${root} could not be loaded: ${firstLine(error)}`,
      {
        hints: ['Reinstall the workspace dependencies (`npm ci`).'],
      },
    );
  }
  const envFlat = process.env.ESLINT_USE_FLAT_CONFIG;
  const useFlatConfig = envFlat === 'false' ? false : envFlat === 'true' ? true : options.flat;
  try {
    const ESLintClass = mod.loadESLint ? await mod.loadESLint({ useFlatConfig, cwd: root }) : mod.ESLint;
    const flat = ESLintClass.configType ? ESLintClass.configType === 'flat' : useFlatConfig;
    // ESLint 9.12+ can take each file's config from the eslint.config.* nearest to it (the
    // default in 10): one config per Nx project, as `nx lint` runs them. The flag was renamed
    // in a 9.x minor; an unknown flag throws, a renamed one only warns, so try the new name first.
    const flagNames =
      flat && options.lookupFromFile && major === 9 && minor >= 12
        ? [['v10_config_lookup_from_file'], ['unstable_config_lookup_from_file']]
        : [undefined];
    let lastError: unknown;
    for (const flags of flagNames) {
      try {
        const eslint = new ESLintClass(flags ? { cwd: root, flags } : { cwd: root });
        return { eslint, version: install.version, flat, root };
      } catch (error) {
        lastError = error;
        if (!/flag/i.test(error instanceof Error ? error.message : '')) break;
      }
    }
    throw lastError;
  } catch (error) {
    throw eslintConfigError(error, root);
  }
}

export function eslintConfigError(error: unknown, root: string): CodebatchError {
  const message = error instanceof Error ? error.message : String(error);
  return new CodebatchError('E_ESLINT_CONFIG', `ESLint could not load its configuration: ${message}`, {
    hints: [`Run \`npx eslint <file>\` in ${root} to see the same error, then fix the ESLint config.`],
    details: { root },
  });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
