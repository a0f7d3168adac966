/**
 * An independent path_hash for tests: the same definition (FNV-1a over the UTF-8 bytes, then
 * murmur3's fmix32) written with BigInt arithmetic, so that a slip in the engine's Math.imul
 * version cannot agree with itself here.
 */
const MASK = 0xffffffffn;

export function pathHashOracle(p: string): number {
  let h = 0x811c9dc5n;
  for (const b of Buffer.from(p, 'utf8')) h = ((h ^ BigInt(b)) * 0x01000193n) & MASK;
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & MASK;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & MASK;
  h ^= h >> 16n;
  return Number(h);
}

/** The shard id path_hash gives `p` among `count` shards. */
export function pathShardOracle(p: string, count: number): string {
  return (pathHashOracle(p) % count).toString(16).padStart(2, '0');
}
