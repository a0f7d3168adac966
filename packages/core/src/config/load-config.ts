import fs from 'node:fs';
import type { z } from 'zod';
import { CodebatchError } from '../errors/codebatch-error';
import { type ConfigFile, configFileSchema } from './config-schema';

/** Formats zod issues as `path: message`, every one of them (not just the first). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string[] {
  return issues.map((i) => {
    const p = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return `${p || '(root)'}: ${i.message}`;
  });
}

export function configError(file: string, issues: string[]): CodebatchError {
  return new CodebatchError(
    'E_CONFIG_INVALID',
    `invalid configuration in ${file} (${issues.length} issue${issues.length === 1 ? '' : 's'})`,
    {
      hints: ['Fix the listed settings; see docs/configuration.md for every option.'],
      details: { file, issues },
    },
  );
}

export function parseConfig(value: unknown, file = '<config>'): ConfigFile {
  const result = configFileSchema.safeParse(value);
  if (!result.success) throw configError(file, formatIssues(result.error.issues));
  return result.data;
}

/** Reads and validates a config file; a missing explicit path is an error, not a default. */
export function loadConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CodebatchError('E_CONFIG_NOT_FOUND', `config file ${file} not found`, {
      hints: ['Pass an existing file with --config, or omit it to use defaults.'],
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw configError(file, [`(root): not valid JSON (${(error as Error).message})`]);
  }
  return parseConfig(value, file);
}
