import type {
  BatchFixture,
  BatchFixtureSpec,
  FixtureFile,
  FixtureOutput,
  FixtureShardOverride,
} from '../../test-support/build-batch-fixture';
import { buildBatchFixture } from '../../test-support/build-batch-fixture';

/** A four-task batch over four files, small enough to state every expectation by hand. */
export const SAMPLE_FILES: FixtureFile[] = [
  {
    path: 'src/a.ts',
    lang: 'typescript',
    content:
      "import { x } from './x';\nimport { y } from './y';\n\nexport function f() {\n  return 1;  \n}\n",
  },
  { path: 'src/b.py', lang: 'python', content: 'import os\nimport sys\nprint(sys.argv)\n' },
  { path: 'src/c.ts', lang: 'typescript', content: 'export const c = 1;\n' },
  { path: 'README.md', content: '# TODO: write docs\n' },
];

const OBJ = `sha256:${'a'.repeat(64)}`;

export function sampleTasks(): Record<string, FixtureOutput[]> {
  const paths = SAMPLE_FILES.map((f) => f.path);
  return {
    '01_parse': paths.map((path) => ({ path, kind: 'ast', object: OBJ, format: 'json' })),
    '02_analyze': paths.flatMap((path) => [
      { path, kind: 'metric', metric: 'loc', value: 3 },
      { path, kind: 'metric', metric: 'bytes', value: 40 },
    ]),
    '03_symbols': [
      {
        path: 'src/a.ts',
        kind: 'symbol',
        name: 'f',
        symbol_type: 'function',
        line: 4,
        col: 1,
        scope: 'module',
      },
      { path: 'src/a.ts', kind: 'edge', edge_type: 'imports', target: './x', line: 1 },
      { path: 'src/a.ts', kind: 'edge', edge_type: 'imports', target: './y', line: 2 },
      { path: 'src/b.py', kind: 'edge', edge_type: 'imports', target: 'os', line: 1 },
    ],
    '04_lint': [
      {
        path: 'src/a.ts',
        kind: 'diagnostic',
        severity: 'warning',
        code: 'L101',
        message: "unused import 'x'",
        line: 1,
        col: 10,
      },
      {
        path: 'src/a.ts',
        kind: 'diagnostic',
        severity: 'warning',
        code: 'L101',
        message: "unused import 'y'",
        line: 2,
        col: 10,
      },
      {
        path: 'src/a.ts',
        kind: 'diagnostic',
        severity: 'info',
        code: 'L001',
        message: 'trailing whitespace',
        line: 5,
        col: 12,
      },
      {
        path: 'src/b.py',
        kind: 'diagnostic',
        severity: 'error',
        code: 'L101',
        message: "unused import 'os'",
        line: 1,
        col: 1,
      },
      {
        path: 'README.md',
        kind: 'diagnostic',
        severity: 'info',
        code: 'L003',
        message: 'TODO comment',
        line: 1,
        col: 3,
      },
    ],
  };
}

export function buildSampleBatch(
  storeDir: string,
  overrides: {
    batchId?: string;
    snapshotId?: string;
    files?: FixtureFile[];
    tasks?: Record<string, FixtureOutput[]>;
    shards?: Record<string, Record<string, FixtureShardOverride>>;
    strategy?: BatchFixtureSpec['strategy'];
  } = {},
): BatchFixture {
  return buildBatchFixture({
    storeDir,
    batchId: overrides.batchId ?? 'b1',
    snapshotId: overrides.snapshotId ?? 's1',
    files: overrides.files ?? SAMPLE_FILES,
    tasks: overrides.tasks ?? sampleTasks(),
    shards: overrides.shards,
    ...(overrides.strategy ? { strategy: overrides.strategy } : {}),
  });
}
