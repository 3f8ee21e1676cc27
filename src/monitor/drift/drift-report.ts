/**
 * Data drift between two tables, column by column (`column-drift.ts`), and the dataset verdict
 * as Evidently reports it: `drift_share` = drifted columns ÷ compared columns, `dataset_drift` when
 * that share reaches the threshold (0.5 by default). Numeric columns are compared as numbers,
 * categorical and boolean ones as categories; datetime and text columns are not compared (listed
 * in `skipped` with the reason), nor are columns present on one side only or with no values left.
 */
import { InvalidInputError, NotFoundError, show } from "../../core/index.js";
import { type Column, MISSING_BOOL, type Frame } from "../../data/index.js";
import { DRIFT_TESTS, type DriftTest } from "./choose-test.js";
import {
  type CategoricalReference,
  type ColumnDrift,
  categoricalDrift,
  categoricalReference,
  type NumericReference,
  numericDrift,
  numericReference,
  type TestOverride,
} from "./column-drift.js";
import { sortFinite } from "./sorted-values.js";

/** Dataset drift when at least this share of the compared columns drifted (Evidently's default). */
export const DEFAULT_DRIFT_SHARE = 0.5;

/** Options of `dataDrift` and `driftAgainstProfile`: the columns, per-column test overrides, and the share of drifted columns that makes the dataset drift. */
export interface DriftOptions {
  /** Compare only these columns (default: every column both tables have). */
  readonly columns?: readonly string[];
  /** Per-column test and threshold, e.g. `{ age: { test: "psi", threshold: 0.2 } }`. */
  readonly overrides?: Readonly<Record<string, TestOverride>>;
  /** Share of drifted columns that makes the dataset drift; default 0.5. */
  readonly driftShare?: number;
}

/** A column left out of a drift report, and why. */
export interface SkippedColumn {
  readonly column: string;
  readonly reason: string;
}

/** Per-column drift and the dataset verdict (Evidently's DataDriftPreset, with its field names). */
export interface DriftReport {
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly columns: readonly ColumnDrift[];
  readonly skipped: readonly SkippedColumn[];
  readonly number_of_columns: number;
  readonly number_of_drifted_columns: number;
  readonly drift_share: number;
  readonly drift_share_threshold: number;
  readonly dataset_drift: boolean;
}

/** The reference side of one column, ready to compare against. */
export type ColumnReference = ({ readonly kind: "numeric" } & NumericReference) | ({ readonly kind: "categorical" } & CategoricalReference);

/**
 * Category → count of a categorical or boolean column (missing left out); null for other kinds.
 * @example
 * ```ts
 * categoryCounts(categoricalFromValues(["a", "b", "a"])); // Map { "a" => 2, "b" => 1 }
 * ```
 */
export function categoryCounts(col: Column): Map<string, number> | null {
  if (col.kind === "categorical") {
    const counts = new Float64Array(col.categories.length);
    const codes = col.codes;
    for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) counts[codes[i]]++;
    const out = new Map<string, number>();
    col.categories.forEach((c, k) => {
      if (counts[k] > 0) out.set(c, (out.get(c) ?? 0) + counts[k]);
    });
    return out;
  }
  if (col.kind === "boolean") {
    let t = 0;
    let f = 0;
    for (let i = 0; i < col.values.length; i++) {
      const v = col.values[i];
      if (v === 1) t++;
      else if (v !== MISSING_BOOL) f++;
    }
    const out = new Map<string, number>();
    if (f) out.set("false", f);
    if (t) out.set("true", t);
    return out;
  }
  return null;
}

/**
 * How a column kind is compared, or why it is not.
 * @example
 * ```ts
 * driftKind("boolean"); // "categorical"
 * ```
 */
export function driftKind(kind: Column["kind"]): "numeric" | "categorical" | string {
  switch (kind) {
    case "numeric":
      return "numeric";
    case "categorical":
    case "boolean":
      return "categorical";
    case "datetime":
      return "datetime columns are not compared (time moves on by design); derive features such as hour or weekday to watch them";
    case "text":
      return "text columns are not compared; derive features (length, language) to watch them";
  }
}

/**
 * The reference side of `col`, or the reason it cannot be compared.
 * @example
 * ```ts
 * const ref = columnReference(train.column("age"));
 * ```
 */
export function columnReference(col: Column): ColumnReference | { readonly skip: string } {
  const kind = driftKind(col.kind);
  if (kind === "numeric") {
    const s = sortFinite((col as { values: Float64Array }).values);
    if (s.sorted.length === 0) return { skip: "no finite values in the reference" };
    return { kind: "numeric", ...numericReference(s.sorted) };
  }
  if (kind === "categorical") {
    const ref = categoricalReference(categoryCounts(col)!);
    if (ref.rows === 0) return { skip: "no values in the reference (all missing)" };
    return { kind: "categorical", ...ref };
  }
  return { skip: kind };
}

/**
 * Drift of `current` against a prepared reference; `{ skip }` when the current side has nothing to compare.
 * @example
 * ```ts
 * const ref = columnReference(train.column("age"));
 * if (!("skip" in ref)) console.log(columnDrift("age", ref, current.column("age")));
 * ```
 */
export function columnDrift(name: string, reference: ColumnReference, current: Column, override?: TestOverride): ColumnDrift | { readonly skip: string } {
  const kind = driftKind(current.kind);
  if (kind !== "numeric" && kind !== "categorical") return { skip: kind };
  if (kind !== reference.kind) return { skip: `kind changed: ${reference.kind} in the reference, ${current.kind} in the current data` };
  if (reference.kind === "numeric") {
    const s = sortFinite((current as { values: Float64Array }).values);
    if (s.sorted.length === 0) return { skip: "no finite values in the current data" };
    return numericDrift(name, reference, s.sorted, override);
  }
  const counts = categoryCounts(current)!;
  let n = 0;
  for (const c of counts.values()) n += c;
  if (n === 0) return { skip: "no values in the current data (all missing)" };
  return categoricalDrift(name, reference, counts, override);
}

function checkOptions(options: DriftOptions): void {
  const share = options.driftShare;
  if (share !== undefined && !(share > 0 && share <= 1)) {
    throw new InvalidInputError(`driftShare must be in (0, 1], got ${show(share)}`, { path: "driftShare", expected: "a share in (0, 1]", received: share });
  }
  for (const [col, o] of Object.entries(options.overrides ?? {})) {
    if (o.test !== undefined && !DRIFT_TESTS.includes(o.test)) {
      throw new InvalidInputError(`unknown drift test ${show(o.test)} for column ${show(col)}`, { path: `columns.${col}.test`, expected: DRIFT_TESTS.join(", "), received: o.test });
    }
    if (o.threshold !== undefined && !(Number.isFinite(o.threshold) && o.threshold >= 0)) {
      throw new InvalidInputError(`drift threshold for column ${show(col)} must be a number ≥ 0, got ${show(o.threshold)}`, {
        path: `columns.${col}.threshold`,
        expected: "a finite number ≥ 0",
        received: o.threshold,
      });
    }
  }
}

/**
 * Summarise a finished list of column results into the dataset verdict.
 * @example
 * ```ts
 * const report = summarizeDrift(1000, 200, columnResults, []);
 * ```
 */
export function summarizeDrift(referenceRows: number, currentRows: number, columns: ColumnDrift[], skipped: SkippedColumn[], driftShare = DEFAULT_DRIFT_SHARE): DriftReport {
  const drifted = columns.filter((c) => c.drifted).length;
  const share = columns.length ? drifted / columns.length : 0;
  return {
    reference_rows: referenceRows,
    current_rows: currentRows,
    columns,
    skipped,
    number_of_columns: columns.length,
    number_of_drifted_columns: drifted,
    drift_share: share,
    drift_share_threshold: driftShare,
    dataset_drift: columns.length > 0 && share >= driftShare,
  };
}

/**
 * Data drift of `current` against `reference`, every statistic per column, all rows of both.
 * @throws NotFoundError for a requested column missing from either table; InvalidInputError for a bad option.
 * @example
 * const report = dataDrift(await readTable("train.parquet"), await readTable("today.parquet"));
 * report.dataset_drift; report.columns.filter((c) => c.drifted).map((c) => c.column);
 */
export function dataDrift(reference: Frame, current: Frame, options: DriftOptions = {}): DriftReport {
  checkOptions(options);
  let names: string[];
  const skipped: SkippedColumn[] = [];
  if (options.columns) {
    for (const c of options.columns) {
      for (const [side, f] of [["reference", reference], ["current", current]] as const) {
        if (!f.has(c)) throw new NotFoundError(`column ${show(c)} is not in the ${side} data (its columns: ${show(f.names, 200)})`, { path: `columns`, expected: `one of ${show(f.names, 200)}`, received: c });
      }
    }
    names = [...options.columns];
  } else {
    names = reference.names.filter((c) => current.has(c));
    for (const c of reference.names) if (!current.has(c)) skipped.push({ column: c, reason: "missing from the current data" });
    for (const c of current.names) if (!reference.has(c)) skipped.push({ column: c, reason: "not in the reference data" });
  }
  for (const c of Object.keys(options.overrides ?? {})) {
    if (!names.includes(c)) throw new NotFoundError(`a drift override names column ${show(c)}, which is not compared`, { path: `columns.${c}`, expected: `one of ${show(names, 200)}`, received: c });
  }
  const results: ColumnDrift[] = [];
  for (const name of names) {
    const ref = columnReference(reference.column(name));
    if ("skip" in ref) {
      skipped.push({ column: name, reason: ref.skip });
      continue;
    }
    const r = columnDrift(name, ref, current.column(name), options.overrides?.[name]);
    if ("skip" in r) skipped.push({ column: name, reason: r.skip });
    else results.push(r);
  }
  return summarizeDrift(reference.nRows, current.nRows, results, skipped, options.driftShare);
}
