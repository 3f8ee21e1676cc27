/**
 * Comparing a candidate with the champion on the same rows: the difference in a metric, with the
 * test that fits the metric — DeLong's for ROC AUC of a binary task, McNemar's for accuracy, the
 * paired bootstrap for any other — and always the paired bootstrap interval of the difference.
 * "Better" follows the metric's direction (a lower log loss is better).
 */
import { Rng } from "../../core/index.js";
import { scorer } from "../../metrics/index.js";
import { type Predictions, scorePredictions } from "../score.js";
import { delongTest } from "./delong.js";
import { mcnemarTest } from "./mcnemar.js";
import { pairedBootstrap } from "./paired-bootstrap.js";

export interface ModelComparison {
  metric: string;
  candidate: number;
  champion: number;
  /** candidate − champion in the metric's own units. */
  difference: number;
  /** How much better the candidate is (the difference signed so that > 0 is better). */
  improvement: number;
  greaterIsBetter: boolean;
  /** The significance test used for the p-value. */
  test: "delong" | "mcnemar" | "paired_bootstrap";
  /** Two-sided p-value for "no difference". */
  pValue: number;
  /** Paired bootstrap interval of candidate − champion. */
  interval: { low: number; high: number; level: number; rounds: number };
  rows: number;
}

/**
 * Compare two models' predictions on the same rows by `metric` (a scikit-learn scorer name).
 *
 * @example
 * const c = compareModels(candidatePredictions, championPredictions, "roc_auc", { seed: 42 });
 * // { test: "delong", difference: -0.03, pValue: 0.01, interval: { low: -0.05, high: -0.01 }, ... }
 */
export function compareModels(candidate: Predictions, champion: Predictions, metric: string, options: { seed?: number; rounds?: number; level?: number } = {}): ModelComparison {
  const s = scorer(metric);
  const n = candidate.yTrue.length;
  const value = (p: Predictions, rows?: Int32Array) => scorePredictions(p, [metric], rows).metrics[metric];
  const boot = pairedBootstrap(n, (rows) => value(candidate, rows), (rows) => value(champion, rows), { rounds: options.rounds ?? 1000, level: options.level ?? 0.95, rng: new Rng(options.seed ?? 0) });
  const binaryScores = candidate.scores && champion.scores && candidate.scores.length === n && champion.scores.length === n;
  let test: ModelComparison["test"] = "paired_bootstrap";
  let pValue = boot.pValue;
  if (metric === "roc_auc" && binaryScores) {
    test = "delong";
    pValue = delongTest(candidate.yTrue, candidate.scores!, champion.scores!).pValue;
  } else if (metric === "accuracy" && candidate.labels && champion.labels) {
    test = "mcnemar";
    pValue = mcnemarTest(candidate.yTrue, candidate.labels, champion.labels).pValue;
  }
  const difference = boot.metricA - boot.metricB;
  return {
    metric,
    candidate: boot.metricA,
    champion: boot.metricB,
    difference,
    improvement: s.greaterIsBetter ? difference : -difference,
    greaterIsBetter: s.greaterIsBetter,
    test,
    pValue,
    interval: { low: boot.low, high: boot.high, level: boot.level, rounds: boot.rounds },
    rows: n,
  };
}
