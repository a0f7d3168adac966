import { serializeOutputs } from '../../run/commit-outputs';
import { recordTextOf } from '../../run/record-text';
import type { TaskOutput } from '../../schemas/output-record';
import { countLinesWithIds, restampIndex } from '../restamp-index';

const from = { snapshot_id: 'snapA', batch_id: 'b-old-000001', task_id: '04_lint', shard_id: '0a' };
const outputs = [
  { path: 'a.ts', kind: 'diagnostic', severity: 'warning', code: 'L001', message: 'm', line: 1, col: 2 },
  { path: 'b.ts', kind: 'metric', metric: 'loc', value: 3 },
  // A record whose own text contains an envelope look-alike must be left alone.
  { path: 'c.ts', kind: 'diagnostic', severity: 'info', code: 'L003', message: '"batch_id":"b-old-000001",' },
] as const;

function index(ids: typeof from): Buffer {
  const texts = outputs.map((o) => recordTextOf(o as unknown as TaskOutput));
  return Buffer.from(serializeOutputs(texts, { ...ids, ts: '2026-01-01T00:00:00.000Z' }).text);
}

describe('restampIndex', () => {
  it('gives exactly the bytes serializeOutputs writes under the new ids, for ids of the same length', () => {
    const to = { snapshot_id: 'snapB', batch_id: 'b-new-000002', task_id: '04_lint', shard_id: '0b' };
    const result = restampIndex(index(from), from, to);
    expect(result?.count).toBe(3);
    expect(result?.bytes.toString()).toBe(index(to).toString());
  });

  it('handles ids of a different length (a user-chosen --id)', () => {
    const to = { snapshot_id: 'a-much-longer-snapshot', batch_id: 'b', task_id: '04_lint', shard_id: '0a' };
    const result = restampIndex(index(from), from, to);
    expect(result?.count).toBe(3);
    expect(result?.bytes.toString()).toBe(index(to).toString());
  });

  it('leaves the source buffer untouched', () => {
    const source = index(from);
    const copy = Buffer.from(source);
    restampIndex(source, from, { ...from, batch_id: 'b-new-000002' });
    expect(source.equals(copy)).toBe(true);
  });

  it('re-stamps the bytes themselves when their owner asks (inPlace), ids of the same length', () => {
    const to = { snapshot_id: 'snapB', batch_id: 'b-new-000002', task_id: '04_lint', shard_id: '0b' };
    const source = index(from);
    const result = restampIndex(source, from, to, { inPlace: true });
    expect(result?.bytes).toBe(source);
    expect(source.toString()).toBe(index(to).toString());
    // Another length cannot be patched where it stands: a new buffer, the source as it was.
    const again = index(from);
    const longer = restampIndex(again, from, { ...to, batch_id: 'b-much-longer-id' }, { inPlace: true });
    expect(longer?.bytes).not.toBe(again);
    expect(again.toString()).toBe(index(from).toString());
    // A refused index is left as it was.
    const torn = index(from).subarray(0, 10);
    const tornCopy = Buffer.from(torn);
    expect(restampIndex(torn, from, to, { inPlace: true })).toBeUndefined();
    expect(torn.equals(tornCopy)).toBe(true);
  });

  it('refuses an index with a line that does not carry the expected envelope', () => {
    const other = index({ ...from, shard_id: '0b' });
    const mixed = Buffer.concat([index(from), other]);
    expect(restampIndex(mixed, from, { ...from, batch_id: 'x' })).toBeUndefined();
  });

  it('refuses an index whose last line has no newline (a torn write)', () => {
    const bytes = index(from);
    expect(restampIndex(bytes.subarray(0, bytes.length - 1), from, from)).toBeUndefined();
    expect(restampIndex(bytes.subarray(0, 10), from, from)).toBeUndefined();
  });

  it('maps an empty index to an empty index', () => {
    const result = restampIndex(Buffer.alloc(0), from, { ...from, batch_id: 'x' });
    expect(result?.count).toBe(0);
    expect(result?.bytes.length).toBe(0);
  });
});

describe('countLinesWithIds', () => {
  const other = { ...from, batch_id: 'b-other-0003' };

  it('counts the lines when every one starts with the ids, and agrees with restampIndex', () => {
    expect(countLinesWithIds(index(from), from)).toBe(3);
    expect(countLinesWithIds(Buffer.alloc(0), from)).toBe(0);
  });

  it('refuses an index with one line under other ids, even with the ids elsewhere in it', () => {
    const lines = index(from).toString().split('\n');
    // The middle line carries other ids; the first and last still start with `from`'s, and the
    // third line's message holds a look-alike of them.
    lines[1] = index(other).toString().split('\n')[1]!;
    const mixed = Buffer.from(lines.join('\n'));
    expect(countLinesWithIds(mixed, from)).toBeUndefined();
    expect(restampIndex(mixed, from, other)).toBeUndefined();
  });

  it('refuses an index whose last line has no newline', () => {
    const bytes = index(from);
    expect(countLinesWithIds(bytes.subarray(0, bytes.length - 1), from)).toBeUndefined();
  });
});
