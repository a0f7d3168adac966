import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../util/hash';

/**
 * The versions of what shapes the built-in tasks' results: the TypeScript parser, the
 * tree-sitter runtime and the Python grammar it loads. Returned as the `environment` of parse,
 * analyze, symbols and lint, so it is part of every input bundle and (for tasks without
 * `fileKeys`) every per-file memo key: upgrading a parser re-executes instead of reusing results
 * made by the old one, with no manual task-version bump.
 *
 * Cheap on purpose (the runner asks before deciding whether anything executes): versions come
 * from package.json files and the grammar is hashed as bytes; neither the compiler nor the wasm
 * runtime is loaded.
 */
export interface Toolchain {
  typescript: string;
  /** The package version; in the action bundle, which ships no package.json, `sha256:` of its runtime wasm. */
  'web-tree-sitter': string;
  /** Grammar file name -> sha256 of the bytes the Python parser loads. */
  grammars: Record<string, string>;
}

let cached: Toolchain | undefined;
let override: Partial<Toolchain> | undefined;

/**
 * @returns the toolchain of this process (computed once; `overrideToolchain` applied on top)
 */
export function readToolchain(): Toolchain {
  cached ??= computeToolchain();
  return override ? { ...cached, ...override } : cached;
}

/**
 * Replaces parts of what `readToolchain` returns, for tests that simulate an upgrade
 * (a different TypeScript version) without installing one.
 *
 * @param parts the fields to report instead; undefined restores the real toolchain
 */
export function overrideToolchain(parts: Partial<Toolchain> | undefined): void {
  override = parts;
}

/** The `environment` hook of the built-in tasks. */
export async function toolchainEnvironment(): Promise<Record<string, unknown>> {
  return { ...readToolchain() };
}

function computeToolchain(): Toolchain {
  // A static require of the JSON: node reads it from node_modules, esbuild inlines it into the
  // action bundle (which has no node_modules); typescript's package.json is not behind `exports`.
  const typescript = (require('typescript/package.json') as { version: string }).version;
  const grammar = resolveAsset('tree-sitter-python.wasm', () =>
    require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  );
  return {
    typescript,
    'web-tree-sitter': webTreeSitterVersion(),
    grammars: { 'tree-sitter-python.wasm': sha256OfFile(grammar) },
  };
}

/**
 * Where the running code loads a wasm file from. The action bundle copies both wasm files next
 * to itself and loads them from there (packages/action/scripts/build.mjs, wasmNextToBundle);
 * from source, `__dirname` is this folder, which holds none, and node_modules has them.
 */
function resolveAsset(name: string, fromPackage: () => string): string {
  const bundled = path.join(__dirname, name);
  return fs.existsSync(bundled) ? bundled : fromPackage();
}

/**
 * web-tree-sitter's `exports` hide its package.json (neither node nor esbuild resolves
 * `web-tree-sitter/package.json`): read it next to the exported runtime wasm. In the bundle
 * there is no package.json; the runtime wasm's hash names the release just as well.
 */
function webTreeSitterVersion(): string {
  const runtime = resolveAsset('tree-sitter.wasm', () => require.resolve('web-tree-sitter/tree-sitter.wasm'));
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(runtime), 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    if (pkg.name === 'web-tree-sitter' && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // No package.json beside it: the bundled copy.
  }
  return `sha256:${sha256OfFile(runtime)}`;
}

function sha256OfFile(file: string): string {
  return sha256Hex(fs.readFileSync(file));
}
