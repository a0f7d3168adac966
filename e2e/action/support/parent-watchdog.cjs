/**
 * Preloaded (`node --require`) into every child process the harness starts. The parent keeps a
 * pipe open on the child's stdin; when the parent dies for any reason (a failed test, a killed
 * jest worker, SIGKILL) the pipe closes and the child exits, so no azurite or action process
 * outlives the test that started it.
 */
'use strict';
// Worker threads inherit `--require` and get a stdin of their own that ends at once: watching it
// there ended every worker thread of the action (exit 0 before it started), and the engine ran
// all its chains on the main thread instead.
if (require('node:worker_threads').isMainThread) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  // Keep the watchdog from holding the event loop open on its own.
  process.stdin.unref?.();
}
