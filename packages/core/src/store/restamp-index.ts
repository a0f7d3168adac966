import { type EnvelopeIdSet, envelopeIdsPrefix } from './index-envelope';

/**
 * A committed index with its envelope ids replaced: how a reused shard's records read under its
 * own batch (store/shard-outputs.ts). Every line the runner writes starts with the same id prefix (serializeOutputs), so
 * this is one pass of prefix swaps, with no JSON parse: a reused full-pipeline batch moves
 * about 100 MB of records. Returns undefined when any line does not start with `from`'s
 * prefix or the index does not end with a newline: such an index is executed again rather
 * than guessed at.
 */
export function restampIndex(
  bytes: Buffer,
  from: EnvelopeIdSet,
  to: EnvelopeIdSet,
  options: { inPlace?: boolean } = {},
): { bytes: Buffer; count: number } | undefined {
  const oldPrefix = Buffer.from(envelopeIdsPrefix(from));
  const newPrefix = Buffer.from(envelopeIdsPrefix(to));
  const starts = lineStarts(bytes, oldPrefix);
  if (!starts) return undefined;
  const delta = newPrefix.length - oldPrefix.length;
  if (delta === 0) {
    // Generated ids of one kind share a length: patch each prefix where it stands, in a copy
    // or, for a caller that owns `bytes` (`inPlace`), in the bytes themselves. A parse shard's
    // index is about 150 MB at 100k files: a second copy was most of a one-file run's memory.
    const out = options.inPlace ? bytes : Buffer.from(bytes);
    for (const s of starts) newPrefix.copy(out, s);
    return { bytes: out, count: starts.length };
  }
  const out = Buffer.allocUnsafe(bytes.length + delta * starts.length);
  let w = 0;
  for (let i = 0; i < starts.length; i += 1) {
    const rest = starts[i]! + oldPrefix.length;
    const end = i + 1 < starts.length ? starts[i + 1]! : bytes.length;
    w += newPrefix.copy(out, w);
    w += bytes.copy(out, w, rest, end);
  }
  return { bytes: out, count: starts.length };
}

/** Offsets of the lines, or undefined unless each starts with `prefix` and ends with a newline. */
function lineStarts(bytes: Buffer, prefix: Buffer): number[] | undefined {
  const starts: number[] = [];
  let s = 0;
  while (s < bytes.length) {
    if (s + prefix.length > bytes.length) return undefined;
    if (bytes.compare(prefix, 0, prefix.length, s, s + prefix.length) !== 0) return undefined;
    starts.push(s);
    const end = bytes.indexOf(10, s + prefix.length);
    if (end === -1) return undefined;
    s = end + 1;
  }
  return starts;
}

/**
 * The number of lines of `bytes` when each starts with `ids`' prefix and ends with a newline,
 * else undefined: what a reader will need to re-stamp them. Counted with native searches only
 * (newlines, then the prefix wherever it starts a line), not a comparison per line: at 30k files
 * that was 0.1 s of a one-file run.
 */
export function countLinesWithIds(bytes: Buffer, ids: EnvelopeIdSet): number | undefined {
  if (bytes.length === 0) return 0;
  if (bytes[bytes.length - 1] !== 10) return undefined;
  const lines = countLines(bytes);
  const prefix = Buffer.from(envelopeIdsPrefix(ids));
  let starts = 0;
  for (let at = bytes.indexOf(prefix); at !== -1; at = bytes.indexOf(prefix, at + prefix.length)) {
    if (at === 0 || bytes[at - 1] === 10) starts += 1;
  }
  return starts === lines ? lines : undefined;
}

/** Newlines in `bytes`: the lines of an index the engine wrote. */
export function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n += 1;
  return n;
}
