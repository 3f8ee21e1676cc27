/**
 * The curves of a binary classifier's positive-class scores on labelled rows — ROC, precision–recall
 * and the reliability curve (scikit-learn's `roc_curve`, `precision_recall_curve`,
 * `calibration_curve` with ten uniform bins) with ROC AUC, average precision, the expected
 * calibration error and the Brier score — thinned for drawing.
 */
import { averagePrecision, brierScore, calibrationCurve, expectedCalibrationError, precisionRecallCurve, rocAuc, rocCurve } from "../metrics/index.js";

/** Curves as parallel arrays, at most `MAX_CURVE_POINTS` points each (the web UI draws them). */
export interface TestCurves {
  roc: { fpr: number[]; tpr: number[]; auc: number };
  pr: { recall: number[]; precision: number[]; average_precision: number };
  /** Ten uniform bins (scikit-learn's `calibration_curve`), the expected calibration error and the Brier score. */
  calibration: { predicted: number[]; observed: number[]; count: number[]; ece: number; brier: number };
}

/** Points kept per curve: evenly spaced by index, the first and last always. */
export const MAX_CURVE_POINTS = 1000;

/** The curves of positive-class scores, or undefined when the test rows hold one class only (no curve is defined). */
export function binaryCurves(y: Int32Array, scores: Float64Array): TestCurves | undefined {
  let pos = 0;
  for (const v of y) pos += v === 1 ? 1 : 0;
  if (pos === 0 || pos === y.length) return undefined;
  const roc = rocCurve(y, scores);
  const pr = precisionRecallCurve(y, scores);
  const cal = calibrationCurve(y, scores, { nBins: 10 });
  const rocKeep = thin(roc.fpr.length);
  const prKeep = thin(pr.recall.length);
  return {
    roc: { fpr: rocKeep.map((i) => roc.fpr[i]), tpr: rocKeep.map((i) => roc.tpr[i]), auc: rocAuc(y, scores) },
    pr: { recall: prKeep.map((i) => pr.recall[i]), precision: prKeep.map((i) => pr.precision[i]), average_precision: averagePrecision(y, scores) },
    calibration: { predicted: [...cal.predicted], observed: [...cal.observed], count: [...cal.count], ece: expectedCalibrationError(y, scores), brier: brierScore(y, scores) },
  };
}

export function thin(n: number): number[] {
  if (n <= MAX_CURVE_POINTS) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < MAX_CURVE_POINTS; k++) out.push(Math.round((k * (n - 1)) / (MAX_CURVE_POINTS - 1)));
  return out;
}

