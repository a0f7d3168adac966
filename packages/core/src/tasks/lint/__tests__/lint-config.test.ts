import { formatConfigIssues, lintConfigSchema } from '../lint-config';

function issues(input: unknown): string[] {
  const result = lintConfigSchema.safeParse(input);
  return result.success ? [] : formatConfigIssues(result.error);
}

describe('lint config', () => {
  it('accepts {} and fills every rule with its default severity and options', () => {
    const config = lintConfigSchema.parse({});
    expect(config.rules.L002).toEqual({ severity: 'warning', options: { max: 120 } });
    expect(config.rules.L003.severity).toBe('info');
    expect(config.rules.L103.severity).toBe('info');
    expect(Object.keys(config.rules)).toEqual([
      'L001',
      'L002',
      'L003',
      'L004',
      'L005',
      'L101',
      'L102',
      'L103',
    ]);
  });

  it('accepts the level shorthand and the object form', () => {
    const config = lintConfigSchema.parse({
      rules: { L001: 'off', L002: { options: { max: 80 } }, L003: { severity: 'error' } },
    });
    expect(config.rules.L001.severity).toBe('off');
    expect(config.rules.L002).toEqual({ severity: 'warning', options: { max: 80 } });
    expect(config.rules.L003).toEqual({ severity: 'error', options: {} });
  });

  it('reports every issue with its path', () => {
    expect(
      issues({
        rules: { L002: { options: { max: 'x' } }, L001: 'loud', L999: 'off', L003: { level: 'info' } },
        rule: {},
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.L002\.options\.max: .*expected number/),
        expect.stringMatching(/^rules\.L001\.severity: /),
        expect.stringMatching(/^rules: Unrecognized key.*L999/),
        expect.stringMatching(/^rules\.L003: Unrecognized key.*level/),
        expect.stringMatching(/^\(root\): Unrecognized key.*rule/),
      ]),
    );
  });

  it('rejects unknown options of a rule', () => {
    expect(issues({ rules: { L002: { options: { maximum: 3 } } } })).toEqual([
      expect.stringMatching(/^rules\.L002\.options: Unrecognized key.*maximum/),
    ]);
    expect(issues({ rules: { L002: { options: { max: 0 } } } })).toEqual([
      expect.stringMatching(/^rules\.L002\.options\.max: /),
    ]);
  });
});
