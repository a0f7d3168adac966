/**
 * The action's policy, after actions/toolkit: bad inputs throw an `ActionInputError` and fail
 * the step at once with a message that says what to change; trouble with the cache service or
 * the Checks API is a warning and a degraded run, never a failed job.
 */
export class ActionInputError extends Error {
  /** Every problem found, as `input-name: message`, so the user fixes them in one go. */
  readonly issues: string[];

  constructor(issues: string[]) {
    super(
      issues.length === 1
        ? `Invalid input: ${issues[0]}`
        : `Invalid inputs:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`,
    );
    this.name = 'ActionInputError';
    this.issues = issues;
  }
}

/** A defect in the action itself, never the user's input. */
export class ActionInternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message} (this is a bug in codebatch-action; please report it)`, options);
    this.name = 'ActionInternalError';
  }
}
