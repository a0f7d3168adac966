import picomatch from 'picomatch';
import { expandBraces } from '../glob-braces';
import { compileGlob, MAX_EXPANSIONS } from '../glob-match';

const matches = (pattern: string, path: string) => compileGlob(pattern)(path);

describe('compileGlob: picomatch syntax (dot: true)', () => {
  it.each([
    // stars, question marks, globstars
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/a.ts', false],
    ['*', '.gitignore', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['a**b', 'axxb', true],
    ['a**b', 'ax/xb', false],
    ['**', 'a/b/c', true],
    ['**/b', 'b', true],
    ['**/b', 'x/y/b', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/x/y/c', false],
    ['a/**', 'a', true],
    ['a/**', 'a/x/y', true],
    ['*/**', 'a', false],
    ['*/**', 'a/b', true],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['**/node_modules/**', 'node_modules/x/index.js', true],
    ['**/.git', '.git', true],
    // classes
    ['[abc].ts', 'b.ts', true],
    ['[a-c].ts', 'd.ts', false],
    ['[!a].ts', 'b.ts', true],
    ['[^a].ts', 'a.ts', false],
    ['[[:digit:]]x', '7x', true],
    ['a[/]b', 'a/b', false],
    ['[a', '[a', true],
    // braces
    ['*.{ts,tsx}', 'a.tsx', true],
    ['{src,lib}/**', 'lib/x.js', true],
    ['{a,{b,c}}', 'c', true],
    ['a{,x}', 'a', true],
    ['f{1..3}', 'f2', true],
    ['f{1..3}', 'f4', false],
    ['f{01..10}', 'f07', true],
    ['{a..c}', 'b', true],
    ['{a}', '{a}', true],
    ['{a', '{a', true],
    // extglobs and groups
    ['@(a|b).ts', 'b.ts', true],
    ['+(ab).ts', 'ababab.ts', true],
    ['*(a|b)c', 'c', true],
    ['?(x)y', 'xy', true],
    ['?(x)y', 'xxy', false],
    ['(a|b)', 'a', true],
    ['**(a|b)', '@', true],
    ['a|b', 'a', false],
    ['a|b', 'a|b', true],
    ['(a', '(a', true],
    // escapes and negation
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['!*.ts', 'a.js', true],
    ['!*.ts', 'a.ts', false],
    ['!!*.ts', 'a.ts', true],
    // code points, not code units
    ['?.ts', '😀.ts', true],
    ['日本語/*.md', '日本語/README.md', true],
  ])('%s vs %s -> %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('agrees with picomatch on common globs over a fixed set of paths', () => {
    const globs = [
      '**/*.ts',
      '*.md',
      'src/**',
      'src/*/index.{js,ts}',
      '**/__tests__/**',
      '**/*.{test,spec}.ts',
      'packages/*/src/**/*.ts',
      '**/fixtures/**',
      'docs/**/*.md',
      '.github/**',
      '**/*.min.js',
      'lib/?.js',
      '[a-c]*/**',
      '**/@(dist|build)/**',
      '**/+(a|b).js',
    ];
    const paths = [
      'a.ts',
      'src/a.ts',
      'src/x/index.js',
      'src/x/index.ts',
      'src/x/y/index.ts',
      'packages/core/src/a/b.ts',
      'packages/core/src/__tests__/a.test.ts',
      'docs/README.md',
      'docs/x/y.md',
      'README.md',
      '.github/workflows/ci.yml',
      'vendor/jquery.min.js',
      'lib/a.js',
      'lib/ab.js',
      'bin/dist/x.js',
      'x/build',
      'ab/aab.js',
      'test/fixtures/a.py',
    ];
    for (const glob of globs) {
      const mine = compileGlob(glob);
      const reference = picomatch(glob, { dot: true });
      for (const path of paths)
        expect({ glob, path, match: mine(path) }).toEqual({ glob, path, match: reference(path) });
    }
  });
});

describe('compileGlob: no exponential blow-up', () => {
  it('eight, twelve and thirty stars against a long non-matching name finish at once', () => {
    const started = Date.now();
    const name = `${'a'.repeat(60)}.ts`;
    for (const stars of [8, 12, 30]) {
      expect(matches(`${'*a'.repeat(stars - 1)}*b`, name)).toBe(false);
      expect(matches(`${'*a'.repeat(stars - 1)}*.ts`, name)).toBe(true);
    }
    expect(matches(`**/${'*a'.repeat(8)}*b`, `${'x/'.repeat(100)}${'a'.repeat(200)}`)).toBe(false);
    expect(matches('**/**/**/**/**/**/**/**/b', `${'x/'.repeat(500)}c`)).toBe(false);
    expect(matches('*(*(*(*(a))))b', 'a'.repeat(2000))).toBe(false);
    expect(matches('+(a|aa|aaa)+(a|aa)*+(a)b', 'a'.repeat(2000))).toBe(false);
    // The jest timeout cannot stop synchronous work; the elapsed time is the assertion.
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  it('collapses consecutive stars', () => {
    expect(matches('a***b', 'axyb')).toBe(true);
    expect(matches('a***b', 'ax/yb')).toBe(false);
  });

  it('refuses !(...) and brace expansions into too many globs with E_CONFIG_INVALID and a hint', () => {
    const refused = (pattern: string) => {
      try {
        compileGlob(pattern);
      } catch (error) {
        return error as { code: string; message: string; hints: string[] };
      }
      throw new Error(`accepted ${pattern}`);
    };
    expect(refused('!(a|b).ts')).toMatchObject({
      code: 'E_CONFIG_INVALID',
      hints: [expect.stringMatching(/exclude/)],
    });
    expect(refused('{a,b}'.repeat(9))).toMatchObject({
      code: 'E_CONFIG_INVALID',
      message: expect.stringContaining(`more than ${MAX_EXPANSIONS}`),
      hints: [expect.stringMatching(/Split it/)],
    });
    expect(refused('f{1..100000}')).toMatchObject({ code: 'E_CONFIG_INVALID' });
    expect(() => compileGlob('!(a)', { errorCode: 'E_USAGE' })).toThrow(
      expect.objectContaining({ code: 'E_USAGE' }),
    );
    expect(expandBraces('{a,b}'.repeat(8), MAX_EXPANSIONS)).toHaveLength(256);
  });
});
