/**
 * A fitted tree ensemble as explanation methods read it (TreeSHAP in `explain/`): flat node
 * arrays, each node's cover (the training weight that reached it), and each row's way at every
 * split — without exposing a model's own routing rules (thresholds, category sets, missing values).
 * Models with trees offer it through `treeView(data)`.
 */
import type { Frame } from "../data/index.js";

/** A fitted tree model's nodes as flat arrays, the one shape TreeSHAP and tree statistics read. */
export interface TreeEnsembleView {
  /** The model's input features, in the order `goesLeft` and attributions use. */
  readonly featureNames: readonly string[];
  /** Raw outputs per row (1, or K raw scores / class values). */
  readonly nOutputs: number;
  readonly nTrees: number;
  readonly treeRoot: Int32Array;
  /** The output each tree adds to: GBDT tree i·K + k adds to k; −1: every output, from `value` (K values per node). */
  readonly treeOutput: Int32Array;
  /** Multiplies every tree's value (1 for boosting, 1/trees for an averaging forest). */
  readonly treeScale: number;
  /** Split feature per node, −1 for leaves. */
  readonly feature: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Training weight (or rows) reaching each node; children's covers add up to their parent's. */
  readonly cover: Float64Array;
  /** Per node: one value (`treeOutput[t] ≥ 0`) or `nOutputs` values (`treeOutput[t] = −1`). */
  readonly value: Float64Array;
  readonly valueStride: number;
  /** Added to every row's raw output before the trees (a boosting baseline; zeros otherwise). */
  readonly base: Float64Array;
  /** From raw output to prediction: what an attribution in raw space adds up to. */
  readonly link: "identity" | "logit" | "softmax" | "log";
  /** Rows of the data the view was made for. */
  readonly nRows: number;
  /** Fill `out[node]` (for every node of every tree) with 1 where row `r` goes left, 0 where it goes right. */
  goesLeft(r: number, out: Uint8Array): void;
  /**
   * Optional, the same routing as `goesLeft` in a form a tight loop reads without a call per node
   * (a GBDT's bins): each row's features as codes 0 … 255 (`codes`, row-major, nRows ×
   * featureNames.length), and per node a 256-bit set (words node·8 … node·8 + 7 of `leftCodes`)
   * of the codes of its split feature that go left.
   */
  readonly binned?: { readonly codes: Uint8Array; readonly leftCodes: Uint32Array };
}

/** A model that can show its trees. */
export interface HasTreeView {
  treeView(data: Frame): TreeEnsembleView;
}

/**
 * True when a fitted model exposes its trees (`treeView()`): trees, forests, GBDT.
 * @example
 * ```ts
 * if (hasTreeView(model)) console.log(model.treeView(frame).nTrees);
 * ```
 */
export function hasTreeView(m: unknown): m is HasTreeView {
  return typeof (m as HasTreeView | null)?.treeView === "function";
}
