import { escapeText } from '../escape-text';

describe('escapeText', () => {
  it('escapes newline, carriage return and tab by name, other C0/C1 controls and DEL as \\xHH', () => {
    expect(escapeText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeText('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(escapeText('\u0000\u0007\u007f\u0085\u009b')).toBe('\\x00\\x07\\x7f\\x85\\x9b');
  });

  it('escapes Unicode line separators and bidi controls as \\uHHHH', () => {
    expect(escapeText('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(escapeText('x\u202ey\u2066z\u200f')).toBe('x\\u202ey\\u2066z\\u200f');
  });

  it('leaves printable text alone (backslashes, quotes, non-ASCII, emoji) and is idempotent', () => {
    const plain = 'src/日本語/😀 a\\b \'q\' "d" é.ts';
    expect(escapeText(plain)).toBe(plain);
    const once = escapeText('a.ts\nsrc/x.ts:1:1 error fake\u001b]0;title\u0007');
    expect(once).toBe('a.ts\\nsrc/x.ts:1:1 error fake\\x1b]0;title\\x07');
    expect(escapeText(once)).toBe(once);
  });
});
