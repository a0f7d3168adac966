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
  init_read_batch,
  init_run_shard_chain,
  init_store,
  isCodebatchError,
  loadBatchRunContext,
  openStore,
  readBatchRecords,
  runShardChain,
  toCodebatchError
} from "./chunks/chunk-HZU7X2R2.js";

// ../core/src/run/shard-worker.ts
init_read_batch();
init_codebatch_error();
init_store();
init_default_registry();
init_batch_context();
init_run_shard_chain();
import { parentPort } from "node:worker_threads";
function jobKey(job) {
  return JSON.stringify([job.storeDir, job.batchId, job.force, job.manifests]);
}
function start() {
  const port = parentPort;
  const registry = createDefaultRegistry();
  let current;
  const open = async (job) => {
    current = void 0;
    const store = openStore(job.storeDir);
    const ctx = loadBatchRunContext(store, readBatchRecords(store, job.batchId), registry, {
      force: job.force,
      manifests: job.manifests
    });
    await registry.prepare([...ctx.tasks.values()].map((t) => t.type));
    current = { key: jobKey(job), ctx };
    return ctx;
  };
  port.on("message", async (req) => {
    const shardId = req.type === "chain" ? req.shardId : void 0;
    try {
      if (req.type === "open") {
        await open(req.job);
        port.postMessage({ type: "ready" });
        return;
      }
      if (req.type === "prepare") {
        await registry.prepare(req.taskTypes);
        registry.preload?.(req.taskTypes);
        port.postMessage({ type: "ready" });
        return;
      }
      const ctx = current?.key === jobKey(req.job) ? current.ctx : await open(req.job);
      const results = await runShardChain(ctx, req.shardId, req.members, req.taskIds);
      port.postMessage({ type: "chain", shardId: req.shardId, results });
    } catch (error) {
      const e = isCodebatchError(error) ? error : toCodebatchError(
        error,
        shardId ? `shard ${shardId}` : req.type === "prepare" ? "loading task code in a worker" : "opening a batch in a worker"
      );
      port.postMessage({
        type: "error",
        shardId,
        error: { code: e.code, message: e.message, hints: e.hints, details: e.details }
      });
    }
  });
  port.postMessage({ type: "started" });
}
try {
  start();
} catch (error) {
  const e = toCodebatchError(error, "starting a worker");
  parentPort?.postMessage({
    type: "error",
    error: { code: e.code, message: e.message, hints: e.hints, details: e.details }
  });
}
