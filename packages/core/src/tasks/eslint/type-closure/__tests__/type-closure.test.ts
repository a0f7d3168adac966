import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, writeTree } from '../../../../test-support/temp-dir';
import { buildTypeClosure } from '../index';
import { diskObservationsHold } from '../snapshot-fs';
import { changedPaths, closureOf, digestsOf, sourceFiles, VIRTUAL_ROOT } from './closure-fixture';

/** a -> b -> c, d -> c, e alone; a tsconfig without anything special. */
const CHAIN: Record<string, string> = {
  'tsconfig.json': '{"compilerOptions":{"strict":true}}',
  'src/a.ts': "import { b } from './b';\nexport const a = b();\n",
  'src/b.ts': "import { c } from './c';\nexport function b() { return c; }\n",
  'src/c.ts': 'export const c = 1;\n',
  'src/d.ts': "import { c } from './c';\nexport const d = c;\n",
  'src/e.ts': 'export const e = 2;\n',
};

function edit(tree: Record<string, string>, changes: Record<string, string | undefined>) {
  const next = { ...tree };
  for (const [p, content] of Object.entries(changes)) {
    if (content === undefined) delete next[p];
    else next[p] = content;
  }
  return next;
}

describe('buildTypeClosure', () => {
  it('editing the body of a leaf file (imported by nobody) changes that file digest only', () => {
    const before = digestsOf(CHAIN);
    const after = digestsOf(
      edit(CHAIN, { 'src/a.ts': "import { b } from './b';\nexport const a = b() + 1;\n" }),
    );
    expect(changedPaths(before, after)).toEqual(['src/a.ts']);
  });

  it('editing a file changes its own digest and those of all its transitive importers, and no other', () => {
    const before = digestsOf(CHAIN);
    const after = digestsOf(edit(CHAIN, { 'src/c.ts': 'export const c = 3;\n' }));
    expect(changedPaths(before, after)).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts']);
  });

  it('changing an exported signature in b.ts (sync -> async) changes a.ts, which imports b', () => {
    const tree = {
      'src/a.ts': "import { load } from './b';\nexport const v = load();\n",
      'src/b.ts': 'export function load(): number { return 1; }\n',
    };
    const before = digestsOf(tree);
    const after = digestsOf(
      edit(tree, { 'src/b.ts': 'export async function load(): Promise<number> { return 1; }\n' }),
    );
    expect(after['src/a.ts']).not.toBe(before['src/a.ts']);
  });

  it('resolves paths/baseUrl aliases (@app/util) to the right file', () => {
    const tree = {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/lib/*'] } },
      }),
      'src/main.ts': "import { u } from '@app/util';\nexport const m = u;\n",
      'src/lib/util.ts': 'export const u = 1;\n',
      'src/util.ts': 'export const decoy = 1;\n',
    };
    const closure = closureOf(tree);
    expect(closure.closureOf('src/main.ts')).toEqual(['src/lib/util.ts', 'src/main.ts']);
    const after = digestsOf(edit(tree, { 'src/lib/util.ts': 'export const u = 2;\n' }));
    expect(after['src/main.ts']).not.toBe(digestsOf(tree)['src/main.ts']);
    // An alias resolved inside the tree is no package: no lockfile in the digest.
    expect(closure.describe('src/main.ts').external).toEqual([]);
  });

  it('resolves a .js specifier in a NodeNext project to the .ts file', () => {
    const tree = {
      'package.json': '{"type":"module"}',
      'tsconfig.json': '{"compilerOptions":{"module":"NodeNext","moduleResolution":"NodeNext"}}',
      'src/index.ts': "import { helper } from './helper.js';\nexport const x = helper;\n",
      'src/helper.ts': 'export const helper = 1;\n',
    };
    expect(closureOf(tree).closureOf('src/index.ts')).toEqual(['src/helper.ts', 'src/index.ts']);
  });

  it('gives the files of a cycle (a -> b -> a) equal closure sets, and both change when either changes', () => {
    const tree = {
      'src/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
      'src/b.ts': "import { a } from './a';\nexport const b = () => a();\n",
      'src/c.ts': "import { a } from './a';\nexport const c = a;\n",
    };
    const closure = closureOf(tree);
    expect(closure.closureOf('src/a.ts')).toEqual(['src/a.ts', 'src/b.ts']);
    expect(closure.closureOf('src/b.ts')).toEqual(closure.closureOf('src/a.ts'));
    const before = digestsOf(tree);
    const editA = digestsOf(
      edit(tree, { 'src/a.ts': "import { b } from './b';\nexport const a = () => b() + 1;\n" }),
    );
    const editB = digestsOf(
      edit(tree, { 'src/b.ts': "import { a } from './a';\nexport const b = () => a() + 1;\n" }),
    );
    expect(changedPaths(before, editA)).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    expect(changedPaths(before, editB)).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    expect(before['src/a.ts']).not.toBe(before['src/b.ts']);
  });

  describe('global scope', () => {
    it.each([
      [
        'a `declare global` file',
        { 'src/env.ts': 'export {};\ndeclare global {\n  interface Window { flag: boolean }\n}\n' },
      ],
      [
        "an ambient `declare module 'x'` file",
        { 'types/x.d.ts': "declare module 'x' {\n  export const x: number;\n}\n" },
      ],
      [
        'a module augmentation inside a module',
        { 'src/augment.ts': "import './c';\ndeclare module './c' {\n  export const extra: string;\n}\n" },
      ],
    ])('adding %s changes every TS file digest', (_what, added) => {
      const before = digestsOf(CHAIN);
      const after = digestsOf(edit(CHAIN, added));
      expect(changedPaths(before, after)).toEqual(Object.keys(before).sort());
    });

    it('adding a plain module file changes nobody else', () => {
      const before = digestsOf(CHAIN);
      const after = digestsOf(edit(CHAIN, { 'src/f.ts': "import { c } from './c';\nexport const f = c;\n" }));
      expect(changedPaths(before, after)).toEqual([]);
      expect(after['src/f.ts']).toBeDefined();
    });

    it('editing a file that a global declaration imports changes every TS file digest', () => {
      const tree = edit(CHAIN, {
        'src/env.d.ts': "declare var config: import('./config-types').Config;\n",
        'src/config-types.ts': 'export interface Config { a: number }\n',
      });
      const before = digestsOf(tree);
      const after = digestsOf(
        edit(tree, { 'src/config-types.ts': 'export interface Config { a: string }\n' }),
      );
      expect(changedPaths(before, after)).toEqual(Object.keys(before).sort());
      expect(closureOf(tree).closureOf('src/e.ts')).toEqual([
        'src/config-types.ts',
        'src/e.ts',
        'src/env.d.ts',
      ]);
    });

    it('counts a plain .js script as global only where the tsconfig allows JS', () => {
      const script = { 'src/legacy.js': 'var legacyGlobal = 1;\n' };
      const noJs = digestsOf(CHAIN);
      expect(changedPaths(noJs, digestsOf(edit(CHAIN, script)))).toEqual([]);
      const withJs = edit(CHAIN, { 'tsconfig.json': '{"compilerOptions":{"allowJs":true}}' });
      expect(changedPaths(digestsOf(withJs), digestsOf(edit(withJs, script)))).toEqual(
        Object.keys(digestsOf(withJs)).sort(),
      );
    });
  });

  describe('tsconfig', () => {
    const TWO_PROJECTS = {
      'packages/a/tsconfig.json': '{"compilerOptions":{"strict":true}}',
      'packages/a/src/index.ts': 'export const a = 1;\n',
      'packages/b/tsconfig.json': '{"compilerOptions":{"strict":true}}',
      'packages/b/src/index.ts': 'export const b = 1;\n',
    };

    it('editing tsconfig.json changes the digests of files under it and not of files under a sibling tsconfig', () => {
      const before = digestsOf(TWO_PROJECTS);
      const after = digestsOf(
        edit(TWO_PROJECTS, { 'packages/a/tsconfig.json': '{"compilerOptions":{"strict":false}}' }),
      );
      expect(changedPaths(before, after)).toEqual(['packages/a/src/index.ts']);
    });

    it('follows `extends` and `references` into the chain digest', () => {
      const tree = {
        'config/tsconfig.base.json': '{"compilerOptions":{"strict":true}}',
        'app/tsconfig.json': '{"extends":"../config/tsconfig.base.json","references":[{"path":"../lib"}]}',
        'app/main.ts': 'export const m = 1;\n',
        'lib/tsconfig.json': '{"compilerOptions":{"composite":true}}',
        'lib/index.ts': 'export const l = 1;\n',
      };
      const closure = closureOf(tree);
      expect(closure.describe('app/main.ts').tsconfig).toEqual([
        'app/tsconfig.json',
        'config/tsconfig.base.json',
        'lib/tsconfig.json',
      ]);
      const before = digestsOf(tree);
      const base = digestsOf(
        edit(tree, { 'config/tsconfig.base.json': '{"compilerOptions":{"strict":false}}' }),
      );
      expect(changedPaths(before, base)).toEqual(['app/main.ts']);
      const referenced = digestsOf(
        edit(tree, { 'lib/tsconfig.json': '{"compilerOptions":{"composite":false}}' }),
      );
      expect(changedPaths(before, referenced)).toEqual(['app/main.ts', 'lib/index.ts']);
    });

    it('counts every tsconfig*.json of the file directory and its ancestors (eslint may name any of them)', () => {
      const tree = {
        'tsconfig.json': '{}',
        'packages/a/tsconfig.json': '{}',
        'packages/a/src/index.ts': 'export const a = 1;\n',
        'other/tsconfig.json': '{}',
        'other/index.ts': 'export const o = 1;\n',
      };
      const before = digestsOf(tree);
      const eslintConfig = digestsOf(edit(tree, { 'tsconfig.eslint.json': '{"include":["**/*.ts"]}' }));
      expect(changedPaths(before, eslintConfig)).toEqual(['other/index.ts', 'packages/a/src/index.ts']);
      const nested = digestsOf(edit(tree, { 'packages/a/tsconfig.build.json': '{}' }));
      expect(changedPaths(before, nested)).toEqual(['packages/a/src/index.ts']);
    });

    it('never throws on a malformed tsconfig: its bytes count and defaults apply', () => {
      const tree = {
        'tsconfig.json': '{"compilerOptions": {"strict": tru',
        'src/a.ts': "import { b } from './b';\nexport const a = b;\n",
        'src/b.ts': 'export const b = 1;\n',
      };
      const closure = closureOf(tree);
      expect(closure.closureOf('src/a.ts')).toEqual(['src/a.ts', 'src/b.ts']);
      expect(closure.describe('src/a.ts').tsconfig).toEqual(['tsconfig.json']);
      const after = digestsOf(edit(tree, { 'tsconfig.json': '{"compilerOptions": {"strict": fals' }));
      expect(changedPaths(digestsOf(tree), after)).toEqual(['src/a.ts', 'src/b.ts']);
      expect(() => closureOf({ 'tsconfig.json': '[1, 2]', 'x.ts': 'export {};' })).not.toThrow();
      expect(() => closureOf({ 'tsconfig.json': '{"extends": 42}', 'x.ts': 'export {};' })).not.toThrow();
    });
  });

  describe('packages', () => {
    const TREE = {
      'package.json': '{"dependencies":{"react":"^18.0.0"}}',
      'package-lock.json': '{"lockfileVersion":3,"packages":{"node_modules/react":{"version":"18.2.0"}}}',
      'src/view.ts': "import React from 'react';\nexport const v = React;\n",
      'src/uses-view.ts': "import { v } from './view';\nexport const u = v;\n",
      'src/plain.ts': "import { q } from './q';\nexport const p = q;\n",
      'src/q.ts': 'export const q = 1;\n',
    };

    it('a lockfile change changes the digests of files importing a package, not of files that import only relative files', () => {
      const before = digestsOf(TREE);
      const after = digestsOf(
        edit(TREE, {
          'package-lock.json': '{"lockfileVersion":3,"packages":{"node_modules/react":{"version":"18.3.1"}}}',
        }),
      );
      // uses-view.ts reaches react through view.ts: it changes too.
      expect(changedPaths(before, after)).toEqual(['src/uses-view.ts', 'src/view.ts']);
      const closure = closureOf(TREE);
      expect(closure.describe('src/view.ts').lockfiles).toEqual(['package-lock.json']);
      expect(closure.describe('src/view.ts').external).toEqual(['react']);
      expect(closure.describe('src/plain.ts').lockfiles).toEqual([]);
    });

    it('counts lockfiles at any depth, and the importing package manifest', () => {
      const before = digestsOf(TREE);
      const nested = digestsOf(edit(TREE, { 'tools/yarn.lock': '# yarn lockfile v1\n' }));
      expect(changedPaths(before, nested)).toEqual(['src/uses-view.ts', 'src/view.ts']);
      const manifest = digestsOf(edit(TREE, { 'package.json': '{"dependencies":{"react":"^19.0.0"}}' }));
      expect(changedPaths(before, manifest)).toEqual(['src/uses-view.ts', 'src/view.ts']);
    });
  });

  it('a relative import that resolves nowhere starts to count once its file appears', () => {
    const tree = {
      'src/a.ts': "import { m } from './missing';\nexport const a = m;\n",
      'src/b.ts': 'export {};\n',
    };
    const before = digestsOf(tree);
    const after = digestsOf(edit(tree, { 'src/missing.ts': 'export const m = 1;\n' }));
    expect(changedPaths(before, after)).toEqual(['src/a.ts']);
  });

  it('reads JSDoc import types in JS files', () => {
    const tree = {
      'jsconfig.json': '{"compilerOptions":{"checkJs":true}}',
      'src/a.js': "/** @type {import('./types').T} */\nexport const a = 1;\n",
      'src/types.ts': 'export type T = number;\n',
    };
    expect(closureOf(tree).closureOf('src/a.js')).toEqual(['src/a.js', 'src/types.ts']);
  });

  it('digests only TS/JS files', () => {
    const closure = closureOf(CHAIN);
    expect(closure.digestOf('tsconfig.json')).toBeUndefined();
    expect(closure.digestOf('src/none.ts')).toBeUndefined();
    expect(closure.digestOf('src/a.ts')).toMatch(/^[a-f0-9]{64}$/);
    expect(closure.closureOf('tsconfig.json')).toEqual([]);
  });

  it('does not depend on the order of the input list', () => {
    const tree = edit(CHAIN, {
      'src/env.d.ts': 'declare const FLAG: boolean;\n',
      'package-lock.json': '{}',
      'src/pkg.ts': "import x from 'x';\nexport const y = x;\n",
    });
    const files = sourceFiles(tree);
    const forward = buildTypeClosure({ rootDir: VIRTUAL_ROOT, files });
    const backward = buildTypeClosure({ rootDir: VIRTUAL_ROOT, files: [...files].reverse() });
    const shuffled = buildTypeClosure({
      rootDir: VIRTUAL_ROOT,
      files: [...files].sort((a, b) => a.object.localeCompare(b.object)),
    });
    for (const p of Object.keys(tree)) {
      expect(backward.digestOf(p)).toBe(forward.digestOf(p));
      expect(shuffled.digestOf(p)).toBe(forward.digestOf(p));
      expect(shuffled.closureOf(p)).toEqual(forward.closureOf(p));
    }
  });

  it('completes a 3,000-file import chain without overflowing the stack', () => {
    const tree: Record<string, string> = {};
    const n = 3000;
    for (let i = 0; i < n; i++) {
      tree[`src/f${i}.ts`] =
        i + 1 < n
          ? `import { v${i + 1} } from './f${i + 1}';\nexport const v${i} = v${i + 1};\n`
          : `export const v${i} = 0;\n`;
    }
    const closure = closureOf(tree);
    expect(closure.digestOf('src/f0.ts')).toMatch(/^[a-f0-9]{64}$/);
    expect(closure.closureOf('src/f0.ts')).toHaveLength(n);
    expect(closure.closureOf(`src/f${n - 1}.ts`)).toEqual([`src/f${n - 1}.ts`]);
  });

  describe('on disk', () => {
    let dir: string;
    let cleanup: () => void;
    beforeEach(() => ({ dir, cleanup } = makeTempDir('codebatch-type-closure-')));
    afterEach(() => cleanup());

    it('turns a workspace package linked into node_modules into edges to its sources', () => {
      const tree = {
        'package.json': '{"workspaces":["packages/*"]}',
        'packages/lib/package.json': '{"name":"@ws/lib","types":"src/index.ts"}',
        'packages/lib/src/index.ts': 'export const lib = 1;\n',
        'packages/app/src/main.ts': "import { lib } from '@ws/lib';\nexport const m = lib;\n",
      };
      writeTree(dir, tree);
      fs.mkdirSync(path.join(dir, 'node_modules/@ws'), { recursive: true });
      fs.symlinkSync(path.join(dir, 'packages/lib'), path.join(dir, 'node_modules/@ws/lib'), 'dir');
      const closure = closureOf(tree, dir);
      expect(closure.closureOf('packages/app/src/main.ts')).toEqual([
        'packages/app/src/main.ts',
        'packages/lib/src/index.ts',
      ]);
      const after = digestsOf(edit(tree, { 'packages/lib/src/index.ts': 'export const lib = 2;\n' }), dir);
      expect(after['packages/app/src/main.ts']).not.toBe(digestsOf(tree, dir)['packages/app/src/main.ts']);
    });

    it('maps an import of a workspace package build output back to its source by outDir/rootDir', () => {
      const tree = {
        'packages/lib/package.json': '{"name":"@ws/lib","types":"dist/index.d.ts"}',
        'packages/lib/tsconfig.json':
          '{"compilerOptions":{"rootDir":"src","outDir":"dist","declaration":true}}',
        'packages/lib/src/index.ts': "export * from './other';\n",
        'packages/lib/src/other.ts': 'export const other = 1;\n',
        'packages/lib/src/unrelated.ts': 'export const unrelated = 1;\n',
        'packages/app/src/main.ts': "import { other } from '@ws/lib';\nexport const m = other;\n",
      };
      writeTree(dir, { ...tree, 'packages/lib/dist/index.d.ts': "export * from './other';\n" });
      fs.mkdirSync(path.join(dir, 'node_modules/@ws'), { recursive: true });
      fs.symlinkSync(path.join(dir, 'packages/lib'), path.join(dir, 'node_modules/@ws/lib'), 'dir');
      expect(closureOf(tree, dir).closureOf('packages/app/src/main.ts')).toEqual([
        'packages/app/src/main.ts',
        'packages/lib/dist/index.d.ts',
        'packages/lib/src/index.ts',
        'packages/lib/src/other.ts',
      ]);
      const before = digestsOf(tree, dir);
      const after = digestsOf(
        edit(tree, { 'packages/lib/src/unrelated.ts': 'export const unrelated = 2;\n' }),
        dir,
      );
      expect(changedPaths(before, after)).toEqual(['packages/lib/src/unrelated.ts']);
    });

    it('ties an import of a workspace package build output to all the package sources when no tsconfig maps it', () => {
      const tree = {
        'packages/lib/package.json': '{"name":"@ws/lib","types":"dist/index.d.ts"}',
        'packages/lib/src/index.ts': "export * from './other';\n",
        'packages/lib/src/other.ts': 'export const other = 1;\n',
        'packages/app/src/main.ts': "import { other } from '@ws/lib';\nexport const m = other;\n",
        'packages/app/src/plain.ts': 'export const p = 1;\n',
      };
      // dist exists on disk only, as after a build: the snapshot (like git) leaves it out.
      writeTree(dir, { ...tree, 'packages/lib/dist/index.d.ts': "export * from './other';\n" });
      fs.mkdirSync(path.join(dir, 'node_modules/@ws'), { recursive: true });
      fs.symlinkSync(path.join(dir, 'packages/lib'), path.join(dir, 'node_modules/@ws/lib'), 'dir');
      const closure = closureOf(tree, dir);
      expect(closure.closureOf('packages/app/src/main.ts')).toEqual([
        'packages/app/src/main.ts',
        'packages/lib/dist/index.d.ts',
        'packages/lib/src/index.ts',
        'packages/lib/src/other.ts',
      ]);
      const before = digestsOf(tree, dir);
      const after = digestsOf(
        edit(tree, { 'packages/lib/src/other.ts': 'export const other = "x";\n' }),
        dir,
      );
      expect(changedPaths(before, after)).toEqual([
        'packages/app/src/main.ts',
        'packages/lib/src/index.ts',
        'packages/lib/src/other.ts',
      ]);
      expect(after['packages/app/src/plain.ts']).toBe(before['packages/app/src/plain.ts']);
      fs.writeFileSync(
        path.join(dir, 'packages/lib/dist/index.d.ts'),
        'export declare const other: string;\n',
      );
      expect(changedPaths(before, digestsOf(tree, dir))).toEqual(['packages/app/src/main.ts']);
    });

    it('follows what a workspace package build output re-exports, and keeps its tie to the sources', () => {
      const tree = {
        'packages/lib/package.json': '{"name":"@ws/lib","types":"dist/index.d.ts"}',
        'packages/lib/src/index.ts': "export * from './load';\n",
        'packages/lib/src/load.ts': 'export function load(): number { return 1; }\n',
        'packages/app/src/main.ts': "import { load } from '@ws/lib';\nexport const m = load();\n",
        'packages/app/src/plain.ts': 'export const p = 1;\n',
      };
      writeTree(dir, {
        ...tree,
        'packages/lib/dist/index.d.ts': "export * from './load';\n",
        'packages/lib/dist/load.d.ts': 'export declare function load(): number;\n',
      });
      fs.mkdirSync(path.join(dir, 'node_modules/@ws'), { recursive: true });
      fs.symlinkSync(path.join(dir, 'packages/lib'), path.join(dir, 'node_modules/@ws/lib'), 'dir');
      expect(closureOf(tree, dir).closureOf('packages/app/src/main.ts')).toEqual([
        'packages/app/src/main.ts',
        'packages/lib/dist/index.d.ts',
        'packages/lib/dist/load.d.ts',
        'packages/lib/src/index.ts',
        'packages/lib/src/load.ts',
      ]);
      const before = digestsOf(tree, dir);
      // A stale or hand-edited re-exported declaration: the sources say otherwise.
      fs.writeFileSync(
        path.join(dir, 'packages/lib/dist/load.d.ts'),
        'export declare function load(): Promise<number>;\n',
      );
      expect(changedPaths(before, digestsOf(tree, dir))).toEqual(['packages/app/src/main.ts']);
      // The tie to the sources stays: a source edit reaches the importer before any rebuild.
      const edited = digestsOf(edit(tree, { 'packages/lib/src/load.ts': 'export const load = 1;\n' }), dir);
      expect(changedPaths(digestsOf(tree, dir), edited)).toEqual([
        'packages/app/src/main.ts',
        'packages/lib/src/index.ts',
        'packages/lib/src/load.ts',
      ]);
    });

    describe('the analysed root is one package of a monorepo (an Nx project)', () => {
      // Only packages/app is the snapshot; its sibling packages exist on disk alone.
      const APP = {
        'tsconfig.json': '{"extends":"../../tsconfig.base.json","include":["src"]}',
        'src/main.ts': "import { load } from '@ws/lib';\nexport const m = load();\n",
        'src/plain.ts': 'export const p = 1;\n',
      };
      const appDir = () => path.join(dir, 'packages/app');
      const writeWorkspace = () => {
        writeTree(dir, {
          'tsconfig.base.json':
            '{"compilerOptions":{"baseUrl":".","paths":{"@ws/lib":["packages/lib/src/index.ts"]}}}',
          'packages/lib/src/index.ts': "export * from './load';\n",
          'packages/lib/src/load.ts': 'export function load(): number { return 1; }\n',
          'packages/lib/src/unrelated.ts': 'export const u = 1;\n',
        });
        writeTree(appDir(), APP);
      };

      it('a sibling package reached through tsconfig paths counts by content, transitively', () => {
        writeWorkspace();
        const closure = closureOf(APP, appDir());
        expect(closure.closureOf('src/main.ts')).toEqual([
          '../lib/src/index.ts',
          '../lib/src/load.ts',
          'src/main.ts',
        ]);
        const before = digestsOf(APP, appDir());
        // The exported function goes async: a type-aware rule in main.ts now sees a Promise.
        fs.writeFileSync(
          path.join(dir, 'packages/lib/src/load.ts'),
          'export async function load(): Promise<number> { return 1; }\n',
        );
        const afterLoad = digestsOf(APP, appDir());
        expect(changedPaths(before, afterLoad)).toEqual(['src/main.ts']);
        // A file of the sibling that nothing imports changes nobody.
        fs.writeFileSync(path.join(dir, 'packages/lib/src/unrelated.ts'), 'export const u = 2;\n');
        expect(digestsOf(APP, appDir())).toEqual(afterLoad);
      });

      it('a sibling package build output reached through a node_modules link counts by content', () => {
        const app = {
          'src/main.ts': "import { load } from '@ws/lib';\nexport const m = load();\n",
        };
        writeTree(dir, {
          'packages/lib/package.json': '{"name":"@ws/lib","types":"dist/index.d.ts"}',
          'packages/lib/dist/index.d.ts': "export * from './load';\n",
          'packages/lib/dist/load.d.ts': 'export declare function load(): number;\n',
        });
        writeTree(appDir(), app);
        fs.mkdirSync(path.join(dir, 'node_modules/@ws'), { recursive: true });
        fs.symlinkSync(path.join(dir, 'packages/lib'), path.join(dir, 'node_modules/@ws/lib'), 'dir');
        const before = closureOf(app, appDir());
        expect(before.closureOf('src/main.ts')).toEqual([
          '../lib/dist/index.d.ts',
          '../lib/dist/load.d.ts',
          'src/main.ts',
        ]);
        // A rebuild of the dependency: the snapshot of packages/app is unchanged.
        fs.writeFileSync(
          path.join(dir, 'packages/lib/dist/load.d.ts'),
          'export declare function load(): Promise<number>;\n',
        );
        expect(closureOf(app, appDir()).digestOf('src/main.ts')).not.toBe(before.digestOf('src/main.ts'));
      });

      it('names a file outside the root by its path, whatever characters the paths hold', () => {
        writeWorkspace();
        const app = {
          'we>ird/tsconfig.json':
            '{"compilerOptions":{"baseUrl":".","paths":{"@ws/lib":["../../lib/src/index.ts"]}}}',
          'we>ird/main.ts': "import { load } from '@ws/lib';\nexport const m = load();\n",
        };
        writeTree(appDir(), app);
        expect(closureOf(app, appDir()).closureOf('we>ird/main.ts')).toEqual([
          '../lib/src/index.ts',
          '../lib/src/load.ts',
          'we>ird/main.ts',
        ]);
      });

      it('automatic types from a type root outside the root count by content, with their imports', () => {
        const app = {
          'tsconfig.json': '{"compilerOptions":{"typeRoots":["../../typings"]}}',
          'src/a.ts': 'export const a = foo.size;\n',
        };
        writeTree(dir, {
          'typings/foo/index.d.ts':
            "import type { Shape } from './shape';\ndeclare global {\n  const foo: Shape;\n}\nexport {};\n",
          'typings/foo/shape.d.ts': 'export interface Shape { size: number }\n',
        });
        writeTree(appDir(), app);
        const closure = closureOf(app, appDir());
        expect(closure.closureOf('src/a.ts')).toEqual([
          '../../typings/foo/index.d.ts',
          '../../typings/foo/shape.d.ts',
          'src/a.ts',
        ]);
        const before = closure.digestOf('src/a.ts');
        fs.writeFileSync(
          path.join(dir, 'typings/foo/shape.d.ts'),
          'export interface Shape { size: string }\n',
        );
        const afterImport = closureOf(app, appDir()).digestOf('src/a.ts');
        expect(afterImport).not.toBe(before);
        fs.writeFileSync(
          path.join(dir, 'typings/foo/index.d.ts'),
          "import type { Shape } from './shape';\ndeclare global {\n  const foo: Shape | undefined;\n}\nexport {};\n",
        );
        expect(closureOf(app, appDir()).digestOf('src/a.ts')).not.toBe(afterImport);
      });

      it('a package without a tsconfig of its own is resolved and keyed with the nearest one above it on disk', () => {
        writeWorkspace();
        const app = {
          'src/main.ts': "import { load } from '@ws/lib';\nexport const m = load();\n",
        };
        fs.rmSync(path.join(appDir(), 'tsconfig.json'));
        writeTree(appDir(), app);
        const root = (strict: boolean) =>
          JSON.stringify({
            compilerOptions: { strict, baseUrl: '.', paths: { '@ws/lib': ['packages/lib/src/index.ts'] } },
          });
        writeTree(dir, { 'tsconfig.json': root(true) });
        const closure = closureOf(app, appDir());
        // Its `paths` apply: the sibling package is reached.
        expect(closure.closureOf('src/main.ts')).toEqual([
          '../lib/src/index.ts',
          '../lib/src/load.ts',
          'src/main.ts',
        ]);
        expect(closure.describe('src/main.ts').tsconfig).toEqual(['../../tsconfig.json']);
        const observed = closure.diskObservations();
        writeTree(dir, { 'tsconfig.json': root(false) });
        expect(diskObservationsHold(observed)).toBe(false);
        expect(closureOf(app, appDir()).digestOf('src/main.ts')).not.toBe(closure.digestOf('src/main.ts'));
      });

      it('a package with a tsconfig of its own does not look for one above it', () => {
        writeWorkspace();
        writeTree(dir, { 'tsconfig.json': '{}' });
        const observed = closureOf(APP, appDir()).diskObservations();
        expect(Object.keys(observed.stats)).not.toContain(path.join(dir, 'tsconfig.json'));
        expect(Object.keys(observed.reads)).not.toContain(path.join(dir, 'tsconfig.json'));
      });

      it('a JSON module outside the root counts for its importers only', () => {
        const app = {
          'tsconfig.json':
            '{"compilerOptions":{"resolveJsonModule":true,"module":"esnext","moduleResolution":"bundler"}}',
          'src/version.ts': "import pkg from '../../../package.json';\nexport const v = pkg.version;\n",
          'src/plain.ts': 'export const p = 1;\n',
        };
        writeTree(dir, { 'package.json': '{"name":"ws","version":"1.0.0"}' });
        writeTree(appDir(), app);
        const before = digestsOf(app, appDir());
        expect(closureOf(app, appDir()).closureOf('src/version.ts')).toEqual([
          '../../package.json',
          'src/version.ts',
        ]);
        writeTree(dir, { 'package.json': '{"name":"ws","version":"1.0.1"}' });
        expect(changedPaths(before, digestsOf(app, appDir()))).toEqual(['src/version.ts']);
      });

      it('reports what it read on disk, and the observations stop holding when a read file changes', () => {
        writeWorkspace();
        const observed = closureOf(APP, appDir()).diskObservations();
        expect(Object.keys(observed.reads)).toEqual(
          expect.arrayContaining([
            path.join(dir, 'tsconfig.base.json'),
            path.join(dir, 'packages/lib/src/load.ts'),
          ]),
        );
        expect(diskObservationsHold(observed)).toBe(true);
        fs.writeFileSync(path.join(dir, 'packages/lib/src/load.ts'), 'export const load = 1;\n');
        expect(diskObservationsHold(observed)).toBe(false);
      });

      it('the observations stop holding when a probed path appears', () => {
        writeWorkspace();
        const observed = closureOf(APP, appDir()).diskObservations();
        // Resolution probes candidates that do not exist (load.tsx before load.ts, ...): one
        // appearing could change where an import lands.
        const absent = Object.entries(observed.stats).find(
          ([p, kind]) =>
            kind === '-' &&
            p.startsWith(dir) &&
            fs.statSync(path.dirname(p), { throwIfNoEntry: false })?.isDirectory(),
        );
        expect(absent).toBeDefined();
        fs.writeFileSync(absent![0], '');
        expect(diskObservationsHold(observed)).toBe(false);
      });
    });

    it('follows a tsconfig `extends` into node_modules and counts its bytes', () => {
      const tree = {
        'tsconfig.json': '{"extends":"@tsconfig/strictest/tsconfig.json"}',
        'src/a.ts': 'export const a = 1;\n',
      };
      writeTree(dir, {
        ...tree,
        'node_modules/@tsconfig/strictest/package.json': '{"name":"@tsconfig/strictest","version":"2.0.0"}',
        'node_modules/@tsconfig/strictest/tsconfig.json': '{"compilerOptions":{"strict":true}}',
      });
      const closure = closureOf(tree, dir);
      expect(closure.describe('src/a.ts').tsconfig).toContain(
        'node_modules/@tsconfig/strictest/tsconfig.json',
      );
      const before = closure.digestOf('src/a.ts');
      fs.writeFileSync(
        path.join(dir, 'node_modules/@tsconfig/strictest/tsconfig.json'),
        '{"compilerOptions":{}}',
      );
      expect(closureOf(tree, dir).digestOf('src/a.ts')).not.toBe(before);
    });

    it('makes every file depend on installed @types packages the project includes automatically', () => {
      const tree = {
        'package-lock.json': '{"v":1}',
        'src/a.ts': 'export const t = setTimeout(() => {}, 1);\n',
      };
      writeTree(dir, {
        ...tree,
        'node_modules/@types/node/package.json':
          '{"name":"@types/node","version":"20.0.0","types":"index.d.ts"}',
        'node_modules/@types/node/index.d.ts':
          'declare function setTimeout(f: () => void, ms: number): number;\n',
      });
      const closure = closureOf(tree, dir);
      expect(closure.describe('src/a.ts').external).toEqual(['types:node']);
      expect(closure.describe('src/a.ts').lockfiles).toEqual(['package-lock.json']);
      const after = closureOf(edit(tree, { 'package-lock.json': '{"v":2}' }), dir);
      expect(after.digestOf('src/a.ts')).not.toBe(closure.digestOf('src/a.ts'));
    });
  });
});
