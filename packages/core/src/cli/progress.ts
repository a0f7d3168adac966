import { escapeText } from '../report/escape-text';
import type { ShardRunResult } from '../run/shard-outcome';

/**
 * Progress on stderr: a single rewritten line with an ETA on a terminal; nothing on a pipe
 * (CI logs get the final summary instead of thousands of lines).
 */
export function createShardProgress(
  isTty: boolean,
  write: (text: string) => void,
): {
  onShard: (r: ShardRunResult, done: number, total: number) => void;
  /** One whole line (a provenance action): printed above the bar on a terminal, as is on a pipe. */
  log: (line: string) => void;
  end: () => void;
} {
  // Action lines quote notes and diffs (file names among them): escaped like all human output.
  if (!isTty) return { onShard: () => {}, log: (line) => write(`${escapeText(line)}\n`), end: () => {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  let bar = '';
  return {
    log(line) {
      // Clear the bar, print the line, redraw the bar below it.
      write(`${shown ? '\r\x1b[K' : ''}${escapeText(line)}\n${shown ? bar : ''}`);
    },
    onShard(r, done, total) {
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const elapsed = (now - started) / 1000;
      const eta = done > 0 ? ((total - done) * elapsed) / done : 0;
      const width = 24;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      bar = `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${r.taskId} ${r.shardId} ${r.outcome.padEnd(8)} ETA ${eta.toFixed(1)}s \x1b[K`;
      write(bar);
      shown = true;
    },
    end() {
      if (shown) write('\r\x1b[K');
    },
  };
}
