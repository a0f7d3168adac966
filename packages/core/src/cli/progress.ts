import type { ShardRunResult } from '../run/run-shard-chain';

/**
 * Progress on stderr: a single rewritten line with an ETA on a terminal; nothing on a pipe
 * (CI logs get the final summary instead of thousands of lines).
 */
export function createShardProgress(isTty: boolean, write: (text: string) => void): {
  onShard: (r: ShardRunResult, done: number, total: number) => void;
  end: () => void;
} {
  if (!isTty) return { onShard: () => {}, end: () => {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    onShard(r, done, total) {
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const elapsed = (now - started) / 1000;
      const eta = done > 0 ? ((total - done) * elapsed) / done : 0;
      const width = 24;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${r.taskId} ${r.shardId} ${r.outcome.padEnd(8)} ETA ${eta.toFixed(1)}s \x1b[K`);
      shown = true;
    },
    end() {
      if (shown) write('\r\x1b[K');
    },
  };
}
