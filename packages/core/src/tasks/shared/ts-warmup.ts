import ts from 'typescript';
import { PARSE_OPTIONS } from './ts-tree';

/**
 * A source that uses nearly every token and syntax form the TypeScript parser knows (operators,
 * numeric and string literal forms, templates, regular expressions, JSX, decorators, type
 * syntax), errors included. V8 optimises the scanner and parser on the type feedback of the
 * first files it sees; each token those files lacked deoptimised the scanner later, and
 * TurboFan compiled its 60 KB `scan` again (`node --trace-opt` on a cold `--parallel 2` run of the
 * 8.8k-file corpus: 0.5-0.6 s of the compiler threads' time, about 9 compiles per worker).
 * Parsed once per thread before a long run, it fills that feedback first: no `scan` recompiles.
 */
const WARM_UP_SOURCE = [
  '#!/usr/bin/env node',
  '/** @jsx h */',
  '// line comment',
  '/* block */',
  "import type { A, B as C } from './a';",
  'import * as ns from "b";',
  "import d, { e } from 'c';",
  "export * from './x';",
  "export { f as g } from './y';",
  'export default class K<T extends object = {}> extends Base implements I, J {',
  '  #priv = 0x1F_FF;',
  '  static readonly s: number = 0o17 + 0b1010 + 1_000.5e-3 + .5 + 5. + 1e+10 + 10n + 0xFFn;',
  '  declare x?: string;',
  '  @dec() accessor y!: number;',
  '  constructor(private readonly p: string, protected q?: number, public r = 1) { super(); }',
  '  get v(): number { return this.#priv; }',
  '  set v(value) { this.#priv = value; }',
  '  async *gen(...rest: unknown[]): AsyncGenerator<number> { yield* other(); await 1; }',
  '  [Symbol.iterator]() { return this; }',
  '  static { K.s; }',
  '}',
  "enum E { A = 1, B = A << 2, C = ~B, D = 'd'.length }",
  'const enum CE { X }',
  "declare module 'm' { interface I2 { a: 1 } }",
  'namespace N.M { export const z = 1; }',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: source text to parse, not a template
  'type U = A | B & C | keyof T | typeof d | T[K] | `t${string}-${number}` | unique symbol | readonly string[];',
  'type Fn = <T,>(a: T, b?: T) => asserts a is T;',
  'type Cond<T> = T extends infer U extends string ? U : never;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: source text to parse, not a template
  'type Mapped = { readonly [P in keyof T]-?: T[P] } & { +readonly [Q in string as `k${Q}`]+?: 1 };',
  'interface I3 { (x: number): string; new (x: string): I3; method?(): void; [key: string]: any; }',
  'let a1 = 1, a2 = a1 ** 2, a3 = a1 >>> 1, a4 = a1 >> 1, a5 = a1 << 1, a6 = !a1, a7 = ~a1;',
  'a1 += 1; a1 -= 1; a1 *= 2; a1 /= 2; a1 %= 2; a1 **= 2; a1 <<= 1; a1 >>= 1; a1 >>>= 1;',
  'a1 &= 1; a1 |= 1; a1 ^= 1; a1 &&= 1; a1 ||= 1; a1 ??= 1; a1++; a1--; ++a1; --a1;',
  'const b1 = a1 === 1 !== false == true != null && a1 || a1 ?? a1 < 2 > 1 <= 3 >= 0 ? a1 : -a1 + +a1 - a1 * a1 / a1 % a1 | a1 & a1 ^ a1;',
  "const o = { a, b: 2, [c]: 3, ...d, get e() { return 1; }, set e(v) {}, async f() {}, *g() {}, 'h-i': 4, 5: 6 };",
  'const arr = [1, , ...xs, [2, [3]]];',
  'const { p1, p2: { q1 = 2 }, ...rest } = o; const [x1, , x2 = 3, ...xr] = arr;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: source text to parse, not a template
  'const s = \'single \\\' \\\\ \\n \\t \\x41 \\u0041 \\u{1F600} \\0\' + "double \\" " + `tpl ${a1} and ${`nested ${b1}`} \\` end`;',
  'const re = /ab+c[^\\]\\/]*\\d\\w\\s(?<name>x)|(?:y)\\u0041\\p{L}/giu.test(s) && /=/.source;',
  'label: for (let i = 0; i < 10; i++) { if (i) continue label; else break label; }',
  'for (const k in o) {} for (const v of arr) {} for await (const v of gen()) {} while (false) {} do {} while (false);',
  'switch (a1) { case 1: break; default: }',
  'try { throw new Error(); } catch { } finally { }',
  'try {} catch (err: unknown) {}',
  'const fn = async (x: number, y = 2, { z }: { z: number } = { z: 1 }): Promise<void> => { await x; };',
  'function* gf() { yield 1; } function ov(a: string): void; function ov(a: any) {}',
  'const opt = o?.a?.[0]?.(1) ?? o!.b! as unknown as number satisfies number;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: source text to parse, not a template
  "const tag = String.raw`a\\n${1}`; const nt = new.target; const im = import.meta; const dy = import('x');",
  "const cast = <number>a1; var v1; let l1 = void 0, t1 = typeof a1, d1 = delete o.a, i1 = 'a' in o, in1 = o instanceof Object;",
  'const jsx = <div className="a" {...props} key={1} data-x=\'y\'>text &amp; {a1}<br /><>frag</><ns:tag /><A.B c /></div>;',
  'debugger; with (o) {}',
  "const ü = 'ünïcödé', \\u0061bc = 1, $_ = 2, 𝑥 = 3;",
].join('\n');

let warmed = false;

/**
 * Parses WARM_UP_SOURCE as TSX, TS and JS, once per thread; returns what it parsed (nothing
 * after the first call). About 30 ms in a fresh thread, of which a third is compiling what the
 * first real file would have compiled anyway: for runs with many files to parse only.
 */
export function warmUpTypeScriptParser(): ts.SourceFile[] {
  if (warmed) return [];
  warmed = true;
  return [ts.ScriptKind.TSX, ts.ScriptKind.TS, ts.ScriptKind.JS].map((kind) =>
    ts.createSourceFile('warm-up.tsx', WARM_UP_SOURCE, PARSE_OPTIONS, false, kind),
  );
}
