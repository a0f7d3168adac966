/**
 * The runner-facing edge: the only module that imports @actions/* (ESM-only packages). The flow
 * talks to this interface, so it can be exercised with a fake host in unit tests.
 */
export interface ActionsHost {
  getInput(name: string): string;
  setOutput(name: string, value: string | number): void;
  /** Masks a value in all later log output. */
  setSecret(value: string): void;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Writes a raw line to the log (workflow commands we format ourselves). */
  writeLine(line: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  setFailed(message: string): void;
  appendSummary(markdown: string): Promise<void>;
  /** @actions/cache restoreCache: the matched key, or undefined on a miss or a service problem. */
  restoreCache(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  /** @actions/cache saveCache: the entry id, or -1 when the service failed (already warned). */
  saveCache(paths: string[], key: string): Promise<number>;
  isCacheAvailable(): boolean;
}
