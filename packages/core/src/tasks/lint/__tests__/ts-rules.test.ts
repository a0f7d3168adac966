import type { TaskOutput } from '../../../schemas/output-record';
import { runTaskOnSource } from '../../../test-support/run-task-on-source';

/** Only the scope rules, as `code name@line:col`. */
async function scopeFindings(path: string, source: string, config?: unknown): Promise<string[]> {
  const out: TaskOutput[] = await runTaskOnSource('lint', path, source, { config });
  return out
    .filter((o) => o.code!.startsWith('L1'))
    .map((o) => `${o.code} ${/'([^']+)'/.exec(o.message!)?.[1]}@${o.line}:${o.col}`);
}

const L101 = (path: string, source: string) =>
  scopeFindings(path, source).then((f) => f.filter((x) => x.startsWith('L101')));
const L102 = (path: string, source: string) =>
  scopeFindings(path, source).then((f) => f.filter((x) => x.startsWith('L102')));
const L103 = (path: string, source: string) =>
  scopeFindings(path, source).then((f) => f.filter((x) => x.startsWith('L103')));

describe('L101 unused import (TS/JS)', () => {
  it('reports unused default, named and namespace imports', async () => {
    const src =
      "import a from 'a';\nimport { b, c as d } from 'b';\nimport * as ns from 'ns';\nexport const x = b;\n";
    expect(await L101('m.ts', src)).toEqual(['L101 a@1:8', 'L101 d@2:18', 'L101 ns@3:13']);
  });
  it('counts uses in type positions, including type-only imports and typeof', async () => {
    const src = [
      "import type { A } from 'a';",
      "import { type B, C } from 'b';",
      "import { D } from 'd';",
      "import * as E from 'e';",
      'export function f(a: A, b: B): typeof D { return [a, b] as unknown as C & E.Thing; }',
      '',
    ].join('\n');
    expect(await L101('m.ts', src)).toEqual([]);
  });
  it('counts re-exports of imports, export =, export default and export lists', async () => {
    expect(await L101('m.ts', "import x from 'x';\nexport { x };\n")).toEqual([]);
    expect(await L101('m.ts', "import { y as z } from 'y';\nexport { z as w };\n")).toEqual([]);
    expect(await L101('m.ts', "import q = require('q');\nexport = q;\n")).toEqual([]);
    expect(await L101('m.ts', "import d from 'd';\nexport default d;\n")).toEqual([]);
    // `export { x } from` is not an import and does not use a same-named import.
    expect(await L101('m.ts', "import { x } from 'x';\nexport { x } from 'y';\n")).toEqual(['L101 x@1:10']);
  });
  it('counts decorators, heritage clauses, JSX and shorthand properties', async () => {
    const src = [
      "import { Component, Input } from 'ng';",
      "import { Base, Iface } from 'base';",
      "import { helper } from 'h';",
      '@Component({})',
      'export class A extends Base implements Iface {',
      '  @Input() name = "";',
      '  m() { return { helper }; }',
      '}',
      '',
    ].join('\n');
    expect(await L101('m.ts', src)).toEqual([]);
  });
  it('treats React as used by JSX (classic runtime) and honours @jsx pragmas', async () => {
    expect(await L101('c.tsx', "import React from 'react';\nexport const C = () => <div />;\n")).toEqual([]);
    expect(await L101('c.jsx', "import React from 'react';\nexport const C = () => <></>;\n")).toEqual([]);
    expect(await L101('c.tsx', "import React from 'react';\nexport const n = 1;\n")).toEqual([
      'L101 React@1:8',
    ]);
    expect(
      await L101('c.jsx', "/** @jsx h */\nimport { h } from 'preact';\nexport const C = () => <p />;\n"),
    ).toEqual([]);
  });
  it('resolves JSX component names and member tags, not intrinsic elements', async () => {
    const src =
      "import Foo from 'foo';\nimport * as UI from 'ui';\nimport div from 'div';\nimport React from 'react';\nexport const C = () => <Foo><UI.Button /><div /></Foo>;\n";
    expect(await L101('c.tsx', src)).toEqual(['L101 div@3:8']);
  });
  it('counts {@link X} everywhere and JSDoc types in JS files, as tsc --noUnusedLocals does', async () => {
    expect(
      await L101('m.ts', "import { type A } from 'a';\n/** See {@link A}. */\nexport const x = 1;\n"),
    ).toEqual([]);
    expect(
      await L101(
        'm.js',
        "import { Foo } from 'foo';\n/** @param {Foo} x */\nexport function f(x) { return x; }\n",
      ),
    ).toEqual([]);
    // Not in TS files (their types are in the syntax), not in ordinary comments.
    expect(
      await L101(
        'm.ts',
        "import { Foo } from 'foo';\n/** @param {Foo} x */\nexport function f(x: number) { return x; }\n",
      ),
    ).toEqual(['L101 Foo@1:10']);
    expect(await L101('m.js', "import { D } from 'd';\n// {@link D}\nexport const y = 1;\n")).toEqual([
      'L101 D@1:10',
    ]);
  });
  it('is not fooled by an inner value of the same name in a type position', async () => {
    const src =
      "import { T } from 't';\nexport function f() { const T = 1; const v: T = null!; return [T, v]; }\n";
    expect(await L101('m.ts', src)).toEqual([]);
  });
  it('resolves the left of a qualified type name to namespaces only, not a same-named parameter', async () => {
    const src =
      "import yargs = require('yargs');\nexport declare function f<T>(yargs: yargs.Argv<T>): yargs.Argv<T>;\n";
    expect(await L101('m.d.ts', src)).toEqual([]);
    const src2 = "import * as ns from 'ns';\nexport function g(ns: ns.T) { return ns; }\n";
    expect(await L101('m.ts', src2)).toEqual([]);
  });
  it('counts type references in nested generic and conditional types', async () => {
    const src =
      "import { X, Y } from 'x';\nexport type R<T> = T extends Array<infer U> ? Record<keyof X, U> : { [K in keyof T]: Y };\n";
    expect(await L101('m.ts', src)).toEqual([]);
  });
});

describe('L102 unused variable (TS/JS)', () => {
  it('reports unused locals, functions and classes in modules', async () => {
    const src =
      'export function f() {\n  const a = 1;\n  let b;\n  b = 2;\n  function g() {}\n  class K {}\n}\n';
    expect(await L102('m.ts', src)).toEqual(['L102 a@2:9', 'L102 b@3:7', 'L102 g@5:12', 'L102 K@6:9']);
  });
  it('exempts _-prefixed names, exported and declared names', async () => {
    const src = 'const _x = 1;\nexport const y = 2;\ndeclare const z: number;\nexport {};\n';
    expect(await L102('m.ts', src)).toEqual([]);
  });
  it('exempts destructuring siblings of a rest element but not other destructured names', async () => {
    const src =
      'export function f(o: any) {\n  const { a, ...rest } = o;\n  const [b, c] = o;\n  return [rest, c];\n}\n';
    expect(await L102('m.ts', src)).toEqual(['L102 b@3:10']);
  });
  it('applies after-used to parameters', async () => {
    const src =
      'export function f(a: number, b: number, c: number) { return b; }\nexport const g = (x: number, { y, z }: any) => y;\n';
    expect(await L102('m.ts', src)).toEqual(['L102 c@1:41', 'L102 z@2:35']);
  });
  it('exempts parameters of signatures, overloads, setters and parameter properties', async () => {
    const src = [
      'export interface I { m(a: number): void; }',
      'export type F = (b: string) => void;',
      'export function o(c: number): void;',
      'export function o(d?: number) { return d; }',
      'export class K { constructor(private readonly e: number) {} set v(f: number) {} abstract?: (g: number) => void; }',
      'declare function h(i: number): void;',
      '',
    ].join('\n');
    expect(await L102('m.ts', src)).toEqual([]);
  });
  it('handles hoisting, var in blocks, closures and for-of bindings', async () => {
    const src = [
      'export function f(xs: number[]) {',
      '  use();',
      '  function use() { return v; }',
      '  if (xs) { var v = 1; }',
      '  for (const x of xs) console.log(x);',
      '  for (const k in xs) {}',
      '}',
      '',
    ].join('\n');
    expect(await L102('m.ts', src)).toEqual(['L102 k@6:14']);
  });
  it('counts typeof in types, shorthand properties, export lists and JSX', async () => {
    const src = [
      'const a = 1;',
      'const b = 2;',
      'const c = 3;',
      'const D = () => null;',
      'export type A = typeof a;',
      'export const o = { b };',
      'export { c };',
      'export const e = <D />;',
      '',
    ].join('\n');
    expect(await L102('m.tsx', src)).toEqual([]);
  });
  it('reports unused interfaces, type aliases and enums unless exported', async () => {
    const src =
      'interface I {}\ntype T = number;\nenum E { A }\nexport interface J {}\nexport const n = 1;\n';
    expect(await L102('m.ts', src)).toEqual(['L102 I@1:11', 'L102 T@2:6', 'L102 E@3:6']);
  });
  it('treats catch parameters and expression names as exempt, type parameters too', async () => {
    const src = 'export const f = function named<T>() { try { return 1; } catch (e) { return 2; } };\n';
    expect(await L102('m.ts', src)).toEqual([]);
  });
  it('skips top-level declarations of scripts (globals) but not of CommonJS modules', async () => {
    expect(await L102('s.js', 'var globalThing = 1;\nfunction helper() {}\n')).toEqual([]);
    expect(await L102('c.js', "const fs = require('fs');\nconst unused = 1;\n")).toEqual([
      'L102 fs@1:7',
      'L102 unused@2:7',
    ]);
  });
  it('skips declaration files and namespace exports', async () => {
    expect(await L102('x.d.ts', 'declare namespace N { const a: number; }\ninterface Unused {}\n')).toEqual(
      [],
    );
    expect(await L102('m.ts', 'export namespace N { export const a = 1; const b = 2; }\n')).toEqual([
      'L102 b@1:48',
    ]);
  });
  it('counts writes through destructuring assignment as writes, not reads', async () => {
    const src = 'export function f(o: any) {\n  let a, b;\n  ({ a, b } = o);\n  return b;\n}\n';
    expect(await L102('m.ts', src)).toEqual(['L102 a@2:7']);
  });
  it('skips files with syntax errors', async () => {
    expect(await scopeFindings('m.ts', 'import x from "x";\nconst = ;\n')).toEqual([]);
  });
});

describe('L103 shadowed variable (TS/JS)', () => {
  it('reports inner declarations that shadow outer ones, as info', async () => {
    const src =
      'const a = 1;\nexport function f(a: number) {\n  { const a = 2; return a; }\n}\nexport const z = a;\n';
    const out = await runTaskOnSource('lint', 'm.ts', src);
    const shadows = out.filter((o) => o.code === 'L103');
    expect(shadows.map((o) => `${o.line}:${o.col} ${o.severity}`)).toEqual(['2:19 info', '3:11 info']);
    expect(shadows[0]!.message).toBe("'a' shadows the declaration on line 1");
  });
  it('follows hoist: functions (later outer variables do not count, later functions do)', async () => {
    expect(
      await L103('m.ts', 'export function f() { const a = 1; return a; }\nconst a = 2;\nexport { a };\n'),
    ).toEqual([]);
    expect(
      await L103('m.ts', 'export function f() { const g = 1; return g; }\nfunction g() {}\nexport { g };\n'),
    ).toEqual(['L103 g@1:29']);
  });
  it('ignores type/value shadowing, signature parameters and catch-less cases', async () => {
    const src = [
      "import type { T } from 't';",
      'export type F = (x: number) => void;',
      'const x = 1;',
      'export function f() { const T = 1; return [T, x]; }',
      'interface I { m(x: number): void }',
      'export type J = I;',
      '',
    ].join('\n');
    expect(await L103('m.ts', src)).toEqual([]);
  });
  it('reports catch parameters shadowing outer names', async () => {
    expect(
      await L103('m.ts', 'const e = 1;\nexport function f() { try {} catch (e) { return e; } return e; }\n'),
    ).toEqual(['L103 e@2:37']);
  });
  it('reports parameter properties and setter values shadowing outer names (typescript-eslint no-shadow)', async () => {
    const src = [
      'const x = 1;',
      'const value = 2;',
      'export class K {',
      '  constructor(private x: number, readonly y = x) {}',
      '  set value(value: number) {}',
      '}',
      'export const z = [x, value];',
      '',
    ].join('\n');
    expect(await L103('m.ts', src)).toEqual(['L103 x@4:23', 'L103 value@5:13']);
    // Still never "unused" (a parameter property is a class member; a setter needs its value).
    expect(await L102('m.ts', src)).toEqual([]);
    // Not in bodiless or ambient signatures, and not before the outer declaration.
    expect(
      await L103(
        'm.ts',
        'const x = 1;\ndeclare class D { constructor(x: number); }\nexport class K { constructor(private y: number) {} }\nconst y = 2;\nexport { x, y, D };\n',
      ),
    ).toEqual([]);
  });
});

describe('suppressions of scope rules', () => {
  it('honours disable-next-line for L101', async () => {
    expect(
      await L101('m.ts', "// codebatch-disable-next-line L101\nimport a from 'a';\nexport {};\n"),
    ).toEqual([]);
    expect(await L101('m.ts', "import a from 'a'; /* codebatch-disable-line */\nexport {};\n")).toEqual([]);
  });
});

describe('minified files', () => {
  it('get text rules but no scope rules', async () => {
    const src = `var a=1;function f(b,c){return b}${';'.repeat(3000)}\n`;
    expect(await scopeFindings('x.js', src)).toEqual([]);
    expect(await scopeFindings('x.min.js', 'function f(b,c){return b}\n')).toEqual([]);
    expect(await scopeFindings('x.js', 'export function f(b,c){return b}\n')).toEqual(['L102 c@1:21']);
  });
});
