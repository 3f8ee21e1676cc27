/**
 * Drift of one column between a reference and a current sample — every statistic, always:
 * - numeric: `ks` (two-sample KS), `wasserstein_norm`, `psi` and `js` over the reference's decile
 *   bins (`bins.ts`);
 * - categorical (categorical and boolean columns, and numeric columns with ≤ 5 distinct values):
 *   `chi2` of the current counts against the reference shares × the current rows in the same
 *   buckets, `psi` and `js` over the categories of either side. A category the reference never saw
 *   is its own bucket for PSI and JS and is left out of χ² (its expected count would be 0); numeric
 *   columns counted as categorical keep `ks` and `wasserstein_norm` too;
 * - the deciding `test`, its `statistic` (a p-value for ks / chi2), `threshold` and `drifted`.
 * The reference side is a summary (`NumericReference` / `CategoricalReference`) so that a stored
 * profile — deciles and counts from all training rows, a seeded sample for KS and Wasserstein —
 * stands in for the training data.
 */
import { InvalidInputError, show } from "../../core/index.js";
import { chiSquareTest } from "../stats/chi-square.js";
import { ksTwoSample, type TestResult } from "../stats/ks-two-sample.js";
import { binCounts, decileEdges } from "./bins.js";
import { type DriftTest, DRIFT_THRESHOLDS, defaultTest, isPValueTest, MAX_CATEGORICAL_NUMERIC_VALUES } from "./choose-test.js";
import { jensenShannon } from "./jensen-shannon.js";
import { psi, total } from "./psi.js";
import { countDistinct, distinctSorted, distinctUnion } from "./sorted-values.js";
import { populationStd, wassersteinNormalized } from "./wasserstein.js";

/** A p-value test's outcome, as it appears in reports. */
export interface PValue {
  readonly statistic: number;
  readonly p_value: number;
}

/** What the drift of a numeric column is measured against. */
export interface NumericReference {
  /** Non-missing reference values (all of them, or the stored profile's count). */
  readonly rows: number;
  /** Ascending finite values KS and Wasserstein use: all rows, or a seeded sample of them. */
  readonly sorted: Float64Array;
  /** Population standard deviation of all reference values. */
  readonly std: number;
  /** Decile bin edges of all reference values (ties merged). */
  readonly edges: readonly number[];
  /** Reference counts per bin. */
  readonly binCounts: readonly number[];
  /** Distinct values (with counts) when there are at most 5 — the column may count as categorical. */
  readonly fewValues: { readonly values: readonly number[]; readonly counts: readonly number[] } | null;
}

/** What the drift of a categorical column is measured against. */
export interface CategoricalReference {
  readonly rows: number;
  /** Category → count (only categories that occur). */
  readonly counts: ReadonlyMap<string, number>;
}

/** Per-column drift test override (keel.yaml `monitor.columns.<name>`). */
export interface TestOverride {
  readonly test?: DriftTest;
  readonly threshold?: number;
}

/** One column's drift: the test chosen, its statistic, threshold and verdict, and every other statistic for context. */
export interface ColumnDrift {
  readonly column: string;
  /** How the column was compared. */
  readonly kind: "numeric" | "categorical";
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly ks?: PValue;
  readonly wasserstein_norm?: number;
  readonly chi2?: PValue;
  readonly psi: number;
  readonly js: number;
  readonly test: DriftTest;
  /** The deciding test's value: a p-value for ks / chi2, a distance otherwise. */
  readonly statistic: number;
  readonly threshold: number;
  readonly drifted: boolean;
  /** The buckets PSI / JS compared (for charts): bin edges or category labels, and both sides' counts. */
  readonly buckets: {
    readonly edges?: readonly number[];
    readonly labels?: readonly string[];
    readonly reference: readonly number[];
    readonly current: readonly number[];
  };
  /** Categories (or values) in the current data the reference never saw. */
  readonly unseen?: readonly string[];
}

/**
 * Summarise all of a numeric reference column (ascending finite values) for drift.
 * @example
 * ```ts
 * const ref = numericReference(sortFinite([31, 45, 27, NaN]).sorted);
 * ```
 */
export function numericReference(sorted: Float64Array): NumericReference {
  const edges = decileEdges(sorted);
  const few = distinctSorted(sorted) <= MAX_CATEGORICAL_NUMERIC_VALUES ? countDistinct(sorted, []) : null;
  return {
    rows: sorted.length,
    sorted,
    std: populationStd(sorted),
    edges,
    binCounts: [...binCounts(sorted, edges)],
    fewValues: few ? { values: few.values, counts: few.a } : null,
  };
}

/**
 * Summarise a categorical reference column given as category → count.
 * @example
 * ```ts
 * const ref = categoricalReference(new Map([["Oslo", 120], ["Rome", 80]]));
 * ```
 */
export function categoricalReference(counts: ReadonlyMap<string, number>): CategoricalReference {
  let rows = 0;
  const kept = new Map<string, number>();
  for (const [k, c] of counts) {
    if (c > 0) kept.set(k, c);
    rows += c;
  }
  return { rows, counts: kept };
}

function pv(r: TestResult): PValue {
  return { statistic: r.statistic, p_value: r.pValue };
}

function decide(column: string, kind: "numeric" | "categorical", refRows: number, stats: Partial<Record<DriftTest, number>>, override?: TestOverride) {
  const test = override?.test ?? defaultTest(kind, refRows);
  const threshold = override?.threshold ?? DRIFT_THRESHOLDS[test];
  const statistic = stats[test];
  if (statistic === undefined) {
    throw new InvalidInputError(`drift test ${show(test)} does not apply to the ${kind} column ${show(column)}`, {
      path: `columns.${column}.test`,
      expected: kind === "numeric" ? "ks, wasserstein_norm, psi or js" : "chi2, psi or js",
      received: test,
    });
  }
  const drifted = isPValueTest(test) ? statistic < threshold : statistic > threshold;
  return { test, statistic, threshold, drifted };
}

/**
 * Drift of a numeric column: `reference` from `numericReference` (or a profile), `current` its
 * ascending finite values (non-empty). With at most 5 distinct values on both sides together, the
 * column counts as categorical (χ², PSI and JS over the values).
 * @example
 * ```ts
 * const d = numericDrift("age", numericReference(Float64Array.of(20, 30, 40, 50)), Float64Array.of(35, 45, 55, 65));
 * ```
 */
export function numericDrift(column: string, reference: NumericReference, current: Float64Array, override?: TestOverride): ColumnDrift {
  const ks = pv(ksTwoSample(reference.sorted, current));
  const w = wassersteinNormalized(reference.sorted, current, reference.std);
  const few =
    reference.fewValues !== null && distinctUnion(reference.fewValues.values, current, MAX_CATEGORICAL_NUMERIC_VALUES) <= MAX_CATEGORICAL_NUMERIC_VALUES;
  if (few) {
    const refCounts = new Map<string, number>();
    reference.fewValues!.values.forEach((v, i) => refCounts.set(String(v), reference.fewValues!.counts[i]));
    const cur = countDistinct([], current);
    const curCounts = new Map<string, number>();
    cur.values.forEach((v, i) => curCounts.set(String(v), cur.b[i]));
    const union = [...new Set([...reference.fewValues!.values, ...cur.values])].sort((a, b) => a - b).map(String);
    const c = categoricalStats(union, refCounts, curCounts);
    const decision = decide(column, "categorical", reference.rows, { ks: ks.p_value, chi2: c.chi2.p_value, wasserstein_norm: w, psi: c.psi, js: c.js }, override);
    return {
      column,
      kind: "categorical",
      reference_rows: reference.rows,
      current_rows: current.length,
      ks,
      wasserstein_norm: w,
      chi2: c.chi2,
      psi: c.psi,
      js: c.js,
      ...decision,
      buckets: { labels: union, reference: c.ref, current: c.cur },
      ...(c.unseen.length ? { unseen: c.unseen } : {}),
    };
  }
  const cur = [...binCounts(current, reference.edges)];
  const p = psi(reference.binCounts, cur);
  const js = jensenShannon(reference.binCounts, cur);
  const decision = decide(column, "numeric", reference.rows, { ks: ks.p_value, wasserstein_norm: w, psi: p, js }, override);
  return {
    column,
    kind: "numeric",
    reference_rows: reference.rows,
    current_rows: current.length,
    ks,
    wasserstein_norm: w,
    psi: p,
    js,
    ...decision,
    buckets: { edges: reference.edges, reference: reference.binCounts, current: cur },
  };
}

/**
 * Drift of a categorical column from category → count on each side (current non-empty).
 * @example
 * ```ts
 * const d = categoricalDrift("city", categoricalReference(new Map([["Oslo", 120], ["Rome", 80]])), new Map([["Oslo", 40], ["Rome", 60]]));
 * ```
 */
export function categoricalDrift(column: string, reference: CategoricalReference, current: ReadonlyMap<string, number>, override?: TestOverride): ColumnDrift {
  const labels = new Set<string>(reference.counts.keys());
  for (const [k, c] of current) if (c > 0) labels.add(k);
  const union = [...labels].sort(compareLabels);
  const c = categoricalStats(union, reference.counts, current);
  const decision = decide(column, "categorical", reference.rows, { chi2: c.chi2.p_value, psi: c.psi, js: c.js }, override);
  return {
    column,
    kind: "categorical",
    reference_rows: reference.rows,
    current_rows: total(c.cur),
    chi2: c.chi2,
    psi: c.psi,
    js: c.js,
    ...decision,
    buckets: { labels: union, reference: c.ref, current: c.cur },
    ...(c.unseen.length ? { unseen: c.unseen } : {}),
  };
}

/** Code-point order (Python's sorted() on str), so buckets line up with the reference script. */
function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function categoricalStats(labels: readonly string[], refCounts: ReadonlyMap<string, number>, curCounts: ReadonlyMap<string, number>) {
  const ref = labels.map((l) => refCounts.get(l) ?? 0);
  const cur = labels.map((l) => curCounts.get(l) ?? 0);
  const unseen = labels.filter((_, i) => ref[i] === 0 && cur[i] > 0);
  // χ² over the buckets the reference saw: expected = reference share × current rows in them
  const obs: number[] = [];
  const seenRef: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (ref[i] > 0) {
      obs.push(cur[i]);
      seenRef.push(ref[i]);
    }
  }
  const obsTotal = total(obs);
  const refTotal = total(seenRef);
  let chi2: PValue;
  if (obsTotal === 0) chi2 = { statistic: Infinity, p_value: 0 };
  else {
    const exp = seenRef.map((r) => (r / refTotal) * obsTotal);
    chi2 = pv(chiSquareTest(obs, exp));
  }
  return { ref, cur, unseen, chi2, psi: psi(ref, cur), js: jensenShannon(ref, cur) };
}
