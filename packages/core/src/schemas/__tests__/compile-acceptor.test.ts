import { z } from 'zod';
import { compileAcceptor } from '../compile-acceptor';
import { taskOutputSchema } from '../output-record';

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
    expect(compileAcceptor(z.strictObject({ a: z.string() }))).toBeUndefined();
    expect(compileAcceptor(z.object({ a: z.string().default('x') }))).toBeUndefined();
    expect(compileAcceptor(z.exactOptional(z.string()))).toBeUndefined();
    expect(compileAcceptor(z.xor([z.string(), z.string().min(1)]))).toBeUndefined();
    expect(compileAcceptor(z.enum(['a', 'b']).refine((v) => v === 'a'))).toBeUndefined();
    expect(compileAcceptor(z.string().min(2))).toBeUndefined();
  });
});
