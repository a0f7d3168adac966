import ts from 'typescript';
import { SyntaxKind } from './ts-syntax';

/** `require('x')` with a string literal argument: the specifier, else undefined. */
export function requireSpecifier(node: ts.CallExpression): string | undefined {
  if (
    node.expression.kind !== SyntaxKind.Identifier ||
    (node.expression as ts.Identifier).text !== 'require'
  ) {
    return undefined;
  }
  return stringArgument(node);
}

/** `import('x')` with a string literal argument: the specifier, else undefined. */
export function dynamicImportSpecifier(node: ts.CallExpression): string | undefined {
  return node.expression.kind === SyntaxKind.ImportKeyword ? stringArgument(node) : undefined;
}

function stringArgument(node: ts.CallExpression): string | undefined {
  const arg = node.arguments[0];
  if (node.arguments.length !== 1 || !arg) return undefined;
  return ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) ? arg.text : undefined;
}

/** Function-likes that have a body: what counts as a function for metrics and scopes. */
export function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.Constructor:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
      return (node as ts.FunctionLikeDeclaration).body !== undefined;
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
      return true;
    default:
      return false;
  }
}
