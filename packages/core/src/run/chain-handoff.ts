/**
 * Chains handed from this thread (which defers what it cannot execute) to the workers of a
 * pass. A worker waits for one while this thread is still settling chains; `give` refuses when
 * no worker is left to take it (each failed or stopped) or one is waiting for each already, so
 * the chain is retried in the next pass instead.
 */
export function createHandoff(workers: number, producers: number) {
  const chains: string[] = [];
  let takers = workers;
  let open = producers > 0;
  // With this thread in the pass, what is left in the queue once it is done is left because the
  // run stopped (failFast): no worker is wanted for it. Without, the queue is the workers' own.
  const fed = producers > 0;
  let waiting: (() => void)[] = [];
  const wake = () => {
    const w = waiting;
    waiting = [];
    for (const f of w) f();
  };
  return {
    give(shardId: string): boolean {
      // One waiting chain per worker at most: a cold run's many deferred chains go to the next
      // pass instead, where as many threads as `parallel` allows share them.
      if (takers === 0 || chains.length >= takers) return false;
      chains.push(shardId);
      wake();
      return true;
    },
    /** The next chain for a worker: a handed-off one first, else the pass's queue; undefined at the end. */
    async next(queue: string[]): Promise<string | undefined> {
      for (;;) {
        const handed = chains.shift();
        // Taking the last handed chain may leave nothing for a worker still starting.
        if (handed !== undefined) {
          if (chains.length === 0) wake();
          return handed;
        }
        const shardId = queue.shift();
        if (shardId !== undefined || !open) return shardId;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    /** This thread is done with the pass's queue: workers drain what was handed and stop. */
    close() {
      open = false;
      wake();
    },
    /**
     * Settles when a worker that has not started yet has nothing to join for: this thread is
     * done and nothing is handed (in a pass without this thread: the queue is empty).
     */
    async untilIdle(queue: readonly string[]): Promise<void> {
      while (open || chains.length > 0 || (queue.length > 0 && !fed)) {
        // Woken by give, close, abort and the taking of the last handed chain. A queue of the
        // workers' own empties without a word: the others take it, and this one waits to start.
        if (!open && chains.length === 0) return new Promise<void>(() => {});
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    /** An executor failed: nothing more is handed or taken. */
    abort() {
      open = false;
      takers = 0;
      chains.length = 0;
      wake();
    },
    /** A worker stops; the last one returns what is left, for the next pass. */
    leave(): string[] {
      if (takers > 0) takers -= 1;
      return takers === 0 ? chains.splice(0) : [];
    },
  };
}
