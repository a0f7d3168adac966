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
    for (const text of [...cases, '\ufeff{"bom":1}\n', '{"a":1}\r\n{"b":2}\r\n']) {
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
    // Invalid UTF-8 just before a newline decodes as the whole text would.
    const invalid = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('"}\n{"b":1}\n'),
    ]);
    expect(parseJsonl(invalid)).toEqual(parseJsonl(invalid.toString('utf8')));
    expect(parseJsonl(Buffer.from(cases[0]!, 'utf8')).records).toEqual([{ a: 1 }, { b: 'ü€𝄞 \u2028' }]);
    expect(() => parseJsonl(Buffer.from(cases[3]!, 'utf8'), 'f.jsonl')).toThrow(/f\.jsonl:2: truncated/);
    expect(parseJsonl(Buffer.from(cases[4]!, 'utf8'), 'f', 'lenient')).toEqual({
      records: [{ a: 1 }, { b: 2 }],
      skipped: 1,
    });
  });
});
