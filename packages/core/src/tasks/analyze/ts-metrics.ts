import type ts from 'typescript';
import { dynamicImportSpecifier, isFunctionWithBody, requireSpecifier } from '../shared/ts-module-refs';
import { forEachChild, SyntaxKind } from '../shared/ts-syntax';

export interface CodeMetrics {
  complexity: number;
  max_complexity: number;
  function_count: number;
  class_count: number;
  import_count: number;
}

/** One decision point each (docs/metrics.md): branches, loops, cases, catches, short-circuits. */
function isDecisionPoint(node: ts.Node): boolean {
  switch (node.kind) {
    case SyntaxKind.IfStatement:
    case SyntaxKind.ConditionalExpression:
    case SyntaxKind.ForStatement:
    case SyntaxKind.ForInStatement:
    case SyntaxKind.ForOfStatement:
    case SyntaxKind.WhileStatement:
    case SyntaxKind.DoStatement:
    case SyntaxKind.CaseClause:
    case SyntaxKind.CatchClause:
      return true;
    case SyntaxKind.BinaryExpression:
      switch ((node as ts.BinaryExpression).operatorToken.kind) {
        case SyntaxKind.AmpersandAmpersandToken:
        case SyntaxKind.BarBarToken:
        case SyntaxKind.QuestionQuestionToken:
        case SyntaxKind.AmpersandAmpersandEqualsToken:
        case SyntaxKind.BarBarEqualsToken:
        case SyntaxKind.QuestionQuestionEqualsToken:
          return true;
        default:
          return false;
      }
    default:
      return false;
  }
}

/**
 * File complexity is 1 + every decision point in the file; a function's is 1 + its own
 * decision points, nested functions excluded (each is measured on its own).
 */
export function computeTypeScriptMetrics(sf: ts.SourceFile): CodeMetrics {
  decisions = 0;
  maxComplexity = 0;
  functions = 0;
  classes = 0;
  imports = 0;
  stack.length = 0;
  visit(sf);
  return {
    complexity: 1 + decisions,
    max_complexity: maxComplexity,
    function_count: functions,
    class_count: classes,
    import_count: imports,
  };
}

/**
 * The counts of the file being measured. computeTypeScriptMetrics is synchronous and never
 * re-entered, so its walk is a module-level function over this state: as a closure made anew
 * for every file, each hot file's was optimised again (see lint/ts-scope.ts).
 */
let decisions = 0;
let maxComplexity = 0;
let functions = 0;
let classes = 0;
let imports = 0;
// Decision counts of the enclosing functions, innermost last.
const stack: number[] = [];

function visit(node: ts.Node): void {
  const isFunction = isFunctionWithBody(node);
  if (isDecisionPoint(node)) {
    decisions += 1;
    if (stack.length > 0) stack[stack.length - 1]! += 1;
  }
  switch (node.kind) {
    case SyntaxKind.ClassDeclaration:
    case SyntaxKind.ClassExpression:
      classes += 1;
      break;
    case SyntaxKind.ImportDeclaration:
      imports += 1;
      break;
    case SyntaxKind.ImportEqualsDeclaration:
      if ((node as ts.ImportEqualsDeclaration).moduleReference.kind === SyntaxKind.ExternalModuleReference)
        imports += 1;
      break;
    case SyntaxKind.CallExpression:
      if (requireSpecifier(node as ts.CallExpression) ?? dynamicImportSpecifier(node as ts.CallExpression))
        imports += 1;
      break;
  }
  if (isFunction) {
    functions += 1;
    stack.push(0);
  }
  forEachChild(node, visit);
  if (isFunction) maxComplexity = Math.max(maxComplexity, 1 + stack.pop()!);
}
