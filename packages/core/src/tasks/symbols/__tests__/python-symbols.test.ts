import type { TaskOutput } from '../../../schemas/output-record';
import { runTaskOnSource } from '../../../test-support/run-task-on-source';

function rows(out: TaskOutput[]): string[] {
  return out.map((o) =>
    o.kind === 'symbol'
      ? `${o.symbol_type} ${o.name} @${o.line}:${o.col} in ${o.scope}`
      : `${o.edge_type} -> ${o.target} @${o.line} in ${o.scope}`,
  );
}

describe('03_symbols for Python', () => {
  it('emits symbols and edges with scopes', async () => {
    const src = [
      'import os.path, sys as system',
      'from .models import Base, Mixin as M',
      '__all__ = ["Shape"]',
      'LIMIT = 10',
      'class Shape(Base, M, metaclass=Meta):',
      '    sides = 0',
      '    def area(self, scale=1):',
      '        return os.path.join(helper(scale))',
      'def helper(*args, **kw):',
      '    total, count = 0, 0',
      '    return super().run()',
      '',
    ].join('\n');
    expect(rows(await runTaskOnSource('symbols', 'pkg/shapes.py', src))).toEqual([
      'imports -> os.path @1 in <module>',
      'import_alias os @1:8 in <module>',
      'imports -> sys @1 in <module>',
      'import_alias system @1:24 in <module>',
      'imports -> .models @2 in <module>',
      'import_alias Base @2:21 in <module>',
      'import_alias M @2:36 in <module>',
      'variable __all__ @3:1 in <module>',
      'export Shape @3:12 in <module>',
      'exports -> Shape @3 in <module>',
      'variable LIMIT @4:1 in <module>',
      'class Shape @5:7 in <module>',
      'inherits -> Base @5 in <module>',
      'inherits -> M @5 in <module>',
      'variable sides @6:5 in Shape',
      'method area @7:9 in Shape',
      'parameter self @7:14 in Shape.area',
      'parameter scale @7:20 in Shape.area',
      'calls -> os.path.join @8 in Shape.area',
      'calls -> helper @8 in Shape.area',
      'function helper @9:5 in <module>',
      'parameter args @9:13 in helper',
      'parameter kw @9:21 in helper',
      'variable total @10:5 in helper',
      'variable count @10:12 in helper',
      'calls -> super @11 in helper',
    ]);
  });
});

describe('01_parse and 02_analyze for Python', () => {
  it('reports syntax errors (ERROR and MISSING nodes) as diagnostics', async () => {
    const out = await runTaskOnSource('parse', 'bad.py', 'def f(:\n    pass\nx = (1,\n');
    const diagnostics = out.filter((o) => o.kind === 'diagnostic');
    expect(diagnostics).toEqual([
      {
        path: 'bad.py',
        kind: 'diagnostic',
        severity: 'error',
        code: 'E0002',
        message: 'missing ")"',
        line: 1,
        col: 7,
      },
      expect.objectContaining({
        code: 'E0001',
        message: 'invalid syntax near "x = (1,"',
        line: 3,
        col: 1,
        end_line: 3,
      }),
    ]);
    expect(out.filter((o) => o.kind === 'ast')).toHaveLength(1);
  });
  it('emits no diagnostics for valid code and a deterministic AST', async () => {
    const src = 'def f(a):\n    return a + 1\n';
    const first = await runTaskOnSource('parse', 'a.py', src);
    const second = await runTaskOnSource('parse', 'b.py', src);
    expect(first.map((o) => o.kind)).toEqual(['ast']);
    expect(second[0]!.object).toBe(first[0]!.object);
  });
  it('computes complexity and counts', async () => {
    const src = [
      'import a, b',
      'from c import d',
      'def f(x):', // 1
      '    if x and d:', // +1 if +1 and
      '        return [i for i in x if i]', // +1 for +1 if
      '    elif x:', // +1
      '        pass',
      '    try:',
      '        pass',
      '    except E:', // +1
      '        pass',
      '    return 1 if x else 2', // +1
      'class K:',
      '    def m(self):',
      '        while True: pass', // +1
      'g = lambda y: y or 0', // lambda 1 + or
      '',
    ].join('\n');
    const out = await runTaskOnSource('analyze', 'm.py', src);
    expect(Object.fromEntries(out.map((o) => [o.metric, o.value]))).toMatchObject({
      lang: 'python',
      complexity: 1 + 7 + 1 + 1,
      max_complexity: 8,
      function_count: 3,
      class_count: 1,
      import_count: 3,
    });
  });
});
