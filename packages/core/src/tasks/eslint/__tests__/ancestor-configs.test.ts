import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../../../util/hash';
import { digestAncestorConfigs, findConfigImportsOnDisk } from '../ancestor-configs';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function writeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codebatch-config-imports-'));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** A root flat config importing a shared base, which imports its rules; an eslintrc chain. */
const WORKSPACE = {
  'eslint.config.mjs':
    "import base from './tools/eslint/base.mjs';\nimport js from '@eslint/js';\nexport default [js.configs.recommended, ...base];\n",
  'tools/eslint/base.mjs': "import { rules } from './rules';\nexport default [{ rules }];\n",
  'tools/eslint/rules.mjs': "export const rules = { 'no-console': 'warn' };\n",
  'tools/eslint/unused.mjs': 'export const unused = 1;\n',
  'apps/app/.eslintrc.js': "module.exports = require('../../eslint-shared.js');\n",
  'eslint-shared.js': "const extra = require('./eslint-extra');\nmodule.exports = { ...extra };\n",
  'eslint-extra.js': 'module.exports = {};\n',
  'apps/app/src/index.ts': 'export const x = 1;\n',
};

describe('findConfigImportsOnDisk', () => {
  it('follows literal relative imports and requires transitively, extensionless ones too, leaving out the configs given', () => {
    const root = writeTree(WORKSPACE);
    expect(findConfigImportsOnDisk(root, ['eslint.config.mjs'])).toEqual([
      'tools/eslint/base.mjs',
      'tools/eslint/rules.mjs',
    ]);
    expect(findConfigImportsOnDisk(root, ['apps/app/.eslintrc.js', 'eslint.config.mjs'])).toEqual([
      'eslint-extra.js',
      'eslint-shared.js',
      'tools/eslint/base.mjs',
      'tools/eslint/rules.mjs',
    ]);
  });

  it('names a config reached from another config, but nothing outside the workspace or missing', () => {
    const outer = writeTree({
      'shared/eslint-base.mjs': 'export default [];\n',
      'ws/apps/web/eslint.config.mjs':
        "import root from '../../eslint.config.mjs';\nimport gone from './missing.mjs';\nexport default root;\n",
      'ws/eslint.config.mjs': "export { default } from '../shared/eslint-base.mjs';\n",
    });
    const root = path.join(outer, 'ws');
    expect(findConfigImportsOnDisk(root, ['apps/web/eslint.config.mjs'])).toEqual(['eslint.config.mjs']);
    expect(findConfigImportsOnDisk(root, ['apps/web/eslint.config.mjs', 'eslint.config.mjs'])).toEqual([]);
  });

  it('reads each file once for all the calls that share a text cache', () => {
    const root = writeTree(WORKSPACE);
    const texts = new Map<string, string | undefined>();
    const first = findConfigImportsOnDisk(root, ['eslint.config.mjs'], texts);
    expect([...texts.keys()].map((f) => path.relative(root, f).split(path.sep).join('/')).sort()).toEqual([
      'eslint.config.mjs',
      'tools/eslint/base.mjs',
      'tools/eslint/rules.mjs',
    ]);
    // A stale cache is what the caller asked for: the edit is not seen through it.
    fs.writeFileSync(path.join(root, 'tools/eslint/base.mjs'), 'export default [];\n');
    expect(findConfigImportsOnDisk(root, ['eslint.config.mjs'], texts)).toEqual(first);
    expect(findConfigImportsOnDisk(root, ['eslint.config.mjs'])).toEqual(['tools/eslint/base.mjs']);
  });
});

describe('digestAncestorConfigs', () => {
  it('digests the files that ancestor configs import, through the same walk', () => {
    const root = writeTree(WORKSPACE);
    const digests = digestAncestorConfigs(path.join(root, 'apps/app'));
    // Only the files of this tree: the folders above the temp dir are not the test's.
    const rel = Object.keys(digests)
      .map((f) => path.relative(root, f).split(path.sep).join('/'))
      .filter((f) => !f.startsWith('../'));
    expect(rel.sort()).toEqual(['eslint.config.mjs', 'tools/eslint/base.mjs', 'tools/eslint/rules.mjs']);
    expect(digests[path.join(root, 'tools/eslint/rules.mjs')]).toBe(
      sha256Hex(fs.readFileSync(path.join(root, 'tools/eslint/rules.mjs'))),
    );
  });
});
