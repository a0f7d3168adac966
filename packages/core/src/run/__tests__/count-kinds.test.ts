import { countKindsInIndex } from '../try-reuse';

describe('countKindsInIndex', () => {
  it('counts top-level kinds, parsing only lines that also hold a nested kind', () => {
    const lines = [
      { batch_id: 'b', path: 'a.ts', kind: 'ast' },
      { batch_id: 'b', path: 'a.ts', kind: 'diagnostic', message: 'says "kind":"edge" in text' },
      { batch_id: 'b', data: { kind: 'symbol' }, path: 'a.ts', kind: 'metric' },
      { batch_id: 'b', path: 'b.ts', kind: 'ast' },
    ];
    const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    expect(countKindsInIndex(bytes)).toEqual({ ast: 2, diagnostic: 1, metric: 1 });
    expect(countKindsInIndex(Buffer.alloc(0))).toEqual({});
  });
});
