import { formatJson, formatTable, writeJson } from '../output';

function written(value: unknown): { text: string; pieces: number } {
  const parts: string[] = [];
  writeJson(value, (chunk) => parts.push(chunk));
  return { text: parts.join(''), pieces: parts.length };
}

describe('writeJson', () => {
  it('writes the bytes formatJson gives, for small and large documents alike', () => {
    // Above the 50,000 elements from which an array is written in slices.
    const many = Array.from({ length: 52_500 }, (_, i) => ({
      path: `src/f${i}.ts`,
      line: i + 1,
      message: i % 7 === 0 ? 'a "quoted"\nline' : 'plain',
      skipped: undefined,
      nested: { list: [1, undefined, 'x'], empty: {}, none: [] },
    }));
    const docs: unknown[] = [
      { a: 1, b: [1, 2], c: undefined, d: 'x' },
      [],
      {},
      'text',
      { dir: '/x', diagnostics: many, counts: { error: 1 } },
      { runs: [{ tool: { driver: { name: 'codebatch' } }, results: many }] },
      many.map((m) => [m.path, m.line]),
      { fn: () => 1, big: Array.from({ length: 60_000 }, () => undefined) },
    ];
    for (const doc of docs) expect(written(doc).text).toBe(formatJson(doc));
  });

  it('hands a report longer than the largest string V8 allows to the writer in pieces', () => {
    // 600,000 records of ~1 kB: well past the ~512 MB limit of one string.
    const message = 'm'.repeat(1000);
    const diagnostics = Array.from({ length: 600_000 }, (_, i) => ({ path: `f${i}.ts`, message }));
    let chars = 0;
    let pieces = 0;
    let last = '';
    writeJson({ diagnostics }, (chunk) => {
      chars += chunk.length;
      pieces += 1;
      last = chunk;
    });
    expect(chars).toBeGreaterThan(600_000_000);
    expect(pieces).toBeGreaterThan(500);
    // Small documents go out as one piece, exactly formatJson's.
    expect(written({ diagnostics: diagnostics.slice(0, 10) })).toEqual({
      text: formatJson({ diagnostics: diagnostics.slice(0, 10) }),
      pieces: 1,
    });
    expect(last.endsWith('\n  ]\n}\n')).toBe(true);
    expect(() => JSON.stringify({ diagnostics }, null, 2)).toThrow(/string length/i);
  });
});

describe('formatTable', () => {
  it('aligns a table of more rows than a function call takes arguments', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`p${i}`, i]);
    const text = formatTable(['path', 'n'], rows);
    // path padded to 'p299999' (7), two spaces, n right-aligned to '299999' (6).
    expect(text.split('\n')[1]).toBe(`p0${' '.repeat(12)}0`);
    expect(text.split('\n')[300_000]).toBe('p299999  299999');
  });
});
