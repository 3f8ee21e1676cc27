/**
 * The one-standard-error rule (Breiman, Friedman, Olshen & Stone, "Classification and
 * Regression Trees", 1984, §3.4.3; Hastie, Tibshirani & Friedman, "The Elements of Statistical
 * Learning", 2nd ed., §7.10): among candidates scored by k-fold cross-validation, choose the
 * simplest whose mean score is within one standard error of the best, SE = std / √k of the best
 * candidate's fold scores. Differences smaller than that are noise, and the simpler model is
 * cheaper, easier to explain and less likely to have fitted the folds by chance.
 *
 * Simplicity follows the model family: baseline (dummy) < linear < naive Bayes < k-NN < tree <
 * forest < GBDT; a kind outside these counts as the most complex.
 */
import { InvalidInputError, show } from "../core/index.js";

/** Model families from simplest to most complex. */
export const SIMPLICITY_ORDER = ["baseline", "linear", "naive Bayes", "k-NN", "tree", "forest", "GBDT"] as const;
/** A family of estimator kinds in `SIMPLICITY_ORDER`, simplest first. */
export type ModelFamily = (typeof SIMPLICITY_ORDER)[number];

const FAMILY_OF: Readonly<Record<string, ModelFamily>> = {
  "dummy-classifier": "baseline",
  "dummy-regressor": "baseline",
  logistic: "linear",
  "linear-regression": "linear",
  ridge: "linear",
  lasso: "linear",
  "elastic-net": "linear",
  "gaussian-nb": "naive Bayes",
  "categorical-nb": "naive Bayes",
  "knn-classifier": "k-NN",
  "knn-regressor": "k-NN",
  "tree-classifier": "tree",
  "tree-regressor": "tree",
  "forest-classifier": "forest",
  "forest-regressor": "forest",
  "extra-trees-classifier": "forest",
  "extra-trees-regressor": "forest",
  "gbdt-classifier": "GBDT",
  "gbdt-regressor": "GBDT",
};

/**
 * The family of an estimator kind ("ridge" → "linear"), or null for a kind outside the order.
 * @example
 * ```ts
 * modelFamily("ridge"); // "linear"
 * ```
 */
export function modelFamily(kind: string): ModelFamily | null {
  return FAMILY_OF[kind] ?? null;
}

/** A candidate's cross-validated score on the primary metric. */
export interface CvCandidate {
  /** How the candidate is shown ("ridge", `gbdt{"maxLeaves":15}`). */
  readonly name: string;
  /** Estimator kind ("ridge", "gbdt-classifier"), which gives its family. */
  readonly kind: string;
  readonly mean: number;
  /** Standard deviation of the fold scores (population, as crossValidate reports). */
  readonly std: number;
  /** Number of folds the mean is over. */
  readonly folds: number;
}

/** The candidate the one-standard-error rule picks and why. */
export interface OneSeChoice {
  /** Index of the chosen candidate. */
  readonly chosen: number;
  /** Index of the candidate with the best mean. */
  readonly best: number;
  /** The best candidate's std / √folds. */
  readonly standardError: number;
  /** Candidates at or better than this mean are within one standard error of the best. */
  readonly threshold: number;
  /** Indices of the candidates within one standard error, the best included. */
  readonly within: number[];
  /** The choice in one sentence, for the output. */
  readonly reason: string;
}

/**
 * Choose among cross-validated candidates by the one-standard-error rule. Candidates with a
 * non-finite mean (a metric not available) are never chosen. Within the simplest family in
 * reach, the better mean wins; ties go to the earlier candidate.
 *
 * @example
 * oneStandardErrorChoice([
 *   { name: "logistic", kind: "logistic", mean: 0.9865, std: 0.017, folds: 5 },
 *   { name: "gbdt", kind: "gbdt-classifier", mean: 0.9866, std: 0.017, folds: 5 },
 * ], { greaterIsBetter: true }).reason
 * // "logistic: its CV mean 0.9865 is within one standard error (0.0076) of the best, gbdt's 0.9866, and linear is simpler than GBDT"
 */
export function oneStandardErrorChoice(candidates: readonly CvCandidate[], options: { greaterIsBetter: boolean }): OneSeChoice {
  const up = options.greaterIsBetter;
  const better = (a: number, b: number) => (up ? a > b : a < b);
  let best = -1;
  candidates.forEach((c, i) => {
    if (Number.isFinite(c.mean) && (best < 0 || better(c.mean, candidates[best].mean))) best = i;
  });
  if (best < 0) throw new InvalidInputError("no candidate has a finite cross-validated score to choose by", { path: "candidates", expected: "at least one candidate with a finite mean", received: candidates.map((c) => c.name) });
  const b = candidates[best];
  if (!Number.isInteger(b.folds) || b.folds < 1) throw new InvalidInputError(`candidate ${show(b.name)}: folds must be an integer ≥ 1, got ${show(b.folds)}`, { path: "folds", expected: "an integer ≥ 1", received: b.folds });
  const se = Number.isFinite(b.std) ? b.std / Math.sqrt(b.folds) : 0;
  const threshold = up ? b.mean - se : b.mean + se;
  const within: number[] = [];
  candidates.forEach((c, i) => {
    if (Number.isFinite(c.mean) && (up ? c.mean >= threshold : c.mean <= threshold)) within.push(i);
  });
  const rank = (i: number) => {
    const f = modelFamily(candidates[i].kind);
    return f === null ? SIMPLICITY_ORDER.length : SIMPLICITY_ORDER.indexOf(f);
  };
  let chosen = within[0];
  for (const i of within) if (rank(i) < rank(chosen) || (rank(i) === rank(chosen) && better(candidates[i].mean, candidates[chosen].mean))) chosen = i;
  const c = candidates[chosen];
  const f4 = (x: number) => x.toFixed(4);
  const familyName = (i: number) => modelFamily(candidates[i].kind) ?? `${candidates[i].kind} (outside the simplicity order)`;
  const reason =
    chosen === best
      ? `${b.name}: the best CV mean, ${f4(b.mean)}; no simpler candidate is within one standard error (${f4(se)}) of it`
      : `${c.name}: its CV mean ${f4(c.mean)} is within one standard error (${f4(se)}) of the best, ${b.name}'s ${f4(b.mean)}, and ${familyName(chosen)} is simpler than ${familyName(best)}`;
  return { chosen, best, standardError: se, threshold, within, reason };
}
