import type { TaskOutput } from '../../schemas/output-record';
import { childByField, nodeText, type PyNode, type PythonTree } from '../shared/python-tree';
import type { SymbolsConfig } from './symbols-meta';
import { type EdgeType, MODULE_SCOPE, type SymbolType } from './ts-symbols';

const TARGET_CONTAINERS = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
]);

/** Symbols and edges of one Python file, in source order (same vocabulary as TS/JS). */
export function extractPythonSymbols(tree: PythonTree, path: string, config: SymbolsConfig): TaskOutput[] {
  const out: TaskOutput[] = [];
  const text = (node: PyNode) => nodeText(tree, node);
  // Dotted names of enclosing defs and classes; `kinds` says which are classes.
  const scopes: string[] = [];
  const kinds: ('class' | 'function')[] = [];
  // Variables are declared once per scope: the first binding.
  const declared: Set<string>[] = [new Set()];
  const scopeName = () => (scopes.length === 0 ? MODULE_SCOPE : scopes.join('.'));

  const symbol = (name: string, symbolType: SymbolType, at: PyNode): void => {
    out.push({
      path,
      kind: 'symbol',
      name,
      symbol_type: symbolType,
      line: at.line,
      col: at.col,
      scope: scopeName(),
    });
  };
  const edge = (edgeType: EdgeType, target: string, at: PyNode): void => {
    out.push({
      path,
      kind: 'edge',
      edge_type: edgeType,
      target,
      line: at.line,
      col: at.col,
      scope: scopeName(),
    });
  };
  const inScope = (name: string, kind: 'class' | 'function', fn: () => void): void => {
    scopes.push(name);
    kinds.push(kind);
    declared.push(new Set());
    fn();
    declared.pop();
    kinds.pop();
    scopes.pop();
  };

  /** `a`, `a.b.c`; anything else (`f().g`, `xs[0]`) has no stable name. */
  const dottedName = (node: PyNode): string | undefined => {
    if (node.type === 'identifier') return text(node);
    if (node.type === 'attribute') {
      const object = childByField(node, 'object');
      const attribute = childByField(node, 'attribute');
      const left = object ? dottedName(object) : undefined;
      return left !== undefined && attribute ? `${left}.${text(attribute)}` : undefined;
    }
    return undefined;
  };

  const declareVariable = (node: PyNode): void => {
    if (node.type === 'identifier') {
      const name = text(node);
      const seen = declared[declared.length - 1]!;
      if (!seen.has(name)) {
        seen.add(name);
        symbol(name, 'variable', node);
      }
    } else if (TARGET_CONTAINERS.has(node.type) || node.type === 'list_splat_pattern') {
      for (const child of node.children) if (child.named) declareVariable(child);
    } else {
      visit(node);
    }
  };

  const parameterNames = (params: PyNode | undefined): PyNode[] => {
    const names: PyNode[] = [];
    for (const param of params?.children ?? []) {
      if (param.type === 'identifier') names.push(param);
      else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') {
        const name = childByField(param, 'name');
        if (name) names.push(name);
        const value = childByField(param, 'value');
        if (value) visit(value);
      } else if (param.type === 'typed_parameter' || param.type.endsWith('splat_pattern')) {
        const direct = param.children.find((c) => c.type === 'identifier');
        const nested = param.children
          .find((c) => c.type.endsWith('splat_pattern'))
          ?.children.find((c) => c.type === 'identifier');
        const name = direct ?? nested;
        if (name) names.push(name);
      }
    }
    return names;
  };

  const collectDunderAll = (value: PyNode | undefined): void => {
    if (!value || (value.type !== 'list' && value.type !== 'tuple')) return;
    for (const item of value.children) {
      const content =
        item.type === 'string' ? item.children.find((c) => c.type === 'string_content') : undefined;
      if (!content) continue;
      symbol(text(content), 'export', item);
      edge('exports', text(content), item);
    }
  };

  const visit = (node: PyNode): void => {
    switch (node.type) {
      case 'import_statement':
        for (const name of node.children.filter((c) => c.field === 'name')) {
          const dotted = name.type === 'aliased_import' ? childByField(name, 'name') : name;
          if (dotted) edge('imports', text(dotted), node);
          const alias =
            name.type === 'aliased_import' ? childByField(name, 'alias') : name.children.find((c) => c.named);
          if (alias) symbol(text(alias), 'import_alias', alias);
        }
        return;
      case 'import_from_statement':
      case 'future_import_statement': {
        const module = childByField(node, 'module_name');
        edge('imports', module ? text(module) : '__future__', node);
        for (const name of node.children.filter((c) => c.field === 'name')) {
          const alias =
            name.type === 'aliased_import'
              ? childByField(name, 'alias')
              : name.children.filter((c) => c.named).pop();
          if (alias) symbol(text(alias), 'import_alias', alias);
        }
        return;
      }
      case 'function_definition':
      case 'lambda': {
        const nameNode = childByField(node, 'name');
        const name = nameNode ? text(nameNode) : '<lambda>';
        if (nameNode) symbol(name, kinds[kinds.length - 1] === 'class' ? 'method' : 'function', nameNode);
        const params = childByField(node, 'parameters');
        inScope(name, 'function', () => {
          for (const param of parameterNames(params)) symbol(text(param), 'parameter', param);
          const body = childByField(node, 'body');
          if (body) visit(body);
        });
        return;
      }
      case 'class_definition': {
        const nameNode = childByField(node, 'name');
        const name = nameNode ? text(nameNode) : '<class>';
        if (nameNode) symbol(name, 'class', nameNode);
        const supers = childByField(node, 'superclasses');
        for (const base of supers?.children ?? []) {
          if (!base.named) continue;
          const target = dottedName(base);
          if (target) edge('inherits', target, base);
          else visit(base);
        }
        inScope(name, 'class', () => {
          const body = childByField(node, 'body');
          if (body) visit(body);
        });
        return;
      }
      case 'assignment': {
        const left = childByField(node, 'left');
        const right = childByField(node, 'right');
        if (left) declareVariable(left);
        if (scopes.length === 0 && left?.type === 'identifier' && text(left) === '__all__')
          collectDunderAll(right);
        if (right) visit(right);
        return;
      }
      case 'augmented_assignment': {
        const left = childByField(node, 'left');
        const right = childByField(node, 'right');
        if (scopes.length === 0 && left?.type === 'identifier' && text(left) === '__all__')
          collectDunderAll(right);
        if (right) visit(right);
        return;
      }
      case 'call': {
        const fn = childByField(node, 'function');
        const target = config.calls && fn ? dottedName(fn) : undefined;
        if (target) edge('calls', target, node);
        break;
      }
    }
    for (const child of node.children) if (child.named) visit(child);
  };

  visit(tree.root);
  return out;
}
