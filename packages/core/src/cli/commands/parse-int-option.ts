import { CodebatchError } from '../../errors/codebatch-error';

export function parseIntOption(name: string, value: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CodebatchError(
      'E_USAGE',
      `--${name} must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

export function usageError(message: string, hint?: string): CodebatchError {
  return new CodebatchError('E_USAGE', message, hint ? { hints: [hint] } : {});
}
