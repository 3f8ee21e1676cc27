/**
 * The functional ANOVA of one regression tree over a box (Hutter, Hoos & Leyton-Brown, "An
 * Efficient Approach for Assessing Hyperparameter Importance", ICML 2014): with the inputs
 * uniform on the box, the tree's total variance V and, for a set S of input columns, the variance
 * V_S of its marginal a_S(x_S) = E[f(x) | x_S] (the other columns averaged out).
 *
 * A tree is constant on each leaf's box B_L (value v_L), so with m_L the leaf's share of the box,
 * f̄ = Σ m_L v_L and V = Σ m_L (v_L − f̄)². Writing d_L = (v_L − f̄) · Π_{j∉S} w_j(L), where w_j(L)
 * is the leaf's share of column j's range, a_S(x_S) − f̄ = Σ_L d_L 1[x_S ∈ B_L|S] because the
 * leaves' projections cover every x_S with total weight 1, hence
 * V_S = Σ_{L,L'} d_L d_L' Π_{j∈S} |B_L|_j ∩ B_L'|_j| / |range_j| — exact, with no grid of cells
 * (Optuna's `_FanovaTree` walks the grid of split midpoints; the two agree to rounding). Leaves
 * with the same projection on S are merged first, so the pairs are few.
 */
import { InvalidInputError } from "../core/index.js";

/** One regression tree as flat node arrays (Keel's `TreeArrays` fit): leaves have `feature < 0`; go left when x ≤ threshold. */
export interface FanovaTree {
  readonly feature: ArrayLike<number>;
  readonly threshold: ArrayLike<number>;
  /** Children as node indices in the same arrays (−1 for leaves). */
  readonly left: ArrayLike<number>;
  readonly right: ArrayLike<number>;
  /** The node's prediction (one output per node). */
  readonly value: ArrayLike<number>;
  /** The root's index (trees of a forest sit end to end). */
  readonly root: number;
}

/** One tree's decomposition: its mean and variance over the box, and V_S for each group of columns. */
export interface TreeDecomposition {
  mean: number;
  variance: number;
  /** V_S per group, in the order the groups were given (clipped at 0). */
  marginal: Float64Array;
}

/**
 * Decomposes one tree's variance over the box `low[j] ≤ x_j ≤ high[j]`: the total, and the
 * variance of the marginal over each group of columns (a one-hot encoded parameter is one group
 * of several columns).
 */
export function decomposeTree(tree: FanovaTree, low: ArrayLike<number>, high: ArrayLike<number>, groups: readonly (readonly number[])[]): TreeDecomposition {
  const p = low.length;
  const range = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    range[j] = high[j] - low[j];
    if (!(range[j] > 0)) throw new InvalidInputError(`fANOVA: column ${j}'s range [${low[j]}, ${high[j]}] is empty; expected low < high`, { path: `bounds.${j}`, received: [low[j], high[j]], expected: "low < high" });
  }
  // the leaves' boxes, row-major (leaf × column), by a depth-first walk narrowing the box
  const leafLo: number[] = [];
  const leafHi: number[] = [];
  const leafValue: number[] = [];
  const lo = Float64Array.from(low);
  const hi = Float64Array.from(high);
  const visit = (node: number): void => {
    const f = tree.feature[node];
    if (f < 0) {
      for (let j = 0; j < p; j++) {
        leafLo.push(lo[j]);
        leafHi.push(hi[j]);
      }
      leafValue.push(tree.value[node]);
      return;
    }
    if (f >= p) throw new InvalidInputError(`fANOVA: node ${node} splits on column ${f}, but the box has ${p} columns`, { path: "tree.feature", received: f, expected: `a column < ${p}` });
    const t = Math.min(Math.max(tree.threshold[node], lo[f]), hi[f]);
    const [l0, h0] = [lo[f], hi[f]];
    hi[f] = t;
    visit(tree.left[node]);
    hi[f] = h0;
    lo[f] = t;
    visit(tree.right[node]);
    lo[f] = l0;
  };
  visit(tree.root);

  const n = leafValue.length;
  const share = new Float64Array(n * p); // w_j(L)
  const mass = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    let m = 1;
    for (let j = 0; j < p; j++) {
      const w = (leafHi[i * p + j] - leafLo[i * p + j]) / range[j];
      share[i * p + j] = w;
      m *= w;
    }
    mass[i] = m;
    mean += m * leafValue[i];
  }
  let variance = 0;
  for (let i = 0; i < n; i++) variance += mass[i] * (leafValue[i] - mean) ** 2;

  const marginal = new Float64Array(groups.length);
  groups.forEach((cols, g) => {
    const inS = new Uint8Array(p);
    for (const j of cols) inS[j] = 1;
    // merge leaves with the same projection on S: weight d = (v − f̄) · Π_{j∉S} w_j
    const merged = new Map<string, { lo: number[]; hi: number[]; d: number }>();
    for (let i = 0; i < n; i++) {
      let rest = 1;
      for (let j = 0; j < p; j++) if (!inS[j]) rest *= share[i * p + j];
      if (rest === 0) continue;
      const bl = cols.map((j) => leafLo[i * p + j]);
      const bh = cols.map((j) => leafHi[i * p + j]);
      const key = `${bl.join(",")}|${bh.join(",")}`;
      const d = (leafValue[i] - mean) * rest;
      const e = merged.get(key);
      if (e) e.d += d;
      else merged.set(key, { lo: bl, hi: bh, d });
    }
    const boxes = [...merged.values()];
    let v = 0;
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a; b < boxes.length; b++) {
        let overlap = 1;
        for (let k = 0; k < cols.length && overlap > 0; k++) {
          const o = Math.min(boxes[a].hi[k], boxes[b].hi[k]) - Math.max(boxes[a].lo[k], boxes[b].lo[k]);
          overlap = o > 0 ? overlap * (o / range[cols[k]]) : 0;
        }
        if (overlap > 0) v += (a === b ? 1 : 2) * boxes[a].d * boxes[b].d * overlap;
      }
    }
    marginal[g] = Math.max(0, v);
  });
  return { mean, variance, marginal };
}
