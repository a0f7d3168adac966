import { buildBatchFixture } from '../../test-support/build-batch-fixture';
import { makeTempDir } from '../../test-support/temp-dir';
import { loadDiagnostics } from '../batch-facts';
import { loadBatchView, resolveTaskIds } from '../batch-view';
import { scanDiagnosticsAtLeast } from '../count-diagnostics';
import { emptySeverityCounts } from '../query-diagnostics';
import { SAMPLE_FILES } from './sample-batch';

describe('diagnostics counted without being held (scanDiagnosticsAtLeast)', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());
  const paths = SAMPLE_FILES.map((f) => f.path);
  const fixture = buildBatchFixture({
    storeDir: `${tmp.dir}/store`,
    batchId: 'b1',
    snapshotId: 's1',
    files: SAMPLE_FILES,
    tasks: {
      '01_parse': paths.map((path) => ({ path, kind: 'ast', format: 'json' })),
      '04_lint': [
        ...paths.map((path) => ({ path, kind: 'diagnostic', severity: 'warning', code: 'L002', line: 1 })),
        { path: 'src/a.ts', kind: 'diagnostic', severity: 'error', code: 'L001', line: 2 },
        { path: 'src/b.py', kind: 'diagnostic', severity: 'info', code: 'L003', line: 1 },
        { path: 'src/c.ts', kind: 'diagnostic', code: 'X', message: 'no severity: reports as a warning' },
        // Nested fields that look like the marks: only a parse can tell.
        {
          path: 'src/c.ts',
          kind: 'metric',
          metric: 'm',
          value: 1,
          data: { kind: 'diagnostic', severity: 'error' },
        },
        {
          path: 'src/c.ts',
          kind: 'diagnostic',
          severity: 'hint',
          code: 'Y',
          message: 'says "severity":"error" in its text',
          related: { severity: 'error' },
        },
      ],
    },
  });

  it('counts per severity exactly as parsing every record does', () => {
    const view = loadBatchView(fixture.store, 'b1');
    const tasks = resolveTaskIds(view, undefined);
    const expected = emptySeverityCounts();
    for (const d of loadDiagnostics(view, tasks, { useIndex: false }))
      if (d.severity) expected[d.severity] += 1;
    expect(expected).toEqual({ error: 1, warning: 4, info: 1, hint: 1 });
    // For the count only the three lines a substring cannot settle are parsed (nested kind, nested
    // severity, no severity), and at `error` only the three lines holding "error" for the
    // records: 6 parses for 14 record lines.
    const parse = jest.spyOn(JSON, 'parse');
    const { counts } = scanDiagnosticsAtLeast(view, tasks, 'error');
    const recordParses = parse.mock.calls.filter(([text]) => String(text).includes('"kind"')).length;
    parse.mockRestore();
    expect(counts).toEqual(expected);
    expect(recordParses).toBe(6);
  });

  it('loads only the diagnostics at or above a severity, in canonical order', () => {
    const view = loadBatchView(fixture.store, 'b1');
    const tasks = resolveTaskIds(view, undefined);
    const all = loadDiagnostics(view, tasks, { useIndex: false });
    const rank = { hint: 0, info: 1, warning: 2, error: 3 } as const;
    for (const min of ['error', 'warning', 'info', 'hint'] as const) {
      expect(scanDiagnosticsAtLeast(view, tasks, min).records).toEqual(
        all.filter((d) => rank[d.severity ?? 'warning'] >= rank[min]),
      );
    }
    expect(scanDiagnosticsAtLeast(view, tasks, 'error').records.map((d) => d.code)).toEqual(['L001']);
  });
});
