import type ts from 'typescript';
import { LineIndex } from '../shared/line-index';
import { forEachChild, SyntaxKind } from '../shared/ts-syntax';
import { syntaxKindName, TS_PARSER_ID } from '../shared/ts-tree';
import { JsonBytesWriter } from './json-bytes-writer';

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
    case SyntaxKind.Identifier:
    case SyntaxKind.PrivateIdentifier:
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.BigIntLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TemplateHead:
    case SyntaxKind.TemplateMiddle:
    case SyntaxKind.TemplateTail:
    case SyntaxKind.RegularExpressionLiteral:
    case SyntaxKind.JsxText:
      return (node as ts.LiteralLikeNode | ts.Identifier | ts.PrivateIdentifier).text;
    default:
      return undefined;
  }
}

/**
 * Encodes a TypeScript tree in the compact `codebatch.ast` form, as the UTF-8 bytes of the
 * JSON text `JSON.stringify` gives for the equivalent `AstDocument`. Children are those of
 * `ts.forEachChild` (syntax nodes and the tokens TypeScript keeps as nodes: operators,
 * modifiers), in source order, so the encoding is a pure function of the source text.
 *
 * The bytes are written directly rather than built as nested arrays and stringified: on a
 * cold run that intermediate tree and its text were about a third of 01_parse's time and much
 * of its garbage.
 */
export function encodeTypeScriptAst(file: ts.SourceFile, lang: string): Buffer {
  sf = file;
  kindIds = [];
  kindNames = [];
  lines = new LineIndex(file.text);
  out.reset();
  try {
    encode(file);
    return out.toBuffer(
      `{"format":"codebatch.ast","version":${AST_FORMAT_VERSION},"lang":${JSON.stringify(lang)},"parser":${JSON.stringify(TS_PARSER_ID)},"kinds":${JSON.stringify(kindNames)},"root":`,
      '}',
    );
  } finally {
    sf = undefined;
    lines = NO_LINES;
  }
}

/**
 * The document being encoded. Encoding is synchronous and never nested, so one writer (and its
 * grown buffer) serves every document of a thread, and the walk below is module-level functions
 * over this state: as closures made anew for every file, each hot file's were optimised again
 * (see ts-scope.ts).
 */
const out = new JsonBytesWriter();
const NO_LINES = new LineIndex('');
let sf: ts.SourceFile | undefined;
let lines = NO_LINES;
// Ids in order of first appearance, as KindTable numbers them; indexed by SyntaxKind.
let kindIds: number[] = [];
let kindNames: string[] = [];

function writePosition(offset: number): void {
  // lineOf plus the column by hand: position() would allocate an object per call.
  const line = lines.lineOf(offset);
  out.writeAscii(COMMA);
  out.writeUint(line);
  out.writeAscii(COMMA);
  out.writeUint(offset - lines.lineStarts[line - 1]! + 1);
}

function encode(node: ts.Node): void {
  let id = kindIds[node.kind];
  if (id === undefined) {
    id = kindNames.length;
    kindNames.push(syntaxKindName(node.kind));
    kindIds[node.kind] = id;
  }
  out.writeAscii(OPEN);
  out.writeUint(id);
  writePosition(node.kind === SyntaxKind.SourceFile ? 0 : node.getStart(sf));
  writePosition(node.end);
  const value = nodeValue(node);
  if (value !== undefined) {
    out.writeAscii(COMMA);
    out.writeJson(value);
  }
  forEachChild(node, encodeChild, encodeChildren);
  out.writeAscii(CLOSE);
}

// Shared callbacks (not closures per node); returning undefined keeps forEachChild going.
function encodeChild(child: ts.Node): undefined {
  out.writeAscii(COMMA);
  encode(child);
  return undefined;
}

function encodeChildren(children: ts.NodeArray<ts.Node>): undefined {
  for (const child of children) encodeChild(child);
  return undefined;
}

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c; // ,
