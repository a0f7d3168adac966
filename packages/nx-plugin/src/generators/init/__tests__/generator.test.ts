import { readJson, readNxJson, type Tree, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import initGenerator, { INIT_DEFAULTS } from '../generator';
import schema from '../schema.json';

describe('@codebatch/nx:init', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin, writes the default config and ignores the store and reports', async () => {
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual(['@codebatch/nx']);
    expect(readJson(tree, 'codebatch.config.json')).toEqual({
      $schema: './node_modules/@codebatch/core/schemas/config.schema.json',
      pipeline: 'lint',
      exclude: [],
    });
    expect(tree.read('.gitignore', 'utf-8')).toMatch(
      /# codebatch store and reports\n\/\.codebatch\/\n\/reports\/codebatch\/\n$/,
    );
  });

  it('is idempotent: a second run changes nothing', async () => {
    await initGenerator(tree, { skipFormat: true });
    const snapshot = () => Object.fromEntries(tree.listChanges().map((c) => [c.path, c.content?.toString()]));
    const before = snapshot();
    await initGenerator(tree, { skipFormat: true });
    expect(snapshot()).toEqual(before);
    expect(readNxJson(tree)?.plugins).toEqual(['@codebatch/nx']);
  });

  it('keeps an existing registration (with its options), config file and ignore entries', async () => {
    const nxJson = readNxJson(tree)!;
    updateNxJson(tree, {
      ...nxJson,
      plugins: ['@nx/js', { plugin: '@codebatch/nx', options: { tasks: ['lint'] } }],
    });
    tree.write('codebatch.config.json', '{"pipeline":"full"}\n');
    tree.write('.gitignore', 'node_modules\n.codebatch\n');
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([
      '@nx/js',
      { plugin: '@codebatch/nx', options: { tasks: ['lint'] } },
    ]);
    expect(tree.read('codebatch.config.json', 'utf-8')).toBe('{"pipeline":"full"}\n');
    expect(tree.read('.gitignore', 'utf-8')).toBe(
      'node_modules\n.codebatch\n\n# codebatch store and reports\n/reports/codebatch/\n',
    );
  });

  it('registers non-default store and config paths as plugin options', async () => {
    await initGenerator(tree, {
      storeDir: 'tmp/cb-store',
      configFile: 'tools/codebatch.json',
      skipFormat: true,
    });
    expect(readNxJson(tree)?.plugins).toEqual([
      { plugin: '@codebatch/nx', options: { storeDir: 'tmp/cb-store', configFile: 'tools/codebatch.json' } },
    ]);
    expect(tree.exists('tools/codebatch.json')).toBe(true);
    expect(tree.read('.gitignore', 'utf-8')).toContain('/tmp/cb-store/\n');
  });

  it('has the same defaults in schema.json as in the generator', () => {
    const defaults = Object.fromEntries(Object.entries(schema.properties).map(([k, p]) => [k, p.default]));
    expect(defaults).toEqual(INIT_DEFAULTS);
  });
});
