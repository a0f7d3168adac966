import { createRequire as __cbCreateRequire } from 'node:module';
import { fileURLToPath as __cbFileURLToPath } from 'node:url';
import { dirname as __cbDirname, basename as __cbBasename, join as __cbJoin } from 'node:path';
const require = __cbCreateRequire(import.meta.url);
const __cb_here = __cbDirname(__cbFileURLToPath(import.meta.url));
const __cb_dirname = __cbBasename(__cb_here) === 'chunks' ? __cbDirname(__cb_here) : __cb_here;
const __cb_filename = __cbJoin(__cb_dirname, 'index.js');
import {
  FileMemo,
  createDefaultRegistry,
  init_codebatch_error,
  init_read_batch,
  isCodebatchError,
  loadBatchRunContext,
  openStore,
  readBatchRecords,
  runShardChain,
  toCodebatchError
} from "./chunks/chunk-PTFXBR7Q.js";

// ../core/src/run/shard-worker.ts
init_read_batch();
init_codebatch_error();
import { parentPort } from "node:worker_threads";

// ../core/src/util/compile-cache.ts
import { isAscii } from "node:buffer";
import crypto from "node:crypto";
import fs from "node:fs";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { isMainThread } from "node:worker_threads";
var DEFAULT_MIN_BYTES = 1024 * 1024;
var STATS = /* @__PURE__ */ Symbol.for("codebatch.compileCache");
var perThread = globalThis;
var stats = perThread[STATS] ?? { mode: "off", hits: 0, misses: 0 };
perThread[STATS] = stats;
function enableCompileCache(options = {}) {
  if (stats.mode !== "off") return;
  const setting = process.env.CODEBATCH_COMPILE_CACHE;
  if (setting === "0") return;
  const dir = options.dir ?? // A relative directory would land wherever the command runs, perhaps in the analysed tree.
  (setting && path.isAbsolute(setting) ? setting : path.join(os.tmpdir(), `codebatch-compile-cache-${process.getuid?.() ?? "user"}`));
  try {
    if (!isPrivateDirectory(dir)) return;
    const native = Module.enableCompileCache;
    if (native) {
      const { status } = native(dir);
      const { ENABLED, ALREADY_ENABLED } = Module.constants.compileCacheStatus;
      if (status === ENABLED || status === ALREADY_ENABLED) stats.mode = "node";
      return;
    }
    hookCompile(
      path.join(dir, `${process.version}-${process.arch}`),
      options.minBytes ?? DEFAULT_MIN_BYTES,
      options.accepts ?? isCompilerOrBundle
    );
    stats.mode = "codebatch";
  } catch {
  }
}
var BUNDLE_DIR = path.resolve(__cb_dirname, "..", "bundle");
var COMPILER = `${path.sep}node_modules${path.sep}typescript${path.sep}lib${path.sep}typescript.js`;
var SHIPPED_COMPILER = `${path.sep}typescript.cjs`;
function isCompilerOrBundle(filename) {
  return filename.endsWith(COMPILER) || filename.endsWith(SHIPPED_COMPILER) || path.dirname(filename) === BUNDLE_DIR;
}
function isPrivateDirectory(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 448 });
  const stat = fs.lstatSync(dir);
  const uid = process.getuid?.();
  return stat.isDirectory() && (uid === void 0 || stat.uid === uid) && (stat.mode & 18) === 0;
}
var HEADER_BYTES = 64;
function hookCompile(dir, minBytes, accepts) {
  const read = hookRead(accepts);
  const proto = Module.prototype;
  const original = proto._compile;
  proto._compile = function compileWithCache(content, filename, ...rest) {
    if (content.length < minBytes || !accepts(filename))
      return original.call(this, content, filename, ...rest);
    const sourceKey = read.keyOf(content, filename) ?? sourceKeyOf(filename, content);
    const file = path.join(dir, crypto.createHash("sha256").update(filename).digest("hex"));
    const cachedData = readCacheFile(file, sourceKey);
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      return original.call(this, content, filename, ...rest);
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    const result = wrapper.call(
      this.exports,
      this.exports,
      makeRequire(this),
      this,
      filename,
      path.dirname(filename)
    );
    if (cachedData && !script.cachedDataRejected) stats.hits += 1;
    else {
      stats.misses += 1;
      writeCacheFile(dir, file, sourceKey, () => script.createCachedData());
      if (isMainThread)
        process.once("exit", () => writeCacheFile(dir, file, sourceKey, () => script.createCachedData()));
    }
    return result;
  };
}
function sourceKeyOf(filename, source) {
  return crypto.createHash("sha256").update(filename).update("\0").update(source).digest();
}
function hookRead(accepts) {
  let pending;
  const extensions = Module._extensions;
  const original = extensions[".js"];
  if (original) {
    extensions[".js"] = function loadWithCache(module, filename) {
      if (!accepts(filename)) return original.call(this, module, filename);
      const bytes = fs.readFileSync(filename);
      const content = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
      pending = { content, filename, key: sourceKeyOf(filename, bytes) };
      try {
        module._compile(
          content,
          filename
        );
      } finally {
        pending = void 0;
      }
    };
  }
  return {
    keyOf(content, filename) {
      return pending && pending.filename === filename && pending.content === content ? pending.key : void 0;
    }
  };
}
function readCacheFile(file, sourceKey) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return void 0;
  }
  if (bytes.length <= HEADER_BYTES || !bytes.subarray(0, 32).equals(sourceKey)) return void 0;
  const data = bytes.subarray(HEADER_BYTES);
  const digest = crypto.createHash("sha256").update(data).digest();
  return digest.equals(bytes.subarray(32, HEADER_BYTES)) ? data : void 0;
}
function makeRequire(mod) {
  const require2 = ((id) => mod.require(id));
  const internal = Module;
  require2.resolve = ((request, options) => internal._resolveFilename(request, mod, false, options));
  require2.resolve.paths = (request) => internal._resolveLookupPaths(request, mod);
  require2.main = process.mainModule;
  require2.cache = Module._cache;
  require2.extensions = Module._extensions;
  return require2;
}
function writeCacheFile(dir, file, sourceKey, data) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const bytes = data();
    fs.mkdirSync(dir, { recursive: true, mode: 448 });
    const digest = crypto.createHash("sha256").update(bytes).digest();
    fs.writeFileSync(tmp, Buffer.concat([sourceKey, digest, bytes]), { mode: 384 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
    }
  }
}

// ../core/src/run/shard-worker.ts
function jobKey(job) {
  return JSON.stringify([job.storeDir, job.batchId, job.force, job.manifests]);
}
function start() {
  enableCompileCache();
  const port = parentPort;
  const registry = createDefaultRegistry();
  let current;
  let ahead;
  const open = async (job) => {
    current = void 0;
    const memos = ahead?.storeDir === job.storeDir ? ahead.memos : void 0;
    ahead = void 0;
    const store = openStore(job.storeDir);
    const ctx = loadBatchRunContext(store, readBatchRecords(store, job.batchId), registry, {
      force: job.force,
      manifests: job.manifests,
      ...memos ? { memos } : {}
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
        if (req.memos) ahead = readMemosAhead(req.memos);
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
function readMemosAhead(preload) {
  try {
    const store = openStore(preload.storeDir);
    const memos = new Map(preload.taskIds.map((id) => [id, new FileMemo(store, id)]));
    for (const memo of memos.values()) memo.preload();
    return { storeDir: preload.storeDir, memos };
  } catch {
    return void 0;
  }
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
