import ts from 'typescript';
import { LineIndex } from '../shared/line-index';
import { syntaxKindName, TS_PARSER_ID } from '../shared/ts-tree';

/** Version of the `codebatch.ast` layout (docs/ast-format.md). Bump on any layout change. */
export const AST_FORMAT_VERSION = 1;

/** One node: [kind, line, col, end_line, end_col, value?, ...children] (docs/ast-format.md). */
export type AstNode = (number | string | AstNode)[];

export interface AstDocument {
  format: 'codebatch.ast';
  version: number;
  lang: string;
  parser: string;
  kinds: string[];
  root: AstNode;
}

/** A per-document table of kind names, numbered in order of first appearance. */
export class KindTable {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  id(name: string): number {
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.index.set(name, id);
    }
    return id;
  }
}

function nodeValue(node: ts.Node): string | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.PrivateIdentifier:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateHead:
    case ts.SyntaxKind.TemplateMiddle:
    case ts.SyntaxKind.TemplateTail:
    case ts.SyntaxKind.RegularExpressionLiteral:
    case ts.SyntaxKind.JsxText:
      return (node as ts.LiteralLikeNode | ts.Identifier | ts.PrivateIdentifier).text;
    default:
      return undefined;
  }
}

/**
 * Encodes a TypeScript tree in the compact `codebatch.ast` form. Children are those of
 * `ts.forEachChild` (syntax nodes and the tokens TypeScript keeps as nodes: operators,
 * modifiers), in source order, so the encoding is a pure function of the source text.
 */
export function encodeTypeScriptAst(sf: ts.SourceFile, lang: string): AstDocument {
  const kinds = new KindTable();
  const lines = new LineIndex(sf.text);
  const encode = (node: ts.Node): AstNode => {
    const start = lines.position(node.kind === ts.SyntaxKind.SourceFile ? 0 : node.getStart(sf));
    const end = lines.position(node.end);
    const out: AstNode = [kinds.id(syntaxKindName(node.kind)), start.line, start.col, end.line, end.col];
    const value = nodeValue(node);
    if (value !== undefined) out.push(value);
    ts.forEachChild(
      node,
      (child) => {
        out.push(encode(child));
      },
      (children) => {
        for (const child of children) out.push(encode(child));
      },
    );
    return out;
  };
  const root = encode(sf);
  return {
    format: 'codebatch.ast',
    version: AST_FORMAT_VERSION,
    lang,
    parser: TS_PARSER_ID,
    kinds: kinds.names,
    root,
  };
}
