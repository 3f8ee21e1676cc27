/**
 * The profile's JSON shape (format version 1). Everything here is plain data: numbers that are
 * undefined for a column (the mean of a text column, the skew of two values) are `null`, never
 * `NaN`, so `JSON.stringify(profile)` round-trips.
 */
import type { ColumnKind } from "../column.js";

/** A value as it appears in top-value lists: numbers stay numbers, booleans stay booleans. */
export type ProfileValue = string | number | boolean;

/** One of the most frequent values of a column. `fraction` is of the non-missing cells. */
export interface TopValue {
  readonly value: ProfileValue;
  readonly count: number;
  readonly fraction: number;
}

/**
 * A histogram of equal-width bins. `edges` has `counts.length + 1` entries; bin i holds values in
 * [edges[i], edges[i+1]) and the last bin also holds `edges[last]` (numpy's convention). For a
 * datetime column the edges are epoch milliseconds.
 */
export interface Histogram {
  readonly edges: number[];
  readonly counts: number[];
}

/** Top-k bar data for categorical, boolean and text columns: the k most frequent values and the rest. */
export interface Bars {
  readonly values: string[];
  readonly counts: number[];
  /** Non-missing cells whose value is not among `values`. */
  readonly other: number;
}

/** What the profile says about one column. */
export interface ColumnProfile {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Non-missing cells. */
  readonly count: number;
  readonly missing: number;
  /** missing / rows (0 for an empty frame). */
  readonly missingFraction: number;
  /** Distinct non-missing values. */
  readonly distinct: number;
  /** Arithmetic mean (numeric columns; the share of `true` for booleans). */
  readonly mean: number | null;
  /** Sample standard deviation, ddof = 1 (numeric). */
  readonly std: number | null;
  /** Minimum (numeric; epoch ms for datetime). */
  readonly min: number | null;
  /** First quartile, linear interpolation between order statistics (numpy's default). */
  readonly q1: number | null;
  readonly median: number | null;
  readonly q3: number | null;
  readonly max: number | null;
  /** Adjusted Fisher–Pearson skewness G1 = √(n(n−1))/(n−2) · m3/m2^1.5 (pandas `Series.skew()`). */
  readonly skew: number | null;
  /** Cells equal to 0 (numeric), else null. */
  readonly zeros: number | null;
  /** The most frequent values, most frequent first (ties: smaller value first). */
  readonly top: TopValue[];
  /** Equal-width histogram (numeric, datetime). */
  readonly histogram: Histogram | null;
  /** Top-k bar data (categorical, boolean, text). */
  readonly bars: Bars | null;
  /** Datetime columns: first and last instant as ISO 8601 (UTC). */
  readonly datetime: { readonly min: string; readonly max: string } | null;
}

/** A symmetric matrix of coefficients between `columns`; `null` where undefined (a constant column). */
export interface CorrelationMatrix {
  readonly columns: string[];
  readonly values: (number | null)[][];
  /** Rows the coefficients were computed on when a random sample was used, else null (all rows). */
  readonly sampled: number | null;
}

/** The pairwise correlation matrices of a profile. */
export interface Correlations {
  /** Pearson's r between numeric columns, pairwise complete observations (pandas `.corr()`). */
  readonly pearson: CorrelationMatrix;
  /** Spearman's ρ (Pearson on average ranks), pairwise complete observations (pandas `.corr("spearman")`). */
  readonly spearman: CorrelationMatrix;
  /**
   * Cramér's V between categorical and boolean columns, V = √(χ² / (n · (min(r, c) − 1))), χ² without
   * Yates' correction and without bias correction (SciPy `association(method="cramer")`).
   */
  readonly cramersV: CorrelationMatrix;
}

/** Exact duplicate rows: rows equal in every column to an earlier row (pandas `duplicated()`). */
export interface Duplicates {
  readonly count: number;
  readonly fraction: number;
  /** Up to 5 groups of row indices (0-based), each the first occurrence then its copies. */
  readonly examples: number[][];
}

export type { TargetTask } from "../target-task.js";
import type { TargetTask } from "../target-task.js";

/** The target column: its task, and its class balance or its distribution. */
export interface TargetProfile {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly task: TargetTask;
  readonly missing: number;
  /** Classification: every class with its count, most frequent first. */
  readonly classes: TopValue[] | null;
  /** Classification: the smallest class's share of the non-missing target. */
  readonly minorityFraction: number | null;
  /** Classification: largest class count / smallest class count. */
  readonly imbalanceRatio: number | null;
  /** Classification: whether `IMBALANCED_TARGET` was raised. */
  readonly imbalanced: boolean;
  /** Regression: the target's summary (mean, std, quartiles, skew, histogram). */
  readonly distribution: Pick<ColumnProfile, "mean" | "std" | "min" | "q1" | "median" | "q3" | "max" | "skew" | "histogram"> | null;
}

/** One feature's single-feature predictive power for the target. */
export interface FeaturePower {
  readonly feature: string;
  /** 0 (no better than the naive baseline) .. 1 (predicts the target perfectly). */
  readonly score: number;
  /** The one-feature model's cross-validated score (weighted F1, or MAE for regression). */
  readonly modelScore: number;
  /** The naive baseline's score on the same rows. */
  readonly baselineScore: number;
  /** Which one-feature model was used. */
  readonly model: "tree" | "category-table";
  /**
   * Binary targets: the single-feature ROC AUC, direction-free (0.5 .. 1; null when undefined):
   * the column's own values for numeric and datetime columns, out-of-fold category shares otherwise.
   */
  readonly auc?: number | null;
}

/**
 * Single-feature predictive power, after the Predictive Power Score (F. Wetschoreck, "RIP
 * correlation. Introducing the Predictive Power Score", 2020).
 */
export interface PredictivePower {
  readonly target: string;
  readonly task: TargetTask;
  /** "f1_weighted" (classification) or "mae" (regression). */
  readonly metric: "f1_weighted" | "mae";
  readonly folds: number;
  /** Rows used (non-missing target), after sampling. */
  readonly rows: number;
  /** Sample size when the rows were sampled, else null. */
  readonly sampled: number | null;
  /** Features by score, highest first. */
  readonly scores: FeaturePower[];
}

/** Stable warning codes. Never rename one: tools match on them. */
export type WarningCode =
  | "HIGH_MISSING"
  | "CONSTANT"
  | "HIGH_CARDINALITY"
  | "ID_LIKE"
  | "DUPLICATE_ROWS"
  | "IMBALANCED_TARGET"
  | "TARGET_LEAK_SUSPECT"
  | "ROWS_ORDERED";

/** Something a profile flags about the data (a constant column, a suspected target leak, …). */
export interface ProfileWarning {
  readonly code: WarningCode;
  readonly column?: string;
  readonly message: string;
  /** TARGET_LEAK_SUSPECT only: "warn" (say it) or "stop" (a run stops unless the column is allowed). */
  readonly level?: "warn" | "stop";
}

/** Thresholds behind the warnings. */
export interface ProfileThresholds {
  /** HIGH_MISSING when missing / rows ≥ this. Default 0.2. */
  readonly highMissing: number;
  /** HIGH_CARDINALITY when a categorical or text column has more distinct values than this. Default 50. */
  readonly highCardinality: number;
  /**
   * ID_LIKE when distinct / non-missing ≥ this (≥ 20 values) for a text or categorical column, or
   * an integer-valued numeric one that carries no signal: predictive power for the target under
   * 0.05, or without a target values as dense as a key's. Default 0.99.
   */
  readonly idLike: number;
  /** IMBALANCED_TARGET when the smallest class's share < this × 2 / classes (0.2 for a binary target). Default 0.2. */
  readonly imbalance: number;
  /** TARGET_LEAK_SUSPECT (level "warn") when a feature's predictive power ≥ this. Default 0.8 (Deepchecks' feature–label PPS condition). */
  readonly leak: number;
  /** TARGET_LEAK_SUSPECT at level "stop" when predictive power ≥ this. Default 0.9. */
  readonly leakStop: number;
  /** TARGET_LEAK_SUSPECT (level "warn") when a binary target's single-feature ROC AUC ≥ this. Default 0.95. */
  readonly leakAuc: number;
  /** TARGET_LEAK_SUSPECT at level "stop" when the single-feature ROC AUC ≥ this. Default 0.98. */
  readonly leakAucStop: number;
  /**
   * ROWS_ORDERED when the rows are sorted by a numeric or datetime column (|Spearman ρ| of row
   * number and value ≥ this) or grouped by a categorical one (neighbour agreement κ ≥ this). Default 0.9.
   */
  readonly rowOrder: number;
}

/** The whole profile, format version 1. */
export interface Profile {
  readonly version: 1;
  readonly rows: number;
  readonly columns: ColumnProfile[];
  readonly correlations: Correlations;
  readonly duplicates: Duplicates;
  readonly target: TargetProfile | null;
  readonly predictivePower: PredictivePower | null;
  readonly warnings: ProfileWarning[];
  /** Where random samples of rows were used, and how many rows each used (null: all rows). */
  readonly sampling: { readonly spearman: number | null; readonly predictivePower: number | null; readonly seed: number | string | null };
  readonly thresholds: ProfileThresholds;
}
