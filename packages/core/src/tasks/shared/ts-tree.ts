import ts from 'typescript';
import type { TaskContext, TaskFile } from '../task-definition';
import { extensionOf, isDeclarationFilePath } from './language';

/** Names the parser in AST objects and memo keys; a parser upgrade changes both. */
export const TS_PARSER_ID = `typescript@${ts.version}`;

export function scriptKindFor(path: string): ts.ScriptKind {
  switch (extensionOf(path)) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      // JSX is common in plain .js (React projects); the JS grammar accepts it.
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

export const PARSE_OPTIONS: ts.CreateSourceFileOptions = {
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
};

/**
 * Parses without parent pointers: about 30% faster (TOOLING-NOTES), and every walker here
 * carries its own context top-down instead. The file name matters only for the `.d.ts` flag.
 *
 * JSDoc comments are not parsed (about 10% of parse time on JSDoc-heavy code): their nodes
 * hang off `node.jsDoc`, which neither `forEachChild` nor any task reads, and their errors
 * are `jsDocDiagnostics`, not the `parseDiagnostics` 01_parse reports. The rules that count
 * JSDoc references read the comment text themselves (lint/ts-scope.ts).
 */
export function parseTypeScript(path: string, text: string): ts.SourceFile {
  const fileName = isDeclarationFilePath(path) ? 'file.d.ts' : `file${extensionOf(path) || '.ts'}`;
  return ts.createSourceFile(fileName, text, PARSE_OPTIONS, false, scriptKindFor(path));
}

function memoKey(file: TaskFile): string {
  return `ts-sourcefile:${TS_PARSER_ID}:${file.object}:${scriptKindFor(file.path)}:${isDeclarationFilePath(file.path) ? 'd' : 's'}`;
}

/**
 * The file's tree, parsed once per shard chain: 01_parse puts it in the memo and the later
 * tasks take it from there. A miss (another process ran 01_parse) re-parses the same bytes
 * with the same options, so results are identical either way.
 */
export function getTypeScriptTree(file: TaskFile, ctx: TaskContext<unknown>): ts.SourceFile {
  const key = memoKey(file);
  const cached = ctx.memo.get(key) as ts.SourceFile | undefined;
  if (cached) return cached;
  const tree = parseTypeScript(file.path, file.text());
  ctx.memo.set(key, tree);
  return tree;
}

/** Kind names without the `First*`/`Last*` range aliases that share their numbers. */
const KIND_NAMES: string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(ts.SyntaxKind)) {
    if (typeof value === 'number' && !/^(First|Last)/.test(name) && names[value] === undefined)
      names[value] = name;
  }
  return names;
})();

export function syntaxKindName(kind: ts.SyntaxKind): string {
  return KIND_NAMES[kind] ?? `Kind${kind}`;
}
