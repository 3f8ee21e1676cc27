/**
 * `categorical-nb`: naive Bayes for categorical features, as scikit-learn's `CategoricalNB`. For
 * class c and feature j with m_j categories, P(x_j = t | c) = (N_cjt + α) / (N_c·j + α·m_j), with
 * N the (sample-weighted) counts; the class prior is the weighted class frequency (`fitPrior`),
 * uniform, or `classPrior`.
 *
 * Features are categorical columns (a category's code is its index in the training dictionary)
 * or numeric columns of non-negative integer codes (as scikit-learn takes them). m_j is the
 * number of training categories — for numeric codes, the largest code + 1 — or `minCategories`
 * when larger. A category never seen in training counts as a zero-count category (probability
 * α / (N_c·j + α·m_j)); a missing value leaves its feature out of that row's likelihood (and out
 * of the counts at fit).
 */
import { z } from "zod";
import { InvalidInputError, show, type Json } from "../../core/index.js";
import type { CategoricalColumn, Column, Frame } from "../../data/index.js";
import { defineEstimator, ArtifactReader, alignInput, classTarget, modelSignature, type Classifier, type ModelArtifact, type Signature, type Spec, argmaxRows, featureNames, labelColumn } from "../../estimator/index.js";
import { normaliseLogRows } from "./log-proba.js";

const KIND = "categorical-nb";

export interface FittedCategoricalNb extends Classifier {
  /** Categories per feature (m_j). */
  readonly nCategories: Int32Array;
  /** log P(x_j = t | c), per feature: row-major classes × m_j. */
  readonly featureLogProb: readonly Float64Array[];
  readonly classLogPrior: Float64Array;
}

/**
 * Spec factory for "categorical-nb": naive Bayes over categorical features with Lidstone smoothing, as scikit-learn's `CategoricalNB`.
 * @example
 * ```ts
 * const model = await categoricalNb({ alpha: 1 }).fit(frame, { target: "Status" });
 * ```
 */
export const categoricalNb = defineEstimator<FittedCategoricalNb>({
  kind: KIND,
  role: "classifier",
  doc: "Categorical naive Bayes (categorical features or integer codes)",
  needsTarget: true,
  schema: {
    alpha: z.number().min(0).default(1).describe("additive (Laplace/Lidstone) smoothing; values below 1e-10 act as 1e-10"),
    fitPrior: z.boolean().default(true).describe("learn class priors (else uniform)"),
    classPrior: z.array(z.number()).nullable().default(null).describe("class priors in class order"),
    minCategories: z.int().min(1).nullable().default(null).describe("categories per feature at least"),
  },
  async fit(params, data, options, spec) {
    const target = options.target!;
    const names = featureNames(data, target);
    const { classes, y } = classTarget(data, target);
    const K = classes.length;
    if (K < 2) {
      throw new InvalidInputError(`${KIND}: target column ${show(target)} has one class only (${show(classes[0])}); there is nothing to learn`, { path: target, expected: "at least two classes", received: classes });
    }
    const alpha = Math.max(params.alpha as number, 1e-10);
    const minCat = (params.minCategories as number | null) ?? 0;
    const n = data.nRows;
    const sw = options.weights ?? null;
    const codes = names.map((name) => categoryCodes(data.column(name), name, null));
    const nCategories = new Int32Array(names.length);
    names.forEach((name, j) => {
      const col = data.column(name);
      let m = col.kind === "categorical" ? col.categories.length : 0;
      for (let i = 0; i < n; i++) if (codes[j][i] + 1 > m) m = codes[j][i] + 1;
      nCategories[j] = Math.max(m, minCat);
    });
    const classCount = new Float64Array(K);
    for (let i = 0; i < n; i++) classCount[y[i]] += sw ? sw[i] : 1;
    const logTotal = new Float64Array(names.length * K);
    const featureLogProb = names.map((_, j) => {
      const m = nCategories[j];
      const cnt = new Float64Array(K * m);
      const c = codes[j];
      for (let i = 0; i < n; i++) if (c[i] >= 0) cnt[y[i] * m + c[i]] += sw ? sw[i] : 1;
      for (let k = 0; k < K; k++) {
        let total = 0;
        for (let t = 0; t < m; t++) total += cnt[k * m + t] + alpha;
        const lt = Math.log(total);
        logTotal[j * K + k] = lt;
        for (let t = 0; t < m; t++) cnt[k * m + t] = Math.log(cnt[k * m + t] + alpha) - lt;
      }
      return cnt;
    });
    const classLogPrior = new Float64Array(K);
    if (params.classPrior !== null) {
      const given = params.classPrior as number[];
      if (given.length !== K) {
        throw new InvalidInputError(`${KIND}: classPrior has ${given.length} values for ${K} classes ${show(classes)}`, { path: `${KIND}.classPrior`, expected: `${K} numbers`, received: given });
      }
      for (let k = 0; k < K; k++) classLogPrior[k] = Math.log(given[k]);
    } else if (params.fitPrior) {
      let total = 0;
      for (let k = 0; k < K; k++) total += classCount[k];
      for (let k = 0; k < K; k++) classLogPrior[k] = Math.log(classCount[k]) - Math.log(total);
    } else classLogPrior.fill(-Math.log(K));
    return new CategoricalNbModel(spec, modelSignature(data, target, "classification", classes), classes, nCategories, featureLogProb, classLogPrior, logTotal);
  },
  load(artifact, spec) {
    const r = new ArtifactReader(artifact);
    const classes = r.classes(true, 1);
    const K = classes.length;
    const inputs = r.inputs();
    const nCat = r.i32("nCategories", inputs.length);
    const flat = r.f64("featureLogProb");
    const parts: Float64Array[] = [];
    let o = 0;
    for (let j = 0; j < nCat.length; j++) {
      const want = inputs[j].kind === "categorical" ? (inputs[j].categories?.length ?? -1) : null;
      if (nCat[j] < 0 || (want !== null && nCat[j] !== want)) throw r.corrupt(`buffers.nCategories[${j}]`, nCat[j], want === null ? "a count ≥ 0" : `${want}, the categories of input ${inputs[j].name}`);
      if (K * nCat[j] > flat.length - o) throw r.corrupt("buffers.featureLogProb", `Float64Array(${flat.length})`, "classes × categories values per feature");
      parts.push(flat.subarray(o, o + K * nCat[j]));
      o += K * nCat[j];
    }
    if (o !== flat.length) throw r.corrupt("buffers.featureLogProb", `Float64Array(${flat.length})`, `${o} values (classes × categories per feature)`);
    const st = { classes };
    const b = { classLogPrior: r.f64("classLogPrior", K), logTotal: r.f64("logTotal", K * inputs.length) };
    return new CategoricalNbModel(spec, artifact.signature, st.classes, nCat, parts, b.classLogPrior as Float64Array, b.logTotal as Float64Array);
  },
});

/**
 * Per-row category codes of a feature (−1 for missing). Categorical: dictionary index. Numeric
 * and boolean: the value itself, which must be a non-negative integer.
 */
function categoryCodes(col: Column, name: string, limit: number | null): Int32Array {
  if (col.kind === "categorical") return col.codes;
  if (col.kind === "boolean") return Int32Array.from(col.values, (v) => (v === 255 ? -1 : v));
  if (col.kind === "numeric") {
    const out = new Int32Array(col.values.length);
    for (let i = 0; i < out.length; i++) {
      const v = col.values[i];
      if (v !== v) out[i] = -1;
      else if (v < 0 || !Number.isInteger(v) || v > 2 ** 31 - 2) {
        throw new InvalidInputError(`${KIND}: column ${show(name)} row ${i}: ${show(v)} is not a category code; numeric features must be non-negative integers (or make the column categorical)`, {
          path: `${name}[${i}]`,
          expected: "a non-negative integer",
          received: v,
        });
      } else out[i] = limit !== null && v >= limit ? limit : v;
    }
    return out;
  }
  throw new InvalidInputError(`${KIND}: column ${show(name)} is ${col.kind}; categorical naive Bayes takes categorical columns or integer codes`, {
    path: name,
    expected: "a categorical, boolean or integer column",
    received: col.kind,
  });
}

class CategoricalNbModel implements FittedCategoricalNb {
  readonly task = "classification" as const;
  constructor(
    readonly spec: Spec<FittedCategoricalNb>,
    readonly signature: Signature,
    readonly classes: readonly string[],
    readonly nCategories: Int32Array,
    readonly featureLogProb: readonly Float64Array[],
    readonly classLogPrior: Float64Array,
    /** log(N_c·j + α·m_j), row-major features × classes. */
    private readonly logTotal: Float64Array,
  ) {}

  /** Joint log-likelihood, row-major rows × classes. */
  jointLogLikelihood(data: Frame): Float64Array {
    const target = (this.signature.output as { target: string }).target;
    const aligned = alignInput(this.signature.inputs, data, { ignore: [target] });
    const n = data.nRows;
    const K = this.classes.length;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) out.set(this.classLogPrior, i * K);
    const alpha = Math.max(this.spec.params.alpha as number, 1e-10);
    this.signature.inputs.forEach((input, j) => {
      const m = this.nCategories[j];
      const flp = this.featureLogProb[j];
      // an unseen category has count 0: log(α / (N_c·j + α·m_j))
      const unseen = new Float64Array(K);
      for (let k = 0; k < K; k++) unseen[k] = Math.log(alpha) - this.logTotal[j * K + k];
      const codes = categoryCodes(aligned.column(input.name), input.name, m);
      for (let i = 0; i < n; i++) {
        const t = codes[i];
        if (t < 0) continue;
        if (t >= m) for (let k = 0; k < K; k++) out[i * K + k] += unseen[k];
        else for (let k = 0; k < K; k++) out[i * K + k] += flp[k * m + t];
      }
    });
    return out;
  }

  predictProba(data: Frame): Float64Array {
    return normaliseLogRows(this.jointLogLikelihood(data), data.nRows, this.classes.length);
  }

  predict(data: Frame): CategoricalColumn {
    return labelColumn(this.classes, argmaxRows(this.jointLogLikelihood(data), data.nRows, this.classes.length));
  }

  save(): ModelArtifact {
    let size = 0;
    for (const f of this.featureLogProb) size += f.length;
    const flat = new Float64Array(size);
    let o = 0;
    for (const f of this.featureLogProb) {
      flat.set(f, o);
      o += f.length;
    }
    return {
      kind: KIND,
      params: { ...this.spec.params } as Record<string, Json>,
      signature: this.signature,
      state: { classes: [...this.classes] },
      buffers: { nCategories: this.nCategories, featureLogProb: flat, classLogPrior: this.classLogPrior, logTotal: this.logTotal },
    };
  }
}
