import type { Diagnostic } from './diagnostics';
import { describeFailures } from './diagnostics';
import { buildSarifLog } from './sarif';

const eslint = (code: string, docs?: string): Diagnostic => ({
  path: 'src/a.js',
  line: 2,
  col: 7,
  severity: 'error',
  code,
  message: `${code} says no`,
  task_id: '05_eslint',
  ...(docs ? { docs_url: docs } : {}),
});

test('SARIF carries ESLint rules with their help URIs next to codebatch rules', () => {
  const log = buildSarifLog(
    [
      eslint('no-unused-vars', 'https://eslint.org/docs/latest/rules/no-unused-vars'),
      eslint('local/no-foo'),
      {
        path: 'src/b.ts',
        line: 1,
        col: 1,
        severity: 'warning',
        code: 'L001',
        message: 'trailing',
        task_id: '04_lint',
      },
    ],
    { pathPrefix: 'web', category: 'codebatch/lint' },
  );
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules ?? [];
  expect(rules.find((r) => r.id === 'no-unused-vars')).toMatchObject({
    helpUri: 'https://eslint.org/docs/latest/rules/no-unused-vars',
  });
  expect(rules.find((r) => r.id === 'L001')).toBeDefined();
  expect(run.results.map((r) => [r.ruleId, r.locations?.[0]?.physicalLocation.artifactLocation.uri])).toEqual(
    [
      ['local/no-foo', 'web/src/a.js'],
      ['no-unused-vars', 'web/src/a.js'],
      ['L001', 'web/src/b.ts'],
    ],
  );
  expect(run.automationDetails).toEqual({ id: 'codebatch/lint' });
});

test('shard failures are reported once per distinct error', () => {
  const notFound = {
    taskId: '05_eslint',
    code: 'E_ESLINT_NOT_FOUND',
    message: 'ESLint is not installed in /w',
  };
  expect(
    describeFailures([
      { ...notFound, shardId: '00' },
      { ...notFound, shardId: '01' },
      { taskId: '01_parse', shardId: '02', code: 'E_OBJECT_CORRUPT', message: 'object x is corrupt' },
    ]),
  ).toEqual([
    '05_eslint failed in 2 shards: error[E_ESLINT_NOT_FOUND]: ESLint is not installed in /w',
    '01_parse failed in 1 shard: error[E_OBJECT_CORRUPT]: object x is corrupt',
  ]);
  expect(describeFailures([])).toEqual([]);
});
