import { runTaskSync, TASK_IDS } from '../../test-support/run-task-on-source';
import { prepareTasks, type TaskType } from '../registry';

const TS_SOURCE = [
  "import { used, unused } from './m';",
  'export function f(a: number, b: number) {',
  '  const local = used(a);',
  '  return a > 0 && b ? local : 0;',
  '}',
  '',
].join('\n');

const PY_SOURCE = 'import os\nimport sys\n\ndef f(a):\n    x = 1\n    return os.path.join(a)\n';

describe('memo reuse', () => {
  beforeAll(() => prepareTasks());

  it.each([
    ['m.ts', TS_SOURCE],
    ['m.py', PY_SOURCE],
  ])('%s: downstream tasks give identical results with and without the parse memo', (path, source) => {
    const memo = new Map<string, unknown>();
    const parse = runTaskSync('parse', path, source, { memo });
    expect(memo.size).toBe(1);
    const tree = [...memo.values()][0];
    const upstream = { [TASK_IDS.parse]: parse };
    for (const type of ['analyze', 'symbols', 'lint'] as TaskType[]) {
      const withMemo = runTaskSync(type, path, source, { memo, upstream });
      const fresh = runTaskSync(type, path, source, { memo: new Map(), upstream });
      expect(withMemo.length).toBeGreaterThan(0);
      expect(withMemo).toEqual(fresh);
    }
    // The shared tree was reused, not replaced.
    expect(memo.size).toBe(1);
    expect([...memo.values()][0]).toBe(tree);
  });
});
