import type { TaskOutput } from '../../schemas/output-record';
import { detectSourceLanguage } from '../shared/language';
import { getPythonTree } from '../shared/python-tree';
import { getTypeScriptTree } from '../shared/ts-tree';
import { warmUpTypeScriptParser } from '../shared/ts-warmup';
import { defineTask } from '../task-definition';
import { encodePythonAst } from './encode-python-ast';
import { encodeTypeScriptAst } from './encode-ts-ast';
import { type ParseConfig, parseMeta } from './parse-meta';
import { pythonSyntaxDiagnostics, typeScriptSyntaxDiagnostics } from './syntax-diagnostics';

/**
 * 01_parse. TS/JS through the TypeScript compiler's parser, Python through tree-sitter; one
 * `ast` record per parsed file plus a diagnostic per syntax error. Other text files get no
 * records here: their line statistics are 02_analyze's metrics, and a "text AST" would only
 * duplicate them. Binary files are skipped (no records, not an error).
 */
/** An AST of at most 4 KB (79% of them on the benchmark corpus) is kept in its record. */
const INLINE = { inline: true };

export const parseTask = defineTask<ParseConfig>({
  ...parseMeta,
  warmUp: warmUpTypeScriptParser,
  runFile(file, ctx) {
    if (!file.isText) return [];
    const lang = detectSourceLanguage(file.path);
    if (lang === 'typescript' || lang === 'javascript') {
      const sf = getTypeScriptTree(file, ctx);
      const out: TaskOutput[] = [];
      if (ctx.config.ast) {
        out.push({
          path: file.path,
          kind: 'ast',
          ...ctx.storeOutput('ast', 'json', encodeTypeScriptAst(sf, lang), INLINE),
        });
      }
      out.push(...typeScriptSyntaxDiagnostics(file.path, sf));
      return out;
    }
    if (lang === 'python') {
      const tree = getPythonTree(file, ctx);
      const out: TaskOutput[] = [];
      if (ctx.config.ast) {
        out.push({
          path: file.path,
          kind: 'ast',
          ...ctx.storeOutput('ast', 'json', JSON.stringify(encodePythonAst(tree)), INLINE),
        });
      }
      out.push(...pythonSyntaxDiagnostics(file.path, tree));
      return out;
    }
    return [];
  },
});
