import { INLINE_OUTPUT_MAX_BYTES, readOutputObject } from '../../../store/chunking';
import { initStore } from '../../../store/store';
import { getTestStore, loadJsonOutput, runTaskOnSource } from '../../../test-support/run-task-on-source';
import { makeTempDir } from '../../../test-support/temp-dir';
import type { AstDocument } from '../encode-ts-ast';

describe('01_parse for TS/JS', () => {
  const source = 'import { a } from "a";\nexport function f(x: number) {\n  return a(x) + 1;\n}\n';

  it('emits one ast record whose output (inline for a small file) is the documented codebatch.ast form', async () => {
    const out = await runTaskOnSource('parse', 'src/f.ts', source);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ path: 'src/f.ts', kind: 'ast', format: 'json' });
    expect(out[0]!.object).toBeUndefined();
    expect(Buffer.byteLength(out[0]!.inline!)).toBeLessThanOrEqual(INLINE_OUTPUT_MAX_BYTES);
    const doc = loadJsonOutput(out[0]!) as AstDocument;
    expect(doc).toMatchObject({
      format: 'codebatch.ast',
      version: 1,
      lang: 'typescript',
      parser: 'typescript@5.9.3',
    });
    const [kind, line, col, endLine, endCol] = doc.root as number[];
    expect([doc.kinds[kind!], line, col, endLine, endCol]).toEqual(['SourceFile', 1, 1, 5, 1]);
    // The import's named binding: [ImportSpecifier, 1, 10, 1, 11, [Identifier, 1, 10, 1, 11, "a"]]
    const text = JSON.stringify(doc.root);
    expect(text).toContain(`[${doc.kinds.indexOf('Identifier')},1,10,1,11,"a"]`);
    expect(doc.kinds).toEqual(
      expect.arrayContaining(['ImportDeclaration', 'FunctionDeclaration', 'PlusToken', 'ExportKeyword']),
    );
  });

  it('is deterministic: the same input gives a byte-identical output, inline or object', async () => {
    const first = await runTaskOnSource('parse', 'a.ts', source);
    const second = await runTaskOnSource('parse', 'b/other-name.ts', source);
    expect(first[0]!.inline).toEqual(expect.any(String));
    expect(second[0]!.inline).toBe(first[0]!.inline);
    const large = Array.from({ length: 200 }, (_, i) => `export const v${i} = ${i} + ${i};`).join('\n');
    const one = await runTaskOnSource('parse', 'a.ts', large);
    const two = await runTaskOnSource('parse', 'c.ts', large);
    expect(one[0]!.object).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(two[0]!.object).toBe(one[0]!.object);
  });

  it('keeps an AST of at most 4 KB in its record and stores a larger one as an object, both reading back the same form', async () => {
    const sizes = [5, 40, 400].map((n) =>
      Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n'),
    );
    const kinds: string[] = [];
    for (const text of sizes) {
      const [record] = await runTaskOnSource('parse', 'm.ts', text);
      const bytes = readOutputObject(getTestStore().objects, record!);
      const inline = record!.inline !== undefined;
      kinds.push(inline ? 'inline' : 'object');
      expect(inline).toBe(bytes.length <= INLINE_OUTPUT_MAX_BYTES);
      expect(inline ? record!.object : record!.inline).toBeUndefined();
      expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({
        format: 'codebatch.ast',
        lang: 'typescript',
      });
    }
    expect(kinds).toContain('inline');
    expect(kinds).toContain('object');
  });

  it('parses every JS/TS extension, JSX included', async () => {
    const cases: [string, string][] = [
      ['a.ts', 'typescript'],
      ['a.tsx', 'typescript'],
      ['a.mts', 'typescript'],
      ['a.cts', 'typescript'],
      ['a.js', 'javascript'],
      ['a.jsx', 'javascript'],
      ['a.mjs', 'javascript'],
      ['a.cjs', 'javascript'],
    ];
    for (const [path, lang] of cases) {
      const jsx = /x$|\.js$/.test(path);
      const out = await runTaskOnSource(
        'parse',
        path,
        jsx
          ? 'export const C = () => <div>{1}</div>;\n'
          : 'export const n: number = 1;\n'.replace(/: number/, lang === 'javascript' ? '' : ': number'),
      );
      expect(out.map((o) => o.kind)).toEqual(['ast']);
      expect((loadJsonOutput(out[0]!) as AstDocument).lang).toBe(lang);
    }
  });

  it('reports syntax errors as diagnostics with TypeScript-derived codes', async () => {
    const out = await runTaskOnSource('parse', 'bad.ts', 'let x = ;\nfoo(\n');
    const diagnostics = out.filter((o) => o.kind === 'diagnostic');
    expect(diagnostics).toEqual([
      {
        path: 'bad.ts',
        kind: 'diagnostic',
        severity: 'error',
        code: 'E1109',
        message: 'Expression expected.',
        line: 1,
        col: 9,
        end_line: 1,
        end_col: 10,
      },
      {
        path: 'bad.ts',
        kind: 'diagnostic',
        severity: 'error',
        code: 'E1005',
        message: "')' expected.",
        line: 3,
        col: 1,
      },
    ]);
    expect(out.filter((o) => o.kind === 'ast')).toHaveLength(1);
  });

  it('emits nothing for other text files and binary files', async () => {
    expect(await runTaskOnSource('parse', 'README.md', '# hi\n')).toEqual([]);
    expect(await runTaskOnSource('parse', 'x.js', Buffer.from([0, 1, 2]))).toEqual([]);
  });

  it('can skip the AST object', async () => {
    const out = await runTaskOnSource('parse', 'a.ts', 'const = 1;\n', { config: { ast: false } });
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((o) => o.kind === 'diagnostic')).toBe(true);
    expect(out[0]!.code).toBe('E1134');
  });

  it('chunks a large AST above the threshold and reassembles it', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const { store } = initStore(`${dir}/store`);
      const big = Array.from({ length: 200 }, (_, i) => `export const v${i} = ${i} + f(${i});`).join('\n');
      const out = await runTaskOnSource('parse', 'big.ts', big, {
        store,
        chunkThreshold: 4096,
        chunkSize: 1024,
      });
      expect(out[0]).toMatchObject({ kind: 'ast', format: 'json+chunks' });
      const whole = readOutputObject(store.objects, out[0]!);
      const unchunked = await runTaskOnSource('parse', 'big.ts', big, { store });
      expect(unchunked[0]!.format).toBe('json');
      expect(whole.equals(readOutputObject(store.objects, unchunked[0]!))).toBe(true);
      expect((JSON.parse(whole.toString('utf8')) as AstDocument).format).toBe('codebatch.ast');
    } finally {
      cleanup();
    }
  });
});
