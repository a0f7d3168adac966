import ts from 'typescript';
import { scriptKindFor } from '../../shared/ts-tree';
import { isJavaScriptFilePath } from './paths';

/**
 * Words without which a file cannot declare anything global from inside a module
 * (`declare global`, `declare module 'x'`, `export as namespace`) nor nest an `export` in a
 * namespace body. Their absence lets the token scan below decide alone; their presence sends
 * the file to the parser, which is exact.
 */
const DECLARATION_HINT = /\b(?:declare|namespace)\b|\bmodule\s*['"`]|\bmodule\s+[A-Za-z_$][\w$.]*\s*\{/;
const MODULE_KEYWORD = /\b(?:import|export)\b/;
const COMMONJS_HINT = /\b(?:require|exports)\b/;

/**
 * Does the file put declarations in the global scope of every program that contains it? A
 * script (no top-level import/export), `declare global`, an ambient or augmenting
 * `declare module 'x'`, or `export as namespace` (a UMD global) does.
 *
 * Only "not global" must be certain: calling a module global over-invalidates, calling a
 * script a module makes keys unsound. So the cheap paths answer only what they can prove and
 * the parser answers the rest.
 */
export function contributesToGlobalScope(path: string, text: string): boolean {
  const isJs = isJavaScriptFilePath(path);
  // A JS file that assigns module.exports or calls require() is a CommonJS module to the
  // checker, not a script, whatever its ES syntax.
  if (isJs && COMMONJS_HINT.test(text) && hasCommonJsIndicator(path, text)) return false;
  if (!DECLARATION_HINT.test(text)) {
    if (!MODULE_KEYWORD.test(text)) return true;
    if (hasTopLevelModuleStatement(path, text)) return false;
  }
  return parseGlobalScopeVerdict(path, text);
}

function parseGlobalScopeVerdict(path: string, text: string): boolean {
  const file = ts.createSourceFile(
    path,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKindFor(path),
  );
  if (!ts.isExternalModule(file)) return true;
  for (const statement of file.statements) {
    if (ts.isNamespaceExportDeclaration(statement)) return true;
    if (!ts.isModuleDeclaration(statement)) continue;
    // `declare global {}` and `declare module 'x' {}`: a global augmentation has an identifier
    // name spelled `global`; an ambient or augmenting module has a string literal name.
    if (ts.isStringLiteral(statement.name) || statement.name.text === 'global') return true;
  }
  return false;
}

/**
 * A top-level `import ... from`/`export` statement found by the scanner (so never inside a
 * comment, string or template). It must start a line and a statement at brace depth 0: with
 * no namespace in the file (see DECLARATION_HINT) nothing valid nests an export, and a
 * miscounted brace can only hide a statement, sending the file to the parser.
 */
function hasTopLevelModuleStatement(path: string, text: string): boolean {
  let found = false;
  scanTokens(path, text, (token, scanner, prev, depth) => {
    if (depth !== 0 || prev === ts.SyntaxKind.DotToken || !startsStatement(prev)) return;
    const start = scanner.getTokenStart();
    if (start !== 0 && text.charCodeAt(start - 1) !== 10 /* \n */) return;
    if (token === ts.SyntaxKind.ExportKeyword) found = true;
    else if (token === ts.SyntaxKind.ImportKeyword) {
      // `import(` and `import.meta` do not make a module.
      const next = scanner.lookAhead(() => scanner.scan());
      found = next !== ts.SyntaxKind.OpenParenToken && next !== ts.SyntaxKind.DotToken;
    }
    return found;
  });
  return found;
}

/** `require(`, `module.exports =`, `module.exports.x =`, `exports.x =`: what the binder counts. */
function hasCommonJsIndicator(path: string, text: string): boolean {
  let found = false;
  scanTokens(path, text, (_token, scanner, prev) => {
    if (prev === ts.SyntaxKind.DotToken) return;
    // By text: `require` and `module` scan as contextual keywords, not identifiers.
    const name = scanner.getTokenText();
    if (name === 'require') {
      found = scanner.lookAhead(() => scanner.scan() === ts.SyntaxKind.OpenParenToken);
    } else if (name === 'module' || name === 'exports') {
      found = scanner.lookAhead(() => {
        const nextIs = (kind: ts.SyntaxKind, text?: string) =>
          scanner.scan() === kind && (text === undefined || scanner.getTokenText() === text);
        if (name === 'module') {
          if (!nextIs(ts.SyntaxKind.DotToken) || !nextIs(ts.SyntaxKind.Identifier, 'exports')) return false;
          const after = scanner.scan();
          if (after === ts.SyntaxKind.EqualsToken) return true;
          if (after !== ts.SyntaxKind.DotToken) return false;
        } else if (!nextIs(ts.SyntaxKind.DotToken)) return false;
        return isIdentifierOrKeyword(scanner.scan()) && nextIs(ts.SyntaxKind.EqualsToken);
      });
    }
    return found;
  });
  return found;
}

/** Property names may be keywords: `exports.default = ...`. */
function isIdentifierOrKeyword(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.Identifier ||
    (kind >= ts.SyntaxKind.FirstKeyword && kind <= ts.SyntaxKind.LastKeyword)
  );
}

function startsStatement(prev: ts.SyntaxKind | undefined): boolean {
  return (
    prev === undefined ||
    prev === ts.SyntaxKind.SemicolonToken ||
    prev === ts.SyntaxKind.CloseBraceToken ||
    prev === ts.SyntaxKind.OpenBraceToken
  );
}

type TokenVisitor = (
  token: ts.SyntaxKind,
  scanner: ts.Scanner,
  prev: ts.SyntaxKind | undefined,
  depth: number,
) => boolean | undefined;

/**
 * Walks significant tokens with the brace depth, re-scanning template continuations and
 * regular expressions so that their contents never read as code. Stops when `visit` says so.
 */
function scanTokens(path: string, text: string, visit: TokenVisitor): void {
  const kind = scriptKindFor(path);
  const variant =
    kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX || kind === ts.ScriptKind.JS
      ? ts.LanguageVariant.JSX
      : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const templateDepths: number[] = [];
  let depth = 0;
  let prev: ts.SyntaxKind | undefined;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.OpenBraceToken) depth++;
    else if (token === ts.SyntaxKind.CloseBraceToken) {
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
        token = scanner.reScanTemplateToken(false);
        if (token === ts.SyntaxKind.TemplateTail) templateDepths.pop();
      } else depth--;
    } else if (token === ts.SyntaxKind.TemplateHead) templateDepths.push(depth);
    else if (
      (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) &&
      canStartRegularExpression(prev)
    ) {
      token = scanner.reScanSlashToken();
    } else if (visit(token, scanner, prev, depth)) return;
    prev = token;
  }
}

/** After an operand a slash divides; anywhere else it opens a regular expression. */
function canStartRegularExpression(prev: ts.SyntaxKind | undefined): boolean {
  switch (prev) {
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.PrivateIdentifier:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateTail:
    case ts.SyntaxKind.RegularExpressionLiteral:
    case ts.SyntaxKind.CloseParenToken:
    case ts.SyntaxKind.CloseBracketToken:
    case ts.SyntaxKind.CloseBraceToken:
    case ts.SyntaxKind.PlusPlusToken:
    case ts.SyntaxKind.MinusMinusToken:
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.SuperKeyword:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return false;
    default:
      return true;
  }
}
