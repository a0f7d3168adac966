import type { TaskOutput } from '../../../schemas/output-record';
import { runTaskOnSource } from '../../../test-support/run-task-on-source';

/** `code@line:col` for compact expectations. */
function codes(outputs: TaskOutput[]): string[] {
  return outputs.map((o) => `${o.code}@${o.line}:${o.col}`);
}

async function lint(path: string, source: string, config?: unknown): Promise<TaskOutput[]> {
  return runTaskOnSource('lint', path, source, { config });
}

describe('L001 trailing whitespace', () => {
  it('reports spaces and tabs at line end with the span', async () => {
    const out = await lint('a.txt', 'ok\nbad  \nbad\t\n');
    expect(codes(out)).toEqual(['L001@2:4', 'L001@3:4']);
    expect(out[0]).toMatchObject({ severity: 'warning', end_line: 2, end_col: 6 });
  });
  it('reports every whitespace character of the rule, and only at the very end of a line', async () => {
    const enders = [' ', '\t', '\f', '\v', '\u00a0', '\ufeff'];
    const source = `${enders.map((ws) => `a${ws}`).join('\n')}\na \u2003\nb  c\n`;
    expect(codes(await lint('a.txt', source))).toEqual([
      'L001@1:2',
      'L001@2:2',
      'L001@3:2',
      'L001@4:2',
      'L001@5:2',
      'L001@6:2',
      // U+2003 is not in the rule's set: the line ends with it, so nothing is reported.
    ]);
  });
  it('does not treat CRLF terminators as whitespace', async () => {
    expect(await lint('a.txt', 'one\r\ntwo\r\n')).toEqual([]);
    expect(codes(await lint('a.txt', 'one \r\n'))).toEqual(['L001@1:4']);
  });
});

describe('L002 line too long', () => {
  it('uses max 120 by default and counts code points, not UTF-16 units', async () => {
    expect(codes(await lint('a.txt', `${'x'.repeat(121)}\n`))).toEqual(['L002@1:121']);
    expect(await lint('a.txt', `${'x'.repeat(120)}\n`)).toEqual([]);
    expect(await lint('a.txt', `${'😀'.repeat(120)}\n`)).toEqual([]);
  });
  it('honours the max option', async () => {
    const out = await lint('a.txt', 'abcdef\n', { rules: { L002: { options: { max: 5 } } } });
    expect(out).toEqual([
      expect.objectContaining({ code: 'L002', message: 'line is 6 characters long (max 5)' }),
    ]);
  });
});

describe('L003 TODO markers', () => {
  it('reports TODO/FIXME/XXX/HACK as info, whole words only', async () => {
    const out = await lint('a.py', '# TODO: x\n# FIXME\nXXX = 1\n# HACK\nTODO_LIST = []\nmastodon = 1\n');
    expect(codes(out)).toEqual(['L003@1:3', 'L003@2:3', 'L003@3:1', 'L003@4:3']);
    expect(out.every((o) => o.severity === 'info')).toBe(true);
  });
  it('finds markers at line ends and starts in CRLF files, and none in a file without any', async () => {
    expect(codes(await lint('a.ts', 'x(); // TODO\r\nHACK();\r\n'))).toEqual(['L003@1:9', 'L003@2:1']);
    expect(await lint('a.ts', 'const TODOS = 1; // XXXL\n')).toEqual([]);
  });
});

describe('L004 tab indentation', () => {
  it('reports a tab in the indentation only', async () => {
    expect(codes(await lint('a.txt', '\tx\n  \ty\na\tb\n'))).toEqual(['L004@1:1', 'L004@2:3']);
  });
  it('exempts Makefiles and Go sources', async () => {
    expect(await lint('Makefile', 'all:\n\techo hi\n')).toEqual([]);
    expect(await lint('x/main.go', 'func f() {\n\treturn\n}\n')).toEqual([]);
  });
});

describe('L005 missing final newline', () => {
  it('reports at the end of the last line', async () => {
    expect(codes(await lint('a.txt', 'a\nbc'))).toEqual(['L005@2:3']);
  });
  it('accepts empty files, LF and CRLF endings', async () => {
    expect(await lint('a.txt', '')).toEqual([]);
    expect(await lint('a.txt', 'a\n')).toEqual([]);
    expect(await lint('a.txt', 'a\r\n')).toEqual([]);
  });
});

describe('records', () => {
  it('carry path, kind, severity, code, message, line and col', async () => {
    const [record] = await lint('dir/a.txt', 'x ');
    expect(record).toEqual({
      path: 'dir/a.txt',
      kind: 'diagnostic',
      severity: 'warning',
      code: 'L001',
      message: 'trailing whitespace',
      line: 1,
      col: 2,
      end_line: 1,
      end_col: 3,
    });
  });
  it('skips binary files', async () => {
    expect(await lint('a.bin', Buffer.from([0, 1, 2, 32, 32]))).toEqual([]);
  });
  it('applies configured severities and turns rules off', async () => {
    const out = await lint('a.txt', 'x \n\ty', {
      rules: { L001: 'error', L004: 'off', L005: { severity: 'info' } },
    });
    expect(out.map((o) => `${o.code}:${o.severity}`)).toEqual(['L001:error', 'L005:info']);
  });
});

describe('suppression comments', () => {
  it('disable-line with and without rule ids', async () => {
    expect(await lint('a.ts', 'const a = 1;   // codebatch-disable-line L001\n')).toEqual([]);
    expect(await lint('a.ts', '\tconst a = 1; // codebatch-disable-line\n')).toEqual([]);
    expect(codes(await lint('a.ts', '\tconst a = 1; // codebatch-disable-line L001\n'))).toEqual([
      'L004@1:1',
    ]);
  });
  it('disable-next-line with a rule list, in // /* */ and # comments', async () => {
    const src = '// codebatch-disable-next-line L001, L004\n\tx  \n\ty  \n';
    expect(codes(await lint('a.js', src))).toEqual(['L004@3:1', 'L001@3:3']);
    expect(await lint('a.js', '/* codebatch-disable-next-line L001 */\nx  \n')).toEqual([]);
    expect(
      await lint('a.py', '# codebatch-disable-next-line L003 -- tracked in JIRA-1\n# TODO later\n'),
    ).toEqual([]);
  });
  it('does not suppress other rules or other lines', async () => {
    const src = '// codebatch-disable-next-line L003\nx  \ny  \n';
    expect(codes(await lint('a.js', src))).toEqual(['L001@2:2', 'L001@3:2']);
  });
});
