import { JsonBytesWriter } from '../json-bytes-writer';

describe('JsonBytesWriter', () => {
  it('writes the bytes JSON.stringify would, growing its buffer as needed', () => {
    const values = [0, 9, 10, 99, 100, 999, 1000, 1234567, 2 ** 31 + 5, 'a"b\\c\n', 'é😀\ud800', ['x', 1]];
    const writer = new JsonBytesWriter(4);
    writer.writeAscii(0x5b);
    values.forEach((value, i) => {
      if (i > 0) writer.writeAscii(0x2c);
      if (typeof value === 'number') writer.writeUint(value);
      else writer.writeJson(value);
    });
    writer.writeAscii(0x5d);
    const bytes = writer.toBuffer('{"v":', '}');
    expect(bytes.equals(Buffer.from(JSON.stringify({ v: values }), 'utf8'))).toBe(true);
  });

  it('starts over on reset, and earlier results are copies that stay intact', () => {
    const writer = new JsonBytesWriter(2);
    writer.writeJson('first');
    const first = writer.toBuffer('', '');
    writer.reset();
    writer.writeUint(42);
    expect(writer.toBuffer('[', ']').toString('utf8')).toBe('[42]');
    expect(first.toString('utf8')).toBe('"first"');
  });
});
