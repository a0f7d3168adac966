import { countAtLeast, countInBytes, countRecords } from '../diagnostic-counts';
import { fullCount } from './severity-traps';

/** One counter for the runner, reports and verify: by substring where it may, by parse where it must. */
describe('countInBytes', () => {
  const lines = [
    { kind: 'diagnostic', severity: 'error', code: 'A' },
    { kind: 'diagnostic', severity: 'warning', nested: { kind: 'diagnostic', severity: 'error' } },
    { kind: 'diagnostic', code: 'no severity' },
    { kind: 'diagnostic', severity: null },
    // Not severities: never shown, so never counted, and not taken for a missing one either.
    { kind: 'diagnostic', severity: 'none' },
    { kind: 'diagnostic', severity: 'toString' },
    { kind: 'diagnostic', severity: 'hint', message: 'quotes "severity":"error" and "kind":"diagnostic"' },
    { kind: 'metric', data: { kind: 'diagnostic', severity: 'error' } },
    { kind: 'symbol', name: 'diagnostic' },
  ];
  const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));

  it('counts what a parse of every record counts', () => {
    expect(countInBytes(bytes)).toEqual(fullCount(bytes));
    expect(countInBytes(bytes)).toEqual({ error: 1, warning: 1, info: 0, hint: 1, none: 2 });
    expect(countRecords(lines)).toEqual(countInBytes(bytes));
  });

  it('counts a diagnostic without a severity as at or above warning, never error', () => {
    const counts = countInBytes(bytes);
    expect(countAtLeast(counts, 'error')).toBe(1);
    expect(countAtLeast(counts, 'warning')).toBe(4);
    expect(countAtLeast(counts, 'hint')).toBe(5);
  });
});
