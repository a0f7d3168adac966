import { parseTypeScript } from '../shared/ts-tree';
import { lintConfigSchema } from './lint-config';
import { parseSuppressions } from './suppressions';
import { checkTextRules, toDiagnostics } from './text-rules';
import { checkTypeScriptRules } from './ts-rules';

/**
 * A file that breaks every rule at least once, suppressions and CRLF included. V8 optimises the
 * line loop of the text rules and the scope rules on the first files' type feedback; each rule
 * those files did not break deoptimised them later, and TurboFan compiled them again
 * (`node --trace-opt`, cold `--parallel 2` run of the 8.8k-file corpus: checkTextRules 6 and
 * checkTypeScriptRules 3 compiles per worker, 0.35 s). Linted once per thread before a long run
 * (TaskDefinition.warmUp), it fills that feedback first.
 */
export const WARM_UP_FILE = [
  "import { unused, used } from './m'; ",
  '',
  '   ',
  'import type { T } from "./t";',
  '\tconst tabbed = used; // TODO tab-indented',
  `const long = '${'x'.repeat(140)}';`,
  'export function f(a: number, b: string): void {',
  '  const tabbed = a; // codebatch-disable-line L103',
  '  let assigned = 1;',
  '  assigned = 2;',
  '  // codebatch-disable-next-line',
  '  const hidden = 3;\r',
  '  /* FIXME */ for (const x of [a]) { const y = x; }',
  '  return undefined as unknown as T & void;',
  '}',
  'class C { constructor(private p: number) {} method(q = 1) { return (r: number) => q; } }',
  'export default C; // XXX no final newline',
].join('\n');

let warmed = false;

/** Lints WARM_UP_FILE with every rule on, once per thread. A few milliseconds. */
export function warmUpLint(): void {
  if (warmed) return;
  warmed = true;
  const path = 'warm-up.ts';
  const config = lintConfigSchema.parse({});
  const findings = checkTextRules(path, WARM_UP_FILE, config);
  findings.push(...checkTypeScriptRules(parseTypeScript(path, WARM_UP_FILE), path, config));
  toDiagnostics(path, findings, config, parseSuppressions(WARM_UP_FILE).isSuppressed);
  // The other shapes of input: an empty file, one that does not parse (no scope rules).
  checkTextRules(path, '', config);
  checkTypeScriptRules(parseTypeScript(path, 'const = ;\n'), path, config);
}
