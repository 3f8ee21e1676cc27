/**
 * "target-encoder": each category becomes a shrunk mean of the target over the training rows of
 * that category, with inner cross-fitting on the training data, as scikit-learn 1.3's
 * `TargetEncoder` (multiclass as in 1.4: one output column per class, one-vs-rest).
 *
 * Encoding of category c (Micci-Barreca, "A preprocessing scheme for high-cardinality
 * categorical attributes in classification and prediction problems", SIGKDD Explor. 2001):
 * - `smooth` a number m:  enc(c) = (Σ_{i∈c} y_i + m·ȳ) / (n_c + m)
 * - `smooth: "auto"` (empirical Bayes): λ_c = n_c·σ² / (n_c·σ² + s²_c) with σ² the target's
 *   variance and s²_c = Σ_{i∈c}(y_i − ȳ_c)² / n_c the within-category variance;
 *   enc(c) = λ_c·ȳ_c + (1 − λ_c)·ȳ  (ȳ when λ_c is undefined: n_c = 0, or σ² = s²_c = 0).
 * Targets: "binary" (y = 1 for the second sorted class), "continuous", or "multiclass" (one
 * encoding per class of the indicator y = [class = k]); "auto" decides as sklearn's
 * `type_of_target` (numbers with a fraction → continuous; ≤ 2 distinct values → binary; else
 * multiclass).
 *
 * Training output (`fitTransform`, and every pipeline): rows are split into `cv` folds
 * (`StratifiedKFold` for binary / multiclass targets, `KFold` for continuous; shuffled with the
 * `seed` or the fit's `Rng` when `shuffle`), and each row is encoded with statistics (including
 * ȳ and σ²) from the other folds only, so a model fitted next cannot read a row's own target
 * from its features. `transform` (new data) uses the encoding fitted on all training rows.
 * Missing values seen at fit are a category of their own; unknown categories (and missing values
 * never seen at fit) encode as the training target mean. Output columns keep the input name
 * (binary, continuous) or are named `<col>_<class>` (multiclass).
 */
import { z } from "zod";
import { InvalidInputError, show, type Json, Rng } from "../core/index.js";
import type { Column, Frame } from "../data/index.js";
import { defineEstimator, classTarget, inputSignature, numericTarget, type FitOptions, type SignatureColumn, type Spec } from "../estimator/index.js";
import { MISSING, countLabels, indexLabels } from "./categories.js";
import { type ColumnPlan, ColumnwiseTransformer } from "./columnwise.js";
import { kFoldAssignment, stratifiedFoldAssignment } from "./cross-fit-folds.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";
import { setTrainingOutput } from "./training-output.js";

/** How `targetEncoder` reads the target. */
export type TargetType = "binary" | "continuous" | "multiclass";

interface EncodedColumn {
  name: string;
  labels: string[];
  /** Was a missing value a category at fit (index labels.length)? */
  missing: boolean;
  /** Encodings, dimension-major: enc[d * nCats + c]. */
  enc: Float64Array;
}

interface EncoderState {
  targetType: TargetType;
  /** Class labels (binary, multiclass), sorted; null for continuous. */
  classes: string[] | null;
  /** Target mean per output dimension (1, or one per class). */
  targetMean: Float64Array;
  columns: EncodedColumn[];
}

/** NumPy-style mean and population variance of y over the rows where `use[i]` (all rows if null). */
function meanVar(y: Float64Array, use: Uint8Array | null): { mean: number; variance: number } {
  let s = 0, n = 0;
  for (let i = 0; i < y.length; i++) if (!use || use[i]) { s += y[i]; n++; }
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < y.length; i++) if (!use || use[i]) { const d = y[i] - mean; q += d * d; }
  return { mean, variance: q / n };
}

/**
 * Encodings of `nCats` categories from rows where `use[i]` (all when null): `codes[i]` is the
 * row's category, `y` the target, `mean` / `variance` the target's over the same rows.
 * @example
 * ```ts
 * const enc = fitEncoding(Int32Array.of(0, 0, 1), 2, Float64Array.of(1, 0, 1), null, 2 / 3, 2 / 9, "auto");
 * ```
 */
export function fitEncoding(codes: Int32Array, nCats: number, y: Float64Array, use: Uint8Array | null, mean: number, variance: number, smooth: number | "auto"): Float64Array {
  const enc = new Float64Array(nCats);
  const n = codes.length;
  if (smooth !== "auto") {
    const sums = new Float64Array(nCats).fill(smooth * mean);
    const counts = new Float64Array(nCats).fill(smooth);
    for (let i = 0; i < n; i++) {
      if (use && !use[i]) continue;
      const c = codes[i];
      if (c < 0) continue;
      sums[c] += y[i];
      counts[c] += 1;
    }
    for (let c = 0; c < nCats; c++) enc[c] = counts[c] === 0 ? mean : sums[c] / counts[c];
    return enc;
  }
  const means = new Float64Array(nCats);
  const counts = new Float64Array(nCats);
  const ssd = new Float64Array(nCats);
  for (let i = 0; i < n; i++) {
    if (use && !use[i]) continue;
    const c = codes[i];
    if (c < 0) continue;
    counts[c] += 1;
    means[c] += y[i];
  }
  for (let c = 0; c < nCats; c++) means[c] /= counts[c];
  for (let i = 0; i < n; i++) {
    if (use && !use[i]) continue;
    const c = codes[i];
    if (c < 0) continue;
    const d = y[i] - means[c];
    ssd[c] += d * d;
  }
  for (let c = 0; c < nCats; c++) {
    const lambda = (variance * counts[c]) / (variance * counts[c] + ssd[c] / counts[c]);
    enc[c] = Number.isNaN(lambda) ? mean : lambda * means[c] + (1 - lambda) * mean;
  }
  return enc;
}

/** Target dimensions: one y vector per output column per input column. */
interface TargetData {
  type: TargetType;
  classes: string[] | null;
  /** Class index per row (binary, multiclass), for stratified folds. */
  classIndex: Int32Array | null;
  ys: Float64Array[];
}

function readTarget(kind: string, data: Frame, target: string, wanted: string): TargetData {
  const col = data.column(target);
  let type: TargetType;
  if (wanted !== "auto") type = wanted as TargetType;
  else if (col.kind === "numeric") {
    const v = numericTarget(data, target);
    let fractional = false;
    const distinct = new Set<number>();
    for (let i = 0; i < v.length; i++) {
      if (!Number.isInteger(v[i])) fractional = true;
      if (distinct.size <= 2) distinct.add(v[i]);
    }
    type = fractional ? "continuous" : distinct.size <= 2 ? "binary" : "multiclass";
  } else {
    const distinct = new Set<number>(classTarget(data, target).y);
    type = distinct.size <= 2 ? "binary" : "multiclass";
  }
  if (type === "continuous") {
    return { type, classes: null, classIndex: null, ys: [numericTarget(data, target)] };
  }
  const { classes, y } = classTarget(data, target);
  if (type === "binary") {
    if (classes.length > 2) {
      throw new InvalidInputError(`${kind}: targetType "binary" but target ${show(target)} has ${classes.length} classes`, { path: `${kind}.targetType`, expected: "a target with at most 2 classes", received: classes });
    }
    return { type, classes, classIndex: y, ys: [Float64Array.from(y)] };
  }
  const ys = classes.map((_, k) => {
    const out = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) out[i] = y[i] === k ? 1 : 0;
    return out;
  });
  return { type, classes, classIndex: y, ys };
}

/** Each row's category index at fit: labels, then missing as its own category. */
function fitCodes(col: Column, labels: string[], missing: boolean): Int32Array {
  const idx = indexLabels(col, labels);
  if (missing) for (let i = 0; i < idx.length; i++) if (idx[i] === MISSING) idx[i] = labels.length;
  return idx;
}

function outputNames(c: EncodedColumn, s: EncoderState): string[] {
  return s.targetType === "multiclass" ? s.classes!.map((k) => `${c.name}_${k}`) : [c.name];
}

function plan(c: EncodedColumn, s: EncoderState): ColumnPlan {
  const nCats = c.labels.length + (c.missing ? 1 : 0);
  const dims = s.targetMean.length;
  return {
    input: c.name,
    outputs: outputNames(c, s),
    apply(col: Column, n: number): Column[] {
      const idx = indexLabels(col, c.labels);
      const out: Column[] = [];
      for (let d = 0; d < dims; d++) {
        const v = new Float64Array(n);
        const mean = s.targetMean[d];
        const base = d * nCats;
        for (let i = 0; i < n; i++) {
          let k = idx[i];
          if (k === MISSING && c.missing) k = c.labels.length;
          v[i] = k >= 0 ? c.enc[base + k] : mean;
        }
        out.push({ kind: "numeric", values: v });
      }
      return out;
    },
  };
}

function build(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, s: EncoderState): ColumnwiseTransformer {
  const buffers: Record<string, Float64Array> = { targetMean: s.targetMean };
  s.columns.forEach((c, j) => (buffers[`enc${j}`] = c.enc));
  return new ColumnwiseTransformer(spec, {
    inputs,
    target,
    plans: s.columns.map((c) => plan(c, s)),
    state: { targetType: s.targetType, classes: s.classes, columns: s.columns.map((c) => ({ name: c.name, labels: c.labels, missing: c.missing })) },
    buffers,
  });
}

function fit(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec<ColumnwiseTransformer>): Promise<ColumnwiseTransformer> {
  const target = options.target!;
  const names = selectColumns(spec.kind, data, params, target, ["categorical"], ["categorical", "boolean", "numeric", "text"]);
  const t = readTarget(spec.kind, data, target, params.targetType as string);
  const smooth = params.smooth as number | "auto";
  const targetMean = Float64Array.from(t.ys, (y) => meanVar(y, null).mean);
  const variances = t.ys.map((y) => meanVar(y, null).variance);
  const codesOf: Int32Array[] = [];
  const columns = names.map((name): EncodedColumn => {
    const col = data.column(name);
    const lc = countLabels(col, name, spec.kind);
    const missing = lc.missing > 0;
    const nCats = lc.labels.length + (missing ? 1 : 0);
    const codes = fitCodes(col, lc.labels, missing);
    codesOf.push(codes);
    const enc = new Float64Array(nCats * t.ys.length);
    t.ys.forEach((y, d) => enc.set(fitEncoding(codes, nCats, y, null, targetMean[d], variances[d], smooth), d * nCats));
    return { name, labels: lc.labels, missing, enc };
  });
  const state: EncoderState = { targetType: t.type, classes: t.classes, targetMean, columns };
  const fitted = build(spec, inputSignature(data, target), target, state);

  // cross-fitted training output, computed when a pipeline asks for it
  const cv = params.cv as number;
  const shuffle = params.shuffle as boolean;
  const seed = params.seed as number | null;
  const foldRng = seed !== null ? new Rng(seed) : options.rng ? options.rng.fork() : new Rng(0);
  setTrainingOutput(fitted, () => {
    const n = data.nRows;
    const where = `${spec.kind}.cv`;
    const folds = t.type === "continuous" ? kFoldAssignment(n, cv, shuffle, foldRng, where) : stratifiedFoldAssignment(t.classIndex!, cv, shuffle, foldRng, where);
    const outs = columns.map(() => t.ys.map(() => new Float64Array(n)));
    const use = new Uint8Array(n);
    for (let f = 0; f < cv; f++) {
      for (let i = 0; i < n; i++) use[i] = folds[i] === f ? 0 : 1;
      t.ys.forEach((y, d) => {
        const { mean, variance } = meanVar(y, use);
        columns.forEach((c, j) => {
          const nCats = c.labels.length + (c.missing ? 1 : 0);
          const enc = fitEncoding(codesOf[j], nCats, y, use, mean, variance, smooth);
          const out = outs[j][d];
          const codes = codesOf[j];
          for (let i = 0; i < n; i++) if (!use[i]) out[i] = enc[codes[i]];
        });
      });
    }
    const overrides = new Map<string, Column[]>(columns.map((c, j) => [c.name, outs[j].map((values) => ({ kind: "numeric" as const, values }))]));
    return fitted.transformWith(data, overrides);
  });
  return Promise.resolve(fitted);
}

/**
 * Spec factory for "target-encoder" (see the module comment).
 * @example
 * ```ts
 * const { output } = await fitTransform(targetEncoder({ cv: 5, seed: 0 }), frame, { target: "Status" });
 * ```
 */
export const targetEncoder = defineEstimator<ColumnwiseTransformer>({
  kind: "target-encoder",
  role: "transformer",
  needsTarget: true,
  doc: "Encode categories by a shrunk target mean, cross-fitted on the training rows (sklearn 1.3 TargetEncoder)",
  schema: {
    targetType: z.enum(["auto", "binary", "continuous", "multiclass"]).default("auto").describe("how to read the target"),
    smooth: z.union([z.number().min(0), z.enum(["auto"])]).default("auto").describe("shrinkage m toward the target mean, or \"auto\" (empirical Bayes)"),
    cv: z.int().min(2).default(5).describe("folds for cross-fitting the training output"),
    shuffle: z.boolean().default(true).describe("shuffle rows before assigning folds"),
    seed: z.int().nullable().default(null).describe("seed for the fold shuffle (null: the fit's Rng)"),
    ...selectionParams("categorical"),
  },
  fit,
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const targetType = r.string("targetType") as TargetType;
    if (!["binary", "continuous", "multiclass"].includes(targetType)) throw r.corrupt("state.targetType", targetType, "binary, continuous or multiclass");
    const classesRaw = r.json("classes");
    const classes = classesRaw === null ? null : r.strings("classes");
    const dims = targetType === "multiclass" ? classes?.length ?? -1 : 1;
    if (targetType !== "continuous" && classes === null) throw r.corrupt("state.classes", classesRaw, "a list of class labels");
    const targetMean = r.f64("targetMean", dims);
    const raw = r.json("columns");
    if (!Array.isArray(raw)) throw r.corrupt("state.columns", raw, "a list of encoded columns");
    const columns = raw.map((x, j): EncodedColumn => {
      const c = x as { name?: unknown; labels?: unknown; missing?: unknown };
      if (!c || typeof c.name !== "string" || !Array.isArray(c.labels) || !c.labels.every((l) => typeof l === "string") || typeof c.missing !== "boolean") {
        throw r.corrupt(`state.columns[${j}]`, x, "an encoded column { name, labels, missing }");
      }
      const labels = c.labels as string[];
      const nCats = labels.length + (c.missing ? 1 : 0);
      return { name: c.name, labels, missing: c.missing, enc: r.f64(`enc${j}`, nCats * dims) };
    });
    r.checkColumnsIn("columns", columns.map((c) => c.name), inputs);
    return build(spec, inputs, r.stringOrNull("target"), { targetType, classes, targetMean, columns });
  },
});
