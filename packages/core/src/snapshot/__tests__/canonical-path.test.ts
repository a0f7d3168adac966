import { canonicalizePath, compareUtf8, isCanonicalPath, sortPathsUtf8, toPathKey } from '../canonical-path';

describe('canonical paths', () => {
  it('path_key is NFC then lowercase, so case and normalization variants compare equal', () => {
    expect(toPathKey('Src/Main.TS')).toBe('src/main.ts');
    const nfd = 'docs/Cafe\u0301.md';
    expect(toPathKey(nfd)).toBe(toPathKey('docs/CAF\u00c9.md'));
    expect(toPathKey('src/😀.ts')).toBe('src/😀.ts');
    expect(toPathKey('a:b.ts')).toBe('a:b.ts');
  });

  it('recognizes canonical form', () => {
    for (const ok of ['a', 'a/b.ts', 'aux.js', 'a:b.ts', 'docs/日本語.md', '.gitignore'])
      expect(isCanonicalPath(ok)).toBe(true);
    for (const bad of ['', '/a', 'a/', 'a//b', './a', 'a/../b', 'a/.', 'a\0b'])
      expect(isCanonicalPath(bad)).toBe(false);
  });

  it('canonicalizes user-typed paths and refuses to climb out', () => {
    expect(canonicalizePath('./src//a.ts')).toBe('src/a.ts');
    expect(canonicalizePath('src\\a.ts', { backslashIsSeparator: true })).toBe('src/a.ts');
    expect(canonicalizePath('src\\a.ts', { backslashIsSeparator: false })).toBe('src\\a.ts');
    expect(canonicalizePath('src/')).toBe('src');
    for (const bad of ['../x', 'a/../../b', '', '.', '/']) {
      expect(() => canonicalizePath(bad)).toThrow(expect.objectContaining({ code: 'E_INVALID_PATH' }));
    }
  });

  it('orders by UTF-8 bytes, which differs from UTF-16 order for astral characters', () => {
    const samples = [
      'a',
      'a/b',
      'a.txt',
      'a-b',
      'é',
      '\uff01',
      '😀',
      'z',
      'Z',
      '日本',
      '\ue000',
      'a😀',
      'a\uffff',
      '',
    ];
    const byBytes = [...samples].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...samples].sort(compareUtf8)).toEqual(byBytes);
    expect(sortPathsUtf8([...samples])).toEqual(byBytes);
    // the case where plain string order is wrong
    expect('😀' < '\uff01').toBe(true);
    expect(compareUtf8('😀', '\uff01')).toBeGreaterThan(0);
    const ascii = ['b/c', 'a.txt', 'a/b', 'A'];
    expect(sortPathsUtf8([...ascii])).toEqual(['A', 'a.txt', 'a/b', 'b/c']);
  });
});
