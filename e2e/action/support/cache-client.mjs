// Drives the real @actions/cache client, in a child process with the runner's environment,
// exactly as the bundled action would: `node cache-client.mjs save|restore <json args>`.
// Prints one JSON line `{"result": ...}` last; @actions/core's log lines come before it.
import * as cache from '@actions/cache';

const [command, json] = process.argv.slice(2);
const args = JSON.parse(json ?? '{}');
let result;
if (command === 'save') {
  result = await cache.saveCache(args.paths, args.key);
} else if (command === 'restore') {
  result = (await cache.restoreCache(args.paths, args.key, args.restoreKeys ?? [])) ?? null;
} else {
  throw new Error(`unknown command ${command}`);
}
process.stdout.write(`\n${JSON.stringify({ result })}\n`);
