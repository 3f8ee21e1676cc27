/**
 * "date-parts": replace each datetime column by numeric calendar parts, in UTC, named
 * `<col>_<part>`, with pandas' definitions: year, quarter (1–4), month (1–12), day (1–31),
 * dayofweek (Monday = 0 … Sunday = 6), dayofyear (1–366), hour, minute, second, and is_weekend
 * (1 on Saturday and Sunday, else 0). Missing datetimes give NaN in every part.
 *
 * Dates come from epoch days with Hinnant's `civil_from_days` algorithm ("chrono-compatible
 * low-level date algorithms", 2013): no Date objects per row.
 */
import type { Json } from "../core/index.js";
import type { Column } from "../data/index.js";
import { defineEstimator, jsonParam, inputSignature, type SignatureColumn, type Spec } from "../estimator/index.js";
import { type ColumnPlan, ColumnwiseTransformer } from "./columnwise.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";

/** The calendar parts `dateParts` can extract. */
export const DATE_PARTS = ["year", "quarter", "month", "day", "dayofweek", "dayofyear", "hour", "minute", "second", "is_weekend"] as const;
/** One calendar part of `DATE_PARTS`. */
export type DatePart = (typeof DATE_PARTS)[number];
const DEFAULT_PARTS: DatePart[] = ["year", "month", "day", "dayofweek", "dayofyear", "hour", "minute", "is_weekend"];

const MS_PER_DAY = 86_400_000;
const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function checkParts(v: Json): string | null {
  return Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === "string" && (DATE_PARTS as readonly string[]).includes(p)) && new Set(v).size === v.length
    ? null
    : `a non-empty list of distinct date parts (${DATE_PARTS.join(", ")})`;
}

/** Calendar parts of every row, written into `out[p][i]` for each requested part index. */
function extract(values: Float64Array, parts: readonly DatePart[], n: number): Float64Array[] {
  const out = parts.map(() => new Float64Array(n));
  const np = parts.length;
  const codes = parts.map((p) => DATE_PARTS.indexOf(p));
  for (let i = 0; i < n; i++) {
    const ms = values[i];
    if (ms !== ms) {
      for (let p = 0; p < np; p++) out[p][i] = NaN;
      continue;
    }
    const days = Math.floor(ms / MS_PER_DAY);
    const msOfDay = ms - days * MS_PER_DAY;
    // civil_from_days
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doyMar = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doyMar + 2) / 153);
    const day = doyMar - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const dow = (((days + 3) % 7) + 7) % 7;
    for (let p = 0; p < np; p++) {
      let v: number;
      switch (codes[p]) {
        case 0: v = year; break;
        case 1: v = Math.floor((month - 1) / 3) + 1; break;
        case 2: v = month; break;
        case 3: v = day; break;
        case 4: v = dow; break;
        case 5: {
          const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
          v = CUMULATIVE_DAYS[month - 1] + day + (leap && month > 2 ? 1 : 0);
          break;
        }
        case 6: v = Math.floor(msOfDay / 3_600_000); break;
        case 7: v = Math.floor((msOfDay % 3_600_000) / 60_000); break;
        case 8: v = Math.floor((msOfDay % 60_000) / 1000); break;
        default: v = dow >= 5 ? 1 : 0;
      }
      out[p][i] = v;
    }
  }
  return out;
}

function plan(name: string, parts: readonly DatePart[]): ColumnPlan {
  return {
    input: name,
    outputs: parts.map((p) => `${name}_${p}`),
    apply(col: Column, n: number): Column[] {
      return extract((col as { values: Float64Array }).values, parts, n).map((values) => ({ kind: "numeric", values }));
    },
  };
}

function build(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, columns: string[]): ColumnwiseTransformer {
  const parts = spec.params.parts as DatePart[];
  return new ColumnwiseTransformer(spec, { inputs, target, plans: columns.map((c) => plan(c, parts)), state: { columns } });
}

/**
 * Spec factory for "date-parts" (see the module comment).
 * @example
 * ```ts
 * const parts = await dateParts({ parts: ["year", "month", "dayofweek"] }).fit(frame);
 * ```
 */
export const dateParts = defineEstimator<ColumnwiseTransformer>({
  kind: "date-parts",
  role: "transformer",
  doc: "Replace datetime columns by calendar parts (year, month, day of week, hour, ...), UTC",
  schema: {
    parts: jsonParam(checkParts).default(DEFAULT_PARTS).describe(`parts to extract, from ${DATE_PARTS.join(", ")}`),
    ...selectionParams("datetime"),
  },
  fit(params, data, options, spec) {
    const columns = selectColumns(spec.kind, data, params, options.target, ["datetime"], ["datetime"]);
    return Promise.resolve(build(spec, inputSignature(data, options.target), options.target ?? null, columns));
  },
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const columns = r.strings("columns");
    r.checkColumnsIn("columns", columns, inputs);
    for (const c of columns) if (inputs.find((x) => x.name === c)!.kind !== "datetime") throw r.corrupt("state.columns", c, "a datetime input column");
    return build(spec, inputs, r.stringOrNull("target"), columns);
  },
});
