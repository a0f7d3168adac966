/**
 * Strongly connected components of a graph given as successor lists over node ids
 * `0..n-1`, by Tarjan's algorithm with an explicit stack: import chains thousands of files
 * deep would overflow the call stack of the recursive form.
 *
 * Components come out in reverse topological order: every component after all the
 * components it reaches, so a Merkle digest can be computed in the same order in one pass.
 */
export function findStronglyConnectedComponents(successors: readonly (readonly number[])[]): {
  components: number[][];
  componentOf: Int32Array;
} {
  const n = successors.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const componentOf = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const components: number[][] = [];
  // Call frames: the node and how many of its successors it has visited.
  const frameNode: number[] = [];
  const frameEdge: number[] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    frameNode.push(root);
    frameEdge.push(0);
    while (frameNode.length > 0) {
      const top = frameNode.length - 1;
      const v = frameNode[top]!;
      const succ = successors[v]!;
      const e = frameEdge[top]!;
      if (e < succ.length) {
        frameEdge[top] = e + 1;
        const w = succ[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frameNode.push(w);
          frameEdge.push(0);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      frameNode.pop();
      frameEdge.pop();
      if (frameNode.length > 0) {
        const parent = frameNode[frameNode.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          componentOf[w] = components.length;
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
    }
  }
  return { components, componentOf };
}
