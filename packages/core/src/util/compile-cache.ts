import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/**
 * Compiling the TypeScript compiler (9 MB of JavaScript) takes longer than everything else a
 * one-file `check` does before it: 130 of its 180 ms to load. V8 can start from code it cached
 * on an earlier run. Node 22 does this itself (`module.enableCompileCache`); on Node 20 the
 * compiler and codebatch's own bundle are compiled here, with V8's cached data kept in a
 * per-user directory.
 *
 * Only those two: a module compiled through `vm.Script` cannot call `import()` on Node 20
 * without an experimental flag, and neither of them does (the bundle leaves its one `import()`
 * in util/import-module.ts, outside the bundle).
 */

/** Modules below this size compile faster than their cache file is read and checked. */
const DEFAULT_MIN_BYTES = 1024 * 1024;

export interface CompileCacheOptions {
  /** Where cached data is kept; default `<tmpdir>/codebatch-compile-cache-<uid>`. */
  dir?: string;
  minBytes?: number;
  /** Which module files may be compiled here (default: the TypeScript compiler and the bundle). */
  accepts?: (filename: string) => boolean;
}

export interface CompileCacheStats {
  /** `node` when Node's own compile cache serves, `codebatch` when this module's does. */
  mode: 'node' | 'codebatch' | 'off';
  /** Modules compiled from cached data. */
  hits: number;
  /** Modules compiled afresh (and cached for the next process). */
  misses: number;
}

// Per thread, not per copy of this module: bin/codebatch.js and a worker's bootstrap load
// dist/util/compile-cache.js, and the bundles carry their own copy, which must see it is on
// (hooking `_compile` twice would wrap the cache in itself).
const STATS = Symbol.for('codebatch.compileCache');
const perThread = globalThis as Record<symbol, CompileCacheStats | undefined>;
const stats: CompileCacheStats = perThread[STATS] ?? { mode: 'off', hits: 0, misses: 0 };
perThread[STATS] = stats;

export function compileCacheStats(): Readonly<CompileCacheStats> {
  return stats;
}

/**
 * Turns the cache on for this process (and is a no-op when already on). Never throws: a cache
 * that cannot be used leaves loading exactly as it was. `CODEBATCH_COMPILE_CACHE=0` turns it
 * off; an absolute path names the directory.
 */
export function enableCompileCache(options: CompileCacheOptions = {}): void {
  if (stats.mode !== 'off') return;
  const setting = process.env.CODEBATCH_COMPILE_CACHE;
  if (setting === '0') return;
  const dir =
    options.dir ??
    // A relative directory would land wherever the command runs, perhaps in the analysed tree.
    (setting && path.isAbsolute(setting)
      ? setting
      : path.join(os.tmpdir(), `codebatch-compile-cache-${process.getuid?.() ?? 'user'}`));
  try {
    if (!isPrivateDirectory(dir)) return;
    const native = (Module as unknown as { enableCompileCache?: (dir: string) => { status: number } })
      .enableCompileCache;
    if (native) {
      const { status } = native(dir);
      const { ENABLED, ALREADY_ENABLED } = (
        Module as unknown as { constants: { compileCacheStatus: Record<string, number> } }
      ).constants.compileCacheStatus;
      if (status === ENABLED || status === ALREADY_ENABLED) stats.mode = 'node';
      return;
    }
    hookCompile(
      path.join(dir, `${process.version}-${process.arch}`),
      options.minBytes ?? DEFAULT_MIN_BYTES,
      options.accepts ?? isCompilerOrBundle,
    );
    stats.mode = 'codebatch';
  } catch {
    // Acceleration only.
  }
}

const BUNDLE_DIR = path.resolve(__dirname, '..', 'bundle');
const COMPILER = `${path.sep}node_modules${path.sep}typescript${path.sep}lib${path.sep}typescript.js`;

/** The Action ships the compiler beside its bundle under this name (packages/action/scripts/build.mjs). */
const SHIPPED_COMPILER = `${path.sep}typescript.cjs`;

function isCompilerOrBundle(filename: string): boolean {
  return (
    filename.endsWith(COMPILER) ||
    filename.endsWith(SHIPPED_COMPILER) ||
    path.dirname(filename) === BUNDLE_DIR
  );
}

/**
 * Cached data is code V8 runs: it is taken only from a directory this user alone can write,
 * created here with mode 0700 if missing, and never through a symlink someone else planted.
 */
function isPrivateDirectory(dir: string): boolean {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  const uid = process.getuid?.();
  return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
}

type CompileFn = (this: Module, content: string, filename: string, ...rest: unknown[]) => unknown;

/**
 * A cache file: sha256 of (filename, source), sha256 of the data, then V8's data. Release
 * builds of V8 do not checksum code caches, so damaged data could crash the process or run
 * wrongly: it is handed to V8 only when its own digest matches. One file per module path, so a
 * rebuilt module replaces its entry instead of adding one.
 */
const HEADER_BYTES = 64;

function hookCompile(dir: string, minBytes: number, accepts: (filename: string) => boolean): void {
  const read = hookRead(accepts);
  const proto = Module.prototype as unknown as { _compile: CompileFn };
  const original = proto._compile;
  proto._compile = function compileWithCache(this: Module, content: string, filename: string, ...rest) {
    if (content.length < minBytes || !accepts(filename))
      return original.call(this, content, filename, ...rest);
    const sourceKey = read.keyOf(content, filename) ?? sourceKeyOf(filename, content);
    const file = path.join(dir, crypto.createHash('sha256').update(filename).digest('hex'));
    const cachedData = readCacheFile(file, sourceKey);
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      // Not a script V8 compiles as CommonJS (ES module syntax): Node's own path decides.
      return original.call(this, content, filename, ...rest);
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const result = wrapper.call(
      this.exports,
      this.exports,
      makeRequire(this),
      this,
      filename,
      path.dirname(filename),
    );
    if (cachedData && !script.cachedDataRejected) stats.hits += 1;
    else {
      stats.misses += 1;
      // After the module body ran, so the functions it compiled while loading are in the data.
      writeCacheFile(dir, file, sourceKey, () => script.createCachedData());
      // And again as this process ends, with the functions the run compiled after loading: the
      // next unchanged `check` then compiles none of them (8-10 ms less). Not in a worker
      // thread, which is terminated, not ended: there the write above is the one.
      if (isMainThread)
        process.once('exit', () => writeCacheFile(dir, file, sourceKey, () => script.createCachedData()));
    }
    return result;
  };
}

function sourceKeyOf(filename: string, source: string | Buffer): Buffer {
  return crypto.createHash('sha256').update(filename).update('\0').update(source).digest();
}

type LoadFn = (module: Module, filename: string) => void;

/**
 * Reads the compiler and the bundle as Node would, faster: Node reads a module as UTF-8 text (27
 * ms for the compiler's 9 MB, which are all ASCII), then the source key hashed that text again
 * as UTF-8 (14 ms). Read as bytes, hashed as bytes (6 ms), and made text as Latin-1 when they
 * are ASCII (5 ms), the same in one-byte text, the one-file `check`'s worker gets the compiler
 * 30 ms sooner. Bytes that are valid UTF-8 give the key the text would; others give a key of
 * their own, which is all a key must.
 */
function hookRead(accepts: (filename: string) => boolean): {
  keyOf(content: string, filename: string): Buffer | undefined;
} {
  let pending: { content: string; filename: string; key: Buffer } | undefined;
  const extensions = (Module as unknown as { _extensions: Record<string, LoadFn> })._extensions;
  const original = extensions['.js'];
  if (original) {
    extensions['.js'] = function loadWithCache(module: Module, filename: string) {
      if (!accepts(filename)) return original.call(this, module, filename);
      const bytes = fs.readFileSync(filename);
      const content = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
      pending = { content, filename, key: sourceKeyOf(filename, bytes) };
      try {
        (module as unknown as { _compile(content: string, filename: string): unknown })._compile(
          content,
          filename,
        );
      } finally {
        pending = undefined;
      }
    };
  }
  return {
    keyOf(content, filename) {
      // The very string read above (compared by identity first, as the engine does for equal
      // pointers), not one with the same length: a module compiled another way hashes its own.
      return pending && pending.filename === filename && pending.content === content
        ? pending.key
        : undefined;
    },
  };
}

function readCacheFile(file: string, sourceKey: Buffer): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER_BYTES || !bytes.subarray(0, 32).equals(sourceKey)) return undefined;
  const data = bytes.subarray(HEADER_BYTES);
  const digest = crypto.createHash('sha256').update(data).digest();
  return digest.equals(bytes.subarray(32, HEADER_BYTES)) ? data : undefined;
}

function makeRequire(mod: Module): NodeJS.Require {
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const internal = Module as unknown as {
    _resolveFilename(request: string, parent: Module, isMain: boolean, options?: unknown): string;
    _resolveLookupPaths(request: string, parent: Module): string[] | null;
  };
  require.resolve = ((request: string, options?: { paths?: string[] }) =>
    internal._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  require.resolve.paths = (request: string) => internal._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.cache = (Module as unknown as { _cache: NodeJS.Require['cache'] })._cache;
  require.extensions = (Module as unknown as { _extensions: NodeJS.Require['extensions'] })._extensions;
  return require;
}

function writeCacheFile(dir: string, file: string, sourceKey: Buffer, data: () => Buffer): void {
  // Another process may write the same entry at the same time: each writes its own file and
  // renames it into place, so a reader sees one whole file or none.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const bytes = data();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const digest = crypto.createHash('sha256').update(bytes).digest();
    fs.writeFileSync(tmp, Buffer.concat([sourceKey, digest, bytes]), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Left for the temp directory's own cleaning.
    }
  }
}
