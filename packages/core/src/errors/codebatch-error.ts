/**
 * Stable error codes. A code, once published, keeps its meaning: scripts and the Nx/Action
 * wrappers branch on it. The exit code class says whether the user (2) or the run (1) failed.
 */
export const ERROR_CODES = {
  E_USAGE: 2,
  E_STORE_NOT_FOUND: 2,
  E_STORE_EXISTS: 2,
  E_STORE_INVALID: 2,
  E_STORE_READ_ONLY: 1,
  E_DISK_FULL: 1,
  E_SNAPSHOT_NOT_FOUND: 2,
  E_SNAPSHOT_EXISTS: 2,
  E_BATCH_NOT_FOUND: 2,
  E_BATCH_EXISTS: 2,
  E_TASK_NOT_FOUND: 2,
  E_SHARD_NOT_FOUND: 2,
  E_PIPELINE_UNKNOWN: 2,
  E_INVALID_ID: 2,
  E_INVALID_PATH: 2,
  E_SOURCE_NOT_FOUND: 2,
  E_CONFIG_INVALID: 2,
  E_CONFIG_NOT_FOUND: 2,
  E_DEP_NOT_DONE: 2,
  E_DEP_FAILED: 1,
  E_OBJECT_NOT_FOUND: 1,
  E_OBJECT_CORRUPT: 1,
  E_INDEX_CORRUPT: 1,
  E_RECORD_INVALID: 1,
  E_TASK_FAILED: 1,
  E_LOCKED: 1,
  E_NOT_FOUND: 2,
  E_ESLINT_NOT_FOUND: 2,
  E_ESLINT_CONFIG: 2,
  E_SIGNATURE_INVALID: 1,
  E_SUBJECT_MISMATCH: 1,
  E_INTERNAL: 1,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface CodebatchErrorOptions {
  hints?: string[];
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type users see. `message` says what happened; `hints` say what to do. */
export class CodebatchError extends Error {
  readonly code: ErrorCode;
  readonly hints: string[];
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: CodebatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodebatchError';
    this.code = code;
    this.hints = options.hints ?? [];
    this.details = options.details ?? {};
  }

  get exitCode(): number {
    return ERROR_CODES[this.code];
  }

  /** The envelope of ../shared/spec/schemas/error.schema.json (codes without the E_ prefix rule). */
  toEnvelope(): {
    error: { code: string; message: string; hints: string[]; details: Record<string, unknown> };
  } {
    return { error: { code: this.code, message: this.message, hints: this.hints, details: this.details } };
  }
}

/** A defect in codebatch itself, never the user's input. Rendered with a request to report it. */
export class InternalError extends CodebatchError {
  constructor(message: string, options: CodebatchErrorOptions = {}) {
    super('E_INTERNAL', message, {
      ...options,
      hints: options.hints ?? ['This is a bug in codebatch; please report it with the command you ran.'],
    });
    this.name = 'InternalError';
  }
}

export function isCodebatchError(value: unknown): value is CodebatchError {
  return value instanceof CodebatchError;
}

/**
 * Maps operating-system failures that users can act on (full disk, read-only store) to codes,
 * so that they never surface as stack traces.
 */
export function toCodebatchError(error: unknown, context: string): CodebatchError {
  if (error instanceof CodebatchError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    return new CodebatchError('E_DISK_FULL', `${context}: no space left on device`, {
      hints: ['Free disk space, or run `codebatch gc` on the store; completed work is kept.'],
      cause: error,
    });
  }
  if (errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM') {
    return new CodebatchError('E_STORE_READ_ONLY', `${context}: permission denied (${errno})`, {
      hints: ['Check that the store directory is writable by this user.'],
      details: { errno },
      cause: error,
    });
  }
  return new InternalError(`${context}: ${message}`, { cause: error, details: errno ? { errno } : {} });
}
