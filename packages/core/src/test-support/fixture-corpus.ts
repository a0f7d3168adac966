import path from 'node:path';
import { writeTree } from './temp-dir';

/**
 * A small source tree with the awkward cases every stage must survive. Shared by snapshot,
 * runner, query and lint tests: add files freely, but do not change or remove existing ones
 * (other suites assert on them), and update the lists below with any addition.
 *
 * Contents (paths relative to `dir`):
 * - `.gitignore` ignoring `node_modules/`, `dist/` and `*.log`, with files in all three
 *   (`node_modules/left-pad/index.js`, `dist/bundle.js`, `debug.log`);
 * - nested `packages/app/.gitignore` ignoring `generated/` and re-including `!keep.log`
 *   (`packages/app/generated/out.ts` ignored, `packages/app/keep.log` kept);
 * - sources with lint issues: `src/main.ts` (trailing whitespace line 2, a 150-char line 3,
 *   `TODO` line 4, tab indentation line 6, no final newline), `src/util.js` (trailing whitespace,
 *   `FIXME`, no final newline), `src/tool.py` (tab indentation, `TODO`, a 130-char line, an unused
 *   import); clean `packages/app/src/index.ts`;
 * - module flavours `src/esm.mjs`, `src/common.cjs`, `src/types.mts`, `src/legacy.cts`,
 *   `src/component.tsx`, `src/view.jsx`, `src/types.d.ts`;
 * - names: `src/😀.ts`, `docs/日本語.md`, `aux.js` (reserved on Windows), `a:b.ts` (colon);
 * - content: `assets/logo.png` (binary, NUL bytes), `data/crlf.txt` (CRLF line ends),
 *   `data/empty.txt` (0 bytes), `data/latin1.py` (invalid UTF-8: Latin-1 bytes, so `text: false`);
 * - `deep/l1/.../l12/deep.ts`: 13 directory levels;
 * - plus `docs/README.md`, `config/settings.json`, `config/ci.yml`, `styles/site.css`, `scripts/build.sh`.
 *
 * Symlinks, FIFOs, unreadable files and invalid UTF-8 names are left to the tests that need them,
 * because not every platform and user (root) can create or observe them.
 */
export function writeFixtureCorpus(dir: string): void {
  const files: Record<string, string | Buffer> = {
    '.gitignore': 'node_modules/\ndist/\n*.log\n',
    'node_modules/left-pad/index.js': 'module.exports = (s) => s;\n',
    'dist/bundle.js': 'console.log("built");\n',
    'debug.log': 'ignored log line\n',
    'packages/app/.gitignore': 'generated/\n!keep.log\n',
    'packages/app/generated/out.ts': 'export const generated = 1;\n',
    'packages/app/keep.log': 'kept by a negation in the nested .gitignore\n',
    'packages/app/src/index.ts':
      "export function hello(name: string): string {\n  return 'hello ' + name;\n}\n",
    'src/main.ts': [
      "import { helper } from './util';",
      'export const value = 1;   ',
      `export const long = '${'x'.repeat(150 - 23)}';`,
      '// TODO: remove this',
      'export function f(): number {',
      '\treturn helper(value);',
      '}',
    ].join('\n'),
    'src/util.js': 'export function helper(x) {  \n  // FIXME: validate x\n  return x + 1;\n}',
    'src/tool.py': [
      'import os',
      'import sys',
      '',
      '',
      'def main():',
      '\tprint(sys.argv)  # TODO: argparse',
      `    message = "${'y'.repeat(130 - 16)}"`,
      '\treturn 0',
      '',
    ].join('\n'),
    'src/esm.mjs': "export default 'esm';\n",
    'src/common.cjs': "module.exports = 'cjs';\n",
    'src/types.mts': 'export type Id = string;\n',
    'src/legacy.cts': 'export = 42;\n',
    'src/component.tsx': 'export const C = () => <div>hi</div>;\n',
    'src/view.jsx': 'export const V = () => <span />;\n',
    'src/types.d.ts': 'declare const x: number;\n',
    'src/😀.ts': "export const emoji = '😀';\n",
    'docs/日本語.md': '# 日本語\n\nこんにちは\n',
    'docs/README.md': '# Fixture\n\nA tree for tests.\n',
    'aux.js': "export const aux = 'reserved name on Windows';\n",
    'a:b.ts': "export const colon = 'a:b';\n",
    'assets/logo.png': Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    ]),
    'data/crlf.txt': 'line one\r\nline two\r\n',
    'data/empty.txt': '',
    'data/latin1.py': Buffer.from('# caf\xe9\nprint("na\xefve")\n', 'latin1'),
    [`${DEEP_DIR}/deep.ts`]: 'export const depth = 13;\n',
    'config/settings.json': '{ "name": "fixture" }\n',
    'config/ci.yml': 'steps:\n  - run: test\n',
    'styles/site.css': 'body { margin: 0; }\n',
    'scripts/build.sh': '#!/bin/sh\necho build\n',
  };
  writeTree(dir, files);
}

const DEEP_DIR = ['deep', ...Array.from({ length: 12 }, (_, i) => `l${i + 1}`)].join('/');

/** What a default snapshot (gitignore on, no filters) of the fixture contains, sorted by UTF-8 bytes. */
export const FIXTURE_SNAPSHOT_PATHS: readonly string[] = [
  '.gitignore',
  'a:b.ts',
  'assets/logo.png',
  'aux.js',
  'config/ci.yml',
  'config/settings.json',
  'data/crlf.txt',
  'data/empty.txt',
  'data/latin1.py',
  `${DEEP_DIR}/deep.ts`,
  'docs/README.md',
  'docs/日本語.md',
  'packages/app/.gitignore',
  'packages/app/keep.log',
  'packages/app/src/index.ts',
  'scripts/build.sh',
  'src/common.cjs',
  'src/component.tsx',
  'src/esm.mjs',
  'src/legacy.cts',
  'src/main.ts',
  'src/tool.py',
  'src/types.d.ts',
  'src/types.mts',
  'src/util.js',
  'src/view.jsx',
  'src/😀.ts',
  'styles/site.css',
];

/** Files present on disk that .gitignore rules keep out of a default snapshot. */
export const FIXTURE_IGNORED_PATHS: readonly string[] = [
  'debug.log',
  'dist/bundle.js',
  'node_modules/left-pad/index.js',
  'packages/app/generated/out.ts',
];

/** Joins a fixture path onto the directory it was written to (for tests that edit files). */
export function fixturePath(dir: string, canonicalPath: string): string {
  return path.join(dir, ...canonicalPath.split('/'));
}
