import type { TaskOutput } from '../../../schemas/output-record';
import { runTaskOnSource } from '../../../test-support/run-task-on-source';

function metrics(outputs: TaskOutput[]): Record<string, number | string | undefined> {
  return Object.fromEntries(outputs.map((o) => [o.metric, o.value]));
}

describe('02_analyze text metrics', () => {
  it('emits bytes, lines, loc (non-empty lines) and lang for any text file', async () => {
    const out = await runTaskOnSource('analyze', 'README.md', '# Title\n\n  \ntext é\n', {
      lang: 'markdown',
    });
    expect(out.every((o) => o.kind === 'metric' && o.path === 'README.md')).toBe(true);
    expect(metrics(out)).toEqual({ bytes: 20, lines: 4, loc: 2, lang: 'markdown' });
  });
  it('labels languages by extension, including .mjs/.cjs/.mts/.cts', async () => {
    for (const [path, lang] of [
      ['a.mjs', 'javascript'],
      ['a.cjs', 'javascript'],
      ['a.mts', 'typescript'],
      ['a.cts', 'typescript'],
      ['a.py', 'python'],
      ['a.unknown', 'text'],
    ]) {
      expect(metrics(await runTaskOnSource('analyze', path!, 'x\n')).lang).toBe(lang);
    }
  });
  it('counts a file without final newline and an empty file', async () => {
    expect(metrics(await runTaskOnSource('analyze', 'a.txt', 'a\nb'))).toMatchObject({ lines: 2, loc: 2 });
    expect(metrics(await runTaskOnSource('analyze', 'a.txt', ''))).toMatchObject({
      bytes: 0,
      lines: 0,
      loc: 0,
    });
  });
  it('skips binary files', async () => {
    expect(await runTaskOnSource('analyze', 'a.png', Buffer.from([137, 80, 0, 1]))).toEqual([]);
  });
});
