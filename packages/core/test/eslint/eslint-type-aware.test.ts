import {
  check,
  checkFindings,
  codebatchJson,
  compilerOptions,
  eslintFindings,
  makeEslintWorkspace,
  TYPE_AWARE_CONFIG,
  type Workspace,
} from './eslint-harness';

/**
 * Differential test of type-aware soundness. typescript-eslint's type-aware rules make a
 * file's result depend on what its types depend on. After every step of a seeded random
 * sequence of edits (bodies, an exported function going sync -> async, an exported type, a
 * global augmentation, the tsconfig), the cached result must equal a cold `eslint` run, and the
 * files codebatch re-linted must be no more than the import-closure analysis says.
 */
const tsconfig = (strict: boolean) =>
  JSON.stringify({
    compilerOptions: compilerOptions(strict),
    include: ['src'],
  });
const api = (isAsync: boolean) =>
  isAsync
    ? 'export async function load(): Promise<number> { return 1; }\nexport function save(n: number): number { return n; }\n'
    : 'export function load(): number { return 1; }\nexport function save(n: number): number { return n; }\n';
const types = (idType: string) =>
  `export interface Item { id: ${idType}; name: string }\nexport type Id = Item['id'];\n`;

const TREE: Record<string, string> = {
  'eslint.config.mjs': TYPE_AWARE_CONFIG,
  'tsconfig.json': tsconfig(true),
  'src/api.ts': api(false),
  'src/types.ts': types('number'),
  'src/main.ts':
    "import { load } from './api';\nimport type { Item } from './types';\nexport function run(item: Item) {\n  load();\n  return item.id;\n}\n",
  'src/service.ts': "import { save } from './api';\nexport function store(n: number) {\n  save(n);\n}\n",
  'src/leaf.ts': "import { run } from './main';\nrun({ id: 1, name: 'a' });\n",
  'src/alone.ts': 'export const alone = 1;\n',
  'src/consumer.ts': 'export const version: string = globalThis.appVersion;\n',
};

/** The import graph of the fixture: who imports whom (by the files' own import statements). */
const IMPORTS: Record<string, string[]> = {
  'src/main.ts': ['src/api.ts', 'src/types.ts'],
  'src/service.ts': ['src/api.ts'],
  'src/leaf.ts': ['src/main.ts'],
};
const TS_FILES = Object.keys(TREE).filter((p) => p.endsWith('.ts'));

/** The changed file and every file that imports it, transitively. */
function importersOf(changed: string): Set<string> {
  const out = new Set([changed]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [file, deps] of Object.entries(IMPORTS)) {
      if (!out.has(file) && deps.some((d) => out.has(d))) {
        out.add(file);
        grew = true;
      }
    }
  }
  return out;
}

type Step = { name: string; apply(ws: Workspace): void; predicted: () => Set<string> };

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSteps(seed: number, count: number): Step[] {
  const rnd = mulberry32(seed);
  const state = { isAsync: false, idType: 'number', global: false, strict: true, edits: 0 };
  const all = () => new Set([...TS_FILES, 'src/global.d.ts']);
  const kinds: (() => Step)[] = [
    () => {
      const file = TS_FILES[Math.floor(rnd() * TS_FILES.length)]!;
      const n = ++state.edits;
      return {
        name: `body edit of ${file}`,
        apply: (ws) => ws.write({ [file]: `${currentText(ws, file)}export const edit${n} = ${n};\n` }),
        predicted: () => importersOf(file),
      };
    },
    () => ({
      name: `load() ${state.isAsync ? 'async -> sync' : 'sync -> async'}`,
      apply: (ws) => {
        state.isAsync = !state.isAsync;
        ws.write({ 'src/api.ts': api(state.isAsync) });
      },
      predicted: () => importersOf('src/api.ts'),
    }),
    () => ({
      name: 'exported type Item.id changes',
      apply: (ws) => {
        state.idType = state.idType === 'number' ? 'number | undefined' : 'number';
        ws.write({ 'src/types.ts': types(state.idType) });
      },
      predicted: () => importersOf('src/types.ts'),
    }),
    () => ({
      name: `global augmentation ${state.global ? 'removed' : 'added'}`,
      apply: (ws) => {
        state.global = !state.global;
        if (state.global)
          ws.write({ 'src/global.d.ts': 'declare global {\n  var appVersion: string;\n}\nexport {};\n' });
        else ws.remove('src/global.d.ts');
      },
      predicted: all,
    }),
    () => ({
      name: `tsconfig strict ${state.strict ? 'off' : 'on'}`,
      apply: (ws) => {
        state.strict = !state.strict;
        ws.write({ 'tsconfig.json': tsconfig(state.strict) });
      },
      predicted: all,
    }),
  ];
  // The sync -> async step first: the case `eslint --cache` gets wrong.
  return [
    kinds[1]!(),
    ...Array.from({ length: count - 1 }, () => kinds[Math.floor(rnd() * kinds.length)]!()),
  ];
}

const texts = new Map<string, string>();
function currentText(ws: Workspace, file: string): string {
  return texts.get(`${ws.dir}:${file}`) ?? TREE[file]!;
}

jest.setTimeout(240_000);

describe('type-aware ESLint results are reused only when nothing they depend on changed', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeEslintWorkspace(TREE);
    const write = ws.write;
    ws.write = (files) => {
      for (const [k, v] of Object.entries(files)) texts.set(`${ws.dir}:${k}`, v);
      write(files);
    };
  });
  afterAll(() => ws.cleanup());

  it('cold: equals eslint, and the fixture exercises type information', async () => {
    const expected = await eslintFindings(ws);
    expect(expected.some((f) => f.rule?.startsWith('@typescript-eslint/no-unsafe'))).toBe(true);
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    expect(checkFindings(report)).toEqual(expected);
  });

  it('sync -> async of an exported function re-lints its importers and reports their new no-floating-promises', async () => {
    const before = (await check(ws, ['--pipeline', 'eslint'])).report.batch_id;
    const step = randomSteps(1, 1)[0]!;
    step.apply(ws);
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    // explain-miss names the dependency that changed
    const why = await codebatchJson<{ content?: unknown; dependencies: { path: string; change: string }[] }>(
      ws,
      [
        'explain-miss',
        '--batch',
        report.batch_id,
        '--task',
        '05_eslint',
        '--file',
        'src/main.ts',
        '--against',
        before,
      ],
    );
    expect(why.content).toBeUndefined();
    expect(why.dependencies).toEqual([expect.objectContaining({ path: 'src/api.ts', change: 'changed' })]);
    const findings = checkFindings(report);
    expect(findings).toEqual(await eslintFindings(ws));
    expect(
      findings.some((f) => f.path === 'src/main.ts' && f.rule === '@typescript-eslint/no-floating-promises'),
    ).toBe(true);
    expect(report.taskFiles.executed).toBeLessThanOrEqual(importersOf('src/api.ts').size);
    // and back, so the random sequence below starts from the original tree
    ws.write({ 'src/api.ts': api(false) });
    await check(ws, ['--pipeline', 'eslint']);
  });

  it('editing a leaf file re-lints that file alone', async () => {
    ws.write({ 'src/leaf.ts': `${currentText(ws, 'src/leaf.ts')}export const touched = 1;\n` });
    const { report } = await check(ws, ['--pipeline', 'eslint']);
    expect(report.taskFiles.executed).toBe(1);
    expect(checkFindings(report)).toEqual(await eslintFindings(ws));
  });

  for (const seed of [7]) {
    it(`random edit sequence (seed ${seed}): after every step equal to a cold eslint, re-lint set within the closure`, async () => {
      for (const step of randomSteps(seed, 4)) {
        step.apply(ws);
        const { report } = await check(ws, ['--pipeline', 'eslint']);
        const expected = await eslintFindings(ws);
        expect({ step: step.name, findings: checkFindings(report) }).toEqual({
          step: step.name,
          findings: expected,
        });
        expect({ step: step.name, executed: report.taskFiles.executed <= step.predicted().size }).toEqual({
          step: step.name,
          executed: true,
        });
      }
    });
  }
});
