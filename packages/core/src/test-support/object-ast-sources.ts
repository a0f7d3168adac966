/**
 * `count` TypeScript files `m0.ts`, `m1.ts`, ..., each large enough for its AST to be stored as an
 * object of its own (above 4 KB), not kept in its record: their indexes name objects that a reuse
 * looks up.
 */
export function objectAstSources(count: number): Record<string, string> {
  const body = Array.from({ length: 30 }, (_, k) => `export function f${k}(a: number) { return a + ${k}; }`);
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) files[`m${i}.ts`] = `${body.join('\n')}\nexport const v${i} = ${i};\n`;
  return files;
}
