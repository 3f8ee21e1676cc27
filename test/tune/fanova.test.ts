/**
 * The per-tree fANOVA (src/tune/fanova.ts) against a brute-force computation on small fixed
 * trees: every cell of the grid that all split thresholds make, the tree evaluated at its centre
 * and weighted by its volume; the marginal over S by summing cells that share their S-coordinates.
 */
import { describe, expect, it } from "vitest";
import { decomposeTree, type FanovaTree } from "../../src/tune/fanova.js";

interface Node {
  f: number;
  t?: number;
  l?: Node;
  r?: Node;
  v: number;
}
/** Flattens a nested tree into node arrays, placed after `pad` unused nodes (a forest's later tree). */
function flat(root: Node, pad = 0): FanovaTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < pad; i++) feature.push(-2), threshold.push(NaN), left.push(-1), right.push(-1), value.push(999);
  const add = (n: Node): number => {
    const id = feature.length;
    feature.push(n.f), threshold.push(n.t ?? NaN), left.push(-1), right.push(-1), value.push(n.v);
    if (n.f >= 0) {
      left[id] = add(n.l!);
      right[id] = add(n.r!);
    }
    return id;
  };
  const root0 = add(root);
  return { feature, threshold, left, right, value, root: root0 };
}

function predict(t: FanovaTree, x: number[]): number {
  let i = t.root;
  while (t.feature[i] >= 0) i = x[t.feature[i]] <= t.threshold[i] ? t.left[i] : t.right[i];
  return t.value[i];
}

function bruteForce(t: FanovaTree, low: number[], high: number[], groups: number[][]) {
  const p = low.length;
  const edges = low.map((lo, j) => {
    const s = new Set<number>([lo, high[j]]);
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i] === j) s.add(t.threshold[i]);
    return [...s].sort((a, b) => a - b);
  });
  const cells: { idx: number[]; w: number; v: number }[] = [];
  const idx = new Array(p).fill(0);
  const rec = (j: number) => {
    if (j === p) {
      let w = 1;
      const mid: number[] = [];
      for (let k = 0; k < p; k++) {
        const [a, b] = [edges[k][idx[k]], edges[k][idx[k] + 1]];
        w *= (b - a) / (high[k] - low[k]);
        mid.push((a + b) / 2);
      }
      cells.push({ idx: [...idx], w, v: predict(t, mid) });
      return;
    }
    for (let c = 0; c + 1 < edges[j].length; c++) {
      idx[j] = c;
      rec(j + 1);
    }
  };
  rec(0);
  const mean = cells.reduce((s, c) => s + c.w * c.v, 0);
  const variance = cells.reduce((s, c) => s + c.w * (c.v - mean) ** 2, 0);
  const marginal = groups.map((S) => {
    const by = new Map<string, { w: number; wv: number }>();
    for (const c of cells) {
      const key = S.map((j) => c.idx[j]).join(",");
      const e = by.get(key) ?? { w: 0, wv: 0 };
      e.w += c.w;
      e.wv += c.w * c.v;
      by.set(key, e);
    }
    let v = 0;
    for (const e of by.values()) v += e.w * (e.wv / e.w - mean) ** 2;
    return v;
  });
  return { mean, variance, marginal };
}

const leaf = (v: number): Node => ({ f: -1, v });
const split = (f: number, t: number, l: Node, r: Node): Node => ({ f, t, l, r, v: 0 });

describe("decomposeTree equals brute force over the grid of cells", () => {
  const low = [0, -2, 0, 0];
  const high = [1, 2, 1, 1];
  const groups = [[0], [1], [2, 3], [0, 1], [3]];
  const trees: [string, Node][] = [
    ["a single leaf", leaf(3)],
    ["one split", split(0, 0.3, leaf(1), leaf(4))],
    [
      "interacting splits, a feature split twice on one path",
      split(0, 0.5, split(1, -1, leaf(2), split(0, 0.2, leaf(-1), leaf(5))), split(1, 0.7, split(2, 0.5, leaf(0.5), leaf(3)), leaf(-2))),
    ],
    [
      "one-hot pair and deep right spine",
      split(2, 0.5, split(3, 0.5, leaf(1.5), leaf(-0.25)), split(1, 0.1, leaf(7), split(1, 1.3, split(0, 0.9, leaf(2), leaf(2.5)), split(3, 0.5, leaf(-3), leaf(11))))),
    ],
  ];
  for (const [label, root] of trees) {
    for (const pad of [0, 5]) {
      it(`${label}${pad ? " (rooted after other nodes)" : ""}`, () => {
        const t = flat(root, pad);
        const want = bruteForce(t, low, high, groups);
        const got = decomposeTree(t, low, high, groups);
        expect(Math.abs(got.mean - want.mean)).toBeLessThan(1e-12);
        expect(Math.abs(got.variance - want.variance)).toBeLessThan(1e-12);
        got.marginal.forEach((v, g) => expect(Math.abs(v - want.marginal[g]), `group ${groups[g]}`).toBeLessThan(1e-12));
        // and the ANOVA identity: a tree that splits on one column only is all main effect
        if (label === "one split") expect(got.marginal[0]).toBeCloseTo(got.variance, 12);
      });
    }
  }

  it("a tree whose splits do not interact has marginals summing to its variance", () => {
    // additive: f = g(x0) + h(x1), built as x0 split then the same x1 split on both sides
    const t = flat(split(0, 0.4, split(1, 0, leaf(1 + 10), leaf(1 + 20)), split(1, 0, leaf(5 + 10), leaf(5 + 20))));
    const d = decomposeTree(t, low, high, [[0], [1]]);
    expect(d.marginal[0] + d.marginal[1]).toBeCloseTo(d.variance, 12);
    expect(d.marginal[0]).toBeGreaterThan(0);
  });

  it("refuses an empty range, naming the column", () => {
    expect(() => decomposeTree(flat(leaf(1)), [0, 1], [1, 1], [[0]])).toThrow(/column 1's range \[1, 1\] is empty/);
  });
});
