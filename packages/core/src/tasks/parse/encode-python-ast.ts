import { nodeText, PYTHON_PARSER_ID, type PyNode, type PythonTree } from '../shared/python-tree';
import { AST_FORMAT_VERSION, type AstDocument, type AstNode, KindTable } from './encode-ts-ast';

/**
 * Encodes a tree-sitter Python tree in the `codebatch.ast` form. Named nodes are kept;
 * anonymous tokens only when they fill a field (the `operator` of `a + b`), since punctuation
 * and keywords are implied by the parent's kind. Missing tokens appear as `MISSING` with the
 * expected token as value; named leaves carry their source text.
 */
export function encodePythonAst(tree: PythonTree): AstDocument {
  const kinds = new KindTable();
  const encode = (node: PyNode): AstNode => {
    const kind = node.isMissing ? 'MISSING' : node.type;
    const out: AstNode = [kinds.id(kind), node.line, node.col, node.endLine, node.endCol];
    if (node.isMissing) out.push(node.type);
    else if (!node.named) {
      // Anonymous field tokens: the kind already is the token text.
    } else if (node.children.length === 0) out.push(nodeText(tree, node));
    for (const child of node.children) {
      if (child.named || child.isMissing || child.field !== null) out.push(encode(child));
    }
    return out;
  };
  const root = encode(tree.root);
  return {
    format: 'codebatch.ast',
    version: AST_FORMAT_VERSION,
    lang: 'python',
    parser: PYTHON_PARSER_ID,
    kinds: kinds.names,
    root,
  };
}
