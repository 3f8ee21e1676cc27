/**
 * ROC curve and the area under it (Fawcett, "An introduction to ROC analysis", 2006), as
 * scikit-learn 1.2 computes them: the curve from the distinct scores, largest first, with an
 * extra first point (0, 0) at threshold max + 1; the area by the trapezoidal rule (ties in score
 * count as half, as in the Mann–Whitney statistic). Multiclass: one-vs-rest (Provost & Domingos
 * 2000), averaged without weights (macro), by class support (weighted), or over all flattened
 * class indicators (micro).
 */
import { InvalidInputError, show } from "../core/index.js";
import { type BinaryInput, binaryCurve, binaryInput, sortByScore } from "./binary-curve.js";
import { type Numbers, type WeightOption, classCodes, columnsOf, weightsOf } from "./check.js";

/** Options of `rocCurve`. */
export interface RocCurveOptions extends WeightOption {
  /** Class code of the positive class (default 1; then codes must be 0/1). */
  posLabel?: number;
  /** Drop points that are collinear with their neighbours (default true, as scikit-learn). */
  dropIntermediate?: boolean;
}

/** False and true positive rates at each threshold, from the highest score down. */
export interface RocCurve {
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  /** Decreasing thresholds; the first is the largest score + 1 (scikit-learn 1.2's convention). */
  readonly thresholds: Float64Array;
}

/**
 * ROC curve points of binary scores. Without positives (negatives) in `yTrue`, every TPR (FPR)
 * is NaN, as scikit-learn returns with its warning.
 * @example
 * ```ts
 * const { fpr, tpr, thresholds } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * ```
 */
export function rocCurve(yTrue: Numbers, score: Numbers, options: RocCurveOptions = {}): RocCurve {
  return rocFromInput(binaryInput(yTrue, score, options.sampleWeight, options.posLabel), options.dropIntermediate ?? true);
}

function rocFromInput(input: BinaryInput, dropIntermediate: boolean): RocCurve {
  let { fps, tps, thresholds } = binaryCurve(input);
  const m = fps.length;
  if (dropIntermediate && m > 2) {
    // keep the ends and every point where the curve bends (a non-zero second difference)
    const keep = new Uint8Array(m);
    keep[0] = 1;
    keep[m - 1] = 1;
    for (let j = 0; j + 2 < m; j++) {
      const f2 = fps[j + 2] - fps[j + 1] - (fps[j + 1] - fps[j]);
      const t2 = tps[j + 2] - tps[j + 1] - (tps[j + 1] - tps[j]);
      if (f2 !== 0 || t2 !== 0) keep[j + 1] = 1;
    }
    let c = 0;
    for (let j = 0; j < m; j++) c += keep[j];
    const f = new Float64Array(c);
    const t = new Float64Array(c);
    const th = new Float64Array(c);
    for (let j = 0, w = 0; j < m; j++) {
      if (!keep[j]) continue;
      f[w] = fps[j];
      t[w] = tps[j];
      th[w++] = thresholds[j];
    }
    fps = f;
    tps = t;
    thresholds = th;
  }
  const k = fps.length + 1;
  const fpr = new Float64Array(k);
  const tpr = new Float64Array(k);
  const th = new Float64Array(k);
  const nNeg = fps.length > 0 ? fps[fps.length - 1] : 0;
  const nPos = tps.length > 0 ? tps[tps.length - 1] : 0;
  th[0] = (thresholds.length > 0 ? thresholds[0] : 0) + 1;
  fpr[0] = nNeg > 0 ? 0 : NaN;
  tpr[0] = nPos > 0 ? 0 : NaN;
  for (let j = 1; j < k; j++) {
    fpr[j] = nNeg > 0 ? fps[j - 1] / nNeg : NaN;
    tpr[j] = nPos > 0 ? tps[j - 1] / nPos : NaN;
    th[j] = thresholds[j - 1];
  }
  return { fpr, tpr, thresholds: th };
}

/** Options of `rocAuc` (multiclass one-vs-rest averaging). */
export interface RocAucOptions extends WeightOption {
  /** Multiclass averaging over one-vs-rest AUCs (default "macro"). */
  average?: "macro" | "weighted" | "micro";
}

/**
 * Area under the ROC curve. Binary: `score` holds one score per row (the positive class's
 * probability or any monotone score; a rows × 2 probability matrix is read as its second
 * column). Multiclass: `score` holds rows × classes probabilities (row-major) that must sum to 1
 * per row, and every class 0..K−1 must occur in `yTrue`. When `yTrue` holds one class only, the
 * AUC is undefined: an INVALID_INPUT error, as scikit-learn raises.
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAuc(yTrue: Numbers, score: Numbers, options: RocAucOptions = {}): number {
  const y = classCodes(yTrue, "y_true");
  const n = y.length;
  const k = columnsOf(score.length, n, "y_score");
  if (k <= 2) {
    let maxCode = 0;
    let minCode = Infinity;
    for (let i = 0; i < n; i++) {
      if (y[i] > maxCode) maxCode = y[i];
      if (y[i] < minCode) minCode = y[i];
    }
    if (maxCode > 1) throw new InvalidInputError(`y_true holds class ${maxCode}, but y_score has ${k} column${k === 1 ? "" : "s"}; multiclass ROC AUC needs rows × classes probabilities`, { path: "y_score", expected: `${n} × ${maxCode + 1} values`, received: score.length });
    if (minCode === maxCode) throw oneClass(minCode);
    return binaryAuc(binaryInput(y, score, options.sampleWeight, undefined));
  }
  return multiclassAuc(y, score instanceof Float64Array ? score : Float64Array.from(score as ArrayLike<number>), k, weightsOf(options.sampleWeight, n), options.average ?? "macro");
}

function oneClass(c: number): InvalidInputError {
  return new InvalidInputError(`only one class (${c}) is present in y_true; ROC AUC is not defined in that case`, { path: "y_true", expected: "both classes present", received: c });
}

/**
 * Trapezoidal area under the ROC curve of a binary input, in one pass over the rows sorted by
 * score (no curve arrays). NaN when a class is absent once zero-weight rows are dropped.
 */
export function binaryAuc(input: BinaryInput): number {
  const { score, positive, weight } = sortByScore(input);
  const n = score.length;
  let area = 0;
  let tp = 0;
  let fp = 0;
  let pt = 0;
  let pf = 0;
  for (let k = 0; k < n; k++) {
    if (weight) {
      if (positive[k]) tp += weight[k];
      else fp += weight[k];
    } else if (positive[k]) tp++;
    else fp++;
    if (k === n - 1 || score[k] !== score[k + 1]) {
      area += (fp - pf) * (tp + pt);
      pf = fp;
      pt = tp;
    }
  }
  if (!(fp > 0) || !(tp > 0)) return NaN;
  return area / (2 * fp * tp);
}

function multiclassAuc(y: Int32Array, score: Float64Array, k: number, weight: Float64Array | null, average: string): number {
  const n = y.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const v = score[i * k + c];
      if (!Number.isFinite(v)) throw new InvalidInputError(`y_score[${i}][${c}] is ${show(v)}; scores must be finite numbers`, { path: `y_score[${i}][${c}]`, expected: "a finite number", received: v });
      s += v;
    }
    // NumPy's allclose(1, s): |s − 1| ≤ 1e-8 + 1e-5·|1|
    if (!(Math.abs(s - 1) <= 1e-8 + 1e-5)) {
      throw new InvalidInputError(`y_score row ${i} sums to ${s}; multiclass ROC AUC needs probabilities that sum to 1 over the classes`, { path: `y_score[${i}]`, expected: "probabilities summing to 1", received: s });
    }
  }
  const support = new Float64Array(k);
  const seen = new Uint8Array(k);
  for (let i = 0; i < n; i++) {
    if (y[i] >= k) throw new InvalidInputError(`y_true[${i}] is class ${y[i]}, but y_score has ${k} columns`, { path: `y_true[${i}]`, expected: `a class in 0..${k - 1}`, received: y[i] });
    seen[y[i]] = 1;
    support[y[i]] += weight ? weight[i] : 1;
  }
  for (let c = 0; c < k; c++) {
    if (!seen[c]) {
      throw new InvalidInputError(`class ${c} never occurs in y_true, but y_score has a column for it; one-vs-rest ROC AUC needs every class present`, { path: "y_true", expected: `every class 0..${k - 1}`, received: c });
    }
  }
  if (average === "micro") {
    const positive = new Uint8Array(n * k);
    for (let i = 0; i < n; i++) positive[i * k + y[i]] = 1;
    let w: Float64Array | null = null;
    if (weight) {
      w = new Float64Array(n * k);
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) w[i * k + c] = weight[i];
    }
    return binaryAuc({ positive, score, weight: w });
  }
  if (average !== "macro" && average !== "weighted") {
    throw new InvalidInputError(`average must be "macro", "weighted" or "micro" for multiclass ROC AUC, got ${show(average)}`, { path: "average", expected: "macro | weighted | micro", received: average });
  }
  const positive = new Uint8Array(n);
  const col = new Float64Array(n);
  let total = 0;
  let wsum = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      positive[i] = y[i] === c ? 1 : 0;
      col[i] = score[i * k + c];
    }
    const auc = binaryAuc({ positive, score: col, weight });
    if (average === "macro") {
      total += auc;
      wsum += 1;
    } else if (support[c] !== 0) {
      total += auc * support[c];
      wsum += support[c];
    }
  }
  if (average === "weighted" && wsum === 0) return 0;
  return total / wsum;
}
