import { z } from 'zod';
import { detectSourceLanguage } from '../shared/language';
import { getPythonTree } from '../shared/python-tree';
import { getTypeScriptTree } from '../shared/ts-tree';
import { defineTask } from '../task-definition';
import { extractPythonSymbols } from './python-symbols';
import { extractTypeScriptSymbols } from './ts-symbols';

export const symbolsConfigSchema = z.strictObject({
  /** Emit `calls` edges (the most numerous records; off for a smaller store). */
  calls: z.boolean().default(true),
});
export type SymbolsConfig = z.infer<typeof symbolsConfigSchema>;

/**
 * 03_symbols. Declarations as `symbol` records and relations (imports, exports, calls,
 * inherits, implements) as `edge` records, one record per edge, for TS/JS and Python.
 */
export const symbolsTask = defineTask<SymbolsConfig>({
  type: 'symbols',
  version: '1.0.0',
  description:
    'Symbols (functions, classes, variables, ...) and edges (imports, exports, calls, inherits, implements)',
  kindsOut: ['symbol', 'edge'],
  configSchema: symbolsConfigSchema,
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
