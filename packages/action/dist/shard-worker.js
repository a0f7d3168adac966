import { createRequire as __cbCreateRequire } from 'node:module';
import { fileURLToPath as __cbFileURLToPath } from 'node:url';
import { dirname as __cbDirname, basename as __cbBasename, join as __cbJoin } from 'node:path';
const require = __cbCreateRequire(import.meta.url);
const __cb_here = __cbDirname(__cbFileURLToPath(import.meta.url));
const __cb_dirname = __cbBasename(__cb_here) === 'chunks' ? __cbDirname(__cb_here) : __cb_here;
const __cb_filename = __cbJoin(__cb_dirname, 'index.js');
import {
  createDefaultRegistry,
  init_batch_context,
  init_codebatch_error,
  init_default_registry,
  init_run_shard_chain,
  init_store,
  isCodebatchError,
  loadBatchRunContext,
  openStore,
  runShardChain,
  toCodebatchError
} from "./chunks/chunk-AZEWJOF4.js";

// ../core/src/run/shard-worker.ts
init_codebatch_error();
init_store();
init_default_registry();
init_batch_context();
init_run_shard_chain();
import { parentPort, workerData } from "node:worker_threads";
async function start() {
  const init = workerData;
  const port = parentPort;
  const registry = createDefaultRegistry();
  const store = openStore(init.storeDir);
  const ctx = {
    ...loadBatchRunContext(store, init.batchId, registry, init.force),
    manifests: init.manifests
  };
  await registry.prepare([...ctx.tasks.values()].map((t) => t.type));
  port.on("message", async (req) => {
    try {
      const results = await runShardChain(ctx, req.shardId, req.members, req.taskIds);
      port.postMessage({ type: "chain", shardId: req.shardId, results });
    } catch (error) {
      const e = isCodebatchError(error) ? error : toCodebatchError(error, `shard ${req.shardId}`);
      port.postMessage({
        type: "error",
        shardId: req.shardId,
        error: { code: e.code, message: e.message, hints: e.hints, details: e.details }
      });
    }
  });
  port.postMessage({ type: "ready" });
}
start().catch((error) => {
  const e = toCodebatchError(error, "starting a worker");
  parentPort?.postMessage({
    type: "error",
    error: { code: e.code, message: e.message, hints: e.hints, details: e.details }
  });
});
