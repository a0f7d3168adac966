import { contributesToGlobalScope } from '../global-scope';

describe('contributesToGlobalScope', () => {
  it.each([
    ['a TS script', 'src/a.ts', 'const x = 1;\nfunction f() {}\n'],
    ['a .d.ts script', 'types/env.d.ts', 'declare const FLAG: boolean;\n'],
    ['a script with `export` only in a comment', 'src/a.ts', '/*\nexport const old = 1;\n*/\nconst x = 1;\n'],
    ['a script with `export` only in a line comment', 'src/a.ts', '// export const old = 1;\nconst x = 1;\n'],
    [
      'a script with `export` only in a template',
      'src/a.ts',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template literal
      'const src = `\nexport const y = ${1};\nexport {}\n`;\n',
    ],
    ['a script with `export` only in a string', 'src/a.ts', "const s = 'export const y';\n"],
    [
      'a script with `export` only in a regular expression',
      'src/a.ts',
      'const r = /}{export {}/;\nconst s = /^export /m;\n',
    ],
    ['a script with exports nested in a namespace', 'src/a.ts', 'namespace N {\nexport const y = 1;\n}\n'],
    ['a script using only dynamic import()', 'src/a.ts', "const m = import('./m');\n"],
    ['a module with `declare global`', 'src/a.ts', 'export {};\ndeclare global {\n  var x: number;\n}\n'],
    [
      'a module augmentation',
      'src/a.ts',
      "import './b';\ndeclare module './b' {\n  interface B { y: 1 }\n}\n",
    ],
    ['an ambient module declaration in a module', 'src/a.d.ts', "export {};\ndeclare module 'x' {}\n"],
    [
      'a UMD global (`export as namespace`)',
      'lib/index.d.ts',
      'export as namespace Lib;\nexport const v: number;\n',
    ],
    ['a JS script', 'src/legacy.js', 'var legacy = 1;\n'],
    [
      'a JS script that only mentions require in a comment',
      'src/legacy.js',
      '// require("x")\nvar legacy = 1;\n',
    ],
  ])('says yes for %s', (_label, path, text) => {
    expect(contributesToGlobalScope(path, text)).toBe(true);
  });

  it.each([
    ['an ES module', 'src/a.ts', "import { b } from './b';\nexport const a = b;\n"],
    ['a type-only module', 'src/a.ts', "import type { B } from './b';\nexport type A = B;\n"],
    ['a module whose only statement is `export {}`', 'src/a.ts', 'const x = 1;\nexport {};\n'],
    ['a module with an indented export', 'src/a.ts', 'const x = 1;\n  export { x };\n'],
    [
      'a module that declares a local namespace',
      'src/a.ts',
      'export namespace N {\n  export const y = 1;\n}\n',
    ],
    ['a module with `declare const`', 'src/a.ts', 'declare const x: number;\nexport const y = x;\n'],
    [
      'a TSX module',
      'src/a.tsx',
      "import React from 'react';\nexport const A = () => <div>it's {1}</div>;\n",
    ],
    ['a CommonJS module', 'src/a.js', "const fs = require('fs');\nmodule.exports = fs;\n"],
    ['a CommonJS module assigning exports.x', 'src/a.cjs', 'exports.answer = 42;\n'],
    ['a CommonJS module assigning exports.default', 'src/a.cjs', 'exports.default = 42;\n'],
    ['a CommonJS module assigning module.exports.x', 'src/a.js', 'module.exports.answer = 42;\n'],
    ['an ES module in JS', 'src/a.mjs', 'export default 1;\n'],
    ['a file using import.meta (TypeScript counts it a module)', 'src/a.ts', 'const u = import.meta.url;\n'],
  ])('says no for %s', (_label, path, text) => {
    expect(contributesToGlobalScope(path, text)).toBe(false);
  });
});
