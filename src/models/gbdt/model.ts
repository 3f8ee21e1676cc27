/**
 * Fitted gradient-boosting models: prediction (batch and single row), feature importance, the
 * training history, and saving to / loading from a `ModelArtifact` of flat typed buffers.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import type { Json } from "../../core/observe.js";
import { availableThreads } from "../../core/pool.js";
import { type CategoricalColumn, type ColumnKind, MISSING_BOOL } from "../../data/column.js";
import type { Frame } from "../../data/frame.js";
import { alignInput } from "../../estimator/input.js";
import { ArtifactReader } from "../../estimator/artifact-reader.js";
import type { Classifier, ModelArtifact, Regressor, Signature, SignatureColumn, Spec, TypedArray } from "../../estimator/types.js";
import type { TreeEnsembleView } from "../../estimator/tree-view.js";
import { type Binning, binRows } from "./binning.js";
import { type FeatureLayout, featureColumns } from "./features.js";
import type { Forest } from "./forest.js";
import { type LossSpec, LOSS_LOGISTIC, LOSS_POISSON, LOSS_SOFTMAX, applyLink, lossSpec } from "./losses.js";
import { type LossName, REGRESSION_LOSSES } from "./params.js";
import { type BatchForest, type FeatureMaps, batchForest, goesLeft, predictBinned, shareBatchForest } from "./predict.js";
import { PARALLEL_PREDICT_ROWS, predictParallel, sharedBins } from "./predict-pool.js";
import { type RowForest, rowForest, rowForestRaw } from "./row-forest.js";

/** Per-iteration losses of a fit (weighted means, scikit-learn's loss definitions). */
export interface GbdtHistory {
  train: Float64Array;
  /** Present when a validation set was scored (early stopping or `FitOptions.validation`). */
  valid: Float64Array | null;
}

export type ImportanceType = "gain" | "split";

/** A row for single-row prediction: values by column name, or in input-column order. */
export type RowInput = Readonly<Record<string, unknown>> | readonly unknown[];

/** Everything a fitted model is made of. */
export interface GbdtParts {
  layout: FeatureLayout;
  binning: Binning;
  forest: Forest;
  baseline: Float64Array;
  loss: LossSpec;
  history: GbdtHistory;
  /** Iterations run before early stopping truncated to the best one. */
  iterationsRun: number;
}

abstract class GbdtModel {
  readonly featureNames: readonly string[];
  readonly history: GbdtHistory;
  /** Boosting iterations kept in the model. */
  readonly nIterations: number;
  /** Boosting iterations run; more than `nIterations` when early stopping went back to the best one. */
  readonly iterationsRun: number;
  protected readonly maps: FeatureMaps;
  private batch: BatchForest | null = null;
  private sharedBatch: BatchForest | null = null;
  private rowTrees: RowForest | null = null;
  private readonly rowBuf: Float64Array;
  private readonly rowOut: Float64Array;
  private dicts: (Map<string, number> | null)[] | null = null;

  constructor(readonly spec: Spec, readonly signature: Signature, protected readonly parts: GbdtParts) {
    this.featureNames = parts.layout.names;
    this.history = parts.history;
    this.nIterations = parts.forest.nTrees / parts.forest.K;
    this.iterationsRun = parts.iterationsRun;
    const b = parts.binning;
    this.maps = { p: b.p, isCat: b.isCat, nBins: b.nBins, catOffsets: b.catOffsets, catToBin: b.catToBin };
    this.rowBuf = new Float64Array(b.p);
    this.rowOut = new Float64Array(parts.forest.K);
  }

  /**
   * Raw scores (rows × K, row-major): log-odds, softmax logits, log-mean (poisson) or values.
   * Batches of `PARALLEL_PREDICT_ROWS` rows or more use all cores (same results as one).
   */
  rawScores(data: Frame): Float64Array {
    const aligned = alignInput(this.signature.inputs, data, { ignore: [this.target] });
    const n = aligned.nRows;
    const p = this.parts.binning.p;
    const cols = featureColumns(aligned, this.parts.layout);
    this.batch ??= batchForest(this.parts.forest, this.parts.binning.nBins);
    // only large inputs ask for threads: availableThreads reads process.env, costly per one-row request
    const threads = n >= PARALLEL_PREDICT_ROWS ? availableThreads() : 1;
    if (threads > 1) {
      this.sharedBatch ??= shareBatchForest(this.batch);
      const bins = binRows(cols, this.parts.binning, sharedBins(n, p));
      // a copy in ordinary memory: callers should not be handed shared buffers
      return predictParallel(this.sharedBatch, bins, n, p, this.parts.baseline, threads).slice();
    }
    return predictBinned(this.batch, binRows(cols, this.parts.binning), n, p, this.parts.baseline);
  }

  /**
   * Total split gain (in units of the second-order objective) or number of splits per feature, in
   * `featureNames` order.
   */
  featureImportance(type: ImportanceType = "gain"): Float64Array {
    if (type !== "gain" && type !== "split") throw new InvalidInputError(`featureImportance: type ${show(type)} is not "gain" or "split"`, { path: "type", expected: `"gain" or "split"`, received: type });
    const t = this.parts.forest;
    const out = new Float64Array(this.featureNames.length);
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i];
      if (f >= 0) out[f] += type === "gain" ? t.gain[i] : 1;
    }
    return out;
  }

  /**
   * The trees as TreeSHAP reads them, for the rows of `data`: covers are the training rows that
   * reached each node (as SHAP's TreeExplainer takes scikit-learn's HistGradientBoosting counts);
   * outputs are raw scores (log-odds, softmax logits, log-mean or values).
   */
  treeView(data: Frame): TreeEnsembleView {
    const aligned = alignInput(this.signature.inputs, data, { ignore: [this.target] });
    const n = aligned.nRows;
    const { forest: t, layout, baseline, loss } = this.parts;
    const p = layout.names.length;
    const cols = featureColumns(aligned, layout);
    const X = new Float64Array(n * p);
    for (let f = 0; f < p; f++) {
      const c = cols[f];
      for (let r = 0; r < n; r++) X[r * p + f] = c.cat ? (c.codes[r] < 0 ? NaN : c.codes[r]) : c.values[r];
    }
    const maps = this.maps;
    const nodes = t.feature.length;
    this.batch ??= batchForest(t, this.parts.binning.nBins);
    const binned = { codes: binRows(cols, this.parts.binning), leftCodes: this.batch.bits };
    return {
      binned,
      featureNames: layout.names,
      nOutputs: t.K,
      nTrees: t.nTrees,
      treeRoot: t.treeRoot,
      treeOutput: Int32Array.from({ length: t.nTrees }, (_, i) => i % t.K),
      treeScale: 1,
      feature: t.feature,
      left: t.left,
      right: t.right,
      cover: t.count,
      value: t.value,
      valueStride: 1,
      base: baseline,
      link: loss.code === LOSS_LOGISTIC ? "logit" : loss.code === LOSS_SOFTMAX ? "softmax" : loss.code === LOSS_POISSON ? "log" : "identity",
      nRows: n,
      goesLeft(r: number, out: Uint8Array) {
        const ro = r * p;
        for (let i = 0; i < nodes; i++) {
          const f = t.feature[i];
          out[i] = f >= 0 && goesLeft(t, maps, X[ro + f], i) ? 1 : 0;
        }
      },
    };
  }

  /** Raw scores of one row (reused buffer: copy it if you keep it). */
  protected rawRow(row: RowInput): Float64Array {
    return this.rawEncoded(this.encodeRow(row));
  }

  /**
   * Raw scores of an encoded feature vector (length `featureNames.length`, each value as
   * `encodeFeature` gives it; reused buffer: copy it if you keep it).
   */
  rawEncoded(x: Float64Array): Float64Array {
    this.rowTrees ??= rowForest(this.parts.forest);
    return rowForestRaw(this.rowTrees, this.maps, x, this.parts.baseline, this.rowOut);
  }

  /**
   * Value `v` of feature `f` as single-row prediction encodes it (what `predictRow` does to each
   * value): numbers as they are, category labels as their codes (unseen ones as unseen), missing
   * as NaN. Throws INVALID_INPUT for a value the feature cannot take.
   */
  encodeFeature(f: number, v: unknown): number {
    this.dicts ??= this.signature.inputs.map((c) => (c.categories ? new Map(c.categories.map((l, i) => [l, i])) : null));
    return this.encodeValue(f, v);
  }

  /** One row as the model's feature vector (categories by label, unseen labels as unseen codes). */
  protected encodeRow(row: RowInput): Float64Array {
    const names = this.parts.layout.names;
    const x = this.rowBuf;
    const byIndex = Array.isArray(row);
    for (let f = 0; f < names.length; f++) {
      const v = byIndex ? (row as readonly unknown[])[f] : (row as Record<string, unknown>)[names[f]];
      x[f] = this.encodeFeature(f, v);
    }
    return x;
  }

  private encodeValue(f: number, v: unknown): number {
    if (v === null || v === undefined) return NaN;
    const layout = this.parts.layout;
    const kind: ColumnKind = layout.kinds[f];
    const nCats = layout.nCats[f];
    if (kind === "categorical") {
      const code = this.dicts![f]?.get(typeof v === "string" ? v : String(v));
      if (code === undefined) return layout.isCat[f] ? nCats : NaN;
      return code < nCats || layout.isCat[f] ? code : NaN;
    }
    let x: number;
    if (typeof v === "number") x = v;
    else if (typeof v === "boolean") x = v ? 1 : 0;
    else if (v instanceof Date) x = v.getTime();
    else if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) x = Number(v);
    else if (typeof v === "string" && kind === "datetime" && !Number.isNaN(Date.parse(v))) x = Date.parse(v);
    else if (kind === "boolean" && (v === "true" || v === "false")) x = v === "true" ? 1 : 0;
    else {
      throw new InvalidInputError(`column ${show(layout.names[f])}: ${show(v)} is not a number`, { path: layout.names[f], expected: `a ${kind} value`, received: v });
    }
    if (kind === "boolean" && x === MISSING_BOOL) return NaN;
    if (layout.isCat[f] && !(Number.isInteger(x) && x >= 0 && x < nCats)) return x !== x ? NaN : nCats;
    return x;
  }

  protected abstract get target(): string;

  save(): ModelArtifact {
    const { layout, binning: b, forest: t, baseline, loss, history } = this.parts;
    const buffers: Record<string, TypedArray> = {
      "feature.isCat": layout.isCat,
      "feature.nCats": layout.nCats,
      "feature.monotonic": layout.monotonic,
      "bins.count": b.nBins,
      "bins.edgeOffsets": b.edgeOffsets,
      "bins.edges": b.edges,
      "bins.catOffsets": b.catOffsets,
      "bins.catToBin": b.catToBin,
      baseline,
      "tree.root": t.treeRoot,
      "tree.feature": t.feature,
      "tree.threshold": t.threshold,
      "tree.bin": t.bin,
      "tree.left": t.left,
      "tree.right": t.right,
      "tree.value": t.value,
      "tree.defaultLeft": t.defaultLeft,
      "tree.catSet": t.catSet,
      "tree.catBits": t.catBits,
      "tree.gain": t.gain,
      "tree.count": t.count,
      "tree.hessian": t.hessian,
      "history.train": history.train,
    };
    if (history.valid) buffers["history.valid"] = history.valid;
    const state: Record<string, Json> = {
      featureNames: [...layout.names],
      featureKinds: [...layout.kinds],
      loss: loss.name,
      lossParam: loss.param,
      K: t.K,
      nTrees: t.nTrees,
      iterationsRun: this.parts.iterationsRun,
    };
    if (this instanceof GbdtClassifierModel) state.classes = [...this.classes];
    return { kind: this.spec.kind, params: JSON.parse(JSON.stringify(this.spec.params)), signature: this.signature, state, buffers };
  }
}

/**
 * A fitted gradient-boosted classifier (what `gbdtClassifier().fit` returns): probabilities, raw scores, feature importance and its trees.
 * @example
 * ```ts
 * const model = await gbdtClassifier().fit(frame, { target: "Status" });
 * const gain = model.featureImportance("gain");
 * ```
 */
export class GbdtClassifierModel extends GbdtModel implements Classifier {
  readonly task = "classification" as const;

  constructor(spec: Spec, signature: Signature, parts: GbdtParts, readonly classes: readonly string[]) {
    super(spec, signature, parts);
  }

  protected get target(): string {
    return this.signature.output.type === "classification" ? this.signature.output.target : "";
  }

  /** Class probabilities, rows × classes (row-major). */
  predictProba(data: Frame): Float64Array {
    const raw = this.rawScores(data);
    return applyLink(this.parts.loss, raw, data.nRows);
  }

  /** Raw scores, as scikit-learn's `decision_function`: log-odds (rows) for two classes, logits (rows × classes) for more. */
  decisionFunction(data: Frame): Float64Array {
    return this.rawScores(data);
  }

  /** The most probable class of each row. */
  predict(data: Frame): CategoricalColumn {
    const proba = this.predictProba(data);
    const K = this.classes.length;
    const n = proba.length / K;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      codes[i] = best;
    }
    return { kind: "categorical", codes, categories: this.classes };
  }

  /** Class probabilities of one row (a new array of length `classes.length`). */
  predictProbaRow(row: RowInput): Float64Array {
    return this.probaOfRaw(this.rawRow(row));
  }

  /** Class probabilities of one encoded feature vector (see `rawEncoded`; a new array). */
  predictProbaEncoded(x: Float64Array): Float64Array {
    return this.probaOfRaw(this.rawEncoded(x));
  }

  private probaOfRaw(raw: Float64Array): Float64Array {
    if (this.parts.loss.code === LOSS_LOGISTIC) {
      const p = 1 / (1 + Math.exp(-raw[0]));
      return Float64Array.of(1 - p, p);
    }
    return applyLink(this.parts.loss, Float64Array.from(raw), 1);
  }

  /** The most probable class of one row. */
  predictRow(row: RowInput): string {
    const raw = this.rawRow(row);
    if (this.parts.loss.code === LOSS_LOGISTIC) return this.classes[raw[0] > 0 ? 1 : 0];
    let best = 0;
    for (let k = 1; k < raw.length; k++) if (raw[k] > raw[best]) best = k;
    return this.classes[best];
  }
}

/**
 * A fitted gradient-boosted regressor (what `gbdtRegressor().fit` returns).
 * @example
 * ```ts
 * const model = await gbdtRegressor().fit(frame, { target: "price" });
 * const predicted = model.predict(frame);
 * ```
 */
export class GbdtRegressorModel extends GbdtModel implements Regressor {
  readonly task = "regression" as const;

  protected get target(): string {
    return this.signature.output.type === "regression" ? this.signature.output.target : "";
  }

  predict(data: Frame): Float64Array {
    const raw = this.rawScores(data);
    return this.parts.loss.code === LOSS_POISSON ? applyLink(this.parts.loss, raw, data.nRows) : raw;
  }

  /** The prediction for one row. */
  predictRow(row: RowInput): number {
    const raw = this.rawRow(row)[0];
    return this.parts.loss.code === LOSS_POISSON ? Math.exp(raw) : raw;
  }

  /** The prediction for one encoded feature vector (see `rawEncoded`). */
  predictEncoded(x: Float64Array): number {
    const raw = this.rawEncoded(x)[0];
    return this.parts.loss.code === LOSS_POISSON ? Math.exp(raw) : raw;
  }
}

/**
 * Rebuild a model's parts from its artifact (views into the artifact's buffers; no code runs).
 * Every field is checked against the model's shape: `p` features (the signature's inputs), `K`
 * scores per row (from the loss and the classes), `nTrees` trees of consecutive nodes.
 */
export function partsFromArtifact(a: ModelArtifact): { parts: GbdtParts; classes: string[] | null } {
  const r = new ArtifactReader(a);
  const classifier = a.kind === "gbdt-classifier";
  const classes = classifier ? r.classes(true, 2) : null;
  const inputs = r.inputs();
  const p = inputs.length;
  const names = r.strings("featureNames", p, true);
  r.sameAsInputs("featureNames", names);
  const kinds = r.strings("featureKinds", p) as ColumnKind[];
  kinds.forEach((k, f) => {
    if (k !== inputs[f].kind) throw r.corrupt(`state.featureKinds[${f}]`, k, `${show(inputs[f].kind)}, the kind of input ${show(inputs[f].name)}`);
  });
  const lossName = r.oneOf<LossName>("loss", classifier ? ["log_loss"] : REGRESSION_LOSSES);
  const lossParam = r.number("lossParam");
  const loss = lossSpec(lossName, classes ? classes.length : 1, lossParam, lossParam);
  const K = r.integer("K", loss.K, loss.K);
  const layout: FeatureLayout = {
    names,
    kinds,
    isCat: r.buffer("feature.isCat", Uint8Array, p),
    nCats: r.i32("feature.nCats", p),
    monotonic: r.buffer("feature.monotonic", Int8Array, p),
  };
  const binning: Binning = {
    p,
    nBins: r.i32("bins.count", p),
    isCat: layout.isCat,
    edgeOffsets: r.i32("bins.edgeOffsets", p + 1),
    edges: r.f64("bins.edges"),
    catOffsets: r.i32("bins.catOffsets", p + 1),
    catToBin: r.i32("bins.catToBin"),
  };
  checkFeatures(r, inputs, layout, binning);
  const nTrees = r.integer("nTrees", 0, r.i32("tree.root").length);
  const nodes = r.i32("tree.feature").length;
  const forest: Forest = {
    K,
    nTrees,
    treeRoot: r.i32("tree.root", nTrees),
    feature: r.i32("tree.feature", nodes),
    threshold: r.f64("tree.threshold", nodes),
    bin: r.buffer("tree.bin", Uint8Array, nodes),
    left: r.i32("tree.left", nodes),
    right: r.i32("tree.right", nodes),
    value: r.f64("tree.value", nodes),
    defaultLeft: r.buffer("tree.defaultLeft", Uint8Array, nodes),
    catSet: r.i32("tree.catSet", nodes),
    catBits: r.buffer("tree.catBits", Uint32Array),
    gain: r.f64("tree.gain", nodes),
    count: r.f64("tree.count", nodes),
    hessian: r.f64("tree.hessian", nodes),
  };
  if (nTrees % K !== 0) throw r.corrupt("state.nTrees", nTrees, `a multiple of K = ${K} (one tree per score per iteration)`);
  checkForest(forest, binning, a.kind);
  checkTreeNodes(r, forest);
  const iterationsRun = r.integer("iterationsRun", nTrees / K);
  const train = r.f64("history.train");
  if (train.length > iterationsRun) throw r.corrupt("buffers.history.train", `Float64Array(${train.length})`, `at most ${iterationsRun} losses, one per iteration run`);
  return {
    parts: {
      layout,
      binning,
      forest,
      baseline: r.f64("baseline", K),
      loss,
      history: { train, valid: r.optionalBuffer("history.valid", Float64Array, train.length) },
      iterationsRun,
    },
    classes,
  };
}

/** Feature layout and binning against the signature: category counts, bins, edges, category maps. */
function checkFeatures(r: ArtifactReader, inputs: readonly SignatureColumn[], layout: FeatureLayout, b: Binning): void {
  const mono = layout.monotonic;
  for (let f = 0; f < b.p; f++) {
    const isCat = layout.isCat[f];
    if (isCat > 1) throw r.corrupt(`buffers.feature.isCat[${f}]`, isCat, "0 or 1");
    if (mono[f] < -1 || mono[f] > 1 || (isCat && mono[f] !== 0)) throw r.corrupt(`buffers.feature.monotonic[${f}]`, mono[f], isCat ? "0 (a categorical feature)" : "-1, 0 or 1");
    const nCats = layout.nCats[f];
    const kind = inputs[f].kind;
    if (kind === "categorical" && nCats !== (inputs[f].categories?.length ?? -1)) throw r.corrupt(`buffers.feature.nCats[${f}]`, nCats, `${inputs[f].categories?.length}, the categories of input ${show(inputs[f].name)}`);
    if (nCats < 0) throw r.corrupt(`buffers.feature.nCats[${f}]`, nCats, "a count ≥ 0");
    if (isCat && kind === "text") throw r.corrupt(`buffers.feature.isCat[${f}]`, isCat, "0 (a text input)");
    const bins = b.nBins[f];
    if (!(bins >= 1 && bins <= 255)) throw r.corrupt(`buffers.bins.count[${f}]`, bins, "1 to 255 bins");
    const e0 = b.edgeOffsets[f];
    const e1 = b.edgeOffsets[f + 1];
    if (f === 0 && e0 !== 0) throw r.corrupt("buffers.bins.edgeOffsets[0]", e0, "0");
    const wantEdges = isCat ? 0 : bins - 1;
    if (e1 - e0 !== wantEdges) throw r.corrupt(`buffers.bins.edgeOffsets[${f + 1}]`, e1, `${e0 + wantEdges} (${wantEdges} edges of feature ${f})`);
    const c0 = b.catOffsets[f];
    const c1 = b.catOffsets[f + 1];
    if (f === 0 && c0 !== 0) throw r.corrupt("buffers.bins.catOffsets[0]", c0, "0");
    if (!(c1 >= c0 && c1 <= b.catToBin.length) || (!isCat && c1 !== c0)) throw r.corrupt(`buffers.bins.catOffsets[${f + 1}]`, c1, isCat ? `from ${c0} to ${b.catToBin.length}` : `${c0} (a numeric feature has no category map)`);
    for (let j = c0; j < c1; j++) if (!(b.catToBin[j] >= -1 && b.catToBin[j] < bins)) throw r.corrupt(`buffers.bins.catToBin[${j}]`, b.catToBin[j], `-1 or a bin below ${bins}`);
  }
  if (b.edgeOffsets[b.p] !== b.edges.length) throw r.corrupt(`buffers.bins.edgeOffsets[${b.p}]`, b.edgeOffsets[b.p], `${b.edges.length}, the number of edges`);
  if (b.catOffsets[b.p] !== b.catToBin.length) throw r.corrupt(`buffers.bins.catOffsets[${b.p}]`, b.catOffsets[b.p], `${b.catToBin.length}, the size of the category maps`);
}

/** Trees are consecutive node ranges from `treeRoot`; every node but a root is the child of one split of its tree. */
function checkTreeNodes(r: ArtifactReader, t: Forest): void {
  const nodes = t.feature.length;
  if (t.nTrees === 0 ? nodes !== 0 : t.treeRoot[0] !== 0) throw r.corrupt("buffers.tree.root[0]", t.treeRoot[0], "0, the first tree's root");
  if (t.catBits.length % 8 !== 0) throw r.corrupt("buffers.tree.catBits", `Uint32Array(${t.catBits.length})`, "8 words per category set");
  const parents = new Uint8Array(nodes);
  for (let k = 0; k < t.nTrees; k++) {
    const start = t.treeRoot[k];
    const end = k + 1 < t.nTrees ? t.treeRoot[k + 1] : nodes;
    if (!(end > start)) throw r.corrupt(`buffers.tree.root[${k + 1}]`, end, `a node after ${start}`);
    for (let i = start; i < end; i++) {
      if (t.feature[i] < 0) {
        if (t.feature[i] !== -1 || t.left[i] !== -1 || t.right[i] !== -1 || t.catSet[i] !== -1) throw r.corrupt(`buffers.tree.feature[${i}]`, t.feature[i], "-1 with children -1 (a leaf) or a feature");
        continue;
      }
      const l = t.left[i];
      const rr = t.right[i];
      if (!(l > i && l < end && rr > i && rr < end) || l === rr) throw r.corrupt(`buffers.tree.left[${i}]`, l, `children of node ${i} inside its tree (nodes ${i + 1} to ${end - 1})`);
      if (parents[l]++ > 0 || parents[rr]++ > 0) throw r.corrupt(`buffers.tree.left[${i}]`, l, "a node no other split has as a child");
    }
    for (let i = start + 1; i < end; i++) if (parents[i] !== 1) throw r.corrupt("buffers.tree.left", `no split leading to node ${i}`, "every node but a root a child of one split");
  }
}

/** Bounds checks so a corrupt or hostile artifact cannot send prediction out of its arrays. */
function checkForest(t: Forest, b: Binning, kind: string): void {
  const nodes = t.feature.length;
  const bad = (what: string) => {
    throw new InvalidInputError(`${kind} artifact is corrupt: ${what}`, { path: "tree" });
  };
  for (const arr of [t.threshold, t.bin, t.left, t.right, t.value, t.defaultLeft, t.catSet, t.gain, t.count, t.hessian]) if (arr.length !== nodes) bad("node arrays differ in length");
  if (t.treeRoot.length !== t.nTrees || t.nTrees % t.K !== 0) bad("tree count");
  for (let i = 0; i < t.nTrees; i++) if (!(t.treeRoot[i] >= 0 && t.treeRoot[i] < nodes)) bad(`tree ${i} has root ${t.treeRoot[i]}`);
  if (b.edgeOffsets.length !== b.p + 1 || b.edgeOffsets[b.p] !== b.edges.length) bad("bin edge offsets");
  if (b.catOffsets.length !== b.p + 1 || b.catOffsets[b.p] !== b.catToBin.length) bad("category offsets");
  const nSets = t.catBits.length / 8;
  for (let i = 0; i < nodes; i++) {
    const f = t.feature[i];
    if (f < 0) continue;
    if (f >= b.p) bad(`node ${i} splits on feature ${f}`);
    if (!(t.left[i] > i && t.left[i] < nodes && t.right[i] > i && t.right[i] < nodes)) bad(`node ${i} has children out of range`);
    if (t.catSet[i] >= nSets) bad(`node ${i} has category set ${t.catSet[i]}`);
    if (t.catSet[i] >= 0 && !b.isCat[f]) bad(`node ${i} is a category split on a numeric feature`);
  }
  for (let f = 0; f < b.p; f++) if (b.nBins[f] < 1 || b.nBins[f] > 255) bad(`feature ${f} has ${b.nBins[f]} bins`);
  for (let j = 0; j < b.catToBin.length; j++) if (b.catToBin[j] > 255) bad("category map");
}

