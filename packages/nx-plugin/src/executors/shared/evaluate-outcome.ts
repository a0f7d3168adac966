import { type AnalyzeResult, isAtLeast, SEVERITIES } from '@codebatch/core';
import type { FailLevel } from './options';

/** Whether a target passed, and why not: what the report files and the exit status say. */
export interface Outcome {
  success: boolean;
  reasons: string[];
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Whether a result passes: the engine finished every shard, no diagnostic is at or above
 * `failLevel`, and warnings do not exceed `maxWarnings` (-1: no limit). Uses the engine's
 * counts, the same numbers the summary line shows.
 */
export function evaluateOutcome(
  result: Pick<AnalyzeResult, 'status' | 'shards' | 'counts'>,
  options: { failLevel: FailLevel; maxWarnings: number },
): Outcome {
  const reasons: string[] = [];
  if (result.status === 'failed') {
    reasons.push(
      `the engine did not finish: ${plural(result.shards.failed, 'shard')} failed, ${result.shards.blocked} blocked`,
    );
  }
  const { failLevel } = options;
  if (failLevel !== 'none') {
    const failing = SEVERITIES.filter((s) => isAtLeast(s, failLevel)).reduce(
      (n, s) => n + result.counts[s],
      0,
    );
    if (failing > 0) {
      reasons.push(
        failLevel === 'error'
          ? plural(failing, 'error')
          : `${plural(failing, 'diagnostic')} at or above --fail-level=${failLevel}`,
      );
    }
  }
  if (options.maxWarnings >= 0 && result.counts.warning > options.maxWarnings) {
    reasons.push(
      `${plural(result.counts.warning, 'warning')} (more than --max-warnings=${options.maxWarnings})`,
    );
  }
  return { success: reasons.length === 0, reasons };
}
