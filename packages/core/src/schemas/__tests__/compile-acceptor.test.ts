import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { analyze } from '../../api/analyze';
import { makeTempDir, writeTree } from '../../test-support/temp-dir';
import { createTestRegistry } from '../../test-support/test-registry';
import { canonicalJson } from '../../util/canonical-json';
import { compileAcceptor, safeParseFast } from '../compile-acceptor';
import { taskOutputSchema } from '../output-record';
import { shardStateSchema } from '../state-record';

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = 'a'.repeat(64);
const SCALARS: unknown[] = [
  undefined,
  null,
  true,
  0,
  1,
  2.5,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  '',
  'x',
  'src/a.ts',
  'diagnostic',
  'symbol',
  'warning',
  'nope',
  `sha256:${HEX}`,
  `sha256:${HEX.toUpperCase()}`,
  [],
  {},
  new Date(0),
];
const FIELDS = Object.keys(taskOutputSchema.shape);

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)]!;
}

/** A record-like value: mostly valid fields, each at times replaced by something else. */
function recordLike(next: () => number): unknown {
  const shape = next();
  if (shape < 0.05) return pick(next, SCALARS);
  const value: Record<string, unknown> =
    shape < 0.1 ? Object.create(null) : shape < 0.15 ? new (class Record {})() : {};
  value.path = next() < 0.9 ? 'src/a.ts' : pick(next, SCALARS);
  value.kind = next() < 0.8 ? pick(next, ['diagnostic', 'metric', 'symbol', 'ast']) : pick(next, SCALARS);
  for (const field of FIELDS) {
    if (field === 'path' || field === 'kind' || next() < 0.7) continue;
    value[field] = pick(next, SCALARS);
  }
  if (next() < 0.2) value.extra = pick(next, SCALARS);
  return value;
}

describe('compileAcceptor', () => {
  const accepts = compileAcceptor(taskOutputSchema)!;

  it('compiles the task output schema', () => {
    expect(accepts).toBeInstanceOf(Function);
  });

  it('accepts only what zod accepts, and the valid records tasks emit', () => {
    let accepted = 0;
    for (let seed = 1; seed <= 20_000; seed += 1) {
      const value = recordLike(random(seed));
      if (!accepts(value)) continue;
      accepted += 1;
      const zod = taskOutputSchema.safeParse(value);
      if (!zod.success) throw new Error(`seed ${seed}: accepted what zod refuses: ${String(zod.error)}`);
    }
    expect(accepted).toBeGreaterThan(100);
    const valid = [
      { path: 'a.ts', kind: 'diagnostic', severity: 'error', code: 'L1', message: 'm', line: 1, col: 2 },
      { path: 'a.ts', kind: 'metric', metric: 'loc', value: 3 },
      { path: 'a.ts', kind: 'metric', metric: 'lang', value: 'ts' },
      { path: 'a.ts', kind: 'ast', object: `sha256:${HEX}`, format: 'json' },
      {
        path: 'a.ts',
        kind: 'symbol',
        name: 'f',
        symbol_type: 'function',
        line: 1,
        col: 1,
        scope: '<module>',
      },
      {
        path: 'a.ts',
        kind: 'edge',
        edge_type: 'calls',
        target: 'g',
        line: 2,
        col: 3,
        scope: 'f',
        extra: [1],
      },
    ];
    for (const v of valid) {
      expect(taskOutputSchema.safeParse(v).success).toBe(true);
      expect(accepts(v)).toBe(true);
    }
  });

  it('turns down what it cannot tell, leaving zod to judge', () => {
    expect(accepts({ path: 'a.ts', kind: 'metric', line: 0 })).toBe(false);
    expect(accepts({ path: 'a.ts', kind: 'metric', line: 1.5 })).toBe(false);
    expect(accepts({ path: '', kind: 'metric' })).toBe(false);
    expect(accepts({ path: 'a.ts', kind: 'metric', object: 'sha256:x' })).toBe(false);
    expect(compileAcceptor(z.string().email())).toBeUndefined();
    expect(compileAcceptor(z.object({ a: z.string() }).catchall(z.number()))).toBeUndefined();
    expect(compileAcceptor(z.tuple([z.string()], z.number()))).toBeUndefined();
    expect(compileAcceptor(z.record(z.string().min(2), z.number()))).toBeUndefined();
    expect(compileAcceptor(z.string().transform((v) => v.length))).toBeUndefined();
    expect(compileAcceptor(z.array(z.string()).min(1))).toBeUndefined();
    expect(compileAcceptor(z.exactOptional(z.string()))).toBeUndefined();
    expect(compileAcceptor(z.xor([z.string(), z.string().min(1)]))).toBeUndefined();
    expect(compileAcceptor(z.enum(['a', 'b']).refine((v) => v === 'a'))).toBeUndefined();
    expect(compileAcceptor(z.string().min(2))).toBeUndefined();
  });
});

/** Every kind the acceptor compiles besides those of the task output schema. */
const composite = z.object({
  schema_name: z.literal('codebatch.x'),
  attempt: z.number().int().min(1).default(1),
  note: z.string().nullable().optional(),
  list: z.array(z.string().regex(/^[a-f]{2}$/)),
  pair: z.tuple([z.string(), z.number()]),
  counts: z.record(z.string(), z.number().int().min(0)),
  inner: z.strictObject({ a: z.string() }).optional(),
  loose: z.looseObject({ a: z.string() }).optional(),
  at: z.string().datetime({ offset: true }).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const COMPOSITE_SCALARS: unknown[] = [
  ...SCALARS,
  'codebatch.x',
  'ab',
  'zz',
  '2026-12-06T22:15:10.123Z',
  '2026-12-06T22:15:10+02:00',
  '2026-13-06T22:15:10Z',
  ['ab'],
  ['ab', 'zz'],
  ['x', 1],
  ['x', 1, 2],
  { a: 'x' },
  { a: 'x', b: 1 },
  { n: 1 },
  { n: -1 },
  JSON.parse('{"__proto__": 1}'),
  JSON.parse('{"a": "x", "__proto__": {"b": 1}}'),
];

function compositeLike(next: () => number): unknown {
  if (next() < 0.03) return pick(next, COMPOSITE_SCALARS);
  const value: Record<string, unknown> = next() < 0.05 ? JSON.parse('{"__proto__": 0}') : {};
  const valid: Record<string, () => unknown> = {
    schema_name: () => 'codebatch.x',
    attempt: () => 2,
    note: () => (next() < 0.5 ? null : 'n'),
    list: () => ['ab', 'cd'],
    pair: () => ['x', 1],
    counts: () => ({ parse: 3, lint: 0 }),
    inner: () => ({ a: 'x' }),
    loose: () => (next() < 0.5 ? { a: 'x', b: 2 } : JSON.parse('{"a": "x", "__proto__": {"b": 1}}')),
    at: () => '2026-12-06T22:15:10.123Z',
    metadata: () => ({ any: [1, { deep: true }] }),
  };
  for (const [key, make] of Object.entries(valid)) {
    const r = next();
    if (r < 0.15) continue;
    value[key] = r < 0.3 ? pick(next, COMPOSITE_SCALARS) : make();
  }
  if (next() < 0.1) value.extra = pick(next, COMPOSITE_SCALARS);
  return value;
}

describe('compileAcceptor beyond record fields', () => {
  const accepts = compileAcceptor(composite)!;

  it('accepts only what zod accepts and returns unchanged: literals, defaults, arrays, tuples, records, strict objects, datetimes', () => {
    expect(accepts).toBeInstanceOf(Function);
    let accepted = 0;
    let refused = 0;
    for (let seed = 1; seed <= 20_000; seed += 1) {
      const value = compositeLike(random(seed));
      const zod = composite.safeParse(value);
      if (!accepts(value)) {
        if (zod.success) refused += 1;
        continue;
      }
      accepted += 1;
      if (!zod.success) throw new Error(`seed ${seed}: accepted what zod refuses: ${String(zod.error)}`);
      if (canonicalJson(zod.data) !== canonicalJson(value))
        throw new Error(`seed ${seed}: accepted a value zod changes: ${canonicalJson(value)}`);
    }
    expect(accepted).toBeGreaterThan(100);
    // Values zod takes with a change (a default filled in, a key stripped) are left to it.
    expect(refused).toBeGreaterThan(100);
  });

  it('gives zod the values it turns down, and its verdict and messages', () => {
    const missingAttempt = { schema_name: 'codebatch.x', list: [], pair: ['x', 1], counts: {} };
    const parsed = safeParseFast(composite, missingAttempt);
    expect(parsed.success && parsed.data.attempt).toBe(1);
    const bad = safeParseFast(composite, { ...missingAttempt, pair: ['x'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['pair']);
    const taken = { ...missingAttempt, attempt: 3 };
    const fast = safeParseFast(composite, taken);
    expect(fast.success && fast.data).toBe(taken);
  });

  it('takes every shard state a run writes, executed and reused, as zod takes it', async () => {
    const tmp = makeTempDir();
    try {
      const src = path.join(tmp.dir, 'src');
      const files: Record<string, string> = {};
      for (let i = 0; i < 12; i += 1) files[`m${i}.ts`] = `export const v${i} = ${i}; // BAD ${i}\n`;
      writeTree(src, files);
      const options = {
        storeDir: path.join(tmp.dir, 'store'),
        sourceDir: src,
        pipeline: 'lint' as const,
        parallel: 1,
        registry: createTestRegistry(),
      };
      await analyze(options);
      fs.appendFileSync(path.join(src, 'm0.ts'), 'export const edited = 1;\n');
      await analyze(options);
      const accepts = compileAcceptor(shardStateSchema)!;
      const states = fs
        .readdirSync(path.join(options.storeDir, 'batches'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('state.json'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(options.storeDir, 'batches', f), 'utf8')));
      expect(states.some((st) => st.outputs_ref && st.reused_from)).toBe(true);
      expect(states.some((st) => !st.outputs_ref && st.diagnostic_counts && st.kind_counts)).toBe(true);
      for (const state of states) {
        expect(shardStateSchema.safeParse(state)).toMatchObject({ success: true, data: state });
        expect(accepts(state)).toBe(true);
      }
    } finally {
      tmp.cleanup();
    }
  });
});
