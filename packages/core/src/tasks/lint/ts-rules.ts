import type ts from 'typescript';
import { LineIndex } from '../shared/line-index';
import type { LintConfig } from './lint-config';
import type { Finding } from './text-rules';
import {
  analyzeScopes,
  type Binding,
  type BindingKind,
  findOuterValueBinding,
  type ScopeAnalysis,
} from './ts-scope';

/** Declarations L102 checks; the others are never "unused variables" (docs/lint-rules.md). */
const L102_KINDS = new Set<BindingKind>([
  'var',
  'let',
  'const',
  'function',
  'class',
  'enum',
  'interface',
  'type',
  'namespace',
  'parameter',
]);
/** Declarations that can shadow (value declarations a reader would confuse). */
const L103_KINDS = new Set<BindingKind>([
  'var',
  'let',
  'const',
  'function',
  'class',
  'enum',
  'parameter',
  'kept-parameter',
  'catch',
  'import',
]);

const KIND_LABEL: Partial<Record<BindingKind, string>> = {
  function: 'function',
  class: 'class',
  enum: 'enum',
  interface: 'interface',
  type: 'type alias',
  namespace: 'namespace',
  parameter: 'parameter',
};

/**
 * L101-L103 for TS/JS. Files with syntax errors are skipped: scope facts about a recovered
 * tree are guesses, and precision matters more than count.
 */
export function checkTypeScriptRules(sf: ts.SourceFile, _path: string, config: LintConfig): Finding[] {
  const parseDiagnostics = (sf as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  if (parseDiagnostics && parseDiagnostics.length > 0) return [];
  const analysis = analyzeScopes(sf);
  const lines = new LineIndex(sf.text);
  const findings: Finding[] = [];
  const at = (binding: Binding) => {
    const start = lines.position(binding.pos);
    const end = lines.position(binding.end);
    return { line: start.line, col: start.col, end_line: end.line, end_col: end.col };
  };
  const { rules } = config;
  if (rules.L101.severity !== 'off') {
    for (const binding of analysis.bindings) {
      if (binding.kind !== 'import' || binding.exported || binding.reads + binding.writes > 0) continue;
      findings.push({
        rule: 'L101',
        message: `'${binding.name}' is imported but never used`,
        ...at(binding),
      });
    }
  }
  if (rules.L102.severity !== 'off') {
    const unusedParameters = findUnusedParameters(analysis);
    for (const binding of analysis.bindings) {
      if (!isUnusedCandidate(binding, analysis)) continue;
      if (binding.kind === 'parameter' && !unusedParameters.has(binding)) continue;
      const label = KIND_LABEL[binding.kind] ?? 'variable';
      const how = binding.writes > 0 ? 'is assigned but never read' : 'is declared but never used';
      findings.push({ rule: 'L102', message: `${label} '${binding.name}' ${how}`, ...at(binding) });
    }
  }
  if (rules.L103.severity !== 'off') {
    for (const binding of analysis.bindings) {
      const outer = shadowedBinding(binding);
      if (!outer) continue;
      const line = lines.lineOf(outer.pos);
      findings.push({
        rule: 'L103',
        message: `'${binding.name}' shadows the declaration on line ${line}`,
        ...at(binding),
      });
    }
  }
  return findings;
}

function isUnusedCandidate(binding: Binding, analysis: ScopeAnalysis): boolean {
  if (!L102_KINDS.has(binding.kind) || binding.reads > 0) return false;
  if (binding.exported || binding.ambient || binding.restSibling || binding.name.startsWith('_'))
    return false;
  // Top-level declarations of a script (no import/export, no CommonJS) are globals that other
  // scripts may use.
  if (binding.scope === analysis.module && !analysis.isModule && !analysis.isCommonJs) return false;
  return true;
}

/**
 * ESLint's `args: after-used`: a parameter is reported only if no parameter after it (in the
 * flattened list, destructured names included) is referenced.
 */
function findUnusedParameters(analysis: ScopeAnalysis): Set<Binding> {
  const unused = new Set<Binding>();
  for (const params of analysis.parameters.values()) {
    for (let i = params.length - 1; i >= 0; i -= 1) {
      const param = params[i]!;
      if (param.reads + param.writes > 0) break;
      unused.add(param);
    }
  }
  return unused;
}

function shadowedBinding(binding: Binding): Binding | undefined {
  if (!L103_KINDS.has(binding.kind) || binding.ambient || binding.scope.kind === 'module') return undefined;
  const outer = findOuterValueBinding(binding.scope, binding.name);
  if (!outer || !L103_KINDS.has(outer.kind) || outer.ambient || outer.typeOnlyImport) return undefined;
  // ESLint's `hoist: functions`: an outer variable declared after the inner one is not
  // shadowed yet; an outer function declaration is (it is hoisted).
  if (binding.end <= outer.pos && outer.kind !== 'function') return undefined;
  return outer;
}
