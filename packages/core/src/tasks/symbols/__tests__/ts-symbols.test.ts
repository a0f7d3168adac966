import type { TaskOutput } from '../../../schemas/output-record';
import { runTaskOnSource } from '../../../test-support/run-task-on-source';

function symbols(out: TaskOutput[]): string[] {
  return out
    .filter((o) => o.kind === 'symbol')
    .map((o) => `${o.symbol_type} ${o.name} @${o.line}:${o.col} in ${o.scope}`);
}
function edges(out: TaskOutput[]): string[] {
  return out
    .filter((o) => o.kind === 'edge')
    .map((o) => `${o.edge_type} ${o.target} @${o.line} in ${o.scope}`);
}

describe('03_symbols for TS/JS', () => {
  const source = [
    "import React, { useState as useS } from 'react';",
    "import * as path from 'node:path';",
    "import type { Opts } from './opts';",
    "export { helper } from './helper';",
    "export * from './all';",
    'export interface Shape extends Base { area(): number }',
    'export type Id = string;',
    'enum Color { Red }',
    'export class Circle extends Base implements Shape, Other {',
    '  constructor(private r: number) { super(); }',
    '  area() { return Math.PI * this.r ** 2; }',
    '  onClick = () => this.area();',
    '}',
    'export function make(opts: Opts, { x, y }: Point): Circle {',
    "  const fs = require('fs');",
    '  const load = () => import("./lazy");',
    '  return new Circle(path.join(x, y).length);',
    '}',
    'export default make;',
    '',
  ].join('\n');

  it('emits symbols with type, position and dotted scope', async () => {
    const out = await runTaskOnSource('symbols', 'src/shapes.ts', source);
    expect(symbols(out)).toEqual([
      'import_alias React @1:8 in <module>',
      'import_alias useS @1:29 in <module>',
      'import_alias path @2:13 in <module>',
      'import_alias Opts @3:15 in <module>',
      'export helper @4:10 in <module>',
      'interface Shape @6:18 in <module>',
      'type_alias Id @7:13 in <module>',
      'enum Color @8:6 in <module>',
      'class Circle @9:14 in <module>',
      'method constructor @10:3 in Circle',
      'parameter r @10:23 in Circle.constructor',
      'method area @11:3 in Circle',
      'method onClick @12:3 in Circle',
      'function make @14:17 in <module>',
      'parameter opts @14:22 in make',
      'parameter x @14:36 in make',
      'parameter y @14:39 in make',
      'variable fs @15:9 in make',
      'function load @16:9 in make',
      'export default @19:1 in <module>',
    ]);
  });

  it('emits one edge record per import, export, call, inherits and implements', async () => {
    const out = await runTaskOnSource('symbols', 'src/shapes.ts', source);
    expect(edges(out)).toEqual([
      'imports react @1 in <module>',
      'imports node:path @2 in <module>',
      'imports ./opts @3 in <module>',
      'imports ./helper @4 in <module>',
      'exports helper @4 in <module>',
      'imports ./all @5 in <module>',
      'exports * @5 in <module>',
      'exports Shape @6 in <module>',
      'inherits Base @6 in <module>',
      'exports Id @7 in <module>',
      'exports Circle @9 in <module>',
      'inherits Base @9 in <module>',
      'implements Shape @9 in <module>',
      'implements Other @9 in <module>',
      'calls super @10 in Circle.constructor',
      'calls this.area @12 in Circle.onClick',
      'exports make @14 in <module>',
      'imports fs @15 in make',
      'calls require @15 in make',
      'imports ./lazy @16 in make.load',
      'calls Circle @17 in make',
      'calls path.join @17 in make',
      'exports default @19 in <module>',
    ]);
  });

  it('names anonymous callbacks and object-literal methods in scopes', async () => {
    const src = 'export const api = {\n  get(id) { return fetch(id); },\n};\nlist.map((x) => format(x));\n';
    const out = await runTaskOnSource('symbols', 'a.js', src);
    expect(edges(out)).toEqual([
      'exports api @1 in <module>',
      'calls fetch @2 in get',
      'calls list.map @4 in <module>',
      'calls format @4 in <anonymous>',
    ]);
  });

  it('gives overloads one symbol and can drop call edges', async () => {
    const src = 'export function f(a: string): void;\nexport function f(a?: string) { g(a); }\n';
    const out = await runTaskOnSource('symbols', 'a.ts', src, { config: { calls: false } });
    expect(symbols(out).filter((s) => s.startsWith('function'))).toEqual(['function f @1:17 in <module>']);
    expect(edges(out)).toEqual(['exports f @1 in <module>']);
  });
});
