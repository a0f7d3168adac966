import type { TaskDefinition } from './task-definition';

/**
 * How the engine finds task implementations. The default registry holds the built-in tasks;
 * tests (and, later, plugins) pass their own.
 */
export interface TaskRegistry {
  get(type: string): TaskDefinition<unknown>;
  /** Types this registry knows, for config validation and `codebatch api`. */
  types(): string[];
  /**
   * Async set-up (e.g. loading WebAssembly grammars) done once per process or worker, for the
   * task types about to run (all when omitted): a run of ESLint alone loads no grammar.
   */
  prepare(types?: readonly string[]): Promise<void>;
  /**
   * Loads the implementations of these types now rather than on their first file: a worker
   * warmed while this thread is still snapshotting and reusing (WorkerPool.prewarm) has the
   * TypeScript compiler loaded by the time a changed file reaches it.
   */
  preload?(types: readonly string[]): void;
}
