/**
 * A trained ensemble as flat typed arrays — no per-node objects — in the shape it is saved and
 * predicted from. Trees are stored iteration-major (iteration i, class k is tree i·K + k); nodes
 * of all trees share one set of arrays and `treeRoot` gives each tree's first node. Leaves have
 * feature −1. Numeric splits send x ≤ threshold left (NaN follows `defaultLeft`); categorical
 * splits send a value left when the bit of its bin is set in its 256-bit set in `catBits`.
 */
import type { Binning } from "./binning.js";
import type { GrownTree } from "./grow.js";
import { BITSET_WORDS } from "./split.js";

export interface Forest {
  /** Raw scores per row: trees per iteration. */
  K: number;
  nTrees: number;
  treeRoot: Int32Array;
  feature: Int32Array;
  /** Numeric splits: raw threshold (x ≤ it goes left); +∞ sends every non-missing value left. */
  threshold: Float64Array;
  /** Numeric splits: the same threshold as a training bin. */
  bin: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf values (shrunk by the learning rate); internal nodes hold their own shrunk value. */
  value: Float64Array;
  defaultLeft: Uint8Array;
  /** Categorical splits: index of their bin set in `catBits` (−1 for numeric splits and leaves). */
  catSet: Int32Array;
  catBits: Uint32Array;
  gain: Float64Array;
  /** Training rows reaching the node. */
  count: Float64Array;
  /** Hessian sum at the node (the "cover" of TreeSHAP). */
  hessian: Float64Array;
}

/** Collects grown trees into the flat arrays. */
export class ForestBuilder {
  private readonly treeRoot: number[] = [];
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly bin: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];
  private readonly defaultLeft: number[] = [];
  private readonly catSet: number[] = [];
  private readonly catBits: number[] = [];
  private readonly gain: number[] = [];
  private readonly count: number[] = [];
  private readonly hessian: number[] = [];
  private readonly catSetsPerTree: number[] = [];

  constructor(readonly K: number, private readonly binning: Binning) {}

  get nTrees(): number {
    return this.treeRoot.length;
  }

  /** Append a grown tree; `scale` (the learning rate) multiplies its values. */
  append(t: GrownTree, scale: number): void {
    const base = this.feature.length;
    this.treeRoot.push(base);
    let sets = 0;
    const b = this.binning;
    for (let i = 0; i < t.size; i++) {
      const f = t.feature[i];
      this.feature.push(f);
      this.value.push(t.value[i] * scale);
      this.gain.push(t.gain[i]);
      this.count.push(t.count[i]);
      this.hessian.push(t.hessian[i]);
      this.left.push(f < 0 ? -1 : base + t.left[i]);
      this.right.push(f < 0 ? -1 : base + t.right[i]);
      this.defaultLeft.push(t.defaultLeft[i]);
      this.bin.push(t.bin[i]);
      if (f >= 0 && t.isCat[i]) {
        this.catSet.push(this.catBits.length / BITSET_WORDS);
        for (let w = 0; w < BITSET_WORDS; w++) this.catBits.push(t.bits[i * BITSET_WORDS + w]);
        this.threshold.push(NaN);
        sets++;
      } else {
        this.catSet.push(-1);
        if (f < 0) this.threshold.push(NaN);
        else {
          const nEdges = b.edgeOffsets[f + 1] - b.edgeOffsets[f];
          this.threshold.push(t.bin[i] < nEdges ? b.edges[b.edgeOffsets[f] + t.bin[i]] : Infinity);
        }
      }
    }
    this.catSetsPerTree.push(sets);
  }

  /** Set the value of node `node` (tree-local id) of the last tree to `v` (already shrunk). */
  setLastLeaf(node: number, v: number): void {
    this.value[this.treeRoot[this.treeRoot.length - 1] + node] = v;
  }

  /** Keep only the first `nTrees` trees. */
  truncate(nTrees: number): void {
    if (nTrees >= this.treeRoot.length) return;
    const nodes = this.treeRoot[nTrees];
    let sets = 0;
    for (let t = 0; t < nTrees; t++) sets += this.catSetsPerTree[t];
    this.treeRoot.length = nTrees;
    this.catSetsPerTree.length = nTrees;
    for (const a of [this.feature, this.threshold, this.bin, this.left, this.right, this.value, this.defaultLeft, this.catSet, this.gain, this.count, this.hessian]) a.length = nodes;
    this.catBits.length = sets * BITSET_WORDS;
  }

  build(): Forest {
    return {
      K: this.K,
      nTrees: this.treeRoot.length,
      treeRoot: Int32Array.from(this.treeRoot),
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      bin: Uint8Array.from(this.bin),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      catSet: Int32Array.from(this.catSet),
      catBits: Uint32Array.from(this.catBits),
      gain: Float64Array.from(this.gain),
      count: Float64Array.from(this.count),
      hessian: Float64Array.from(this.hessian),
    };
  }
}
