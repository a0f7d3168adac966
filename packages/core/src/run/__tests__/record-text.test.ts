import { createHash } from 'node:crypto';
import type { TaskOutput } from '../../schemas/output-record';
import { serializeOutputs } from '../commit-outputs';
import {
  digestRecords,
  digestRecordTexts,
  recordTextOf,
  splitIndexRecords,
  stripEnvelope,
} from '../record-text';

const IDS = {
  snapshot_id: 'snap-1',
  batch_id: 'b20260101T000000Z-abcdef',
  task_id: '04_lint',
  shard_id: '0a',
  ts: '2026-01-01T00:00:00.000Z',
};

/** A small deterministic generator (mulberry32), so a failure names the seed that found it. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Text that JSON makes hard: quotes, backslashes, brackets, a key look-alike, a lone surrogate.
const PIECES = [
  'a',
  'src/x.ts',
  '"',
  '\\',
  '{',
  '[',
  '"kind":"ast"',
  '"severity":"error",',
  'é',
  '\ud800',
  ' ',
  '\n',
];

function generateRecord(next: () => number): TaskOutput {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const text = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(PIECES)).join('');
  const record: Record<string, unknown> = {};
  const shape = Math.floor(next() * 6);
  // Fields a task may emit in any order; `path` first is the common case, not a rule. Keys with
  // an escaped quote end in a field's name: `"x\"path":` must not read as `path`.
  if (shape === 5 && next() < 0.5) record['x"path'] = 'elsewhere.ts';
  if (shape !== 0) record.path = text();
  if (shape === 1) record.extra = { kind: 'nested', severity: 'hint', list: [1, { severity: 'error' }] };
  record.kind = pick(['diagnostic', 'metric', 'ast', 'symbol']);
  if (shape === 2) record.message = text();
  if (next() < 0.5) record.severity = pick(['error', 'warning', 'info', 'hint', null, 'bogus']);
  if (shape === 0) record.path = text();
  if (shape === 3) record.ts = 'a field of its own named like the envelope';
  if (shape === 5) record['note"severity'] = pick(['error', 'x']);
  if (next() < 0.5) record.line = Math.floor(next() * 1000) + 1;
  if (next() < 0.3) record.value = pick([0, -0, 1.5, 1e21, 'x']);
  if (shape === 4) record.message = text();
  return record as TaskOutput;
}

describe('record texts', () => {
  it('cuts every record of a runner-written index back to the text and fields the task returned', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const next = random(seed);
      const records = Array.from({ length: 1 + Math.floor(next() * 8) }, () => generateRecord(next));
      const index = serializeOutputs(records.map(recordTextOf), IDS).text;
      const cut = splitIndexRecords(Buffer.from(index, 'utf8'));
      expect(cut.map((r) => r.text)).toEqual(records.map((r) => JSON.stringify(r)));
      expect(cut.map((r) => [r.path, r.kind, r.severity])).toEqual(
        records.map((r) => [r.path, r.kind, r.severity]),
      );
      expect(cut.map((r) => r.record)).toEqual(records.map((r) => JSON.parse(JSON.stringify(r))));
      // The upstream digest of a file key, as its definition states it.
      const definition = createHash('sha256');
      for (const r of records) definition.update(`${JSON.stringify(r)}\n`);
      const digest = definition.digest('hex');
      expect(digestRecordTexts(cut)).toBe(digest);
      expect(digestRecords(records)).toBe(digest);
    }
  });

  it('gives the text a parse, envelope removal and stringify gave, for records without envelope-named fields', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const next = random(seed);
      const records = Array.from({ length: 4 }, () => generateRecord(next)).filter((r) => !('ts' in r));
      const index = serializeOutputs(records.map(recordTextOf), IDS).text;
      const lines = index.split('\n').filter((l) => l !== '');
      expect(splitIndexRecords(Buffer.from(index)).map((r) => r.text)).toEqual(
        lines.map((l) => JSON.stringify(stripEnvelope(JSON.parse(l)))),
      );
    }
  });

  it('parses no line whose fields the text shows, and parses the others', () => {
    const plain = { path: 'a.ts', kind: 'diagnostic', severity: 'warning', code: 'L001', message: 'm' };
    const nested = { path: 'b.ts', kind: 'metric', extra: { rule: 'r', severity: 'error' }, value: 1 };
    const index = serializeOutputs(
      [plain, nested].map((r) => recordTextOf(r as TaskOutput)),
      IDS,
    ).text;
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const cut = splitIndexRecords(Buffer.from(index));
      // Only the nested record: its `severity` key sits inside an object, so the text cannot tell.
      expect(parse).toHaveBeenCalledTimes(1);
      expect(cut[1]!.severity).toBeUndefined();
      expect(cut[0]!.severity).toBe('warning');
    } finally {
      parse.mockRestore();
    }
  });

  it('parses lines in another key order and strips their envelope', () => {
    const line = JSON.stringify({ path: 'a.ts', kind: 'ast', ...IDS, schema_version: 1, object: 'sha256:1' });
    const [r] = splitIndexRecords(Buffer.from(`${line}\n`));
    expect(r!.text).toBe(JSON.stringify({ path: 'a.ts', kind: 'ast', object: 'sha256:1' }));
    expect(r!.path).toBe('a.ts');
  });

  it('reads index bytes with blank lines, a blank first line and a last line without newline', () => {
    const records = [
      { path: 'a.ts', kind: 'diagnostic', severity: 'error', message: 'é' },
      { path: 'b.ts', kind: 'metric', value: 2 },
    ] as TaskOutput[];
    const index = serializeOutputs(records.map(recordTextOf), IDS).text;
    const [first, second] = index.split('\n');
    const bytes = Buffer.from(`\n  \n${first}\n\n${second}`, 'utf8');
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const cut = splitIndexRecords(bytes);
      expect(cut.map((r) => r.text)).toEqual(records.map((r) => JSON.stringify(r)));
      expect(parse).not.toHaveBeenCalled(); // the envelope is found past the blank lines
    } finally {
      parse.mockRestore();
    }
  });

  it('throws on a line that is not JSON', () => {
    expect(() => splitIndexRecords(Buffer.from('not an index\n'))).toThrow();
  });
});
