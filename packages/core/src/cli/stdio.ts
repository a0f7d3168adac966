import { CodebatchError, toCodebatchError } from '../errors/codebatch-error';

/** Node's `process.stdout` / `process.stderr`, reduced to what the writer needs (tests pass fakes). */
export interface OutputStream {
  write(text: string): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

export interface ProcessWriter {
  /** Writes `text`, or drops it once the stream is closed. */
  write: (text: string) => void;
  /** True once the reader went away or the stream failed: later output is dropped. */
  readonly closed: boolean;
  /** A failure other than a closed pipe (a full disk behind `> file`), for the exit code. */
  readonly failure: CodebatchError | undefined;
}

/**
 * Wraps one of the process's output streams. When the reader goes away
 * (`codebatch query diagnostics | head -1`), the next write fails with EPIPE, and Node reports
 * that as an 'error' event which, unhandled, crashes the process with a stack trace. Like
 * `cat` or `grep`, a closed pipe ends the output quietly: the reader asked for no more, so
 * nothing is lost, and the command still finishes (a `run` must not stop between writing a
 * shard and recording it) and exits with its own code. Writes already queued when the pipe
 * closed fail with ERR_STREAM_DESTROYED: same cause, same silence.
 * @param stream `process.stdout` or `process.stderr`
 * @param name `stdout` or `stderr`, for the error message
 * @param reportFailure called once with any other write error
 * @returns the writer; `failure` is set for any other write error
 */
export function createProcessWriter(
  stream: OutputStream,
  name: 'stdout' | 'stderr',
  reportFailure: (error: CodebatchError) => void = () => {},
): ProcessWriter {
  let closed = false;
  let failure: CodebatchError | undefined;
  stream.on('error', (error) => {
    const wasClosed = closed;
    closed = true;
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || wasClosed) return;
    failure =
      error.code === 'ENOSPC' || error.code === 'EDQUOT'
        ? new CodebatchError('E_DISK_FULL', `cannot write to ${name}: no space left on device`, {
            hints: [`Free space where ${name} is redirected, then run the command again.`],
            cause: error,
          })
        : toCodebatchError(error, `cannot write to ${name}`);
    reportFailure(failure);
  });
  return {
    write(text) {
      if (!closed) stream.write(text);
    },
    get closed() {
      return closed;
    },
    get failure() {
      return failure;
    },
  };
}
