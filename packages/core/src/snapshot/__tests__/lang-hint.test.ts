import { langHint } from '../lang-hint';

describe('langHint', () => {
  it.each([
    ['src/a.ts', 'typescript'],
    ['src/a.tsx', 'typescript'],
    ['src/a.mts', 'typescript'],
    ['src/a.cts', 'typescript'],
    ['src/a.d.ts', 'typescript'],
    ['a.js', 'javascript'],
    ['a.jsx', 'javascript'],
    ['a.mjs', 'javascript'],
    ['a.cjs', 'javascript'],
    ['aux.js', 'javascript'],
    ['a:b.ts', 'typescript'],
    ['tool.py', 'python'],
    ['stubs.pyi', 'python'],
    ['package.json', 'json'],
    ['README.md', 'markdown'],
    ['ci.yml', 'yaml'],
    ['ci.yaml', 'yaml'],
    ['site.css', 'css'],
    ['site.scss', 'scss'],
    ['index.html', 'html'],
    ['build.sh', 'shell'],
    ['main.go', 'go'],
    ['lib.rs', 'rust'],
    ['Main.java', 'java'],
    ['x.c', 'c'],
    ['x.h', 'c'],
    ['x.cpp', 'cpp'],
    ['x.rb', 'ruby'],
    ['x.php', 'php'],
    ['Cargo.toml', 'toml'],
    ['pom.xml', 'xml'],
    ['q.sql', 'sql'],
    ['UPPER.TS', 'typescript'],
    ['docker/Dockerfile', 'dockerfile'],
    ['Makefile', 'makefile'],
    ['src/😀.ts', 'typescript'],
  ])('%s -> %s', (p, lang) => {
    expect(langHint(p)).toBe(lang);
  });

  it.each([
    'LICENSE',
    '.gitignore',
    'a.unknownext',
    'archive.',
    'dir.ts/file',
    'x.constructor',
    'x.__proto__',
  ])('%s has no language', (p) => {
    expect(langHint(p)).toBeUndefined();
  });
});

describe('langHint and the names of Object.prototype', () => {
  it.each(['src/constructor', 'toString', 'a/__proto__', 'hasOwnProperty', 'valueOf'])(
    '%s names no language (not a function inherited by the name table)',
    (p) => {
      expect(langHint(p)).toBeUndefined();
    },
  );
});
