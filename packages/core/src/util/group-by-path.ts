/** Groups records by path, keeping their order. */
export function groupByPath<T extends { path: string }>(records: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of records) {
    const list = map.get(r.path);
    if (list) list.push(r);
    else map.set(r.path, [r]);
  }
  return map;
}
