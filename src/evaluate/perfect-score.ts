/**
 * A perfect score on held-out rows is more often a leak (a column that encodes the target, test
 * rows also in training) than a solved problem; it deserves a remark, never silence.
 */
import { scorer } from "../metrics/index.js";

/**
 * The best value a scorer can reach: 0 for losses and negated losses (`neg_…`), 1 for the rest.
 * @example
 * ```ts
 * bestValue("roc_auc"); // 1
 * bestValue("neg_log_loss"); // 0
 * ```
 */
export function bestValue(metric: string): number {
  const s = scorer(metric);
  return !s.greaterIsBetter || metric.startsWith("neg_") ? 0 : 1;
}

/** A perfect score on held-out data, which usually means a leak. */
export interface PerfectScore {
  readonly metric: string;
  readonly value: number;
  readonly message: string;
}

/**
 * The metrics of `metrics` (scorer name → value on a test set) that reach their best possible
 * value (within 1e-12), each with a message to print.
 *
 * @example perfectScores({ roc_auc: 1, accuracy: 0.97 })
 * // [{ metric: "roc_auc", value: 1, message: "test roc_auc is 1, a perfect score: ..." }]
 */
export function perfectScores(metrics: Readonly<Record<string, number>>): PerfectScore[] {
  const out: PerfectScore[] = [];
  for (const [metric, value] of Object.entries(metrics)) {
    if (!Number.isFinite(value) || Math.abs(value - bestValue(metric)) > 1e-12) continue;
    out.push({ metric, value, message: `test ${metric} is ${value === 0 ? 0 : value}, a perfect score: check for a column that encodes the target and for test rows that also appear in training` });
  }
  return out;
}
