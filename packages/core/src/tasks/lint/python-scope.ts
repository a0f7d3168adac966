import { childByField, nodeText, type PyNode, type PythonTree } from '../shared/python-tree';

/**
 * Python scope analysis (LEGB): module, function (def, lambda), class and comprehension
 * scopes. Any binding anywhere in a function makes the name local to the whole function, so
 * references are resolved after the walk, like CPython's symbol table does. Class scopes are
 * not visible from functions nested in them.
 */

export type PyBindingKind =
  | 'import'
  | 'assign'
  /** Target of tuple/list unpacking (`a, b = pair`): never "unused" (pyflakes' convention). */
  | 'unpack'
  | 'augmented'
  | 'annotation'
  | 'walrus'
  | 'function'
  | 'class'
  | 'parameter'
  | 'for'
  | 'with'
  | 'except'
  | 'match'
  | 'type-parameter';

export type PyScopeKind = 'module' | 'function' | 'class' | 'comprehension';

export interface PyBinding {
  name: string;
  kind: PyBindingKind;
  scope: PyScope;
  node: PyNode;
  reads: number;
  /**
   * `import x as x` / `from m import x as x` (PEP 484), or a name taken from a private module
   * (`from _ssl import MemoryBIO`): the facade re-exports it.
   */
  explicitReexport: boolean;
  /** `import a.b` (no alias) bound this name: it also makes `a.b` reachable through `a`. */
  submoduleImport?: boolean;
  /** `import a as m`: the module `m` names (dotless), for the submodule rule below. */
  aliasOf?: string;
}

export interface PyScope {
  kind: PyScopeKind;
  name: string;
  parent: PyScope | undefined;
  bindings: Map<string, PyBinding>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** Calls `locals()` / `vars()`: every local may be read dynamically. */
  usesLocals: boolean;
}

interface PyReference {
  name: string;
  scope: PyScope;
}

export interface PyScopeAnalysis {
  module: PyScope;
  bindings: PyBinding[];
  /** Names listed in a module-level `__all__`. */
  dunderAll: Set<string>;
}

const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const PATTERN_CONTAINERS = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
]);
const IDENTIFIER_IN_STRING = /[A-Za-z_][A-Za-z0-9_]*/g;

export function analyzePythonScopes(tree: PythonTree): PyScopeAnalysis {
  const bindings: PyBinding[] = [];
  const references: PyReference[] = [];
  const dunderAll = new Set<string>();
  const text = (node: PyNode) => nodeText(tree, node);

  const newScope = (kind: PyScopeKind, name: string, parent: PyScope | undefined): PyScope => ({
    kind,
    name,
    parent,
    bindings: new Map(),
    globals: new Set(),
    nonlocals: new Set(),
    usesLocals: false,
  });
  const moduleScope = newScope('module', '<module>', undefined);

  const bind = (
    scope: PyScope,
    nameNode: PyNode,
    kind: PyBindingKind,
    explicitReexport = false,
  ): PyBinding | undefined => {
    const name = text(nameNode);
    // `global x` / `nonlocal x` redirect the binding; record it where it lands.
    let target = scope;
    if (scope.globals.has(name)) target = moduleScope;
    else if (scope.nonlocals.has(name)) {
      const outer = findNonlocalTarget(scope, name);
      // A nonlocal name is never local. The enclosing function may bind it further down
      // (`def inner(): nonlocal n` before `n = 0`): its own binding is the one, created when the
      // walk gets there, and this write adds nothing to it.
      if (!outer) return undefined;
      target = outer;
    }
    const existing = target.bindings.get(name);
    if (existing) {
      // A rebinding: the first declaration keeps the position; an import stays an import
      // so that L101 still sees it.
      if (existing.kind !== 'import' && kind === 'import') {
        existing.kind = kind;
        existing.node = nameNode;
        existing.explicitReexport = explicitReexport;
      }
      return existing;
    }
    const binding: PyBinding = { name, kind, scope: target, node: nameNode, reads: 0, explicitReexport };
    target.bindings.set(name, binding);
    bindings.push(binding);
    return binding;
  };

  const read = (scope: PyScope, name: string): void => {
    references.push({ name, scope });
  };

  /** Assignment targets: names bind, attribute/subscript targets read their object. */
  const bindTargets = (node: PyNode, scope: PyScope, kind: PyBindingKind): void => {
    if (node.type === 'identifier') {
      bind(scope, node, kind);
    } else if (PATTERN_CONTAINERS.has(node.type)) {
      for (const child of node.children)
        if (child.named) bindTargets(child, scope, kind === 'assign' ? 'unpack' : kind);
    } else if (node.type === 'list_splat_pattern' || node.type === 'list_splat') {
      for (const child of node.children) if (child.named) bindTargets(child, scope, kind);
    } else {
      visit(node, scope);
    }
  };

  /** Names inside a string annotation (`x: "Foo[Bar]"`) are references too. */
  const visitAnnotation = (node: PyNode, scope: PyScope): void => {
    if (node.type === 'string' && !node.children.some((c) => c.type === 'interpolation')) {
      const content = text(node)
        .replace(/^[a-zA-Z]*("""|'''|"|')/, '')
        .replace(/("""|'''|"|')$/, '');
      for (const match of content.matchAll(IDENTIFIER_IN_STRING)) {
        const before = content[match.index! - 1];
        if (before !== '.') read(scope, match[0]);
      }
      return;
    }
    if (
      node.type === 'type' ||
      node.type === 'subscript' ||
      node.type === 'generic_type' ||
      node.type === 'binary_operator'
    ) {
      for (const child of node.children) if (child.named) visitAnnotation(child, scope);
      return;
    }
    visit(node, scope);
  };

  const declareParameters = (params: PyNode | undefined, fnScope: PyScope, outer: PyScope): void => {
    if (!params) return;
    for (const param of params.children) {
      if (!param.named) continue;
      switch (param.type) {
        case 'identifier':
          bind(fnScope, param, 'parameter');
          break;
        case 'typed_parameter': {
          const name = param.children.find(
            (c) => c.type === 'identifier' || c.type.endsWith('splat_pattern'),
          );
          const inner =
            name && name.type !== 'identifier' ? name.children.find((c) => c.type === 'identifier') : name;
          if (inner) bind(fnScope, inner, 'parameter');
          const type = childByField(param, 'type');
          if (type) visitAnnotation(type, outer);
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = childByField(param, 'name');
          if (name?.type === 'identifier') bind(fnScope, name, 'parameter');
          const type = childByField(param, 'type');
          if (type) visitAnnotation(type, outer);
          const value = childByField(param, 'value');
          if (value) visit(value, outer);
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern': {
          const name = param.children.find((c) => c.type === 'identifier');
          if (name) bind(fnScope, name, 'parameter');
          break;
        }
        default:
          break;
      }
    }
  };

  const visitFunction = (node: PyNode, scope: PyScope): void => {
    const name = childByField(node, 'name');
    if (name) bind(scope, name, 'function');
    const fnScope = newScope('function', name ? text(name) : '<lambda>', scope);
    for (const typeParams of node.children.filter((c) => c.field === 'type_parameters')) {
      for (const t of typeParams.children) {
        const id = t.type === 'type' ? t.children.find((c) => c.type === 'identifier') : undefined;
        if (id) bind(fnScope, id, 'type-parameter');
      }
    }
    declareParameters(childByField(node, 'parameters'), fnScope, scope);
    const returnType = childByField(node, 'return_type');
    if (returnType) visitAnnotation(returnType, scope);
    // Comments between the signature and the body (type comments) are the def's children.
    for (const child of node.children) if (child.type === 'comment') visit(child, fnScope);
    const body = childByField(node, 'body');
    if (body) visit(body, fnScope);
  };

  const visitComprehension = (node: PyNode, scope: PyScope): void => {
    const compScope = newScope('comprehension', '<comprehension>', scope);
    let first = true;
    // Clauses bind before the body is evaluated: visit them first.
    for (const child of node.children) {
      if (child.type === 'for_in_clause') {
        const right = child.children.filter((c) => c.field === 'right');
        // The outermost iterable is evaluated in the enclosing scope.
        for (const r of right) visit(r, first ? scope : compScope);
        first = false;
        for (const left of child.children.filter((c) => c.field === 'left'))
          bindTargets(left, compScope, 'for');
      } else if (child.type === 'if_clause') {
        visit(child, compScope);
      }
    }
    for (const child of node.children) {
      if (child.named && child.type !== 'for_in_clause' && child.type !== 'if_clause')
        visit(child, compScope);
    }
  };

  const visitCasePattern = (node: PyNode, scope: PyScope): void => {
    for (const child of node.children) {
      if (!child.named) continue;
      if (child.type === 'dotted_name') {
        const ids = child.children.filter((c) => c.type === 'identifier');
        if (ids.length === 1 && node.type !== 'class_pattern') bind(scope, ids[0]!, 'match');
        else if (ids[0]) read(scope, text(ids[0]));
      } else if (child.type === 'identifier') {
        // keyword_pattern's first identifier is the attribute name; captures elsewhere.
        if (node.type === 'keyword_pattern' && child === node.children.find((c) => c.named)) continue;
        bind(scope, child, 'match');
      } else if (child.type === 'string' || child.type === 'integer' || child.type === 'float') {
        visit(child, scope);
      } else {
        visitCasePattern(child, scope);
      }
    }
  };

  const collectDunderAll = (value: PyNode | undefined): void => {
    if (!value || (value.type !== 'list' && value.type !== 'tuple')) return;
    for (const item of value.children) {
      if (item.type !== 'string') continue;
      const content = item.children.find((c) => c.type === 'string_content');
      if (content) dunderAll.add(text(content));
    }
  };

  const visit = (node: PyNode, scope: PyScope): void => {
    switch (node.type) {
      case 'identifier':
        read(scope, text(node));
        return;
      case 'import_statement':
        for (const name of node.children.filter((c) => c.field === 'name')) {
          if (name.type === 'aliased_import') {
            const alias = childByField(name, 'alias');
            const original = childByField(name, 'name');
            const module = original ? text(original) : '';
            const binding = alias && bind(scope, alias, 'import', module === text(alias));
            if (binding?.kind === 'import' && !module.includes('.')) binding.aliasOf = module;
          } else {
            // `import a.b` binds `a`.
            const ids = name.children.filter((c) => c.type === 'identifier');
            const binding = ids[0] && bind(scope, ids[0], 'import');
            if (binding?.kind === 'import' && ids.length > 1) binding.submoduleImport = true;
          }
        }
        return;
      case 'import_from_statement': {
        // CPython's accelerator pattern (`from _decimal import *`-style facades) and private
        // implementation modules: public modules import from them to re-export.
        const module = childByField(node, 'module_name');
        const lastPart = module ? text(module).split('.').pop()! : '';
        const fromPrivate = /^_(?!_)/.test(lastPart) && scope === moduleScope;
        for (const name of node.children.filter((c) => c.field === 'name')) {
          if (name.type === 'aliased_import') {
            const alias = childByField(name, 'alias');
            const original = childByField(name, 'name');
            if (alias)
              bind(
                scope,
                alias,
                'import',
                fromPrivate || (original !== undefined && text(original) === text(alias)),
              );
          } else {
            const ids = name.children.filter((c) => c.type === 'identifier');
            if (ids.length > 0) bind(scope, ids[ids.length - 1]!, 'import', fromPrivate);
          }
        }
        return;
      }
      case 'future_import_statement':
        return;
      case 'decorated_definition':
        for (const child of node.children) visit(child, scope);
        return;
      case 'function_definition':
      case 'lambda':
        visitFunction(node, scope);
        return;
      case 'class_definition': {
        const name = childByField(node, 'name');
        if (name) bind(scope, name, 'class');
        const supers = childByField(node, 'superclasses');
        if (supers) visit(supers, scope);
        const classScope = newScope('class', name ? text(name) : '<class>', scope);
        for (const child of node.children) if (child.type === 'comment') visit(child, classScope);
        const body = childByField(node, 'body');
        if (body) visit(body, classScope);
        return;
      }
      case 'assignment': {
        const left = childByField(node, 'left');
        const right = childByField(node, 'right');
        const type = childByField(node, 'type');
        if (type) visitAnnotation(type, scope);
        if (right) visit(right, scope);
        if (left) {
          if (!right && left.type === 'identifier') bind(scope, left, 'annotation');
          else bindTargets(left, scope, 'assign');
          if (scope === moduleScope && left.type === 'identifier' && text(left) === '__all__')
            collectDunderAll(right);
        }
        return;
      }
      case 'augmented_assignment': {
        const left = childByField(node, 'left');
        const right = childByField(node, 'right');
        if (right) visit(right, scope);
        if (left?.type === 'identifier') {
          read(scope, text(left));
          bind(scope, left, 'augmented');
          if (scope === moduleScope && text(left) === '__all__') collectDunderAll(right);
        } else if (left) visit(left, scope);
        return;
      }
      case 'named_expression': {
        const name = childByField(node, 'name');
        const value = childByField(node, 'value');
        if (value) visit(value, scope);
        // PEP 572: a walrus in a comprehension binds in the enclosing function.
        let target = scope;
        while (target.kind === 'comprehension' && target.parent) target = target.parent;
        if (name) bind(target, name, 'walrus');
        return;
      }
      case 'for_statement': {
        const left = childByField(node, 'left');
        for (const child of node.children) if (child.named && child !== left) visit(child, scope);
        if (left) bindTargets(left, scope, 'for');
        return;
      }
      case 'as_pattern': {
        // `with x as y`, `except E as e`: the alias binds, the rest is read.
        const alias = childByField(node, 'alias');
        for (const child of node.children) if (child.named && child !== alias) visit(child, scope);
        if (alias) {
          for (const target of alias.children) if (target.named) bindTargets(target, scope, 'with');
        }
        return;
      }
      case 'except_clause':
        for (const child of node.children) {
          if (child.type === 'as_pattern') {
            const alias = childByField(child, 'alias');
            for (const c of child.children) if (c.named && c !== alias) visit(c, scope);
            if (alias)
              for (const target of alias.children) if (target.named) bindTargets(target, scope, 'except');
          } else if (child.named) visit(child, scope);
        }
        return;
      case 'global_statement':
        for (const child of node.children) if (child.type === 'identifier') scope.globals.add(text(child));
        return;
      case 'nonlocal_statement':
        for (const child of node.children) {
          if (child.type !== 'identifier') continue;
          scope.nonlocals.add(text(child));
          // pyflakes' rule: declaring `nonlocal n` uses the enclosing `n` (resolved after the
          // walk, so an outer assignment below the nested function counts too).
          read(scope, text(child));
        }
        return;
      case 'attribute': {
        const object = childByField(node, 'object');
        if (object) visit(object, scope);
        return;
      }
      case 'keyword_argument': {
        const value = childByField(node, 'value');
        if (value) visit(value, scope);
        return;
      }
      case 'call': {
        const fn = childByField(node, 'function');
        if (
          scope === moduleScope &&
          fn?.type === 'attribute' &&
          /^__all__\.(extend|append)$/.test(text(fn))
        ) {
          const args = childByField(node, 'arguments');
          for (const arg of args?.children ?? []) {
            if (arg.type === 'string') collectDunderAll({ ...arg, type: 'list', children: [arg] });
            else collectDunderAll(arg);
          }
        }
        if (fn?.type === 'identifier' && (text(fn) === 'locals' || text(fn) === 'vars'))
          scope.usesLocals = true;
        break;
      }
      case 'type':
        visitAnnotation(node, scope);
        return;
      case 'case_pattern':
        visitCasePattern(node, scope);
        return;
      case 'comment': {
        // PEP 484 type comments (`# type: (str) -> BinaryIO`) use names like annotations do.
        const typeComment = /^#\s*type:\s*(?!ignore\b)(.*)$/.exec(text(node));
        if (typeComment) {
          for (const match of typeComment[1]!.matchAll(IDENTIFIER_IN_STRING)) {
            if (typeComment[1]![match.index! - 1] !== '.') read(scope, match[0]);
          }
        }
        return;
      }
      default:
        if (COMPREHENSIONS.has(node.type)) {
          visitComprehension(node, scope);
          return;
        }
    }
    for (const child of node.children) if (child.named) visit(child, scope);
  };

  visit(tree.root, moduleScope);

  for (const ref of references) {
    const binding = resolvePython(ref, moduleScope);
    if (binding) binding.reads += 1;
  }
  for (const name of dunderAll) {
    const binding = moduleScope.bindings.get(name);
    if (binding) binding.reads += 1;
  }
  // pyflakes' rule: `import a as m; import a.b; m.b.x()` uses the submodule import, which is
  // what makes `m.b` exist (CPython's concurrent/futures/process.py does this).
  for (const binding of bindings) {
    if (binding.aliasOf === undefined || binding.reads === 0) continue;
    const root = binding.scope.bindings.get(binding.aliasOf);
    if (root?.kind === 'import' && root.submoduleImport) root.reads += 1;
  }
  return { module: moduleScope, bindings, dunderAll };
}

/** The enclosing function scope that already binds `name`, for a `nonlocal name` in `scope`. */
function findNonlocalTarget(scope: PyScope, name: string): PyScope | undefined {
  for (let s = scope.parent; s; s = s.parent) if (s.kind === 'function' && s.bindings.has(name)) return s;
  return undefined;
}

function resolvePython(ref: PyReference, moduleScope: PyScope): PyBinding | undefined {
  const { name, scope } = ref;
  if (scope.globals.has(name)) return moduleScope.bindings.get(name);
  const own = scope.bindings.get(name);
  if (own) return own;
  for (let outer = scope.parent; outer; outer = outer.parent) {
    // Class bodies are not enclosing scopes for the functions defined in them.
    if (outer.kind === 'class') continue;
    const binding = outer.bindings.get(name);
    if (binding) return binding;
  }
  return undefined;
}

/** The binding `name` refers to in the scopes enclosing `scope` (class scopes skipped). */
export function findOuterPythonBinding(scope: PyScope, name: string): PyBinding | undefined {
  for (let outer = scope.parent; outer; outer = outer.parent) {
    if (outer.kind === 'class') continue;
    const binding = outer.bindings.get(name);
    if (binding) return binding;
  }
  return undefined;
}
