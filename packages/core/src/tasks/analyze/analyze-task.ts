import type { TaskOutput } from '../../schemas/output-record';
import { detectSourceLanguage, languageLabel } from '../shared/language';
import { getPythonTree } from '../shared/python-tree';
import { getTypeScriptTree } from '../shared/ts-tree';
import { defineTask } from '../task-definition';
import { type AnalyzeConfig, analyzeMeta } from './analyze-meta';
import { computePythonMetrics } from './python-metrics';
import { countLines, countNonEmptyLines, metricRecord } from './text-metrics';
import { type CodeMetrics, computeTypeScriptMetrics } from './ts-metrics';

const CODE_METRICS: (keyof CodeMetrics)[] = [
  'complexity',
  'max_complexity',
  'function_count',
  'class_count',
  'import_count',
];

/**
 * 02_analyze. `bytes`, `lines`, `loc` (non-empty lines) and `lang` for every text file; for
 * TS/JS and Python also complexity (file total and worst function) and declaration counts
 * (docs/metrics.md). Binary files get nothing.
 */
export const analyzeTask = defineTask<AnalyzeConfig>({
  ...analyzeMeta,
  runFile(file, ctx) {
    if (!file.isText) return [];
    const text = file.text();
    const out: TaskOutput[] = [
      metricRecord(file.path, 'bytes', file.size),
      metricRecord(file.path, 'lines', countLines(text)),
      metricRecord(file.path, 'loc', countNonEmptyLines(text)),
      metricRecord(file.path, 'lang', languageLabel(file)),
    ];
    const lang = detectSourceLanguage(file.path);
    let metrics: CodeMetrics | undefined;
    if (lang === 'typescript' || lang === 'javascript')
      metrics = computeTypeScriptMetrics(getTypeScriptTree(file, ctx));
    else if (lang === 'python') metrics = computePythonMetrics(getPythonTree(file, ctx));
    if (metrics) for (const name of CODE_METRICS) out.push(metricRecord(file.path, name, metrics[name]));
    return out;
  },
});
