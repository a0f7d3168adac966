import { createWorkerPool } from '../run/worker-pool';
import { createDefaultRegistry } from '../tasks/default-registry';
import { analyzeWith } from './analyze';
import type { AnalyzeOptions, AnalyzeResult } from './types';

export interface AnalyzerOptions {
  /** Worker threads for calls that do not pass `parallel` (default: the number of cores). */
  parallel?: number;
}

export interface Analyzer {
  /** The same as `analyze(options)`: same batches, same outputs, same reuse. */
  analyze(options: AnalyzeOptions): Promise<AnalyzeResult>;
  /** Worker threads started so far (each is kept until close, so at most `parallel`). */
  readonly workersStarted: number;
  /** Stops the worker threads. Idle threads never keep the process alive, but close anyway. */
  close(): Promise<void>;
}

/**
 * `analyze` for a caller that analyses several trees in one process (the Nx plugin's run-many:
 * one call per project). The worker threads, and what the tasks load in them and on this
 * thread (the TypeScript compiler, grammars, the workspace's ESLint), are started once and
 * serve every call, instead of once per call. Calls may overlap; each leases its own threads.
 *
 * @param options.parallel worker threads per call unless the call says otherwise
 * @returns an analyzer; close it when done (in a finally)
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const workers = createWorkerPool();
  const registry = createDefaultRegistry();
  return {
    analyze: (call) => analyzeWith(call, { workers, registry, parallel: options.parallel }),
    get workersStarted() {
      return workers.started;
    },
    close: () => workers.close(),
  };
}
