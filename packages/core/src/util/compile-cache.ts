import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Compiling the TypeScript compiler (9 MB of JavaScript) takes longer than everything else a
 * one-file `check` does before it: 130 of its 180 ms to load. V8 can start from code it cached
 * on an earlier run. Node 22 does this itself (`module.enableCompileCache`); on Node 20 the few
 * large modules are compiled here, with V8's cached data kept in a per-user directory.
 */

/** Modules below this size compile faster than their cache file is read and checked. */
const DEFAULT_MIN_BYTES = 1024 * 1024;

export interface CompileCacheOptions {
  /** Where cached data is kept; default `<tmpdir>/codebatch-compile-cache-<uid>`. */
  dir?: string;
  minBytes?: number;
}

export interface CompileCacheStats {
  /** `node` when Node's own compile cache serves, `codebatch` when this module's does. */
  mode: 'node' | 'codebatch' | 'off';
  /** Modules compiled from cached data. */
  hits: number;
  /** Modules compiled afresh (and cached for the next process). */
  misses: number;
}

const stats: CompileCacheStats = { mode: 'off', hits: 0, misses: 0 };

export function compileCacheStats(): Readonly<CompileCacheStats> {
  return stats;
}

/**
 * Turns the cache on for this process (and is a no-op when already on). Never throws: a cache
 * that cannot be used leaves loading exactly as it was. `CODEBATCH_COMPILE_CACHE=0` turns it
 * off; any other value names the directory.
 */
export function enableCompileCache(options: CompileCacheOptions = {}): void {
  if (stats.mode !== 'off') return;
  const setting = process.env.CODEBATCH_COMPILE_CACHE;
  if (setting === '0') return;
  const dir =
    options.dir ??
    (setting ? setting : path.join(os.tmpdir(), `codebatch-compile-cache-${process.getuid?.() ?? 'user'}`));
  try {
    const native = (Module as unknown as { enableCompileCache?: (dir: string) => { status: number } })
      .enableCompileCache;
    if (native) {
      native(dir);
      stats.mode = 'node';
      return;
    }
    if (!isPrivateDirectory(dir)) return;
    hookCompile(path.join(dir, `${process.version}-${process.arch}`), options.minBytes ?? DEFAULT_MIN_BYTES);
    stats.mode = 'codebatch';
  } catch {
    // Acceleration only.
  }
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

type CompileFn = (this: Module, content: string, filename: string) => unknown;

function hookCompile(dir: string, minBytes: number): void {
  const proto = Module.prototype as unknown as { _compile: CompileFn };
  const original = proto._compile;
  proto._compile = function compileWithCache(this: Module, content: string, filename: string) {
    if (content.length < minBytes) return original.call(this, content, filename);
    // Keyed by the bytes themselves: an edited module can never meet another version's code.
    const key = crypto.createHash('sha256').update(filename).update('\0').update(content).digest('hex');
    const file = path.join(dir, key);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
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
      writeCacheFile(dir, file, script.createCachedData());
    }
    return result;
  };
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

function writeCacheFile(dir: string, file: string, data: Buffer): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Another process may write the same key at the same time: each writes its own file and
    // renames it into place, so a reader sees one whole file or none.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // Acceleration only.
  }
}
