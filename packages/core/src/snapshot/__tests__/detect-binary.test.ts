import { isProbablyText, TEXT_SNIFF_BYTES } from '../detect-binary';

describe('isProbablyText', () => {
  it('accepts UTF-8 text, CRLF, a BOM and the empty file', () => {
    expect(isProbablyText(Buffer.from('hello\r\nworld\r\n'))).toBe(true);
    expect(isProbablyText(Buffer.from('\ufeffconst x = "日本語 😀";\n'))).toBe(true);
    expect(isProbablyText(Buffer.alloc(0))).toBe(true);
  });

  it('rejects a NUL byte and invalid UTF-8 (Latin-1, UTF-16)', () => {
    expect(isProbablyText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]))).toBe(false);
    expect(isProbablyText(Buffer.from('caf\xe9', 'latin1'))).toBe(false);
    expect(isProbablyText(Buffer.from('hi', 'utf16le'))).toBe(false);
    expect(isProbablyText(Buffer.from([0xe2, 0x82]))).toBe(false); // truncated at real EOF
  });

  it('tolerates a multi-byte character split by the 8 KiB cut, but not a bad byte there', () => {
    const euro = Buffer.from('€'); // 3 bytes
    for (let shift = 1; shift <= 2; shift += 1) {
      const text = Buffer.concat([Buffer.alloc(TEXT_SNIFF_BYTES - shift, 0x61), euro, Buffer.from('tail')]);
      expect(isProbablyText(text)).toBe(true);
    }
    const bad = Buffer.concat([
      Buffer.alloc(TEXT_SNIFF_BYTES - 1, 0x61),
      Buffer.from([0xff]),
      Buffer.from('tail'),
    ]);
    expect(isProbablyText(bad)).toBe(false);
  });

  it('looks only at the head: a bad byte after 8 KiB keeps the file text', () => {
    const late = Buffer.concat([Buffer.alloc(TEXT_SNIFF_BYTES + 10, 0x61), Buffer.from([0x00, 0xff])]);
    expect(isProbablyText(late)).toBe(true);
  });
});
