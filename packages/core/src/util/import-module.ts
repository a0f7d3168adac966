/**
 * `import()` of an ES module by URL. Its own module, which scripts/bundle-cli.mjs leaves out of
 * the CLI bundle: the bundle may be compiled from V8's code cache through `vm.Script`
 * (util/compile-cache.ts), where `import()` needs an experimental flag on Node 20.
 */
export function importModule(url: string): Promise<unknown> {
  return import(url);
}
