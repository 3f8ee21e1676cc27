/**
 * A fitted tree (or a forest of them) as flat typed arrays, structure of arrays as in
 * scikit-learn's `Tree`: node `i` is described by entry `i` of every array. No per-node objects
 * exist once a tree is built; prediction walks these arrays.
 *
 * - `feature[i]`: the feature a split node tests, −1 for leaves.
 * - `threshold[i]`: go left when `x ≤ threshold` (numeric splits); NaN for leaves and
 *   categorical-partition splits.
 * - `left[i]`, `right[i]`: children (absolute node indices), −1 for leaves.
 * - `missingLeft[i]`: 1 when missing values (and categories the split never saw) go left.
 * - `catOffset[i]`: for categorical-partition splits, the first word in `catBits` of the bitset of
 *   category codes that go left (⌈categories / 32⌉ words); −1 otherwise.
 * - `impurity[i]`, `nSamples[i]` (distinct training rows), `weight[i]` (their total weight).
 * - `value[i * nOutputs + k]`: class proportions (classifiers, k < classes) or the node's
 *   prediction (regressors, one output) — kept for split nodes too, as scikit-learn does.
 */
export interface TreeArrays {
  nodeCount: number;
  nOutputs: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  catOffset: Int32Array;
  catBits: Uint32Array;
  impurity: Float64Array;
  nSamples: Int32Array;
  weight: Float64Array;
  value: Float64Array;
}

/** A growable `TreeArrays` used while a tree is built (capacity doubles as scikit-learn's does). */
export class TreeBuffer {
  nodeCount = 0;
  catWords = 0;
  readonly nOutputs: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  catOffset: Int32Array;
  catBits: Uint32Array;
  impurity: Float64Array;
  nSamples: Int32Array;
  weight: Float64Array;
  value: Float64Array;
  private capacity: number;

  constructor(nOutputs: number, capacity = 64) {
    this.nOutputs = nOutputs;
    this.capacity = capacity;
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.missingLeft = new Uint8Array(capacity);
    this.catOffset = new Int32Array(capacity);
    this.catBits = new Uint32Array(16);
    this.impurity = new Float64Array(capacity);
    this.nSamples = new Int32Array(capacity);
    this.weight = new Float64Array(capacity);
    this.value = new Float64Array(capacity * nOutputs);
  }

  /** Append a node (as a leaf; `setSplit` turns it into a split) and link it to its parent. */
  addNode(parent: number, isLeft: boolean, impurity: number, nSamples: number, weight: number): number {
    if (this.nodeCount === this.capacity) this.grow();
    const id = this.nodeCount++;
    this.feature[id] = -1;
    this.threshold[id] = NaN;
    this.left[id] = -1;
    this.right[id] = -1;
    this.missingLeft[id] = 0;
    this.catOffset[id] = -1;
    this.impurity[id] = impurity;
    this.nSamples[id] = nSamples;
    this.weight[id] = weight;
    if (parent >= 0) {
      if (isLeft) this.left[parent] = id;
      else this.right[parent] = id;
    }
    return id;
  }

  setSplit(id: number, feature: number, threshold: number, missingLeft: boolean, catOffset: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.missingLeft[id] = missingLeft ? 1 : 0;
    this.catOffset[id] = catOffset;
  }

  /** Make a node a leaf again (best-first growth when the leaf budget runs out). */
  setLeaf(id: number): void {
    this.feature[id] = -1;
    this.threshold[id] = NaN;
    this.left[id] = -1;
    this.right[id] = -1;
    this.missingLeft[id] = 0;
    this.catOffset[id] = -1;
  }

  /** Reserve `words` 32-bit words of category bitset; returns their offset. */
  allocCatWords(words: number): number {
    while (this.catWords + words > this.catBits.length) {
      const next = new Uint32Array(this.catBits.length * 2);
      next.set(this.catBits);
      this.catBits = next;
    }
    const at = this.catWords;
    this.catBits.fill(0, at, at + words);
    this.catWords += words;
    return at;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.feature = g(this.feature, cap);
    this.threshold = g(this.threshold, cap);
    this.left = g(this.left, cap);
    this.right = g(this.right, cap);
    this.missingLeft = g(this.missingLeft, cap);
    this.catOffset = g(this.catOffset, cap);
    this.impurity = g(this.impurity, cap);
    this.nSamples = g(this.nSamples, cap);
    this.weight = g(this.weight, cap);
    this.value = g(this.value, cap * this.nOutputs);
    this.capacity = cap;
  }

  /** The finished tree, trimmed to size. */
  finish(): TreeArrays {
    const n = this.nodeCount;
    return {
      nodeCount: n,
      nOutputs: this.nOutputs,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      missingLeft: this.missingLeft.slice(0, n),
      catOffset: this.catOffset.slice(0, n),
      catBits: this.catBits.slice(0, this.catWords),
      impurity: this.impurity.slice(0, n),
      nSamples: this.nSamples.slice(0, n),
      weight: this.weight.slice(0, n),
      value: this.value.slice(0, n * this.nOutputs),
    };
  }
}

/**
 * Trees laid end to end in one set of arrays (a forest). Child and bitset indices are rebased so
 * they stay absolute; `roots[t]` is tree t's first node.
 */
export function concatTrees(trees: readonly TreeArrays[], nOutputs: number): { arrays: TreeArrays; roots: Int32Array } {
  let nodes = 0;
  let words = 0;
  for (const t of trees) {
    nodes += t.nodeCount;
    words += t.catBits.length;
  }
  const out: TreeArrays = {
    nodeCount: nodes,
    nOutputs,
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    missingLeft: new Uint8Array(nodes),
    catOffset: new Int32Array(nodes),
    catBits: new Uint32Array(words),
    impurity: new Float64Array(nodes),
    nSamples: new Int32Array(nodes),
    weight: new Float64Array(nodes),
    value: new Float64Array(nodes * nOutputs),
  };
  const roots = new Int32Array(trees.length);
  let at = 0;
  let w = 0;
  trees.forEach((t, ti) => {
    roots[ti] = at;
    const m = t.nodeCount;
    out.feature.set(t.feature, at);
    out.threshold.set(t.threshold, at);
    out.missingLeft.set(t.missingLeft, at);
    out.impurity.set(t.impurity, at);
    out.nSamples.set(t.nSamples, at);
    out.weight.set(t.weight, at);
    out.value.set(t.value, at * nOutputs);
    out.catBits.set(t.catBits, w);
    for (let i = 0; i < m; i++) {
      out.left[at + i] = t.left[i] < 0 ? -1 : t.left[i] + at;
      out.right[at + i] = t.right[i] < 0 ? -1 : t.right[i] + at;
      out.catOffset[at + i] = t.catOffset[i] < 0 ? -1 : t.catOffset[i] + w;
    }
    at += m;
    w += t.catBits.length;
  });
  return { arrays: out, roots };
}

/** Depth of the tree rooted at `root` (a single leaf has depth 0). */
export function treeDepth(t: TreeArrays, root = 0): number {
  let max = 0;
  const stack: number[] = [root, 0];
  while (stack.length > 0) {
    const d = stack.pop()!;
    const node = stack.pop()!;
    if (d > max) max = d;
    if (t.left[node] >= 0) stack.push(t.left[node], d + 1, t.right[node], d + 1);
  }
  return max;
}

/** Number of leaves among nodes [from, to). */
export function countLeaves(t: TreeArrays, from = 0, to = t.nodeCount): number {
  let n = 0;
  for (let i = from; i < to; i++) if (t.left[i] < 0) n++;
  return n;
}
