/**
 * `logistic`: logistic regression, as scikit-learn 1.2's `LogisticRegression`. Minimises
 *   Σᵢ sᵢ·ℓ(yᵢ, xᵢ·w + b) + (1−r)/(2C)·‖w‖² + r/C·‖w‖₁
 * (r = 1 for `penalty: "l1"`, r = 0 for `"l2"`, r = l1Ratio for `"elasticnet"`, no penalty for
 * `"none"`; intercepts are not penalised), with ℓ the binomial or multinomial log loss.
 * Solvers: `lbfgs` (L2/none; L-BFGS as SciPy's L-BFGS-B with sklearn's settings), `newton-cholesky`
 * (L2/none, binary or one-vs-rest) and `proximal-newton` (any penalty; newGLMNET-style, used for
 * L1 and elastic net where sklearn uses saga); `auto` picks lbfgs for L2/none, proximal-newton
 * otherwise. `multiClass` as sklearn 1.2: `auto` fits a multinomial (softmax) model for more than
 * two classes and one binary problem otherwise; `ovr` fits one binary problem per class.
 * Sample weights and `classWeight` (`"balanced"` or per-label weights) multiply the loss terms.
 */
import { z } from "zod";
import { checkClassWeight, classWeights, type ClassWeightParam, InvalidInputError, show, emit, observing, type Json, availableThreads } from "../../core/index.js";
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { defineEstimator, jsonParam, ArtifactReader, classTarget, modelSignature, type Classifier, type FitOptions, type ModelArtifact, type Signature, type Spec, argmaxRows, labelColumn, featureNames, numericFeatures, predictFeatures } from "../../estimator/index.js";
import { lbfgs } from "./lbfgs.js";
import { LogisticObjective, type LogisticProblem } from "./logistic-objective.js";
import { newtonCholesky, proximalNewton } from "./newton.js";

const KIND = "logistic";

/** A fitted logistic regression. `coef` is row-major (rows × features), one row per fitted problem. */
export interface FittedLogistic extends Classifier {
  /** Coefficients, row-major: 1 row for binary problems, K rows for ovr/multinomial with K > 2. */
  readonly coef: Float64Array;
  readonly intercept: Float64Array;
  /** Rows of `coef`. */
  readonly nCoefRows: number;
  /** Solver iterations (the largest over one-vs-rest problems). */
  readonly nIter: number;
  /** "ovr" or "multinomial", as resolved at fit. */
  readonly multiClass: "ovr" | "multinomial";
  /** Raw scores x·w + b, row-major rows × nCoefRows. */
  decisionFunction(data: Frame): Float64Array;
}

/**
 * Spec factory for "logistic": regularised logistic regression (L2, L1, elastic net or none; binary, one-vs-rest or multinomial), as scikit-learn's `LogisticRegression`.
 * @example
 * ```ts
 * const model = await autoPipeline(logistic({ C: 0.5, penalty: "l1" })).fit(frame, { target: "Status" });
 * ```
 */
export const logistic = defineEstimator<FittedLogistic>({
  kind: KIND,
  role: "classifier",
  doc: "Logistic regression (L2, L1, elastic net or none; binary, one-vs-rest or multinomial)",
  needsTarget: true,
  schema: {
    penalty: z.enum(["l2", "l1", "elasticnet", "none"]).default("l2").describe("regularisation"),
    C: z.number().gt(0).default(1).describe("inverse regularisation strength"),
    l1Ratio: z.number().min(0).max(1).nullable().default(null).describe("L1 share of the elastic-net penalty"),
    solver: z.enum(["auto", "lbfgs", "newton-cholesky", "proximal-newton"]).default("auto").describe("optimiser"),
    multiClass: z.enum(["auto", "ovr", "multinomial"]).default("auto").describe("multiclass scheme"),
    tol: z.number().min(0).default(1e-4).describe("stopping tolerance (gradient max-norm)"),
    maxIter: z.int().min(1).default(100).describe("iterations at most"),
    fitIntercept: z.boolean().default(true).describe("fit an intercept"),
    classWeight: jsonParam((v) => checkClassWeight(v)).nullable().default(null).describe('null, "balanced" or { label: weight }'),
  },
  checkParams(params) {
    const penalty = params.penalty as string;
    if (penalty === "elasticnet" && params.l1Ratio === null) return `penalty "elasticnet" needs l1Ratio (a number in [0, 1])`;
    if ((penalty === "l1" || penalty === "elasticnet") && (params.solver === "lbfgs" || params.solver === "newton-cholesky")) {
      return `solver ${show(params.solver)} supports penalty "l2" or "none", not ${show(penalty)}; use solver "proximal-newton" (or "auto")`;
    }
    if (params.solver === "newton-cholesky" && params.multiClass === "multinomial") return `solver "newton-cholesky" fits binary and one-vs-rest problems only; use multiClass "ovr" or solver "lbfgs"`;
    return null;
  },
  async fit(params, data, options, spec) {
    return fitLogistic(params, data, options, spec);
  },
  load(artifact, spec) {
    const r = new ArtifactReader(artifact);
    const classes = r.classes();
    const p = r.inputs().length;
    const rows = classes.length === 2 ? 1 : classes.length;
    const nCoefRows = r.integer("nCoefRows", rows, rows);
    const coef = r.finite("coef", r.f64("coef", nCoefRows * p));
    const intercept = r.finite("intercept", r.f64("intercept", nCoefRows));
    return new LogisticModel(spec, artifact.signature, classes, r.oneOf("multiClass", ["ovr", "multinomial"]), coef, intercept, nCoefRows, r.integer("nIter"));
  },
});

async function fitLogistic(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec<FittedLogistic>): Promise<FittedLogistic> {
  const target = options.target!;
  const names = featureNames(data, target);
  const X = numericFeatures(data, names, KIND);
  const { classes, y } = classTarget(data, target);
  const K = classes.length;
  if (K < 2) {
    throw new InvalidInputError(`${KIND}: target column ${show(target)} has one class only (${show(classes[0])}); there is nothing to learn`, {
      path: target,
      expected: "at least two classes",
      received: classes,
    });
  }
  const n = data.nRows;
  const p = names.length;
  const penalty = params.penalty as string;
  const C = params.C as number;
  const r = penalty === "l1" ? 1 : penalty === "elasticnet" ? (params.l1Ratio as number) : 0;
  const l2 = penalty === "none" ? 0 : (1 - r) / C;
  const l1 = penalty === "none" ? 0 : r / C;
  const solver = params.solver === "auto" ? (penalty === "l1" || penalty === "elasticnet" ? "proximal-newton" : "lbfgs") : (params.solver as string);
  const multiClass: "ovr" | "multinomial" = params.multiClass === "auto" ? (K > 2 && solver !== "newton-cholesky" ? "multinomial" : "ovr") : (params.multiClass as "ovr" | "multinomial");
  const tol = params.tol as number;
  const maxIter = params.maxIter as number;
  const fitIntercept = params.fitIntercept as boolean;
  const cwParam = params.classWeight as ClassWeightParam;
  const threads = options.threads ?? availableThreads();
  // per-row weights: sample weights times class weights (null when all are 1)
  let base: Float64Array | null = options.weights ? Float64Array.from(options.weights) : null;
  if (cwParam !== null && (multiClass === "multinomial" || typeof cwParam === "object")) {
    const cw = classWeights(cwParam, y, classes, undefined, KIND);
    base ??= new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) base[i] *= cw[y[i]];
  }

  const solve = async (problem: LogisticProblem, label: string): Promise<{ w: Float64Array; nIter: number }> => {
    const lossKey = label === "" ? "loss" : `loss_${label}`;
    const report = observing() ? (it: number, f: number) => emit({ type: "iteration", iteration: it, losses: { [lossKey]: f } }) : undefined;
    if (solver === "lbfgs") {
      const obj = new LogisticObjective(problem, threads);
      try {
        await obj.started();
        const res = lbfgs(obj.evaluate, new Float64Array(obj.dim), { gtol: tol, maxIter, onIteration: report });
        return { w: res.x, nIter: res.iterations };
      } finally {
        obj.close();
      }
    }
    const res = solver === "newton-cholesky" ? newtonCholesky(problem, { tol, maxIter, onIteration: report }) : proximalNewton(problem, { tol, maxIter, l1, onIteration: report });
    return { w: res.w, nIter: res.iterations };
  };

  let coef: Float64Array;
  let intercept: Float64Array;
  let nIter = 0;
  let rows: number;
  if (multiClass === "multinomial") {
    const yd = Float64Array.from(y);
    const { w, nIter: it } = await solve({ cols: X.columns, y: yd, sw: base, K, fitIntercept, l2 }, "");
    nIter = it;
    // K = 2 keeps the second class's row, as scikit-learn does
    const keep = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
    rows = keep.length;
    coef = new Float64Array(rows * p);
    intercept = new Float64Array(rows);
    keep.forEach((k, row) => {
      for (let j = 0; j < p; j++) coef[row * p + j] = w[k * (p + 1) + j];
      intercept[row] = fitIntercept ? w[k * (p + 1) + p] : 0;
    });
  } else {
    const positives = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
    rows = positives.length;
    coef = new Float64Array(rows * p);
    intercept = new Float64Array(rows);
    for (const [row, pos] of positives.entries()) {
      const yb = new Float64Array(n);
      for (let i = 0; i < n; i++) yb[i] = y[i] === pos ? 1 : 0;
      let sw: Float64Array | null = base;
      if (cwParam === "balanced") {
        // balanced weights of the masked problem: n / (2·count) for positives and the rest
        let npos = 0;
        for (let i = 0; i < n; i++) npos += yb[i];
        const wPos = npos > 0 ? n / (2 * npos) : 1;
        const wNeg = n - npos > 0 ? n / (2 * (n - npos)) : 1;
        sw = new Float64Array(n);
        for (let i = 0; i < n; i++) sw[i] = (base ? base[i] : 1) * (yb[i] === 1 ? wPos : wNeg);
      }
      const { w, nIter: it } = await solve({ cols: X.columns, y: yb, sw, K: 1, fitIntercept, l2 }, K === 2 ? "" : classes[pos]);
      nIter = Math.max(nIter, it);
      for (let j = 0; j < p; j++) coef[row * p + j] = w[j];
      intercept[row] = fitIntercept ? w[p] : 0;
    }
  }
  const signature = modelSignature(data, target, "classification", classes);
  return new LogisticModel(spec, signature, classes, multiClass, coef, intercept, rows, nIter);
}

class LogisticModel implements FittedLogistic {
  readonly task = "classification" as const;
  constructor(
    readonly spec: Spec<FittedLogistic>,
    readonly signature: Signature,
    readonly classes: readonly string[],
    readonly multiClass: "ovr" | "multinomial",
    readonly coef: Float64Array,
    readonly intercept: Float64Array,
    readonly nCoefRows: number,
    readonly nIter: number,
  ) {}

  private get target(): string {
    return (this.signature.output as { target: string }).target;
  }

  decisionFunction(data: Frame): Float64Array {
    const X = predictFeatures(this.signature.inputs, data, this.target, KIND);
    const n = data.nRows;
    const R = this.nCoefRows;
    const p = X.columns.length;
    const out = new Float64Array(n * R);
    for (let r = 0; r < R; r++) {
      const b = this.intercept[r];
      for (let i = 0; i < n; i++) out[i * R + r] = b;
      for (let j = 0; j < p; j++) {
        const c = X.columns[j];
        const wj = this.coef[r * p + j];
        for (let i = 0; i < n; i++) out[i * R + r] += wj * c[i];
      }
    }
    return out;
  }

  predictProba(data: Frame): Float64Array {
    const dec = this.decisionFunction(data);
    const n = data.nRows;
    const K = this.classes.length;
    const R = this.nCoefRows;
    const out = new Float64Array(n * K);
    if (R === 1) {
      for (let i = 0; i < n; i++) {
        // ovr: σ(d); multinomial with two classes: softmax(−d, d) = σ(2d)
        const z = this.multiClass === "ovr" ? dec[i] : 2 * dec[i];
        const p1 = sigmoid(z);
        out[i * 2] = 1 - p1;
        out[i * 2 + 1] = p1;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      const o = i * K;
      if (this.multiClass === "ovr") {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const v = sigmoid(dec[o + k]);
          out[o + k] = v;
          s += v;
        }
        for (let k = 0; k < K; k++) out[o + k] /= s;
      } else {
        let mx = -Infinity;
        for (let k = 0; k < K; k++) if (dec[o + k] > mx) mx = dec[o + k];
        let s = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(dec[o + k] - mx);
          out[o + k] = e;
          s += e;
        }
        for (let k = 0; k < K; k++) out[o + k] /= s;
      }
    }
    return out;
  }

  predict(data: Frame): CategoricalColumn {
    const dec = this.decisionFunction(data);
    const n = data.nRows;
    if (this.nCoefRows === 1) {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = dec[i] > 0 ? 1 : 0;
      return labelColumn(this.classes, codes);
    }
    return labelColumn(this.classes, argmaxRows(dec, n, this.nCoefRows));
  }

  save(): ModelArtifact {
    return {
      kind: KIND,
      params: { ...this.spec.params } as Record<string, Json>,
      signature: this.signature,
      state: { classes: [...this.classes], multiClass: this.multiClass, nIter: this.nIter, nCoefRows: this.nCoefRows },
      buffers: { coef: this.coef, intercept: this.intercept },
    };
  }
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
