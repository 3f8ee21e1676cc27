/**
 * Growing one tree, after scikit-learn's builders: depth-first (a stack, left child first) when
 * the number of leaves is free, best-first (a frontier ordered by impurity improvement) when
 * `maxLeafNodes` caps it. Stopping rules are scikit-learn's: max depth, min samples to split,
 * twice min samples per leaf, twice min weight per leaf, a pure node, and a split improving
 * less than `minImpurityDecrease`. Node ids come out in the same order as scikit-learn's.
 */
import { AbsoluteErrorCriterion } from "./absolute-error-criterion.js";
import { ClassificationCriterion } from "./classification-criterion.js";
import { type Criterion, EPSILON } from "./criterion.js";
import { Frontier } from "./frontier.js";
import type { RandomSource } from "./random-source.js";
import { type SplitRecord, Splitter, type SplitterData } from "./splitter.js";
import { SquaredErrorCriterion } from "./squared-error-criterion.js";
import { TreeBuffer, type TreeArrays } from "./tree-arrays.js";

export type CriterionName = "gini" | "entropy" | "log_loss" | "squared_error" | "absolute_error";

/** Growth settings with every default resolved to a number (see `resolveGrowSettings`). */
export interface GrowSettings {
  criterion: CriterionName;
  /** Infinity when unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minWeightLeaf: number;
  maxFeatures: number;
  /** 0 when unlimited (depth-first growth). */
  maxLeafNodes: number;
  minImpurityDecrease: number;
  /** Extra-trees' random thresholds instead of the best ones. */
  random: boolean;
}

/** The training data of one tree. */
export interface GrowData {
  n: number;
  p: number;
  X: Float64Array;
  /** Row-major ranks and per-feature (row, value) pairs by rank (see `presort`). */
  rank: Uint32Array;
  byRank: Float64Array;
  nonMissing: Int32Array;
  /** Per feature: rows on the lower of exactly two values, or −1 (see `presort`). */
  lowCount: Int32Array;
  nCats: Int32Array;
  /** Class index per row (classification), as doubles for the categorical ordering too. */
  yClass: Int32Array | null;
  nClasses: number;
  /** Regression target per row, or the class index as a double. */
  yValue: Float64Array;
}

function makeCriterion(data: GrowData, weight: Float64Array, name: CriterionName): Criterion {
  // target and weight side by side: one cache line per row in the scans
  const n = data.n;
  const yw = new Float64Array(2 * n);
  const y = data.yValue;
  for (let i = 0; i < n; i++) {
    yw[2 * i] = y[i];
    yw[2 * i + 1] = weight[i];
  }
  switch (name) {
    case "gini":
      return new ClassificationCriterion(yw, data.nClasses, false);
    case "entropy":
    case "log_loss":
      return new ClassificationCriterion(yw, data.nClasses, true);
    case "squared_error":
      return new SquaredErrorCriterion(yw);
    case "absolute_error":
      return new AbsoluteErrorCriterion(yw, n);
  }
}

/**
 * Grow a tree on the rows with positive `weight` (per-row weights: sample × class weight ×
 * bootstrap count). Randomness comes only from `rand`.
 */
export function growTree(data: GrowData, weight: Float64Array, settings: GrowSettings, rand: RandomSource): TreeArrays {
  const classification = data.yClass !== null;
  const nOutputs = classification ? data.nClasses : 1;
  const splitterData: SplitterData = {
    n: data.n,
    p: data.p,
    X: data.X,
    rank: data.rank,
    byRank: data.byRank,
    nonMissing: data.nonMissing,
    lowCount: data.lowCount,
    nCats: data.nCats,
    // mean-target ordering is optimal for two classes and for regression; more classes cut codes in order
    partitionCategorical: !classification || data.nClasses <= 2,
    target: data.yValue,
    weight,
  };
  const splitter = new Splitter(
    splitterData,
    { maxFeatures: settings.maxFeatures, minSamplesLeaf: settings.minSamplesLeaf, minWeightLeaf: settings.minWeightLeaf, random: settings.random },
    makeCriterion(data, weight, settings.criterion),
    rand,
  );
  const buf = new TreeBuffer(nOutputs);
  if (splitter.nSamples === 0) return buf.finish();
  return settings.maxLeafNodes > 0 ? bestFirst(splitter, buf, settings) : depthFirst(splitter, buf, settings);
}

function applySplit(buf: TreeBuffer, id: number, split: SplitRecord): void {
  let catOffset = -1;
  if (split.catBits) {
    catOffset = buf.allocCatWords(split.catBits.length);
    buf.catBits.set(split.catBits, catOffset);
  }
  buf.setSplit(id, split.feature, split.threshold, split.missingLeft, catOffset);
}

function depthFirst(sp: Splitter, buf: TreeBuffer, s: GrowSettings): TreeArrays {
  // stack of records: start, end, depth, parent, isLeft, nConstant (ints) and impurity
  const ints: number[] = [0, sp.nSamples, 0, -1, 0, 0];
  const imps: number[] = [Infinity];
  let first = true;
  while (imps.length > 0) {
    let impurity = imps.pop()!;
    const nConstant0 = ints.pop()!;
    const isLeft = ints.pop()! === 1;
    const parent = ints.pop()!;
    const depth = ints.pop()!;
    const end = ints.pop()!;
    const start = ints.pop()!;
    const nNode = end - start;
    const wNode = sp.nodeReset(start, end);
    let isLeaf = depth >= s.maxDepth || nNode < s.minSamplesSplit || nNode < 2 * s.minSamplesLeaf || wNode < 2 * s.minWeightLeaf;
    if (first) {
      impurity = sp.nodeImpurity();
      first = false;
    }
    isLeaf = isLeaf || impurity <= EPSILON;
    let split: SplitRecord | null = null;
    let nConstant = nConstant0;
    if (!isLeaf) {
      const r = sp.nodeSplit(start, end, impurity, wNode, nConstant0);
      split = r.split;
      nConstant = r.nConstant;
      isLeaf = split === null || split.improvement + EPSILON < s.minImpurityDecrease;
    }
    const id = buf.addNode(parent, isLeft, impurity, nNode, wNode);
    sp.nodeValue(buf.value, id * buf.nOutputs);
    if (!isLeaf && split) {
      applySplit(buf, id, split);
      ints.push(split.pos, end, depth + 1, id, 0, nConstant);
      imps.push(split.impurityRight);
      ints.push(start, split.pos, depth + 1, id, 1, nConstant);
      imps.push(split.impurityLeft);
    }
  }
  return buf.finish();
}

interface FrontierRecord {
  nodeId: number;
  start: number;
  end: number;
  pos: number;
  depth: number;
  isLeaf: boolean;
  impurityLeft: number;
  impurityRight: number;
  improvement: number;
}

function bestFirst(sp: Splitter, buf: TreeBuffer, s: GrowSettings): TreeArrays {
  const addSplitNode = (start: number, end: number, impurityIn: number, isFirst: boolean, isLeft: boolean, parent: number, depth: number): FrontierRecord => {
    const wNode = sp.nodeReset(start, end);
    const impurity = isFirst ? sp.nodeImpurity() : impurityIn;
    const nNode = end - start;
    let isLeaf = depth >= s.maxDepth || nNode < s.minSamplesSplit || nNode < 2 * s.minSamplesLeaf || wNode < 2 * s.minWeightLeaf || impurity <= EPSILON;
    let split: SplitRecord | null = null;
    if (!isLeaf) {
      // children are searched knowing no constant features (as scikit-learn's best-first builder)
      split = sp.nodeSplit(start, end, impurity, wNode, 0, false).split;
      isLeaf = split === null || split.improvement + EPSILON < s.minImpurityDecrease;
    }
    const id = buf.addNode(parent, isLeft, impurity, nNode, wNode);
    sp.nodeValue(buf.value, id * buf.nOutputs);
    if (!isLeaf && split) {
      applySplit(buf, id, split);
      return { nodeId: id, start, end, pos: split.pos, depth, isLeaf: false, impurityLeft: split.impurityLeft, impurityRight: split.impurityRight, improvement: split.improvement };
    }
    return { nodeId: id, start, end, pos: end, depth, isLeaf: true, impurityLeft: impurity, impurityRight: impurity, improvement: 0 };
  };
  const frontier = new Frontier<FrontierRecord>();
  frontier.push(addSplitNode(0, sp.nSamples, Infinity, true, false, -1, 0));
  let maxSplitNodes = s.maxLeafNodes - 1;
  while (frontier.size > 0) {
    const rec = frontier.pop();
    if (rec.isLeaf || maxSplitNodes <= 0) {
      buf.setLeaf(rec.nodeId);
      continue;
    }
    maxSplitNodes--;
    const left = addSplitNode(rec.start, rec.pos, rec.impurityLeft, false, true, rec.nodeId, rec.depth + 1);
    const right = addSplitNode(rec.pos, rec.end, rec.impurityRight, false, false, rec.nodeId, rec.depth + 1);
    frontier.push(left);
    frontier.push(right);
  }
  return buf.finish();
}
