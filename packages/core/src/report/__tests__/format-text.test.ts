import { countBySeverity, isAtLeast, type ReportDiagnostic, severityOf } from '../diagnostic';
import { formatDiagnosticsText, formatDuration, formatSummaryLine, summaryFromResult } from '../format-text';

const d = (
  path: string,
  line: number,
  col: number,
  severity: ReportDiagnostic['severity'],
  code: string,
  message: string,
) => ({ path, line, col, severity, code, message, task_id: '04_lint' }) satisfies ReportDiagnostic;

const sample: ReportDiagnostic[] = [
  d('src/b.ts', 1, 1, 'info', 'L003', 'TODO comment'),
  d('src/a.ts', 12, 5, 'error', 'L101', "'fs' is imported but never used"),
  d('src/a.ts', 3, 10, 'warning', 'L001', 'Trailing whitespace'),
];

describe('formatDiagnosticsText', () => {
  it('renders `path:line:col  severity  message  rule`, sorted and grouped by file', () => {
    expect(formatDiagnosticsText(sample)).toBe(
      [
        'src/a.ts:3:10  warning  Trailing whitespace  L001',
        "src/a.ts:12:5  error    'fs' is imported but never used  L101",
        '',
        'src/b.ts:1:1   info     TODO comment  L003',
        '',
      ].join('\n'),
    );
  });

  it('is deterministic whatever the input order', () => {
    expect(formatDiagnosticsText([...sample].reverse())).toBe(formatDiagnosticsText(sample));
  });

  it('prefixes paths (project root) and handles missing positions, codes and multi-line messages', () => {
    const out = formatDiagnosticsText(
      [
        { path: 'x.py', severity: 'error', message: 'first\n  second' },
        { path: 'y.py', line: 4, message: 'no column', code: 'E1' },
      ],
      { pathPrefix: 'packages/app/' },
    );
    expect(out).toBe(
      [
        'packages/app/x.py    error    first second',
        '',
        'packages/app/y.py:4  warning  no column  E1',
        '',
      ].join('\n'),
    );
  });

  it('adds ANSI colours only when asked, keeping the columns aligned on screen', () => {
    expect(formatDiagnosticsText(sample)).not.toMatch(/\u001b\[/);
    const colored = formatDiagnosticsText(sample, { color: true });
    expect(colored).toContain('\u001b[31merror\u001b[0m');
    // Stripping the escapes gives back the plain rendering, so alignment did not change.
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(formatDiagnosticsText(sample));
  });

  it('escapes newlines and terminal escapes in paths, messages and codes: one line per diagnostic', () => {
    const forged = 'a.ts\nsrc/x.ts:1:1  error  fake  L999';
    const out = formatDiagnosticsText([
      d(forged, 1, 1, 'warning', 'L001', 'Trailing whitespace'),
      d('b.ts', 2, 3, 'error', 'L\u001b[2J', 'bad \u001b[31mred\u001b[0m\rover'),
    ]);
    const location = 'a.ts\\nsrc/x.ts:1:1  error  fake  L999:1:1';
    expect(out).toBe(
      [
        `${location}  warning  Trailing whitespace  L001`,
        '',
        `${'b.ts:2:3'.padEnd(location.length)}  error    bad \\x1b[31mred\\x1b[0m\\rover  L\\x1b[2J`,
        '',
      ].join('\n'),
    );
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    // Colour codes are still ours alone: stripping them gives the plain (escaped) rendering.
    const colored = formatDiagnosticsText([d(forged, 1, 1, 'warning', 'L001', 'x')], { color: true });
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(
      formatDiagnosticsText([d(forged, 1, 1, 'warning', 'L001', 'x')]),
    );
  });

  it('returns an empty string for no diagnostics', () => {
    expect(formatDiagnosticsText([])).toBe('');
  });
});

describe('formatSummaryLine', () => {
  it('names files, executed vs reused work, counts and time', () => {
    expect(
      formatSummaryLine({
        files: 12,
        executed: 2,
        reused: 22,
        counts: { error: 1, warning: 3, info: 0, hint: 0 },
        durationMs: 412.4,
      }),
    ).toBe('12 files: 2 executed, 22 reused; 1 error, 3 warnings in 412ms\n');
  });

  it('uses singulars, shows info/hint only when present, and colours non-zero counts on request', () => {
    const summary = {
      files: 1,
      executed: 0,
      reused: 2,
      counts: { error: 0, warning: 1, info: 2, hint: 1 },
      durationMs: 1250,
    };
    expect(formatSummaryLine(summary)).toBe(
      '1 file: 0 executed, 2 reused; 0 errors, 1 warning, 2 info, 1 hint in 1.25s\n',
    );
    const colored = formatSummaryLine(summary, { color: true });
    expect(colored).toContain('\u001b[33m1 warning\u001b[0m');
    expect(colored).not.toContain('\u001b[31m');
  });

  it('builds the summary from an engine result (file-level work)', () => {
    expect(
      summaryFromResult({
        files: 5,
        taskFiles: { executed: 1, reused: 9 },
        counts: { error: 0, warning: 0, info: 0, hint: 0 },
        durationMs: 30,
      }),
    ).toEqual({
      files: 5,
      executed: 1,
      reused: 9,
      counts: { error: 0, warning: 0, info: 0, hint: 0 },
      durationMs: 30,
    });
  });

  it('formats durations', () => {
    expect([0, 999.6, 1000, 59_994, 65_000, 600_000].map(formatDuration)).toEqual([
      '0ms',
      '1000ms',
      '1.00s',
      '59.99s',
      '1m 05s',
      '10m 00s',
    ]);
  });
});

describe('severities', () => {
  it('counts every severity, a missing one as warning (the same rule the renderers use)', () => {
    expect(countBySeverity([...sample, { path: 'c' }, { path: 'd', severity: 'hint' }])).toEqual({
      error: 1,
      warning: 2,
      info: 1,
      hint: 1,
    });
    expect(severityOf({})).toBe('warning');
  });

  it('orders error > warning > info > hint for thresholds', () => {
    expect(isAtLeast('error', 'warning')).toBe(true);
    expect(isAtLeast('warning', 'warning')).toBe(true);
    expect(isAtLeast('info', 'warning')).toBe(false);
    expect(isAtLeast('hint', 'hint')).toBe(true);
  });
});
