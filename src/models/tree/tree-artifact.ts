/**
 * Trees in a `ModelArtifact`: the flat node arrays as typed buffers, checked on load so a
 * corrupt or hand-edited file fails with a clear error instead of looping or reading out of
 * bounds (children always have larger ids than their parent, so every walk ends).
 */
import { show } from "../../core/index.js";
import { ArtifactReader, type ModelArtifact, type TypedArray } from "../../estimator/index.js";
import type { TreeArrays } from "./tree-arrays.js";

export function treeBuffers(t: TreeArrays): Record<string, TypedArray> {
  return {
    feature: t.feature,
    threshold: t.threshold,
    left: t.left,
    right: t.right,
    missingLeft: t.missingLeft,
    catOffset: t.catOffset,
    catBits: t.catBits,
    impurity: t.impurity,
    nSamples: t.nSamples,
    weight: t.weight,
    value: t.value,
  };
}

/** A tree model's shape as saved: its features (the signature's inputs), their category counts, its nodes. */
export interface LoadedTrees {
  featureNames: string[];
  nCats: Int32Array;
  arrays: TreeArrays;
  /** First node of each tree (one tree: [0]). */
  roots: Int32Array;
}

/**
 * Read and check the trees of an artifact with `nOutputs` values per node: the features are the
 * signature's inputs, `nCats` their training category counts, every node array has `nodeCount`
 * entries, trees are consecutive node ranges starting at `roots` (`roots` buffer when
 * `withRoots`), every split's children lie after it inside its own tree (so every walk ends), on
 * a feature that exists, with a category bitset in bounds.
 */
export function treesFromArtifact(a: ModelArtifact, nOutputs: number, withRoots: boolean): LoadedTrees {
  const r = new ArtifactReader(a);
  const inputs = r.inputs();
  const p = inputs.length;
  const featureNames = r.strings("featureNames", p, true);
  r.sameAsInputs("featureNames", featureNames);
  const cats = r.numbers("nCats", p, { min: 0, max: 2 ** 31 - 1 });
  cats.forEach((k, j) => {
    const want = inputs[j].kind === "categorical" ? (inputs[j].categories?.length ?? -1) : 0;
    if (k !== want) throw r.corrupt(`state.nCats[${j}]`, k, `${want}, the categories of input ${show(inputs[j].name)}`);
  });
  const nCats = Int32Array.from(cats);
  // every node array has nodeCount entries: read it from the node arrays, then check the state's
  const nodeCount = r.integer("nodeCount", 1, r.i32("feature").length);
  const t: TreeArrays = {
    nodeCount,
    nOutputs,
    feature: r.i32("feature", nodeCount),
    threshold: r.f64("threshold", nodeCount),
    left: r.i32("left", nodeCount),
    right: r.i32("right", nodeCount),
    missingLeft: r.buffer("missingLeft", Uint8Array, nodeCount),
    catOffset: r.i32("catOffset", nodeCount),
    catBits: r.buffer("catBits", Uint32Array),
    impurity: r.f64("impurity", nodeCount),
    nSamples: r.i32("nSamples", nodeCount),
    weight: r.f64("weight", nodeCount),
    value: r.f64("value", nodeCount * nOutputs),
  };
  const roots = withRoots ? r.i32("roots") : Int32Array.of(0);
  if (roots.length < 1 || roots[0] !== 0) throw r.corrupt("buffers.roots[0]", roots[0], "0, the first tree's root");
  for (let k = 1; k < roots.length; k++) if (!(roots[k] > roots[k - 1] && roots[k] < nodeCount)) throw r.corrupt(`buffers.roots[${k}]`, roots[k], `a node after ${roots[k - 1]} and before ${nodeCount}`);
  // every node but a root is the child of exactly one split of its tree (no orphan, no sharing)
  const parents = new Uint8Array(nodeCount);
  for (let k = 0; k < roots.length; k++) {
    const end = k + 1 < roots.length ? roots[k + 1] : nodeCount;
    for (let i = roots[k]; i < end; i++) {
      const l = t.left[i];
      const rr = t.right[i];
      if (l === -1 && rr === -1) continue;
      if (!(l > i && l < end)) throw r.corrupt(`buffers.left[${i}]`, l, `-1 (a leaf) or a node of its tree after ${i} (before ${end})`);
      if (!(rr > i && rr < end)) throw r.corrupt(`buffers.right[${i}]`, rr, `-1 (a leaf) or a node of its tree after ${i} (before ${end})`);
      if (l === rr || parents[l]++ > 0 || parents[rr]++ > 0) throw r.corrupt(`buffers.left[${i}]`, l, "a node no other split has as a child");
      const f = t.feature[i];
      if (!(f >= 0 && f < p)) throw r.corrupt(`buffers.feature[${i}]`, f, `a feature from 0 to ${p - 1}`);
      const co = t.catOffset[i];
      if (co !== -1 && !(co >= 0 && nCats[f] > 0 && co + Math.ceil(nCats[f] / 32) <= t.catBits.length)) throw r.corrupt(`buffers.catOffset[${i}]`, co, `-1 or a category bitset inside catBits (${t.catBits.length} words)`);
    }
  }
  for (let k = 0, i = 0; i < nodeCount; i++) {
    const isRoot = k < roots.length && roots[k] === i;
    if (isRoot) k++;
    if (!isRoot && parents[i] !== 1) throw r.corrupt(`buffers.left`, `no split leading to node ${i}`, "every node but a root a child of one split");
  }
  return { featureNames, nCats, arrays: t, roots };
}
