import type { PyNode, PythonTree } from '../shared/python-tree';
import type { LintConfig } from './lint-config';
import {
  analyzePythonScopes,
  findOuterPythonBinding,
  type PyBinding,
  type PyBindingKind,
} from './python-scope';
import type { Finding } from './text-rules';

/** Locals L102 reports (pyflakes' set: plain, annotated, walrus and with-as bindings). */
const L102_KINDS = new Set<PyBindingKind>(['assign', 'annotation', 'walrus', 'with']);
/** Function-local bindings that can shadow an outer name (unpacking targets too: `a, b = p`). */
const L103_KINDS = new Set<PyBindingKind>([
  'assign',
  'unpack',
  'parameter',
  'for',
  'with',
  'function',
  'class',
  'import',
  'walrus',
]);
const NEVER_SHADOWING = new Set(['self', 'cls']);

function hasSyntaxErrors(node: PyNode): boolean {
  if (node.isError || node.isMissing) return true;
  return node.children.some(hasSyntaxErrors);
}

function isPackageInit(path: string): boolean {
  return /(^|\/)__init__\.pyi?$/.test(path);
}

/**
 * L101-L103 for Python. Files with syntax errors are skipped, as for TS/JS. An `__init__.py`
 * re-exports by convention, so its imports are not reported.
 */
export function checkPythonRules(tree: PythonTree, path: string, config: LintConfig): Finding[] {
  if (hasSyntaxErrors(tree.root)) return [];
  const analysis = analyzePythonScopes(tree);
  const findings: Finding[] = [];
  const at = (binding: PyBinding) => ({
    line: binding.node.line,
    col: binding.node.col,
    end_line: binding.node.endLine,
    end_col: binding.node.endCol,
  });
  const { rules } = config;
  if (rules.L101.severity !== 'off') {
    const packageInit = isPackageInit(path);
    for (const binding of analysis.bindings) {
      if (binding.kind !== 'import' || binding.reads > 0 || binding.explicitReexport) continue;
      if (packageInit && binding.scope === analysis.module) continue;
      // An import in a class body defines a class attribute (`from x import walk` as a method).
      if (binding.scope.kind === 'class') continue;
      // `from _decimal import __doc__`, `__version__`: module metadata, not a dependency.
      if (/^__\w+__$/.test(binding.name)) continue;
      findings.push({
        rule: 'L101',
        message: `'${binding.name}' is imported but never used`,
        ...at(binding),
      });
    }
  }
  if (rules.L102.severity !== 'off') {
    for (const binding of analysis.bindings) {
      const scope = binding.scope;
      if (scope.kind !== 'function' || scope.usesLocals || !L102_KINDS.has(binding.kind)) continue;
      if (binding.reads > 0 || binding.name.startsWith('_')) continue;
      if (scope.globals.has(binding.name) || scope.nonlocals.has(binding.name)) continue;
      const how =
        binding.kind === 'annotation' ? 'is annotated but never used' : 'is assigned but never used';
      findings.push({ rule: 'L102', message: `local variable '${binding.name}' ${how}`, ...at(binding) });
    }
  }
  if (rules.L103.severity !== 'off') {
    for (const binding of analysis.bindings) {
      const scope = binding.scope;
      if (scope.kind !== 'function' || !L103_KINDS.has(binding.kind)) continue;
      if (NEVER_SHADOWING.has(binding.name) || binding.name.startsWith('_')) continue;
      if (scope.globals.has(binding.name) || scope.nonlocals.has(binding.name)) continue;
      const outer = findOuterPythonBinding(scope, binding.name);
      if (!outer) continue;
      findings.push({
        rule: 'L103',
        message: `'${binding.name}' shadows the declaration on line ${outer.node.line}`,
        ...at(binding),
      });
    }
  }
  return findings;
}
