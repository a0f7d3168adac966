import { createHash } from 'node:crypto';
import { parseTypeScript } from '../../shared/ts-tree';
import { encodeTypeScriptAst } from '../encode-ts-ast';

// AST objects are content-addressed and reused across batches: a change to their bytes must
// come with an AST_FORMAT_VERSION bump. These digests were taken from the previous encoder
// (nested arrays through JSON.stringify), so the direct-to-text encoder is pinned to its bytes.
const CASES: { path: string; lang: string; source: string; sha256: string }[] = [
  {
    path: 'src/mixed.ts',
    lang: 'typescript',
    source: [
      '// héllo \u2028 wörld',
      'import x, { a as b } from "./m\\"q";',
      'export default class C<T extends object = {}> extends B implements I {',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source with a template literal
      '  #p = 0x1F; static s?: string = `t${1 + 2}mid${"é\\n"}tail`;',
      '  @dec() m(@p q: number, ...r: any[]): void { if (q && r?.[0] ?? 1n) { for (const k of r) {} } }',
      '}',
      'const re = /a[/]b\\//gi, emoji = "😀\\ud800";',
      'label: while (true) { break label; }',
      'type U = A | B & C; enum E { X = 1, "Y" }',
      'declare module "m" { export = x; }',
      'let bad = ;',
    ].join('\r\n'),
    sha256: '91fa5ffd4803d65c2f3dccff98194fa5599d05deebbf988e396e61ddd11f14c4',
  },
  {
    path: 'src/view.jsx',
    lang: 'javascript',
    source: 'export const V = ({ a }) => <div id="x" {...a}>text {a} &amp; <b/></div>;\n',
    sha256: '23a94bded68cf8003777582d21dfc0647b14d6fd1e26aae8328f9861777d0954',
  },
  {
    path: 'src/empty.js',
    lang: 'javascript',
    source: '',
    sha256: '9b47b1af5def609e0917388786aec8105d6978fc731eb609ab23c25d6059de1b',
  },
];

describe('encodeTypeScriptAst', () => {
  it.each(CASES)('keeps the bytes of $path', ({ path, lang, source, sha256 }) => {
    const json = encodeTypeScriptAst(parseTypeScript(path, source), lang);
    expect(createHash('sha256').update(json).digest('hex')).toBe(sha256);
  });

  it('writes the documented layout: kinds by first appearance, [kind, line, col, end_line, end_col, value?, ...children]', () => {
    const doc = JSON.parse(
      encodeTypeScriptAst(parseTypeScript('a.ts', 'f("é");\n'), 'typescript').toString('utf8'),
    );
    expect(doc).toMatchObject({ format: 'codebatch.ast', version: 1, lang: 'typescript' });
    expect(doc.kinds.slice(0, 3)).toEqual(['SourceFile', 'ExpressionStatement', 'CallExpression']);
    const call = doc.root[5][5];
    expect(call.slice(0, 5)).toEqual([2, 1, 1, 1, 7]);
    expect(call[6]).toEqual([doc.kinds.indexOf('StringLiteral'), 1, 3, 1, 6, 'é']);
  });
});
