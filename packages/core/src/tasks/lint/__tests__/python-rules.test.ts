import { runTaskOnSource } from '../../../test-support/run-task-on-source';

async function scope(path: string, source: string, code: string): Promise<string[]> {
  const out = await runTaskOnSource('lint', path, source);
  return out
    .filter((o) => o.code === code)
    .map((o) => `${/'([^']+)'/.exec(o.message!)?.[1]}@${o.line}:${o.col}`);
}

describe('L101 unused import (Python)', () => {
  it('reports unused imports and aliases, binding `a` for `import a.b`', async () => {
    const src = 'import os\nimport a.b\nimport json as j\nfrom m import x, y as z\nprint(a.b, x)\n';
    expect(await scope('m.py', src, 'L101')).toEqual(['os@1:8', 'j@3:16', 'z@4:23']);
  });
  it('counts f-strings, decorators, annotations (string ones too), bases and nested uses', async () => {
    const src = [
      'from typing import TYPE_CHECKING',
      'import functools, abc, typing',
      'if TYPE_CHECKING:',
      '    from pkg import Model, Other',
      '@functools.cache',
      'def f(m: "Model", o: typing.List["Other"]) -> None:',
      '    def g():',
      '        return f"{abc.ABC!r}"',
      '    return g',
      '',
    ].join('\n');
    expect(await scope('m.py', src, 'L101')).toEqual([]);
  });
  it('exempts __all__ entries, explicit re-exports, __future__ and package __init__ files', async () => {
    expect(
      await scope(
        'm.py',
        'from a import b\nimport c as c\nfrom __future__ import annotations\n__all__ = ["b"]\n',
        'L101',
      ),
    ).toEqual([]);
    expect(await scope('pkg/__init__.py', 'from .core import run\n', 'L101')).toEqual([]);
  });
  it('exempts __all__.extend/append entries, class-body imports, dunder names and private-module facades', async () => {
    expect(
      await scope(
        'm.py',
        '__all__ = []\nfrom a import b, c\n__all__.extend(["b"])\n__all__.append("c")\n',
        'L101',
      ),
    ).toEqual([]);
    expect(await scope('m.py', 'class K:\n    from it import walk\n', 'L101')).toEqual([]);
    expect(
      await scope(
        'm.py',
        'from _decimal import __doc__\nfrom _ssl import MemoryBIO\nfrom ._impl import run\n',
        'L101',
      ),
    ).toEqual([]);
    expect(await scope('m.py', 'def f():\n    from _ssl import MemoryBIO\n', 'L101')).toEqual([
      'MemoryBIO@2:22',
    ]);
  });
  it('counts names in PEP 484 type comments', async () => {
    const src =
      'from typing import BinaryIO, List\ndef f(p):\n    # type: (str) -> BinaryIO\n    x = []  # type: List[int]\n    return x\n';
    expect(await scope('m.py', src, 'L101')).toEqual([]);
  });
  it('counts `import a.b` as used when the package is used through an alias (`import a as m; m.b.x`), as pyflakes does', async () => {
    // CPython's concurrent/futures/process.py: `import multiprocessing as mp`,
    // `import multiprocessing.connection`, then `mp.connection.wait(...)`.
    const src = 'import a as m\nimport a.b\nm.b.x()\n';
    expect(await scope('m.py', src, 'L101')).toEqual([]);
    expect(await scope('m.py', 'import a.b\nprint(a.b.x)\n', 'L101')).toEqual([]);
    // The rule is only for submodule imports of the aliased package, in the same scope.
    expect(await scope('m.py', 'import a as m\nimport a.b\n', 'L101')).toEqual(['m@1:13', 'a@2:8']);
    expect(await scope('m.py', 'import c as m\nimport a.b\nm.x\n', 'L101')).toEqual(['a@2:8']);
    expect(await scope('m.py', 'import a.b as m\nimport a.b\nm.x\n', 'L101')).toEqual(['a@2:8']);
  });
  it('counts del and global rebinding as uses', async () => {
    expect(await scope('m.py', 'import tmp\ndel tmp\n', 'L101')).toEqual([]);
  });
});

describe('L102 unused variable (Python)', () => {
  it('reports unused function locals, not module or class variables', async () => {
    const src =
      'X = 1\nclass K:\n    y = 2\ndef f():\n    a = 1\n    b: int = 2\n    with open("p") as fh:\n        pass\n    return 0\n';
    expect(await scope('m.py', src, 'L102')).toEqual(['a@5:5', 'b@6:5', 'fh@7:23']);
  });
  it('exempts _-prefixed names, unpacking, global/nonlocal, closures, locals() and augmented updates', async () => {
    const src = [
      'G = 0',
      'def f(items):',
      '    global G',
      '    G = 1',
      '    _ignored = 2',
      '    first, rest = items',
      '    count = 0',
      '    def inc():',
      '        nonlocal count',
      '        count += 1',
      '    used = [i for i in items if (n := i)]',
      '    return inc, used, n',
      'def g():',
      '    v = 1',
      '    return locals()',
      '',
    ].join('\n');
    expect(await scope('m.py', src, 'L102')).toEqual([]);
  });
  it('counts `nonlocal n` in a nested function as a use of the outer n, even above its assignment', async () => {
    const src = [
      'def counter():',
      '    def inc():',
      '        nonlocal n',
      '        n += 1',
      '    n = 0',
      '    return inc',
      'def flag():',
      '    def set_it():',
      '        nonlocal done',
      '        done = True',
      '    done = False',
      '    return set_it',
      '',
    ].join('\n');
    expect(await scope('m.py', src, 'L102')).toEqual([]);
    // The nested function's write lands on the outer binding: nothing new is reported there.
    expect(await scope('m.py', src, 'L103')).toEqual([]);
  });
  it('resolves comprehension variables in their own scope', async () => {
    const src = 'def f(xs):\n    x = 1\n    return [x for x in xs]\n';
    expect(await scope('m.py', src, 'L102')).toEqual(['x@2:5']);
  });
});

describe('L103 shadowed variable (Python)', () => {
  it('reports function locals and parameters shadowing module or enclosing names', async () => {
    const src = 'data = 1\ndef f(data):\n    def g():\n        data = 2\n        return data\n    return g\n';
    expect(await scope('m.py', src, 'L103')).toEqual(['data@2:7', 'data@4:9']);
  });
  it('reports tuple-unpacking targets, in assignments and loops, nested ones too', async () => {
    const src = [
      'a = b = c = d = 0',
      'def f(pairs):',
      '    a, b = pairs[0]',
      '    (c, (d, e)) = pairs[1]',
      '    for [a, (b, _x)] in pairs:',
      '        pass',
      '    return a, b, c, d, e',
      '',
    ].join('\n');
    expect(await scope('m.py', src, 'L103')).toEqual(['a@3:5', 'b@3:8', 'c@4:6', 'd@4:10']);
    // Unpacking targets stay exempt from L102 (pyflakes' convention).
    expect(await scope('m.py', 'def f(p):\n    a, b = p\n', 'L102')).toEqual([]);
  });
  it('ignores self/cls, class attributes and comprehension variables', async () => {
    const src = 'self = 1\nx = 2\nclass K:\n    y = 3\n    def m(self, y):\n        return [x for x in y]\n';
    expect(await scope('m.py', src, 'L103')).toEqual([]);
  });
});

describe('Python lint robustness', () => {
  it('skips scope rules for files with syntax errors and honours # suppressions', async () => {
    expect(await scope('m.py', 'import os\ndef f(:\n', 'L101')).toEqual([]);
    expect(await scope('m.py', 'import os  # codebatch-disable-line L101\n', 'L101')).toEqual([]);
  });
});
