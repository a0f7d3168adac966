import ts from 'typescript';
import { forEachChild, SyntaxKind } from '../shared/ts-syntax';

/**
 * Scope analysis for TS/JS: declarations per scope and every identifier reference resolved
 * to its declaration. The walk is top-down with explicit context (the tree has no parent
 * pointers); references are resolved only after the whole file is walked, so hoisting
 * (functions, `var`, classes used in closures before their declaration) needs no special
 * case.
 *
 * TypeScript has separate value and type namespaces: a reference in a type position resolves
 * only to declarations with a type meaning (`import { A }` then `let A = 1` in an inner scope
 * does not hide the import from `x: A`).
 */

export const VALUE = 1;
export const TYPE = 2;
/** What the `A` of a qualified type name `A.B` must be: an import, namespace or enum. */
export const NAMESPACE = 4;
export const ALL = VALUE | TYPE | NAMESPACE;

export type BindingKind =
  | 'import'
  | 'var'
  | 'let'
  | 'const'
  | 'function'
  | 'class'
  | 'enum'
  | 'interface'
  | 'type'
  | 'namespace'
  | 'parameter'
  | 'catch'
  /** Name of a function or class expression, visible only inside it. */
  | 'expression-name'
  | 'enum-member'
  | 'type-parameter'
  /** Parameters of bodiless signatures and ambient functions: never "unused", never shadowing. */
  | 'signature-parameter'
  /**
   * A parameter of a function with a body that is never "unused": a parameter property
   * (`constructor(private x)`, a class member) or a setter's value (required by syntax). It is
   * a real binding in the function, so it shadows like any parameter (typescript-eslint's
   * no-shadow reports both).
   */
  | 'kept-parameter';

export type ScopeKind = 'module' | 'function' | 'block' | 'class' | 'type' | 'enum' | 'catch';

export interface Binding {
  name: string;
  kind: BindingKind;
  meaning: number;
  scope: Scope;
  /** Position (UTF-16 offset) of the declaring name. */
  pos: number;
  end: number;
  exported: boolean;
  ambient: boolean;
  typeOnlyImport: boolean;
  /** A destructuring sibling of a `...rest` element (`const { a, ...rest } = o`). */
  restSibling: boolean;
  /** For parameters: the function they belong to (for the after-used rule). */
  fn?: ts.Node;
  reads: number;
  writes: number;
}

export interface Scope {
  kind: ScopeKind;
  node: ts.Node;
  parent: Scope | undefined;
  /** Nearest function or module scope (where `var` lands). */
  functionScope: Scope;
  bindings: Map<string, Binding>;
  children: Scope[];
}

interface Reference {
  name: string;
  scope: Scope;
  meaning: number;
  write: boolean;
}

export interface ScopeAnalysis {
  module: Scope;
  bindings: Binding[];
  /** Parameters of each function with a body, in declaration order (destructured ones flattened). */
  parameters: Map<ts.Node, Binding[]>;
  /** ES module (import/export present). */
  isModule: boolean;
  /** References `require`, `module` or `exports` without declaring them. */
  isCommonJs: boolean;
  hasJsx: boolean;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers?.some((m) => m.kind === kind) ?? false;
}

const PARAMETER_PROPERTY_MODIFIERS = [
  SyntaxKind.PublicKeyword,
  SyntaxKind.PrivateKeyword,
  SyntaxKind.ProtectedKeyword,
  SyntaxKind.ReadonlyKeyword,
  SyntaxKind.OverrideKeyword,
];

function isJsxIntrinsic(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 97 && c <= 122; // lower-case first letter: a DOM element, not a component
}

/** `@jsx h` / `@jsxFrag Fragment` pragmas name the factory that JSX compiles to. */
function jsxFactoryNames(text: string): string[] {
  const names = ['React'];
  for (const match of text.matchAll(/@jsx(?:Frag)?\s+([A-Za-z_$][\w$]*)/g)) names.push(match[1]!);
  return names;
}

const JSDOC_BLOCK = /\/\*\*[\s\S]*?\*\//g;
const JSDOC_LINK = /\{@link(?:code|plain)?\s+([A-Za-z_$][\w$]*)/g;
const JSDOC_TYPE = /@[A-Za-z]+\s*\{([^}]*)\}/g;
const TYPE_IDENTIFIER = /(^|[^\w$.'"])([A-Za-z_$][\w$]*)/g;

/**
 * Names a JSDoc comment refers to. TypeScript counts `{@link X}` as a use of X in every file,
 * and in JS files the types of `@param {X}` / `@type {X}` too (checked with `tsc
 * --noUnusedLocals --checkJs`), so an import kept for documentation or for JSDoc typing is
 * not unused.
 */
function jsDocReferences(text: string, isJavaScript: boolean): string[] {
  if (!text.includes('/**')) return [];
  const names: string[] = [];
  for (const block of text.matchAll(JSDOC_BLOCK)) {
    const comment = block[0];
    if (comment.includes('@link')) for (const m of comment.matchAll(JSDOC_LINK)) names.push(m[1]!);
    if (!isJavaScript || !comment.includes('{')) continue;
    for (const tag of comment.matchAll(JSDOC_TYPE)) {
      for (const m of tag[1]!.matchAll(TYPE_IDENTIFIER)) names.push(m[2]!);
    }
  }
  return names;
}

/**
 * The file being analysed. analyzeScopes is synchronous and never re-entered, so its walk keeps
 * the file's state here and its functions are module-level functions. They were closures made
 * anew for every file, and TurboFan's code for a closure holds that closure's context: each
 * hot file's closures were optimised again, on the compiler threads that two workers share on
 * 2 cores (`node --trace-opt`, cold run of the 8.8k-file corpus: visitFunction 5 compiles,
 * visitVariableList 5, visitVariableStatement 5, ...).
 */
let sf: ts.SourceFile | undefined;
let bindings: Binding[] = [];
let references: Reference[] = [];
let parameters = new Map<ts.Node, Binding[]>();
let isModule = false;
let hasJsx = false;
let isDeclarationFile = false;

// One callback for every forEachChild, not a closure per node (a tenth of this walk's time
// went to creating and calling them): the scope and ambient flag of the node whose children
// are being visited are held here, and restored after each child since its own children
// overwrite them.
let childScope: Scope | undefined;
let childAmbient = false;

function newScope(kind: ScopeKind, node: ts.Node, parent: Scope | undefined): Scope {
  const scope: Scope = {
    kind,
    node,
    parent,
    functionScope: undefined as unknown as Scope,
    bindings: new Map(),
    children: [],
  };
  scope.functionScope = kind === 'function' || kind === 'module' || !parent ? scope : parent.functionScope;
  parent?.children.push(scope);
  return scope;
}

interface DeclareOptions {
  exported?: boolean;
  ambient?: boolean;
  typeOnlyImport?: boolean;
  restSibling?: boolean;
  fn?: ts.Node;
}

function declare(
  scope: Scope,
  nameNode: ts.Identifier,
  kind: BindingKind,
  meaning: number,
  options: DeclareOptions = {},
): Binding {
  const name = nameNode.text;
  const existing = scope.bindings.get(name);
  if (existing) {
    // Declaration merging (overloads, `var` twice, interface + class): one binding.
    existing.meaning |= meaning;
    existing.exported ||= options.exported ?? false;
    existing.ambient ||= options.ambient ?? false;
    return existing;
  }
  const binding: Binding = {
    name,
    kind,
    meaning,
    scope,
    pos: nameNode.getStart(sf),
    end: nameNode.end,
    exported: options.exported ?? false,
    ambient: (options.ambient ?? false) || isDeclarationFile,
    typeOnlyImport: options.typeOnlyImport ?? false,
    restSibling: options.restSibling ?? false,
    fn: options.fn,
    reads: 0,
    writes: 0,
  };
  scope.bindings.set(name, binding);
  bindings.push(binding);
  if (options.fn) {
    let list = parameters.get(options.fn);
    if (!list) {
      list = [];
      parameters.set(options.fn, list);
    }
    list.push(binding);
  }
  return binding;
}

function reference(scope: Scope, name: string, meaning: number, write = false): void {
  references.push({ name, scope, meaning, write });
}

/** Leftmost identifier of `a.b.c` (entity names and property-access chains). */
function referenceEntity(node: ts.Node, scope: Scope, meaning: number): void {
  let current: ts.Node = node;
  for (;;) {
    if (ts.isQualifiedName(current)) current = current.left;
    else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else break;
  }
  // `a.b` in an expression starts with a value; `A.B` in a type, with a namespace.
  const leftMeaning = current === node ? meaning : meaning === VALUE ? VALUE : NAMESPACE;
  if (ts.isIdentifier(current)) reference(scope, current.text, leftMeaning);
  else visit(current, scope, false);
}

/** Declares every name in a binding pattern; defaults and computed keys are read in `readScope`. */
function declarePattern(
  name: ts.BindingName,
  scope: Scope,
  readScope: Scope,
  kind: BindingKind,
  options: DeclareOptions,
  ambient: boolean,
): void {
  if (ts.isIdentifier(name)) {
    declare(scope, name, kind, VALUE, options);
    return;
  }
  const hasRest =
    ts.isObjectBindingPattern(name) && name.elements.some((e) => e.dotDotDotToken !== undefined);
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (element.propertyName && ts.isComputedPropertyName(element.propertyName)) {
      visit(element.propertyName.expression, readScope, ambient);
    }
    if (element.initializer) visit(element.initializer, readScope, ambient);
    const siblingOfRest = hasRest && element.dotDotDotToken === undefined;
    declarePattern(element.name, scope, readScope, kind, { ...options, restSibling: siblingOfRest }, ambient);
  }
}

/** The left side of `=` (and for-in/of heads without a declaration): identifiers are writes. */
function visitAssignmentTarget(node: ts.Expression, scope: Scope, ambient: boolean): void {
  if (ts.isIdentifier(node)) {
    reference(scope, node.text, VALUE, true);
  } else if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) {
    visitAssignmentTarget(node.expression, scope, ambient);
  } else if (
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node)
  ) {
    visitAssignmentTarget(node.expression, scope, ambient);
    visit(node.type, scope, ambient);
  } else if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isShorthandPropertyAssignment(property)) {
        reference(scope, property.name.text, VALUE, true);
        if (property.objectAssignmentInitializer) visit(property.objectAssignmentInitializer, scope, ambient);
      } else if (ts.isPropertyAssignment(property)) {
        if (ts.isComputedPropertyName(property.name)) visit(property.name.expression, scope, ambient);
        visitAssignmentTarget(property.initializer, scope, ambient);
      } else if (ts.isSpreadAssignment(property)) {
        visitAssignmentTarget(property.expression, scope, ambient);
      } else {
        visit(property, scope, ambient);
      }
    }
  } else if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) visitAssignmentTarget(element.expression, scope, ambient);
      else if (!ts.isOmittedExpression(element)) visitAssignmentTarget(element, scope, ambient);
    }
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
    // A default inside a destructuring assignment: `[a = 1] = xs`.
    visitAssignmentTarget(node.left, scope, ambient);
    visit(node.right, scope, ambient);
  } else {
    visit(node, scope, ambient);
  }
}

function visitTypeParameters(
  params: ts.NodeArray<ts.TypeParameterDeclaration> | undefined,
  scope: Scope,
  ambient: boolean,
): void {
  if (!params) return;
  for (const p of params) declare(scope, p.name, 'type-parameter', TYPE);
  for (const p of params) {
    if (p.constraint) visit(p.constraint, scope, ambient);
    if (p.default) visit(p.default, scope, ambient);
  }
}

function visitFunction(node: ts.SignatureDeclaration, scope: Scope, ambient: boolean): void {
  const body = (node as ts.FunctionLikeDeclaration).body;
  const fnAmbient = ambient || hasModifier(node, SyntaxKind.DeclareKeyword);
  const isSignature = body === undefined;
  if (node.name && ts.isComputedPropertyName(node.name)) visit(node.name.expression, scope, ambient);
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  for (const modifier of modifiers ?? []) if (ts.isDecorator(modifier)) visit(modifier, scope, ambient);
  const fnScope = newScope(isSignature ? 'type' : 'function', node, scope);
  if (ts.isFunctionExpression(node) && node.name) {
    declare(fnScope, node.name, 'expression-name', VALUE);
  }
  visitTypeParameters(node.typeParameters, fnScope, fnAmbient);
  const isSetter = ts.isSetAccessorDeclaration(node);
  for (const param of node.parameters) {
    for (const modifier of param.modifiers ?? [])
      if (ts.isDecorator(modifier)) visit(modifier, scope, ambient);
    if (ts.isIdentifier(param.name) && param.name.text === 'this') {
      if (param.type) visit(param.type, fnScope, fnAmbient);
      continue;
    }
    const isProperty = PARAMETER_PROPERTY_MODIFIERS.some((k) => hasModifier(param, k));
    const kind: BindingKind =
      isSignature || fnAmbient
        ? 'signature-parameter'
        : isProperty || isSetter
          ? 'kept-parameter'
          : 'parameter';
    declarePattern(
      param.name,
      fnScope,
      fnScope,
      kind,
      { fn: kind === 'parameter' ? node : undefined },
      fnAmbient,
    );
    if (param.type) visit(param.type, fnScope, fnAmbient);
    if (param.initializer) visit(param.initializer, fnScope, fnAmbient);
  }
  if (node.type) visit(node.type, fnScope, fnAmbient);
  if (!body) return;
  if (ts.isBlock(body)) visitStatements(body.statements, fnScope, fnAmbient);
  else visit(body, fnScope, fnAmbient);
}

function visitClass(node: ts.ClassLikeDeclaration, scope: Scope, ambient: boolean): void {
  const classAmbient = ambient || hasModifier(node, SyntaxKind.DeclareKeyword);
  for (const modifier of node.modifiers ?? []) if (ts.isDecorator(modifier)) visit(modifier, scope, ambient);
  if (ts.isClassDeclaration(node) && node.name) {
    declare(scope, node.name, 'class', VALUE | TYPE, {
      exported: hasModifier(node, SyntaxKind.ExportKeyword),
      ambient: classAmbient,
    });
  }
  const classScope = newScope('class', node, scope);
  if (ts.isClassExpression(node) && node.name) declare(classScope, node.name, 'expression-name', VALUE);
  visitTypeParameters(node.typeParameters, classScope, classAmbient);
  for (const clause of node.heritageClauses ?? []) {
    const meaning = clause.token === SyntaxKind.ExtendsKeyword ? VALUE : TYPE;
    for (const type of clause.types) {
      referenceEntity(type.expression, classScope, meaning);
      for (const arg of type.typeArguments ?? []) visit(arg, classScope, classAmbient);
    }
  }
  for (const member of node.members) visit(member, classScope, classAmbient);
}

function visitStatements(statements: ts.NodeArray<ts.Statement>, scope: Scope, ambient: boolean): void {
  for (const statement of statements) visit(statement, scope, ambient);
}

function visitVariableList(
  list: ts.VariableDeclarationList,
  scope: Scope,
  ambient: boolean,
  exported: boolean,
): void {
  const isVar = (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using)) === 0;
  const kind: BindingKind = isVar ? 'var' : list.flags & ts.NodeFlags.Let ? 'let' : 'const';
  const target = isVar ? scope.functionScope : scope;
  for (const decl of list.declarations) {
    const exportedHere = exported || (decl.initializer !== undefined && isCommonJsExport(decl.initializer));
    declarePattern(decl.name, target, scope, kind, { exported: exportedHere, ambient }, ambient);
    if (decl.type) visit(decl.type, scope, ambient);
    if (decl.initializer) visit(decl.initializer, scope, ambient);
  }
}

// A table of handlers, not one switch: each handler is compiled and re-optimised on its own.
// The switch made one function of every case, which TurboFan recompiled whole each time a file
// brought a node kind or shape its optimised code had not seen (`node --trace-opt` on a cold
// run of the 8.8k-file corpus: 10 compiles, 0.81 s, on the thread's compiler helpers, which
// two workers share with each other on 2 cores). Identifiers, the most frequent node, stay inline.
function visit(node: ts.Node, scope: Scope, ambient: boolean): void {
  if (node.kind === SyntaxKind.Identifier) {
    reference(scope, (node as ts.Identifier).text, VALUE);
    return;
  }
  const handler = handlers[node.kind];
  if (handler === undefined) visitChildren(node, scope, ambient);
  else handler(node, scope, ambient);
}

function visitImportDeclaration(node: ts.Node, scope: Scope): void {
  isModule = true;
  const clause = (node as ts.ImportDeclaration).importClause;
  if (!clause) return;
  const typeOnly = clause.isTypeOnly;
  if (clause.name) declare(scope, clause.name, 'import', ALL, { typeOnlyImport: typeOnly, ambient: false });
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named))
    declare(scope, named.name, 'import', ALL, { typeOnlyImport: typeOnly });
  else if (named) {
    for (const element of named.elements) {
      declare(scope, element.name, 'import', ALL, { typeOnlyImport: typeOnly || element.isTypeOnly });
    }
  }
}

function visitImportEqualsDeclaration(node: ts.Node, scope: Scope): void {
  const decl = node as ts.ImportEqualsDeclaration;
  const exported = hasModifier(decl, SyntaxKind.ExportKeyword);
  if (ts.isExternalModuleReference(decl.moduleReference)) isModule = true;
  else referenceEntity(decl.moduleReference, scope, ALL);
  declare(scope, decl.name, 'import', ALL, { exported, typeOnlyImport: decl.isTypeOnly });
}

function visitExportDeclaration(node: ts.Node, scope: Scope): void {
  isModule = true;
  const decl = node as ts.ExportDeclaration;
  // `export { x } from 'm'` re-exports without touching local bindings.
  if (decl.moduleSpecifier || !decl.exportClause || !ts.isNamedExports(decl.exportClause)) return;
  for (const element of decl.exportClause.elements) {
    const local = element.propertyName ?? element.name;
    if (ts.isIdentifier(local)) reference(scope, local.text, ALL);
  }
}

function visitExportAssignment(node: ts.Node, scope: Scope, ambient: boolean): void {
  isModule = true;
  const expression = (node as ts.ExportAssignment).expression;
  // `export = Foo` / `export default Foo` may name a type or namespace as well as a value.
  if (ts.isIdentifier(expression)) reference(scope, expression.text, ALL);
  else visit(expression, scope, ambient);
}

function visitNamespaceExportDeclaration(): void {}

function visitVariableStatement(node: ts.Node, scope: Scope, ambient: boolean): void {
  const statement = node as ts.VariableStatement;
  const exported = hasModifier(statement, SyntaxKind.ExportKeyword);
  if (exported) isModule = true;
  visitVariableList(
    statement.declarationList,
    scope,
    ambient || hasModifier(statement, SyntaxKind.DeclareKeyword),
    exported,
  );
}

function visitVariableDeclarationList(node: ts.Node, scope: Scope, ambient: boolean): void {
  visitVariableList(node as ts.VariableDeclarationList, scope, ambient, false);
}

function visitFunctionDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  const decl = node as ts.FunctionDeclaration;
  const exported = hasModifier(decl, SyntaxKind.ExportKeyword);
  if (exported) isModule = true;
  if (decl.name) {
    // Sloppy-mode scripts hoist block-level functions to the function (Annex B).
    const target = isModule || scope.kind !== 'block' ? scope : scope.functionScope;
    declare(target, decl.name, 'function', VALUE, {
      exported,
      ambient: ambient || hasModifier(decl, SyntaxKind.DeclareKeyword),
    });
  }
  visitFunction(decl, scope, ambient);
}

function visitSignatureLike(node: ts.Node, scope: Scope, ambient: boolean): void {
  visitFunction(node as ts.SignatureDeclaration, scope, ambient);
}

function visitClassDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  if (hasModifier(node, SyntaxKind.ExportKeyword)) isModule = true;
  visitClass(node as ts.ClassDeclaration, scope, ambient);
}

function visitClassExpression(node: ts.Node, scope: Scope, ambient: boolean): void {
  visitClass(node as ts.ClassExpression, scope, ambient);
}

function visitClassStaticBlockDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  visitStatements(
    (node as ts.ClassStaticBlockDeclaration).body.statements,
    newScope('function', node, scope),
    ambient,
  );
}

function visitPropertyDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  const decl = node as ts.PropertyDeclaration;
  for (const modifier of decl.modifiers ?? []) if (ts.isDecorator(modifier)) visit(modifier, scope, ambient);
  if (ts.isComputedPropertyName(decl.name)) visit(decl.name.expression, scope, ambient);
  if (decl.type) visit(decl.type, scope, ambient);
  if (decl.initializer) visit(decl.initializer, scope, ambient);
}

function visitInterfaceDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  const decl = node as ts.InterfaceDeclaration;
  const exported = hasModifier(decl, SyntaxKind.ExportKeyword);
  if (exported) isModule = true;
  declare(scope, decl.name, 'interface', TYPE, {
    exported,
    ambient: ambient || hasModifier(decl, SyntaxKind.DeclareKeyword),
  });
  const typeScope = newScope('type', decl, scope);
  visitTypeParameters(decl.typeParameters, typeScope, ambient);
  for (const clause of decl.heritageClauses ?? []) {
    for (const type of clause.types) {
      referenceEntity(type.expression, typeScope, TYPE);
      for (const arg of type.typeArguments ?? []) visit(arg, typeScope, ambient);
    }
  }
  for (const member of decl.members) visit(member, typeScope, ambient);
}

function visitTypeAliasDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  const decl = node as ts.TypeAliasDeclaration;
  const exported = hasModifier(decl, SyntaxKind.ExportKeyword);
  if (exported) isModule = true;
  declare(scope, decl.name, 'type', TYPE, {
    exported,
    ambient: ambient || hasModifier(decl, SyntaxKind.DeclareKeyword),
  });
  const typeScope = newScope('type', decl, scope);
  visitTypeParameters(decl.typeParameters, typeScope, ambient);
  visit(decl.type, typeScope, ambient);
}

function visitEnumDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  const decl = node as ts.EnumDeclaration;
  const exported = hasModifier(decl, SyntaxKind.ExportKeyword);
  if (exported) isModule = true;
  declare(scope, decl.name, 'enum', ALL, {
    exported,
    ambient: ambient || hasModifier(decl, SyntaxKind.DeclareKeyword),
  });
  const enumScope = newScope('enum', decl, scope);
  for (const member of decl.members) {
    if (ts.isIdentifier(member.name)) declare(enumScope, member.name, 'enum-member', VALUE);
  }
  for (const member of decl.members) {
    if (ts.isComputedPropertyName(member.name)) visit(member.name.expression, enumScope, ambient);
    if (member.initializer) visit(member.initializer, enumScope, ambient);
  }
}

function visitModuleDeclaration(node: ts.Node, scope: Scope, ambient: boolean): void {
  const decl = node as ts.ModuleDeclaration;
  const exported = hasModifier(decl, SyntaxKind.ExportKeyword);
  if (exported) isModule = true;
  const isGlobal = (decl.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
  const inner =
    ambient || hasModifier(decl, SyntaxKind.DeclareKeyword) || !ts.isIdentifier(decl.name) || isGlobal;
  if (ts.isIdentifier(decl.name) && !isGlobal)
    declare(scope, decl.name, 'namespace', ALL, { exported, ambient: inner });
  if (!decl.body) return;
  // `namespace A.B {}`: the body of A is the declaration of B.
  const moduleScope = newScope('function', decl, scope);
  if (ts.isModuleBlock(decl.body)) visitStatements(decl.body.statements, moduleScope, inner);
  else visit(decl.body, moduleScope, inner);
}

function visitBlock(node: ts.Node, scope: Scope, ambient: boolean): void {
  visitStatements((node as ts.Block).statements, newScope('block', node, scope), ambient);
}

function visitSwitchStatement(node: ts.Node, scope: Scope, ambient: boolean): void {
  const statement = node as ts.SwitchStatement;
  visit(statement.expression, scope, ambient);
  const blockScope = newScope('block', statement.caseBlock, scope);
  for (const clause of statement.caseBlock.clauses) {
    if (ts.isCaseClause(clause)) visit(clause.expression, blockScope, ambient);
    visitStatements(clause.statements, blockScope, ambient);
  }
}

function visitForStatement(node: ts.Node, scope: Scope, ambient: boolean): void {
  const statement = node as ts.ForStatement;
  const loopScope = newScope('block', statement, scope);
  if (statement.initializer) visit(statement.initializer, loopScope, ambient);
  if (statement.condition) visit(statement.condition, loopScope, ambient);
  if (statement.incrementor) visit(statement.incrementor, loopScope, ambient);
  visit(statement.statement, loopScope, ambient);
}

function visitForInStatement(node: ts.Node, scope: Scope, ambient: boolean): void {
  const statement = node as ts.ForInOrOfStatement;
  const loopScope = newScope('block', statement, scope);
  if (ts.isVariableDeclarationList(statement.initializer)) visit(statement.initializer, loopScope, ambient);
  else visitAssignmentTarget(statement.initializer, loopScope, ambient);
  visit(statement.expression, loopScope, ambient);
  visit(statement.statement, loopScope, ambient);
}

function visitCatchClause(node: ts.Node, scope: Scope, ambient: boolean): void {
  const clause = node as ts.CatchClause;
  const catchScope = newScope('catch', clause, scope);
  if (clause.variableDeclaration) {
    declarePattern(clause.variableDeclaration.name, catchScope, catchScope, 'catch', {}, ambient);
    if (clause.variableDeclaration.type) visit(clause.variableDeclaration.type, catchScope, ambient);
  }
  visit(clause.block, catchScope, ambient);
}

function visitBinaryExpression(node: ts.Node, scope: Scope, ambient: boolean): void {
  const expression = node as ts.BinaryExpression;
  if (expression.operatorToken.kind === SyntaxKind.EqualsToken) {
    visitAssignmentTarget(expression.left, scope, ambient);
    visit(expression.right, scope, ambient);
    return;
  }
  visitChildren(node, scope, ambient);
}

function visitPropertyAccessExpression(node: ts.Node, scope: Scope, ambient: boolean): void {
  visit((node as ts.PropertyAccessExpression).expression, scope, ambient);
}

function visitQualifiedName(node: ts.Node, scope: Scope, ambient: boolean): void {
  visit((node as ts.QualifiedName).left, scope, ambient);
}

function visitPropertyAssignment(node: ts.Node, scope: Scope, ambient: boolean): void {
  const property = node as ts.PropertyAssignment;
  if (ts.isComputedPropertyName(property.name)) visit(property.name.expression, scope, ambient);
  visit(property.initializer, scope, ambient);
}

function visitShorthandPropertyAssignment(node: ts.Node, scope: Scope, ambient: boolean): void {
  const property = node as ts.ShorthandPropertyAssignment;
  reference(scope, property.name.text, VALUE);
  if (property.objectAssignmentInitializer) visit(property.objectAssignmentInitializer, scope, ambient);
}

function visitLabeledOrLeaf(node: ts.Node, scope: Scope, ambient: boolean): void {
  if (ts.isLabeledStatement(node)) visit(node.statement, scope, ambient);
}

function visitTypeReference(node: ts.Node, scope: Scope, ambient: boolean): void {
  const type = node as ts.TypeReferenceNode;
  referenceEntity(type.typeName, scope, TYPE);
  for (const arg of type.typeArguments ?? []) visit(arg, scope, ambient);
}

function visitExpressionWithTypeArguments(node: ts.Node, scope: Scope, ambient: boolean): void {
  const type = node as ts.ExpressionWithTypeArguments;
  referenceEntity(type.expression, scope, VALUE);
  for (const arg of type.typeArguments ?? []) visit(arg, scope, ambient);
}

function visitTypeQuery(node: ts.Node, scope: Scope, ambient: boolean): void {
  const query = node as ts.TypeQueryNode;
  referenceEntity(query.exprName, scope, VALUE);
  for (const arg of query.typeArguments ?? []) visit(arg, scope, ambient);
}

function visitImportType(node: ts.Node, scope: Scope, ambient: boolean): void {
  for (const arg of (node as ts.ImportTypeNode).typeArguments ?? []) visit(arg, scope, ambient);
}

function visitTypePredicate(node: ts.Node, scope: Scope, ambient: boolean): void {
  const predicate = node as ts.TypePredicateNode;
  if (predicate.type) visit(predicate.type, scope, ambient);
}

function visitNamedTupleMember(node: ts.Node, scope: Scope, ambient: boolean): void {
  visit((node as ts.NamedTupleMember).type, scope, ambient);
}

function visitMappedType(node: ts.Node, scope: Scope, ambient: boolean): void {
  const mapped = node as ts.MappedTypeNode;
  const typeScope = newScope('type', mapped, scope);
  declare(typeScope, mapped.typeParameter.name, 'type-parameter', TYPE);
  if (mapped.typeParameter.constraint) visit(mapped.typeParameter.constraint, typeScope, ambient);
  if (mapped.nameType) visit(mapped.nameType, typeScope, ambient);
  if (mapped.type) visit(mapped.type, typeScope, ambient);
}

function visitConditionalType(node: ts.Node, scope: Scope, ambient: boolean): void {
  // `infer U` declares U for the whole conditional type (slightly wider than TS, harmless).
  const conditional = node as ts.ConditionalTypeNode;
  const typeScope = newScope('type', conditional, scope);
  visitChildren(conditional, typeScope, ambient);
}

function visitInferType(node: ts.Node, scope: Scope, ambient: boolean): void {
  const infer = node as ts.InferTypeNode;
  declare(scope, infer.typeParameter.name, 'type-parameter', TYPE);
  if (infer.typeParameter.constraint) visit(infer.typeParameter.constraint, scope, ambient);
}

function visitJsxOpeningLike(node: ts.Node, scope: Scope, ambient: boolean): void {
  hasJsx = true;
  const element = node as ts.JsxOpeningLikeElement;
  const tag = element.tagName;
  if (ts.isIdentifier(tag)) {
    if (!isJsxIntrinsic(tag.text)) reference(scope, tag.text, VALUE);
  } else if (ts.isPropertyAccessExpression(tag)) {
    referenceEntity(tag, scope, VALUE);
  }
  for (const arg of element.typeArguments ?? []) visit(arg, scope, ambient);
  visit(element.attributes, scope, ambient);
}

function visitJsxFragment(node: ts.Node, scope: Scope, ambient: boolean): void {
  hasJsx = true;
  visitChildren(node, scope, ambient);
}

function visitJsxClosingElement(): void {}

function visitJsxAttribute(node: ts.Node, scope: Scope, ambient: boolean): void {
  const initializer = (node as ts.JsxAttribute).initializer;
  if (initializer) visit(initializer, scope, ambient);
}

function visitJsxNamespacedName(): void {}

const handlers: (Handler | undefined)[] = [];

handlers[SyntaxKind.ImportDeclaration] = visitImportDeclaration;
handlers[SyntaxKind.ImportEqualsDeclaration] = visitImportEqualsDeclaration;
handlers[SyntaxKind.ExportDeclaration] = visitExportDeclaration;
handlers[SyntaxKind.ExportAssignment] = visitExportAssignment;
handlers[SyntaxKind.NamespaceExportDeclaration] = visitNamespaceExportDeclaration;
handlers[SyntaxKind.VariableStatement] = visitVariableStatement;
handlers[SyntaxKind.VariableDeclarationList] = visitVariableDeclarationList;
handlers[SyntaxKind.FunctionDeclaration] = visitFunctionDeclaration;
handlers[SyntaxKind.FunctionExpression] = visitSignatureLike;
handlers[SyntaxKind.ArrowFunction] = visitSignatureLike;
handlers[SyntaxKind.MethodDeclaration] = visitSignatureLike;
handlers[SyntaxKind.Constructor] = visitSignatureLike;
handlers[SyntaxKind.GetAccessor] = visitSignatureLike;
handlers[SyntaxKind.SetAccessor] = visitSignatureLike;
handlers[SyntaxKind.MethodSignature] = visitSignatureLike;
handlers[SyntaxKind.CallSignature] = visitSignatureLike;
handlers[SyntaxKind.ConstructSignature] = visitSignatureLike;
handlers[SyntaxKind.IndexSignature] = visitSignatureLike;
handlers[SyntaxKind.FunctionType] = visitSignatureLike;
handlers[SyntaxKind.ConstructorType] = visitSignatureLike;
handlers[SyntaxKind.ClassDeclaration] = visitClassDeclaration;
handlers[SyntaxKind.ClassExpression] = visitClassExpression;
handlers[SyntaxKind.ClassStaticBlockDeclaration] = visitClassStaticBlockDeclaration;
handlers[SyntaxKind.PropertyDeclaration] = visitPropertyDeclaration;
handlers[SyntaxKind.PropertySignature] = visitPropertyDeclaration;
handlers[SyntaxKind.InterfaceDeclaration] = visitInterfaceDeclaration;
handlers[SyntaxKind.TypeAliasDeclaration] = visitTypeAliasDeclaration;
handlers[SyntaxKind.EnumDeclaration] = visitEnumDeclaration;
handlers[SyntaxKind.ModuleDeclaration] = visitModuleDeclaration;
handlers[SyntaxKind.Block] = visitBlock;
handlers[SyntaxKind.SwitchStatement] = visitSwitchStatement;
handlers[SyntaxKind.ForStatement] = visitForStatement;
handlers[SyntaxKind.ForInStatement] = visitForInStatement;
handlers[SyntaxKind.ForOfStatement] = visitForInStatement;
handlers[SyntaxKind.CatchClause] = visitCatchClause;
handlers[SyntaxKind.BinaryExpression] = visitBinaryExpression;
handlers[SyntaxKind.PropertyAccessExpression] = visitPropertyAccessExpression;
handlers[SyntaxKind.QualifiedName] = visitQualifiedName;
handlers[SyntaxKind.PropertyAssignment] = visitPropertyAssignment;
handlers[SyntaxKind.ShorthandPropertyAssignment] = visitShorthandPropertyAssignment;
handlers[SyntaxKind.EnumMember] = visitLabeledOrLeaf;
handlers[SyntaxKind.LabeledStatement] = visitLabeledOrLeaf;
handlers[SyntaxKind.BreakStatement] = visitLabeledOrLeaf;
handlers[SyntaxKind.ContinueStatement] = visitLabeledOrLeaf;
handlers[SyntaxKind.MetaProperty] = visitLabeledOrLeaf;
handlers[SyntaxKind.TypeReference] = visitTypeReference;
handlers[SyntaxKind.ExpressionWithTypeArguments] = visitExpressionWithTypeArguments;
handlers[SyntaxKind.TypeQuery] = visitTypeQuery;
handlers[SyntaxKind.ImportType] = visitImportType;
handlers[SyntaxKind.TypePredicate] = visitTypePredicate;
handlers[SyntaxKind.NamedTupleMember] = visitNamedTupleMember;
handlers[SyntaxKind.MappedType] = visitMappedType;
handlers[SyntaxKind.ConditionalType] = visitConditionalType;
handlers[SyntaxKind.InferType] = visitInferType;
handlers[SyntaxKind.JsxSelfClosingElement] = visitJsxOpeningLike;
handlers[SyntaxKind.JsxOpeningElement] = visitJsxOpeningLike;
handlers[SyntaxKind.JsxFragment] = visitJsxFragment;
handlers[SyntaxKind.JsxClosingElement] = visitJsxClosingElement;
handlers[SyntaxKind.JsxAttribute] = visitJsxAttribute;
handlers[SyntaxKind.JsxNamespacedName] = visitJsxNamespacedName;
function visitChild(child: ts.Node): undefined {
  const scope = childScope!;
  const ambient = childAmbient;
  visit(child, scope, ambient);
  childScope = scope;
  childAmbient = ambient;
  return undefined;
}

function visitChildren(node: ts.Node, scope: Scope, ambient: boolean): void {
  childScope = scope;
  childAmbient = ambient;
  forEachChild(node, visitChild);
}

export function analyzeScopes(file: ts.SourceFile): ScopeAnalysis {
  sf = file;
  bindings = [];
  references = [];
  parameters = new Map();
  isModule = false;
  hasJsx = false;
  isDeclarationFile = file.isDeclarationFile;
  try {
    return analyzeFile(file);
  } finally {
    // Nothing of a file outlives its analysis here: its tree and results are the caller's.
    sf = undefined;
    bindings = [];
    references = [];
    parameters = new Map();
    childScope = undefined;
  }
}

function analyzeFile(sf: ts.SourceFile): ScopeAnalysis {
  const moduleScope = newScope('module', sf, undefined);
  visitStatements(sf.statements, moduleScope, isDeclarationFile);

  if (hasJsx) for (const name of jsxFactoryNames(sf.text)) reference(moduleScope, name, VALUE);
  for (const name of jsDocReferences(sf.text, /\.[cm]?jsx?$/.test(sf.fileName)))
    reference(moduleScope, name, ALL);

  let isCommonJs = false;
  for (const ref of references) {
    const binding = resolve(ref);
    if (binding) {
      if (ref.write) binding.writes += 1;
      else binding.reads += 1;
    } else if (ref.name === 'require' || ref.name === 'module' || ref.name === 'exports') {
      isCommonJs = true;
    }
  }
  return { module: moduleScope, bindings, parameters, isModule, isCommonJs, hasJsx };
}

/**
 * `const x = (exports.x = ...)` / `var y = module.exports = ...`: the CommonJS output of
 * Babel and tsc exports through the variable's initializer, so the variable is an export.
 */
function isCommonJsExport(node: ts.Expression): boolean {
  let current = node;
  for (;;) {
    while (ts.isParenthesizedExpression(current)) current = current.expression;
    if (!ts.isBinaryExpression(current) || current.operatorToken.kind !== SyntaxKind.EqualsToken)
      return false;
    let target = current.left;
    while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
      const base = target.expression;
      if (ts.isIdentifier(base) && (base.text === 'exports' || base.text === 'module')) return true;
      target = base;
    }
    current = current.right;
  }
}

/** A node kind's visit (a kind without one has its children walked). */
type Handler = (node: ts.Node, scope: Scope, ambient: boolean) => void;

function resolve(ref: Reference): Binding | undefined {
  for (let scope: Scope | undefined = ref.scope; scope; scope = scope.parent) {
    const binding = scope.bindings.get(ref.name);
    if (binding && (binding.meaning & ref.meaning) !== 0) return binding;
  }
  return undefined;
}

/** The nearest binding of `name` with a value meaning in the scopes enclosing `scope`. */
export function findOuterValueBinding(scope: Scope, name: string): Binding | undefined {
  for (let outer = scope.parent; outer; outer = outer.parent) {
    const binding = outer.bindings.get(name);
    if (binding && (binding.meaning & VALUE) !== 0) return binding;
  }
  return undefined;
}
