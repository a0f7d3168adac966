import fs from 'node:fs';
import path from 'node:path';
import executorsJson from '../../executors.json';
import generatorsJson from '../../generators.json';
import packageJson from '../../package.json';

const PKG = path.resolve(__dirname, '../..');

/** `./dist/x/y.js` (built output) -> `src/x/y.ts` (its source in this checkout). */
function sourceOf(implementation: string): { file: string; exportName: string } {
  const [modulePath, exportName = 'default'] = implementation.split('#');
  return {
    file: path.join(PKG, modulePath!.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')),
    exportName,
  };
}

describe('package manifest', () => {
  it('points executors and generators at sources and schemas that exist, with the named exports', () => {
    const entries = [
      ...Object.values(executorsJson.executors).flatMap((e) => [
        [e.implementation, e.schema],
        [e.batchImplementation, e.schema],
      ]),
      ...Object.values(generatorsJson.generators).map((g) => [g.factory, g.schema]),
    ];
    for (const [implementation, schema] of entries) {
      const { file, exportName } = sourceOf(implementation!);
      expect(fs.existsSync(file)).toBe(true);
      expect(typeof require(file)[exportName]).toBe('function');
      expect(fs.existsSync(path.join(PKG, schema!))).toBe(true);
    }
  });

  it('names built files with their .js extension, so Nx never loads the TypeScript sources', () => {
    // For a plugin that is a workspace project (this repository uses its own plugin), Nx
    // looks for an extensionless implementation path under src/ first and would load the .ts
    // file, which needs a TypeScript transpiler. A `.js` path has no such twin.
    const paths = [
      ...Object.values(executorsJson.executors).flatMap((e) => [e.implementation, e.batchImplementation]),
      ...Object.values(generatorsJson.generators).map((g) => g.factory),
    ];
    for (const p of paths) expect(p.split('#')[0]).toMatch(/^\.\/dist\/.*\.js$/);
    expect(packageJson.main).toBe('dist/index.js');
  });

  it('asks Nx 24 to batch every executor that has a batch implementation', () => {
    // Without preferBatch, Nx 24 batches only under --batch or NX_BATCH_MODE=true, and a
    // run-many forks one process per project, each loading Nx, the plugin and the engine.
    for (const e of Object.values(executorsJson.executors)) {
      expect(e).toMatchObject({ batchImplementation: expect.any(String), preferBatch: true });
    }
  });

  it('ships what Nx loads: dist, the manifests and the schema files', () => {
    expect(packageJson.executors).toBe('./executors.json');
    expect(packageJson.generators).toBe('./generators.json');
    expect(packageJson.files).toEqual(
      expect.arrayContaining(['dist', 'executors.json', 'generators.json', 'src/**/schema.json']),
    );
    expect(packageJson.dependencies).toHaveProperty('@codebatch/core');
  });
});
