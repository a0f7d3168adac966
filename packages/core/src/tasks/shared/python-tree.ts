import fs from 'node:fs';
import { InternalError } from '../../errors/codebatch-error';
import type { TaskContext, TaskFile } from '../task-definition';

/**
 * A tree-sitter node copied into plain JS objects. web-tree-sitter trees live in the wasm heap
 * and leak unless deleted, and every property read crosses into wasm; copying once lets the
 * memo hold trees safely (the GC frees them) and makes the later walks plain JS.
 * Positions are 1-based lines and UTF-16 columns, like every other record.
 */
export interface PyNode {
  type: string;
  named: boolean;
  /** Field name in the parent (`name`, `body`, `left`, ...) or null. */
  field: string | null;
  start: number;
  end: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  isError: boolean;
  isMissing: boolean;
  children: PyNode[];
}

export interface PythonTree {
  text: string;
  root: PyNode;
}

// Loaded lazily so that processes that never see Python never load wasm.
type TreeSitterModule = typeof import('web-tree-sitter');
let parser: import('web-tree-sitter').Parser | undefined;
let preparing: Promise<void> | undefined;

export const PYTHON_PARSER_ID = 'tree-sitter-python@0.25.0';

/**
 * web-tree-sitter initialises asynchronously while runFile is synchronous, so the runner
 * awaits this once per process or worker before running tasks. Idempotent and concurrency-safe.
 */
export function preparePythonParser(): Promise<void> {
  preparing ??= (async () => {
    const { Parser, Language } = require('web-tree-sitter') as TreeSitterModule;
    await Parser.init();
    // Bytes, not a path: with a path web-tree-sitter dynamic-imports `fs`, which fails under
    // CommonJS test runners (jest without --experimental-vm-modules).
    const wasm = fs.readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const language = await Language.load(wasm);
    const created = new Parser();
    created.setLanguage(language);
    parser = created;
  })();
  preparing.catch(() => {
    preparing = undefined;
  });
  return preparing;
}

export function isPythonParserReady(): boolean {
  return parser !== undefined;
}

export function parsePython(text: string): PythonTree {
  if (!parser) {
    throw new InternalError(
      'the Python parser is not initialised: await prepareTasks() before running tasks',
    );
  }
  const tree = parser.parse(text);
  if (!tree) throw new InternalError('tree-sitter returned no tree for a Python file');
  try {
    return { text, root: copyTree(tree.walk()) };
  } finally {
    tree.delete();
  }
}

function copyTree(cursor: import('web-tree-sitter').TreeCursor): PyNode {
  // Iterative: deeply nested expressions must not overflow the JS stack.
  const root = copyNode(cursor);
  const stack: PyNode[] = [root];
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    const node = copyNode(cursor);
    stack[stack.length - 1]!.children.push(node);
    if (cursor.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length === 1) {
        cursor.delete();
        return root;
      }
      stack.pop();
    }
  }
}

function copyNode(cursor: import('web-tree-sitter').TreeCursor): PyNode {
  const start = cursor.startPosition;
  const end = cursor.endPosition;
  const type = cursor.nodeType;
  return {
    type,
    named: cursor.nodeIsNamed,
    field: cursor.currentFieldName,
    start: cursor.startIndex,
    end: cursor.endIndex,
    line: start.row + 1,
    col: start.column + 1,
    endLine: end.row + 1,
    endCol: end.column + 1,
    isError: type === 'ERROR',
    isMissing: cursor.nodeIsMissing,
    children: [],
  };
}

export function getPythonTree(file: TaskFile, ctx: TaskContext<unknown>): PythonTree {
  const key = `py-tree:${PYTHON_PARSER_ID}:${file.object}`;
  const cached = ctx.memo.get(key) as PythonTree | undefined;
  if (cached) return cached;
  const tree = parsePython(file.text());
  ctx.memo.set(key, tree);
  return tree;
}

export function nodeText(tree: PythonTree, node: PyNode): string {
  return tree.text.slice(node.start, node.end);
}

export function childByField(node: PyNode, field: string): PyNode | undefined {
  return node.children.find((c) => c.field === field);
}

export function childrenByField(node: PyNode, field: string): PyNode[] {
  return node.children.filter((c) => c.field === field);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((c) => c.named);
}
