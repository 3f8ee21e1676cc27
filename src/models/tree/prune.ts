/**
 * Minimal cost-complexity pruning (Breiman et al., "Classification and Regression Trees", 1984,
 * ch. 3.3): the cost of a subtree is R_α(T) = R(T) + α·|leaves(T)|, with R the weighted impurity
 * of the leaves. Repeatedly collapse the "weakest link", the internal node t with the smallest
 * g(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1), while g(t) ≤ α. The sequence of g values is the
 * pruning path. Ties and sums are taken in scikit-learn's order (lowest node id first), so the
 * alphas, impurities and pruned trees match `cost_complexity_pruning_path` and `ccp_alpha`.
 */
import { TreeBuffer, type TreeArrays } from "./tree-arrays.js";

export interface PruningPath {
  /** Effective alphas, ascending, starting at 0 (the full tree). */
  ccpAlphas: Float64Array;
  /** Total weighted leaf impurity of the subtree at each alpha. */
  impurities: Float64Array;
}

/**
 * Weakest-link pruning of the tree in `t` (root at node 0). `stop(alpha)` ends pruning before a
 * collapse at effective alpha `alpha`; `record` sees every (alpha, impurity) step, the full tree's
 * first. Returns the leaves of the pruned tree as a mask.
 */
function costComplexityPrune(t: TreeArrays, stop: (alpha: number) => boolean, record: (alpha: number, impurity: number) => void): Uint8Array {
  const n = t.nodeCount;
  const weight = t.weight;
  const total = weight[0];
  const rNode = new Float64Array(n);
  for (let i = 0; i < n; i++) rNode[i] = (weight[i] * t.impurity[i]) / total;
  const parent = new Int32Array(n);
  const leaves = new Uint8Array(n);
  const stack: number[] = [0, -1];
  while (stack.length > 0) {
    const par = stack.pop()!;
    const node = stack.pop()!;
    parent[node] = par;
    if (t.left[node] < 0) leaves[node] = 1;
    else stack.push(t.left[node], node, t.right[node], node);
  }
  const nLeaves = new Int32Array(n);
  const rBranch = new Float64Array(n);
  for (let leaf = 0; leaf < n; leaf++) {
    if (!leaves[leaf]) continue;
    rBranch[leaf] = rNode[leaf];
    const r = rNode[leaf];
    let i = leaf;
    while (i !== 0) {
      const p = parent[i];
      rBranch[p] += r;
      nLeaves[p] += 1;
      i = p;
    }
  }
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) candidate[i] = leaves[i] ? 0 : 1;
  const inSubtree = new Uint8Array(n).fill(1);
  record(0, rBranch[0]);
  while (candidate[0]) {
    let alpha = Number.MAX_VALUE;
    let pruned = -1;
    for (let i = 0; i < n; i++) {
      if (!candidate[i]) continue;
      const a = (rNode[i] - rBranch[i]) / (nLeaves[i] - 1);
      if (a < alpha) {
        alpha = a;
        pruned = i;
      }
    }
    if (stop(alpha) || pruned < 0) break;
    const st: number[] = [pruned];
    while (st.length > 0) {
      const node = st.pop()!;
      if (!inSubtree[node]) continue;
      candidate[node] = 0;
      leaves[node] = 0;
      inSubtree[node] = 0;
      if (t.left[node] >= 0) st.push(t.left[node], t.right[node]);
    }
    leaves[pruned] = 1;
    inSubtree[pruned] = 1;
    const removed = nLeaves[pruned] - 1;
    nLeaves[pruned] = 0;
    const diff = rNode[pruned] - rBranch[pruned];
    rBranch[pruned] = rNode[pruned];
    let up = parent[pruned];
    while (up !== -1) {
      nLeaves[up] -= removed;
      rBranch[up] += diff;
      up = parent[up];
    }
    record(alpha, rBranch[0]);
  }
  return leaves;
}

/** The pruning path of a fully grown tree (scikit-learn's `cost_complexity_pruning_path`). */
export function pruningPath(t: TreeArrays): PruningPath {
  const alphas: number[] = [];
  const imps: number[] = [];
  if (t.nodeCount > 0) {
    costComplexityPrune(t, () => false, (a, r) => {
      alphas.push(a);
      imps.push(r);
    });
  }
  return { ccpAlphas: Float64Array.from(alphas), impurities: Float64Array.from(imps) };
}

/**
 * The subtree for complexity `alpha`: the smallest subtree minimising R_α, i.e. every weakest link
 * with g(t) ≤ alpha collapsed. Node ids are renumbered depth-first, left child first. `nCats`
 * gives each feature's category count (the size of partition bitsets).
 */
export function pruneTree(t: TreeArrays, alpha: number, nCats: Int32Array): TreeArrays {
  if (t.nodeCount === 0 || !(alpha > 0)) return t;
  const leaves = costComplexityPrune(t, (a) => alpha < a, () => {});
  const k = t.nOutputs;
  const buf = new TreeBuffer(k, Math.max(1, t.nodeCount));
  const stack: number[] = [0, -1, 0];
  while (stack.length > 0) {
    const isLeft = stack.pop()! === 1;
    const par = stack.pop()!;
    const orig = stack.pop()!;
    const id = buf.addNode(par, isLeft, t.impurity[orig], t.nSamples[orig], t.weight[orig]);
    buf.value.set(t.value.subarray(orig * k, orig * k + k), id * k);
    if (!leaves[orig]) {
      let catOffset = -1;
      if (t.catOffset[orig] >= 0) {
        const words = Math.ceil(nCats[t.feature[orig]] / 32);
        catOffset = buf.allocCatWords(words);
        buf.catBits.set(t.catBits.subarray(t.catOffset[orig], t.catOffset[orig] + words), catOffset);
      }
      buf.setSplit(id, t.feature[orig], t.threshold[orig], t.missingLeft[orig] === 1, catOffset);
      stack.push(t.right[orig], id, 0, t.left[orig], id, 1);
    }
  }
  return buf.finish();
}
