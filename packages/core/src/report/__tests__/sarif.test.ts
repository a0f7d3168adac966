import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { ReportDiagnostic } from '../diagnostic';
import { pathToUriReference, SARIF_FINGERPRINT_KEY, toSarif, toSarifLevel } from '../sarif';
import { codebatchSarifRules } from '../sarif-rules';
import { sarifSubsetSchema } from './sarif-subset-schema';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSubsetSchema);

function expectValid(log: unknown): void {
  const ok = validateSarif(log);
  expect(ok ? [] : validateSarif.errors).toEqual([]);
}

const tool = { toolName: 'codebatch', toolVersion: '0.1.0' };

const diagnostics: ReportDiagnostic[] = [
  {
    path: 'src/b.ts',
    line: 2,
    col: 1,
    severity: 'info',
    code: 'L003',
    message: 'TODO comment',
    task_id: '04_lint',
  },
  {
    path: 'src/a.ts',
    line: 1,
    col: 8,
    end_line: 1,
    end_col: 10,
    severity: 'error',
    code: 'L101',
    message: "'fs' is imported but never used",
    task_id: '04_lint',
    fingerprint: 'f00d',
  },
  { path: 'src/a.ts', line: 3, col: 1, severity: 'warning', code: 'L001', message: 'Trailing whitespace' },
  { path: 'src/a.ts', line: 4, severity: 'hint', code: 'L001', message: 'Trailing whitespace' },
];

describe('toSarif', () => {
  it('produces one valid SARIF 2.1.0 run with rules, mapped levels, regions and fingerprints', () => {
    const log = toSarif(diagnostics, {
      ...tool,
      informationUri: 'https://example.org/codebatch',
      rules: [
        { id: 'L101', name: 'unused-import', shortDescription: 'Unused import', tags: ['maintainability'] },
      ],
    });
    expectValid(log);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.rules).toEqual([
      { id: 'L001', shortDescription: { text: 'L001' }, defaultConfiguration: { level: 'warning' } },
      { id: 'L003', shortDescription: { text: 'L003' }, defaultConfiguration: { level: 'note' } },
      {
        id: 'L101',
        name: 'unused-import',
        shortDescription: { text: 'Unused import' },
        defaultConfiguration: { level: 'error' },
        properties: { tags: ['maintainability'] },
      },
    ]);
    expect(
      run.results.map((r) => [
        r.ruleId,
        r.ruleIndex,
        r.level,
        r.locations[0]!.physicalLocation.artifactLocation.uri,
      ]),
    ).toEqual([
      ['L101', 2, 'error', 'src/a.ts'],
      ['L001', 0, 'warning', 'src/a.ts'],
      ['L001', 0, 'note', 'src/a.ts'],
      ['L003', 1, 'note', 'src/b.ts'],
    ]);
    expect(run.results[0]).toMatchObject({
      message: { text: "'fs' is imported but never used" },
      locations: [
        { physicalLocation: { region: { startLine: 1, startColumn: 8, endLine: 1, endColumn: 10 } } },
      ],
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: 'f00d' },
      properties: { taskId: '04_lint' },
    });
    expect(run.results[2]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 4 });
    expect(run.results[1]).not.toHaveProperty('partialFingerprints');
  });

  it('maps error->error, warning->warning, info and hint->note', () => {
    expect(['error', 'warning', 'info', 'hint'].map((s) => toSarifLevel(s as 'error'))).toEqual([
      'error',
      'warning',
      'note',
      'note',
    ]);
  });

  it('is deterministic whatever the input order', () => {
    expect(JSON.stringify(toSarif([...diagnostics].reverse(), tool))).toBe(
      JSON.stringify(toSarif(diagnostics, tool)),
    );
  });

  it('prefixes and percent-encodes paths, and records a base URI when given', () => {
    const log = toSarif([{ path: 'dir with space/a#1?.ts', line: 1, message: 'm', code: 'X' }], {
      ...tool,
      pathPrefix: 'packages/app',
      baseUri: 'file:///work/repo',
      automationId: 'codebatch/packages/app/',
    });
    expectValid(log);
    const run = log.runs[0]!;
    expect(run.originalUriBaseIds).toEqual({ SRCROOT: { uri: 'file:///work/repo/' } });
    expect(run.automationDetails).toEqual({ id: 'codebatch/packages/app/' });
    expect(run.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({
      uri: 'packages/app/dir%20with%20space/a%231%3F.ts',
      uriBaseId: 'SRCROOT',
    });
    expect(pathToUriReference('é/%.ts')).toBe('%C3%A9/%25.ts');
  });

  it('gives records without code or message a rule id and a non-empty text', () => {
    const log = toSarif([{ path: 'a.py', task_id: '01_parse', message: '  ' }, { path: 'b.py' }], tool);
    expectValid(log);
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.message.text])).toEqual([
      ['01_parse', '01_parse'],
      ['codebatch', 'codebatch'],
    ]);
  });

  it('drops impossible end positions instead of emitting an invalid region', () => {
    const log = toSarif(
      [{ path: 'a.ts', line: 5, col: 9, end_line: 4, end_col: 2, code: 'X', message: 'm' }],
      tool,
    );
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region).toEqual({
      startLine: 5,
      startColumn: 9,
    });
  });

  it('keeps at most maxResults results, the most severe first, and says how many were left out', () => {
    const many: ReportDiagnostic[] = [];
    for (let i = 1; i <= 30; i++)
      many.push({ path: 'w.ts', line: i, severity: 'warning', code: 'W', message: 'w' });
    many.push({ path: 'z.ts', line: 1, severity: 'error', code: 'E', message: 'e' });
    const log = toSarif(many, { ...tool, maxResults: 10 });
    expectValid(log);
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(10);
    expect(run.results.filter((r) => r.level === 'error')).toHaveLength(1);
    expect(run.results.map((r) => r.locations[0]!.physicalLocation.region!.startLine).slice(0, 9)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(run.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toMatch(
      /^21 of 31 results were left out/,
    );
  });

  it('caps a run at the 25,000 results GitHub accepts by default', () => {
    const many: ReportDiagnostic[] = Array.from({ length: 25_001 }, (_, i) => ({
      path: `f${i % 50}.ts`,
      line: i + 1,
      severity: 'warning',
      code: 'W',
      message: 'w',
    }));
    const log = toSarif(many, tool);
    expect(log.runs[0]!.results).toHaveLength(25_000);
    expectValid(log);
  });

  it('emits a valid, empty run for no diagnostics', () => {
    const log = toSarif([], tool);
    expectValid(log);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toEqual([]);
  });

  it('fails the structural check on what GitHub would reject (the check itself can fail)', () => {
    const log = toSarif(diagnostics, tool) as unknown as {
      runs: { results: { message: { text: string } }[] }[];
    };
    log.runs[0]!.results[0]!.message.text = '';
    expect(validateSarif(log)).toBe(false);
    const bad = toSarif(diagnostics, tool) as unknown as { runs: Record<string, unknown>[] };
    bad.runs[0]!.colunmKind = 'utf16CodeUnits';
    expect(validateSarif(bad)).toBe(false);
  });
});

describe('codebatchSarifRules', () => {
  it('describes the published lint rules, and toSarif uses that for the rules it reports', () => {
    const rules = codebatchSarifRules();
    expect(rules.find((r) => r.id === 'L001')).toEqual({
      id: 'L001',
      name: 'trailing-whitespace',
      shortDescription: expect.any(String),
      defaultSeverity: 'warning',
    });
    const log = toSarif([{ path: 'a.ts', line: 1, code: 'L001', severity: 'error', message: 'm' }], {
      ...tool,
      rules,
    });
    expectValid(log);
    expect(log.runs[0]!.tool.driver.rules).toEqual([
      {
        id: 'L001',
        name: 'trailing-whitespace',
        shortDescription: { text: rules.find((r) => r.id === 'L001')!.shortDescription },
        defaultConfiguration: { level: 'warning' },
      },
    ]);
  });
});
