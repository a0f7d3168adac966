import ts from 'typescript';
import type { TaskOutput } from '../../schemas/output-record';
import { LineIndex } from '../shared/line-index';
import { nodeText, type PyNode, type PythonTree } from '../shared/python-tree';

/** A badly broken file (wrong language, Python 2) must not flood the store with cascades. */
export const MAX_SYNTAX_DIAGNOSTICS = 100;

/** Python syntax error codes (docs/ast-format.md). */
export const PYTHON_SYNTAX_ERROR = 'E0001';
export const PYTHON_MISSING_TOKEN = 'E0002';

/**
 * TS/JS syntax errors keep TypeScript's own diagnostic number, prefixed `E` (TS1005 -> E1005):
 * those numbers are stable across TypeScript releases and searchable.
 */
export function typeScriptSyntaxDiagnostics(path: string, sf: ts.SourceFile): TaskOutput[] {
  const parseDiagnostics = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] })
    .parseDiagnostics;
  if (!parseDiagnostics || parseDiagnostics.length === 0) return [];
  const lines = new LineIndex(sf.text);
  return parseDiagnostics.slice(0, MAX_SYNTAX_DIAGNOSTICS).map((d) => {
    const start = lines.position(d.start);
    const record: TaskOutput = {
      path,
      kind: 'diagnostic',
      severity: 'error',
      code: `E${d.code}`,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      line: start.line,
      col: start.col,
    };
    if (d.length > 0) {
      const end = lines.position(d.start + d.length);
      record.end_line = end.line;
      record.end_col = end.col;
    }
    return record;
  });
}

/** ERROR nodes (outermost only: nested ones repeat the same error) and MISSING tokens. */
export function pythonSyntaxDiagnostics(path: string, tree: PythonTree): TaskOutput[] {
  const out: TaskOutput[] = [];
  const visit = (node: PyNode): void => {
    if (out.length >= MAX_SYNTAX_DIAGNOSTICS) return;
    if (node.isError) {
      out.push({
        path,
        kind: 'diagnostic',
        severity: 'error',
        code: PYTHON_SYNTAX_ERROR,
        message: `invalid syntax near ${JSON.stringify(snippet(nodeText(tree, node)))}`,
        line: node.line,
        col: node.col,
        end_line: node.endLine,
        end_col: node.endCol,
      });
      return;
    }
    if (node.isMissing) {
      out.push({
        path,
        kind: 'diagnostic',
        severity: 'error',
        code: PYTHON_MISSING_TOKEN,
        message: `missing ${JSON.stringify(node.type)}`,
        line: node.line,
        col: node.col,
      });
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(tree.root);
  return out;
}

function snippet(text: string): string {
  const oneLine = text.trim().split('\n')[0]!.trim();
  return oneLine.length > 40 ? `${oneLine.slice(0, 40)}...` : oneLine;
}
