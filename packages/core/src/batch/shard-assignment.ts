/**
 * Shard of a file: a pure function of its content hash, so it is stable across executions
 * (SPEC 8.1) and identical files land together. With 256 shards it equals the first byte of
 * the hash, as in the reference implementation.
 */
export function shardOf(objectHex: string, shardCount: number): string {
  const byte = Number.parseInt(objectHex.slice(0, 2), 16);
  return (byte % shardCount).toString(16).padStart(2, '0');
}

export function allShardIds(shardCount: number): string[] {
  return Array.from({ length: shardCount }, (_, i) => i.toString(16).padStart(2, '0'));
}
