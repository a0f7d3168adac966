import ts from 'typescript';
import type { TaskOutput } from '../../schemas/output-record';
import { LineIndex } from '../shared/line-index';
import { dynamicImportSpecifier, requireSpecifier } from '../shared/ts-module-refs';
import { forEachChild, SyntaxKind } from '../shared/ts-syntax';
import type { SymbolsConfig } from './symbols-meta';

export type SymbolType =
  | 'function'
  | 'class'
  | 'method'
  | 'variable'
  | 'interface'
  | 'type_alias'
  | 'enum'
  | 'parameter'
  | 'import_alias'
  | 'export';

export type EdgeType = 'imports' | 'exports' | 'calls' | 'inherits' | 'implements';

/** Top-level scope name; nested scopes are dotted paths of enclosing names (`Foo.bar`). */
export const MODULE_SCOPE = '<module>';
export const ANONYMOUS_SCOPE = '<anonymous>';

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers?.some((m) => m.kind === kind) ?? false;
}

/**
 * The callee or base as written, for name-like expressions only: `foo`, `obj.method`,
 * `this.a.b`, `a?.b`. Anything else (`f()()`, `xs[0]()`) has no stable name and is skipped.
 */
export function expressionName(node: ts.Expression): string | undefined {
  switch (node.kind) {
    case SyntaxKind.Identifier:
      return (node as ts.Identifier).text;
    case SyntaxKind.ThisKeyword:
      return 'this';
    case SyntaxKind.SuperKeyword:
      return 'super';
    case SyntaxKind.NonNullExpression:
      return expressionName((node as ts.NonNullExpression).expression);
    case SyntaxKind.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      const left = expressionName(access.expression);
      if (left === undefined) return undefined;
      return `${left}${access.questionDotToken ? '?.' : '.'}${access.name.text}`;
    }
    default:
      return undefined;
  }
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  if (
    ts.isIdentifier(name) ||
    ts.isPrivateIdentifier(name) ||
    ts.isStringLiteral(name) ||
    ts.isNumericLiteral(name)
  ) {
    return name.text;
  }
  return undefined;
}

function isFunctionValue(node: ts.Node | undefined): boolean {
  return node !== undefined && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));
}

/**
 * The file being read. extractTypeScriptSymbols is synchronous and never re-entered, so its walk
 * keeps the file's state here and its functions are module-level functions: as closures made
 * anew for every file, each hot file's closures were optimised again (see ts-scope.ts).
 */
let sf: ts.SourceFile | undefined;
let path = '';
let config: SymbolsConfig = { calls: true };
const NO_LINES = new LineIndex('');
let lines = NO_LINES;
let out: TaskOutput[] = [];
// Dotted names of the enclosing scopes, innermost last, each built once on entry: every
// record carries its scope, so the path is not joined again per record.
let scopes: string[] = [];
let declaredFunctions = new Set<string>();

function scopeName(): string {
  return scopes.length === 0 ? MODULE_SCOPE : scopes[scopes.length - 1]!;
}

function symbol(name: string, symbolType: SymbolType, at: ts.Node): void {
  const { line, col } = lines.position(at.getStart(sf));
  out.push({ path, kind: 'symbol', name, symbol_type: symbolType, line, col, scope: scopeName() });
}

function edge(edgeType: EdgeType, target: string, at: ts.Node): void {
  const { line, col } = lines.position(at.getStart(sf));
  out.push({ path, kind: 'edge', edge_type: edgeType, target, line, col, scope: scopeName() });
}

function inScope(name: string, fn: () => void): void {
  scopes.push(scopes.length === 0 ? name : `${scopes[scopes.length - 1]}.${name}`);
  fn();
  scopes.pop();
}

function exportEdge(node: ts.Node, name: ts.Node | undefined): void {
  if (!hasModifier(node, SyntaxKind.ExportKeyword)) return;
  const isDefault = hasModifier(node, SyntaxKind.DefaultKeyword);
  const target = isDefault ? 'default' : name && ts.isIdentifier(name) ? name.text : undefined;
  if (target) edge('exports', target, name ?? node);
}

function declareBindingName(name: ts.BindingName, symbolType: SymbolType): void {
  if (ts.isIdentifier(name)) {
    symbol(name.text, symbolType, name);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) {
      if (element.propertyName && ts.isComputedPropertyName(element.propertyName))
        visit(element.propertyName);
      if (element.initializer) visit(element.initializer);
      declareBindingName(element.name, symbolType);
    }
  }
}

function visitFunctionLike(node: ts.SignatureDeclaration, scope: string): void {
  for (const modifier of (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers ?? []) {
    if (ts.isDecorator(modifier)) visit(modifier);
  }
  inScope(scope, () => {
    for (const param of node.parameters) {
      if (ts.isIdentifier(param.name) && param.name.text === 'this') continue;
      for (const modifier of param.modifiers ?? []) if (ts.isDecorator(modifier)) visit(modifier);
      declareBindingName(param.name, 'parameter');
      if (param.initializer) visit(param.initializer);
    }
    const body = (node as ts.FunctionLikeDeclaration).body;
    if (body) visit(body);
  });
}

function visitClass(node: ts.ClassLikeDeclaration, name: string): void {
  for (const modifier of node.modifiers ?? []) if (ts.isDecorator(modifier)) visit(modifier);
  for (const clause of node.heritageClauses ?? []) {
    const edgeType: EdgeType = clause.token === SyntaxKind.ExtendsKeyword ? 'inherits' : 'implements';
    for (const type of clause.types) {
      const target = expressionName(type.expression);
      if (target) edge(edgeType, target, type);
      else visit(type.expression);
    }
  }
  inScope(name, () => {
    for (const member of node.members) {
      if (ts.isMethodDeclaration(member) || ts.isGetAccessor(member) || ts.isSetAccessor(member)) {
        const memberName = propertyNameText(member.name);
        if (ts.isComputedPropertyName(member.name)) visit(member.name.expression);
        if (memberName !== undefined) symbol(memberName, 'method', member.name);
        visitFunctionLike(member, memberName ?? ANONYMOUS_SCOPE);
      } else if (ts.isConstructorDeclaration(member)) {
        symbol('constructor', 'method', member);
        visitFunctionLike(member, 'constructor');
      } else if (ts.isPropertyDeclaration(member)) {
        const memberName = propertyNameText(member.name);
        for (const modifier of member.modifiers ?? []) if (ts.isDecorator(modifier)) visit(modifier);
        if (ts.isComputedPropertyName(member.name)) visit(member.name.expression);
        // `onClick = () => {}` is a method in all but syntax.
        if (memberName !== undefined && isFunctionValue(member.initializer)) {
          symbol(memberName, 'method', member.name);
          visitFunctionLike(member.initializer as ts.ArrowFunction, memberName);
        } else if (member.initializer) visit(member.initializer);
      } else {
        visit(member);
      }
    }
  });
}

// A table of handlers, not one switch: each handler is compiled and re-optimised on its own
// (the switch made one function of every case, recompiled whole each time a file brought a
// node kind or shape its optimised code had not seen; see ts-scope.ts).
function visit(node: ts.Node): void {
  const handler = handlers[node.kind];
  if (handler === undefined) walkChildren(node);
  else handler(node);
}

function walkChildren(node: ts.Node): void {
  // Types never contain calls or declarations worth a record; skipping them saves time.
  if (ts.isTypeNode(node)) return;
  forEachChild(node, visit);
}

function visitImportDeclaration(node: ts.Node): void {
  const decl = node as ts.ImportDeclaration;
  if (ts.isStringLiteral(decl.moduleSpecifier)) edge('imports', decl.moduleSpecifier.text, decl);
  const clause = decl.importClause;
  if (clause?.name) symbol(clause.name.text, 'import_alias', clause.name);
  const named = clause?.namedBindings;
  if (named && ts.isNamespaceImport(named)) symbol(named.name.text, 'import_alias', named.name);
  else if (named)
    for (const element of named.elements) symbol(element.name.text, 'import_alias', element.name);
}

function visitImportEqualsDeclaration(node: ts.Node): void {
  const decl = node as ts.ImportEqualsDeclaration;
  const ref = decl.moduleReference;
  if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
    edge('imports', ref.expression.text, decl);
  }
  symbol(decl.name.text, 'import_alias', decl.name);
  exportEdge(decl, decl.name);
}

function visitExportDeclaration(node: ts.Node): void {
  const decl = node as ts.ExportDeclaration;
  if (decl.moduleSpecifier && ts.isStringLiteral(decl.moduleSpecifier)) {
    edge('imports', decl.moduleSpecifier.text, decl);
  }
  const clause = decl.exportClause;
  if (!clause) edge('exports', '*', decl);
  else if (ts.isNamespaceExport(clause)) {
    symbol(clause.name.text, 'export', clause.name);
    edge('exports', clause.name.text, clause.name);
  } else {
    for (const element of clause.elements) {
      symbol(element.name.text, 'export', element.name);
      edge('exports', element.name.text, element.name);
    }
  }
}

function visitExportAssignment(node: ts.Node): void {
  const assignment = node as ts.ExportAssignment;
  const target = assignment.isExportEquals ? 'export=' : 'default';
  symbol(target, 'export', assignment);
  edge('exports', target, assignment);
  visit(assignment.expression);
}

function visitVariableStatement(node: ts.Node): void {
  const statement = node as ts.VariableStatement;
  const exported = hasModifier(statement, SyntaxKind.ExportKeyword);
  for (const decl of statement.declarationList.declarations) {
    if (exported && ts.isIdentifier(decl.name)) edge('exports', decl.name.text, decl.name);
    visitVariable(decl);
  }
}

function visitVariableDeclaration(node: ts.Node): void {
  visitVariable(node as ts.VariableDeclaration);
}

function visitFunctionDeclaration(node: ts.Node): void {
  const decl = node as ts.FunctionDeclaration;
  const name = decl.name?.text ?? 'default';
  // Overloads share one symbol (and one export), at the first signature.
  const key = `${scopeName()}\0${name}`;
  if (!declaredFunctions.has(key)) {
    declaredFunctions.add(key);
    symbol(name, 'function', decl.name ?? decl);
    exportEdge(decl, decl.name);
  }
  visitFunctionLike(decl, name);
}

function visitFunctionValue(node: ts.Node): void {
  const fn = node as ts.FunctionExpression | ts.ArrowFunction;
  visitFunctionLike(fn, (ts.isFunctionExpression(fn) && fn.name?.text) || ANONYMOUS_SCOPE);
}

function visitMethodLike(node: ts.Node): void {
  // Object-literal methods: part of a value, not declarations; they still name a scope.
  const method = node as ts.MethodDeclaration;
  if (ts.isComputedPropertyName(method.name)) visit(method.name.expression);
  visitFunctionLike(method, propertyNameText(method.name) ?? ANONYMOUS_SCOPE);
}

function visitPropertyAssignment(node: ts.Node): void {
  const property = node as ts.PropertyAssignment;
  const name = propertyNameText(property.name);
  if (ts.isComputedPropertyName(property.name)) visit(property.name.expression);
  if (name !== undefined && isFunctionValue(property.initializer)) {
    visitFunctionLike(property.initializer as ts.ArrowFunction, name);
  } else visit(property.initializer);
}

function visitClassLike(node: ts.Node): void {
  const decl = node as ts.ClassLikeDeclaration;
  const name = decl.name?.text ?? (ts.isClassDeclaration(decl) ? 'default' : ANONYMOUS_SCOPE);
  if (decl.name || ts.isClassDeclaration(decl)) symbol(name, 'class', decl.name ?? decl);
  exportEdge(decl, decl.name);
  visitClass(decl, name);
}

function visitInterfaceDeclaration(node: ts.Node): void {
  const decl = node as ts.InterfaceDeclaration;
  symbol(decl.name.text, 'interface', decl.name);
  exportEdge(decl, decl.name);
  for (const clause of decl.heritageClauses ?? []) {
    for (const type of clause.types) {
      const target = expressionName(type.expression);
      if (target) edge('inherits', target, type);
    }
  }
}

function visitTypeAliasDeclaration(node: ts.Node): void {
  const decl = node as ts.TypeAliasDeclaration;
  symbol(decl.name.text, 'type_alias', decl.name);
  exportEdge(decl, decl.name);
}

function visitEnumDeclaration(node: ts.Node): void {
  const decl = node as ts.EnumDeclaration;
  symbol(decl.name.text, 'enum', decl.name);
  exportEdge(decl, decl.name);
  for (const member of decl.members) if (member.initializer) visit(member.initializer);
}

function visitModuleDeclaration(node: ts.Node): void {
  const decl = node as ts.ModuleDeclaration;
  exportEdge(decl, decl.name);
  const name = ts.isIdentifier(decl.name) ? decl.name.text : decl.name.text;
  if (decl.body) inScope(name, () => visit(decl.body!));
}

function visitCallExpression(node: ts.Node): void {
  const call = node as ts.CallExpression;
  const specifier = requireSpecifier(call) ?? dynamicImportSpecifier(call);
  if (specifier !== undefined) edge('imports', specifier, call);
  if (config.calls && call.expression.kind !== SyntaxKind.ImportKeyword) {
    const target = expressionName(call.expression);
    if (target) edge('calls', target, call);
  }
  walkChildren(node);
}

function visitNewExpression(node: ts.Node): void {
  const target = config.calls ? expressionName((node as ts.NewExpression).expression) : undefined;
  if (target) edge('calls', target, node);
  walkChildren(node);
}

const handlers: (Handler | undefined)[] = [];

handlers[SyntaxKind.ImportDeclaration] = visitImportDeclaration;
handlers[SyntaxKind.ImportEqualsDeclaration] = visitImportEqualsDeclaration;
handlers[SyntaxKind.ExportDeclaration] = visitExportDeclaration;
handlers[SyntaxKind.ExportAssignment] = visitExportAssignment;
handlers[SyntaxKind.VariableStatement] = visitVariableStatement;
handlers[SyntaxKind.VariableDeclaration] = visitVariableDeclaration;
handlers[SyntaxKind.FunctionDeclaration] = visitFunctionDeclaration;
handlers[SyntaxKind.FunctionExpression] = visitFunctionValue;
handlers[SyntaxKind.ArrowFunction] = visitFunctionValue;
handlers[SyntaxKind.MethodDeclaration] = visitMethodLike;
handlers[SyntaxKind.GetAccessor] = visitMethodLike;
handlers[SyntaxKind.SetAccessor] = visitMethodLike;
handlers[SyntaxKind.PropertyAssignment] = visitPropertyAssignment;
handlers[SyntaxKind.ClassDeclaration] = visitClassLike;
handlers[SyntaxKind.ClassExpression] = visitClassLike;
handlers[SyntaxKind.InterfaceDeclaration] = visitInterfaceDeclaration;
handlers[SyntaxKind.TypeAliasDeclaration] = visitTypeAliasDeclaration;
handlers[SyntaxKind.EnumDeclaration] = visitEnumDeclaration;
handlers[SyntaxKind.ModuleDeclaration] = visitModuleDeclaration;
handlers[SyntaxKind.CallExpression] = visitCallExpression;
handlers[SyntaxKind.NewExpression] = visitNewExpression;
function visitVariable(decl: ts.VariableDeclaration): void {
  const init = decl.initializer;
  if (ts.isIdentifier(decl.name) && init && isFunctionValue(init)) {
    symbol(decl.name.text, 'function', decl.name);
    visitFunctionLike(init as ts.ArrowFunction, decl.name.text);
    return;
  }
  if (ts.isIdentifier(decl.name) && init && ts.isClassExpression(init)) {
    symbol(decl.name.text, 'class', decl.name);
    visitClass(init, decl.name.text);
    return;
  }
  declareBindingName(decl.name, 'variable');
  if (init) visit(init);
}

/** Symbols and edges of one TS/JS file, in source order (docs/ast-format.md, "Symbols"). */
export function extractTypeScriptSymbols(
  file: ts.SourceFile,
  filePath: string,
  symbolsConfig: SymbolsConfig,
): TaskOutput[] {
  sf = file;
  path = filePath;
  config = symbolsConfig;
  lines = new LineIndex(file.text);
  out = [];
  scopes = [];
  declaredFunctions = new Set();
  try {
    for (const statement of file.statements) visit(statement);
    return out;
  } finally {
    // Nothing of a file outlives its extraction here: its tree and records are the caller's.
    sf = undefined;
    lines = NO_LINES;
    out = [];
    declaredFunctions = new Set();
  }
}

/** A node kind's visit (a kind without one has its children walked, unless it is a type). */
type Handler = (node: ts.Node) => void;
