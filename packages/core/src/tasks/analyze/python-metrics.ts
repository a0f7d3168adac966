import type { PyNode, PythonTree } from '../shared/python-tree';
import type { CodeMetrics } from './ts-metrics';

const DECISION_TYPES = new Set([
  'if_statement',
  'elif_clause',
  'for_statement',
  'while_statement',
  'except_clause',
  'except_group_clause',
  'conditional_expression',
  'boolean_operator',
  'for_in_clause',
  'if_clause',
  'case_clause',
]);

const FUNCTION_TYPES = new Set(['function_definition', 'lambda']);

/** Same rules as TS/JS (docs/metrics.md), with Python's decision points. */
export function computePythonMetrics(tree: PythonTree): CodeMetrics {
  let decisions = 0;
  let maxComplexity = 0;
  let functions = 0;
  let classes = 0;
  let imports = 0;
  const stack: number[] = [];
  const visit = (node: PyNode): void => {
    if (!node.named) return;
    if (DECISION_TYPES.has(node.type)) {
      decisions += 1;
      if (stack.length > 0) stack[stack.length - 1]! += 1;
    }
    if (node.type === 'class_definition') classes += 1;
    else if (node.type === 'import_statement') {
      // `import a, b` references two modules.
      imports += node.children.filter((c) => c.field === 'name').length;
    } else if (node.type === 'import_from_statement' || node.type === 'future_import_statement') imports += 1;
    const isFunction = FUNCTION_TYPES.has(node.type);
    if (isFunction) {
      functions += 1;
      stack.push(0);
    }
    for (const child of node.children) visit(child);
    if (isFunction) maxComplexity = Math.max(maxComplexity, 1 + stack.pop()!);
  };
  visit(tree.root);
  return {
    complexity: 1 + decisions,
    max_complexity: maxComplexity,
    function_count: functions,
    class_count: classes,
    import_count: imports,
  };
}
