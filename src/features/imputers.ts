/**
 * "simple-imputer": fill missing values with a per-column statistic, as scikit-learn 1.2's
 * `SimpleImputer`: `mean`, `median` (numeric columns), `most_frequent` (any column; ties go to
 * the smallest value) or `constant` (`fillValue`; default 0 for numbers, "missing_value" for
 * labels, false for booleans). With `addIndicator`, a 0/1 column `missingindicator_<col>` is
 * appended for each transformed column that had missing values at fit (sklearn's
 * `MissingIndicator(features="missing-only")`). As in scikit-learn, a column that is entirely
 * missing at fit is dropped by mean / median / most_frequent unless `keepEmptyFeatures` (then it
 * is filled with 0, or "missing_value" / false for labels / booleans).
 */
import { z } from "zod";
import { InvalidInputError, show, type Json, median, withoutNaN } from "../core/index.js";
import { type Column, type ColumnKind, MISSING_BOOL, isMissing, type Frame } from "../data/index.js";
import { defineEstimator, jsonParam, inputSignature, type FitOptions, type SignatureColumn, type Spec } from "../estimator/index.js";
import { countLabels } from "./categories.js";
import { type ColumnPlan, ColumnwiseTransformer, type ExtraPlan } from "./columnwise.js";
import { meanVariance } from "./mean-variance.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";

/** How `simpleImputer` fills a missing value. */
export type ImputeStrategy = "mean" | "median" | "most_frequent" | "constant";

/** A fill value: a number for numeric / datetime columns, a label, or a boolean. */
type Fill = number | string | boolean;

interface ImputerState {
  strategy: ImputeStrategy;
  /** Selected columns, in input order. */
  columns: string[];
  /** Fill value per column; null = the column is dropped (empty at fit). */
  fills: (Fill | null)[];
  /** Columns that get a missing indicator. */
  indicators: string[];
}

const KINDS_ALL: readonly ColumnKind[] = ["numeric", "categorical", "boolean", "datetime", "text"];

function checkFillValue(v: Json): string | null {
  return v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? null : "a number, a string, a boolean or null";
}

function fit(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec<ColumnwiseTransformer>): Promise<ColumnwiseTransformer> {
  const strategy = params.strategy as ImputeStrategy;
  const numericOnly = strategy === "mean" || strategy === "median";
  const columns = selectColumns(spec.kind, data, params, options.target, numericOnly ? ["numeric"] : KINDS_ALL, numericOnly ? ["numeric", "datetime"] : KINDS_ALL);
  const keepEmpty = params.keepEmptyFeatures as boolean;
  const fills: (Fill | null)[] = [];
  const indicators: string[] = [];
  for (const name of columns) {
    const col = data.column(name);
    let missing = 0;
    const n = data.nRows;
    for (let i = 0; i < n; i++) if (isMissing(col, i)) missing++;
    if (col.kind === "numeric" || col.kind === "datetime") {
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        if (v === Infinity || v === -Infinity) {
          throw new InvalidInputError(`${spec.kind}: column ${show(name)} row ${i} is ${v}; missing values must be NaN, not infinite`, { path: `${name}[${i}]`, expected: "a finite number or NaN", received: v });
        }
      }
    }
    if (missing > 0 && params.addIndicator) indicators.push(name);
    if (strategy === "constant") {
      fills.push(constantFill(spec.kind, name, col.kind, params.fillValue));
      continue;
    }
    if (missing === n) {
      fills.push(keepEmpty ? emptyFill(col.kind) : null);
      continue;
    }
    fills.push(statistic(strategy, col));
  }
  return Promise.resolve(build(spec, inputSignature(data, options.target), options.target ?? null, { strategy, columns, fills, indicators }));
}

function emptyFill(kind: ColumnKind): Fill {
  return kind === "categorical" || kind === "text" ? "missing_value" : kind === "boolean" ? false : 0;
}

function constantFill(kind: string, name: string, colKind: ColumnKind, given: Json): Fill {
  const bad = (expected: string): never => {
    throw new InvalidInputError(`${kind}: fillValue ${show(given)} cannot fill column ${show(name)} (${colKind}); expected ${expected}`, { path: `${kind}.fillValue`, expected, received: given });
  };
  switch (colKind) {
    case "numeric":
      if (given === null) return 0;
      return typeof given === "number" ? given : bad("a number");
    case "datetime":
      if (given === null) return 0;
      if (typeof given === "number") return given;
      if (typeof given === "string" && !Number.isNaN(Date.parse(given))) return Date.parse(given);
      return bad("epoch milliseconds or a date string");
    case "boolean":
      if (given === null) return false;
      if (typeof given === "boolean") return given;
      if (given === 0 || given === 1) return given === 1;
      return bad("true or false");
    case "categorical":
    case "text":
      if (given === null) return "missing_value";
      return typeof given === "string" ? given : typeof given === "number" || typeof given === "boolean" ? String(given) : bad("a string");
  }
}

/** mean / median / most frequent of a column with at least one value. */
function statistic(strategy: ImputeStrategy, col: Column): Fill {
  if (col.kind === "numeric" || col.kind === "datetime") {
    if (strategy === "mean") return meanVariance(col.values).mean;
    if (strategy === "median") return median(withoutNaN(col.values));
    // most frequent: smallest value among the most frequent (scipy.stats.mode)
    const sorted = withoutNaN(col.values).sort();
    let best = sorted[0], bestCount = 0;
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j < sorted.length && sorted[j] === sorted[i]) j++;
      if (j - i > bestCount) {
        bestCount = j - i;
        best = sorted[i];
      }
      i = j;
    }
    return best;
  }
  // labels: counts sorted by label, so the first maximum is the smallest label
  const { labels, counts } = countLabels(col, "", "simple-imputer");
  let k = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i] > counts[k]) k = i;
  if (col.kind === "boolean") return labels[k] === "true";
  return labels[k];
}

function fillPlan(name: string, fill: Fill | null): ColumnPlan {
  if (fill === null) return { input: name, outputs: [], apply: () => [] };
  return {
    input: name,
    outputs: [name],
    apply(col: Column, n: number): Column[] {
      switch (col.kind) {
        case "numeric":
        case "datetime": {
          const f = fill as number;
          const out = new Float64Array(n);
          const src = col.values;
          for (let i = 0; i < n; i++) {
            const v = src[i];
            out[i] = v !== v ? f : v;
          }
          return [{ kind: col.kind, values: out }];
        }
        case "boolean": {
          const f = fill ? 1 : 0;
          const out = new Uint8Array(n);
          for (let i = 0; i < n; i++) out[i] = col.values[i] === MISSING_BOOL ? f : col.values[i];
          return [{ kind: "boolean", values: out }];
        }
        case "categorical": {
          let code = col.categories.indexOf(fill as string);
          const categories = code < 0 ? [...col.categories, fill as string] : col.categories;
          if (code < 0) code = col.categories.length;
          const out = new Int32Array(n);
          for (let i = 0; i < n; i++) out[i] = col.codes[i] < 0 ? code : col.codes[i];
          return [{ kind: "categorical", codes: out, categories }];
        }
        case "text": {
          const out = new Array<string | null>(n);
          for (let i = 0; i < n; i++) out[i] = col.values[i] ?? (fill as string);
          return [{ kind: "text", values: out }];
        }
      }
    },
  };
}

function indicatorPlan(columns: readonly string[]): ExtraPlan {
  return {
    outputs: columns.map((c) => `missingindicator_${c}`),
    sources: [...columns],
    apply(aligned: Frame): Column[] {
      const n = aligned.nRows;
      return columns.map((name) => {
        const col = aligned.column(name);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = isMissing(col, i) ? 1 : 0;
        return { kind: "numeric", values: out };
      });
    },
  };
}

function build(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, s: ImputerState): ColumnwiseTransformer {
  const plans = s.columns.map((name, j) => fillPlan(name, s.fills[j]));
  return new ColumnwiseTransformer(spec, {
    inputs,
    target,
    plans,
    extras: s.indicators.length > 0 ? [indicatorPlan(s.indicators)] : [],
    state: { strategy: s.strategy, columns: s.columns, fills: s.fills, indicators: s.indicators },
  });
}

/**
 * Spec factory for "simple-imputer" (see the module comment).
 * @example
 * ```ts
 * const imputer = await simpleImputer({ strategy: "median", addIndicator: true }).fit(frame);
 * const filled = imputer.transform(frame);
 * ```
 */
export const simpleImputer = defineEstimator<ColumnwiseTransformer>({
  kind: "simple-imputer",
  role: "transformer",
  doc: "Fill missing values with the column mean, median, most frequent value or a constant",
  schema: {
    strategy: z.enum(["mean", "median", "most_frequent", "constant"]).default("mean").describe("how to fill"),
    fillValue: jsonParam(checkFillValue).nullable().default(null).describe("the value for strategy constant (null: 0 / \"missing_value\" / false)"),
    addIndicator: z.boolean().default(false).describe("append missingindicator_<col> columns (0/1)"),
    keepEmptyFeatures: z.boolean().default(false).describe("keep columns that are entirely missing at fit (filled with 0)"),
    ...selectionParams("numeric for mean/median, every kind otherwise"),
  },
  fit,
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const strategy = r.string("strategy") as ImputeStrategy;
    if (!["mean", "median", "most_frequent", "constant"].includes(strategy)) throw r.corrupt("state.strategy", strategy, "an imputation strategy");
    const columns = r.strings("columns");
    r.checkColumnsIn("columns", columns, inputs);
    const fills = r.json("fills");
    if (!Array.isArray(fills) || fills.length !== columns.length || !fills.every((f) => f === null || typeof f === "number" || typeof f === "string" || typeof f === "boolean")) {
      throw r.corrupt("state.fills", fills, `${columns.length} fill values`);
    }
    const indicators = r.strings("indicators");
    r.checkColumnsIn("indicators", indicators, inputs);
    return build(spec, inputs, r.stringOrNull("target"), { strategy, columns, fills: fills as (Fill | null)[], indicators });
  },
});
