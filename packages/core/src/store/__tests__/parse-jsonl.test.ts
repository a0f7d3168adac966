import { parseJsonl } from '../jsonl';

describe('parseJsonl over bytes', () => {
  const cases = [
    '{"a":1}\n{"b":"ü€𝄞 \\u2028"}\n',
    '\n{"a":1}\n\n{"c":[1,2]}\n',
    '',
    '{"a":1}\n{"torn":',
    '{"a":1}\nnot json\n{"b":2}\n',
  ];

  it('gives what the same text gives, line for line, in both modes', () => {
    for (const text of cases) {
      for (const mode of ['strict', 'lenient'] as const) {
        const outcome = (input: string | Buffer) => {
          try {
            return parseJsonl(input, 'f.jsonl', mode);
          } catch (error) {
            return { error: (error as Error).message, code: (error as { code?: string }).code };
          }
        };
        expect(outcome(Buffer.from(text, 'utf8'))).toEqual(outcome(text));
      }
    }
    expect(parseJsonl(Buffer.from(cases[0]!, 'utf8')).records).toEqual([{ a: 1 }, { b: 'ü€𝄞 \u2028' }]);
    expect(() => parseJsonl(Buffer.from(cases[3]!, 'utf8'), 'f.jsonl')).toThrow(/f\.jsonl:2: truncated/);
    expect(parseJsonl(Buffer.from(cases[4]!, 'utf8'), 'f', 'lenient')).toEqual({
      records: [{ a: 1 }, { b: 2 }],
      skipped: 1,
    });
  });
});
