import { detectSourceLanguage } from '../shared/language';
import { getPythonTree } from '../shared/python-tree';
import { getTypeScriptTree } from '../shared/ts-tree';
import { defineTask } from '../task-definition';
import { extractPythonSymbols } from './python-symbols';
import { type SymbolsConfig, symbolsMeta } from './symbols-meta';
import { extractTypeScriptSymbols } from './ts-symbols';

/**
 * 03_symbols. Declarations as `symbol` records and relations (imports, exports, calls,
 * inherits, implements) as `edge` records, one record per edge, for TS/JS and Python.
 */
export const symbolsTask = defineTask<SymbolsConfig>({
  ...symbolsMeta,
  runFile(file, ctx) {
    if (!file.isText) return [];
    const lang = detectSourceLanguage(file.path);
    if (lang === 'typescript' || lang === 'javascript') {
      return extractTypeScriptSymbols(getTypeScriptTree(file, ctx), file.path, ctx.config);
    }
    if (lang === 'python') return extractPythonSymbols(getPythonTree(file, ctx), file.path, ctx.config);
    return [];
  },
});
