/**
 * Trees in a `ModelArtifact`: the flat node arrays as typed buffers, checked on load so a
 * corrupt or hand-edited file fails with a clear error instead of looping or reading out of
 * bounds (children always have larger ids than their parent, so every walk ends).
 */
import { InvalidInputError, show } from "../../core/errors.js";
import type { Json } from "../../core/observe.js";
import type { ModelArtifact, TypedArray } from "../../estimator/types.js";
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

function corrupt(kind: string, what: string): never {
  throw new InvalidInputError(`${kind} model is corrupt: ${what}`, { path: kind, expected: "a model saved by Keel" });
}

function buffer<T extends TypedArray>(a: ModelArtifact, name: string, ctor: abstract new (...args: never[]) => T, length: number): T {
  const b = a.buffers[name];
  if (!(b instanceof ctor)) corrupt(a.kind, `buffer ${show(name)} is missing or of the wrong type`);
  if (length >= 0 && b.length !== length) corrupt(a.kind, `buffer ${show(name)} has ${b.length} entries, expected ${length}`);
  return b as T;
}

/** Read and check the node arrays of an artifact for `nFeatures` features with `nCats` categories each. */
export function treeFromArtifact(a: ModelArtifact, nFeatures: number, nCats: Int32Array, nOutputs: number): TreeArrays {
  const nodeCount = a.state.nodeCount as Json;
  if (typeof nodeCount !== "number" || !Number.isInteger(nodeCount) || nodeCount < 0) corrupt(a.kind, `nodeCount is ${show(nodeCount)}`);
  const t: TreeArrays = {
    nodeCount,
    nOutputs,
    feature: buffer(a, "feature", Int32Array, nodeCount),
    threshold: buffer(a, "threshold", Float64Array, nodeCount),
    left: buffer(a, "left", Int32Array, nodeCount),
    right: buffer(a, "right", Int32Array, nodeCount),
    missingLeft: buffer(a, "missingLeft", Uint8Array, nodeCount),
    catOffset: buffer(a, "catOffset", Int32Array, nodeCount),
    catBits: buffer(a, "catBits", Uint32Array, -1),
    impurity: buffer(a, "impurity", Float64Array, nodeCount),
    nSamples: buffer(a, "nSamples", Int32Array, nodeCount),
    weight: buffer(a, "weight", Float64Array, nodeCount),
    value: buffer(a, "value", Float64Array, nodeCount * nOutputs),
  };
  for (let i = 0; i < nodeCount; i++) {
    const l = t.left[i];
    const r = t.right[i];
    if (l < 0 && r < 0) continue;
    if (!(l > i && l < nodeCount && r > i && r < nodeCount)) corrupt(a.kind, `node ${i} has children ${l} and ${r}`);
    const f = t.feature[i];
    if (!(f >= 0 && f < nFeatures)) corrupt(a.kind, `node ${i} splits on feature ${f} of ${nFeatures}`);
    const co = t.catOffset[i];
    if (co >= 0 && (nCats[f] === 0 || co + Math.ceil(nCats[f] / 32) > t.catBits.length)) corrupt(a.kind, `node ${i} has a category bitset out of bounds`);
  }
  return t;
}
