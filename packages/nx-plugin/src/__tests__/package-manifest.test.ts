import fs from 'node:fs';
import path from 'node:path';
import executorsJson from '../../executors.json';
import generatorsJson from '../../generators.json';
import packageJson from '../../package.json';

const PKG = path.resolve(__dirname, '../..');

/** `./dist/x/y` (built output) -> `src/x/y.ts` (its source in this checkout). */
function sourceOf(implementation: string): { file: string; exportName: string } {
  const [modulePath, exportName = 'default'] = implementation.split('#');
  return { file: path.join(PKG, modulePath!.replace(/^\.\/dist\//, 'src/') + '.ts'), exportName };
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

  it('ships what Nx loads: dist, the manifests and the schema files', () => {
    expect(packageJson.executors).toBe('./executors.json');
    expect(packageJson.generators).toBe('./generators.json');
    expect(packageJson.files).toEqual(
      expect.arrayContaining(['dist', 'executors.json', 'generators.json', 'src/**/schema.json']),
    );
    expect(packageJson.dependencies).toHaveProperty('@codebatch/core');
  });
});
