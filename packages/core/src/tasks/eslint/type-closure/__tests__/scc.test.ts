import { findStronglyConnectedComponents } from '../scc';

function componentsOf(successors: number[][]): number[][] {
  return findStronglyConnectedComponents(successors).components.map((c) => [...c].sort((a, b) => a - b));
}

describe('findStronglyConnectedComponents', () => {
  it('emits every component after the components it reaches', () => {
    // 0 -> 1 -> 2 -> 1, 2 -> 3, 4 alone
    const result = componentsOf([[1], [2], [1, 3], [], []]);
    expect(result).toEqual([[3], [1, 2], [0], [4]]);
  });

  it('finds nested cycles and self-loops', () => {
    // 0 <-> 1, 1 -> 2 -> 3 -> 2, 3 -> 3
    const { components, componentOf } = findStronglyConnectedComponents([[1], [0, 2], [3], [2, 3]]);
    expect(components.map((c) => [...c].sort())).toEqual([
      [2, 3],
      [0, 1],
    ]);
    expect(componentOf[0]).toBe(componentOf[1]);
    expect(componentOf[2]).toBe(componentOf[3]);
  });

  it('handles a 200,000-node chain and a 200,000-node cycle without recursion', () => {
    const n = 200_000;
    const chain = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    expect(findStronglyConnectedComponents(chain).components).toHaveLength(n);
    const cycle = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
    expect(findStronglyConnectedComponents(cycle).components).toHaveLength(1);
  });
});
