import type { Diagnostic } from './diagnostics';
import {
  diagnosticToCommand,
  escapeData,
  escapeProperty,
  formatCommand,
  limitNote,
} from './workflow-commands';

test('data escapes %, CR and LF (in that order: no double escaping)', () => {
  expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
  expect(escapeData('%0A')).toBe('%250A');
});

test('properties also escape : and ,', () => {
  expect(escapeProperty('C:\\src\\a,b.ts\n%')).toBe('C%3A\\src\\a%2Cb.ts%0A%25');
});

test('a command line with escaped properties and message', () => {
  expect(formatCommand('error', { file: 'a,b.ts', line: 3, col: 2, title: 'rule: x' }, 'line1\nline2')).toBe(
    '::error file=a%2Cb.ts,line=3,col=2,title=rule%3A x::line1%0Aline2',
  );
  expect(formatCommand('notice', {}, 'plain')).toBe('::notice::plain');
});

const d = (extra: Partial<Diagnostic> = {}): Diagnostic => ({
  path: 'src/a.ts',
  line: 4,
  col: 7,
  severity: 'error',
  code: 'E1',
  message: 'bad',
  task_id: 'lint',
  ...extra,
});

test('diagnostics become error | warning | notice commands; columns only on one line', () => {
  expect(diagnosticToCommand(d({ end_col: 9 }), 'pkg')).toBe(
    '::error title=E1 (lint),file=pkg/src/a.ts,line=4,col=7,endColumn=9::bad',
  );
  expect(diagnosticToCommand(d({ severity: 'warning', end_line: 6 }))).toBe(
    '::warning title=E1 (lint),file=src/a.ts,line=4,endLine=6::bad',
  );
  expect(diagnosticToCommand(d({ severity: 'hint', col: undefined }))).toBe(
    '::notice title=E1 (lint),file=src/a.ts,line=4::bad',
  );
});

test('a message cannot inject a second command', () => {
  const line = diagnosticToCommand(d({ message: 'x\n::error::injected' }));
  expect(line.split('\n')).toHaveLength(1);
});

test('the 10-per-level note appears only when a level has more than 10', () => {
  expect(limitNote(Array.from({ length: 10 }, () => d()))).toBeUndefined();
  const note = limitNote([
    ...Array.from({ length: 11 }, () => d()),
    ...Array.from({ length: 3 }, () => d({ severity: 'info' })),
  ]);
  expect(note).toMatch(/only 10 workflow-command annotations per level per step/);
  expect(note).toMatch(/11 error/);
  expect(note).not.toMatch(/notice/);
});
