/**
 * `inferSchema(frame)`: a schema describing what a frame looks like now — each column's kind,
 * whether it has missing cells, the observed range, the categories (up to a cap) and uniqueness.
 */
import { missingCount } from "../column.js";
import type { Frame } from "../frame.js";
import { type ColumnSchema, type Schema, SCHEMA_VERSION } from "./types.js";

/** Options of `inferSchema`. */
export interface InferSchemaOptions {
  /** Categorical columns with at most this many observed categories get a `categories` list. Default 50. */
  readonly maxCategories?: number;
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Infer a schema from a frame:
 * - `kind`: the column's kind; `nullable`: whether any cell is missing;
 * - `min`/`max`: the observed range of numeric columns (datetimes as ISO 8601);
 * - `categories`: the observed categories of a categorical column when there are at most
 *   `maxCategories` (default 50) and some value repeats (an all-distinct column is a key, not a
 *   set of categories, and new data would bring new values);
 * - `unique: true` when every present value is distinct (at least 2 of them) and the column can
 *   be a key: text, categorical, or whole-number numeric. Real-valued measurements are not marked
 *   unique even when no value repeats, since a repeat in new data is no error.
 * - `rows`: at least 1 row, no upper bound; the observed count is kept as `rows.observed`.
 * The result validates the frame it came from.
 * @example
 * ```ts
 * const schema = inferSchema(await readTable("train.csv"));
 * const report = validate(await readTable("new.csv"), schema);
 * ```
 */
export function inferSchema(frame: Frame, options: InferSchemaOptions = {}): Schema {
  const maxCategories = options.maxCategories ?? 50;
  const columns: Record<string, ColumnSchema> = {};
  for (const [name, c] of frame.entries()) {
    const missing = missingCount(c);
    const present = frame.nRows - missing;
    const out: { -readonly [K in keyof ColumnSchema]: ColumnSchema[K] } = { kind: c.kind, nullable: missing > 0 };
    switch (c.kind) {
      case "numeric":
      case "datetime": {
        let min = Infinity;
        let max = -Infinity;
        let integer = true;
        const v = c.values;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x !== x) continue;
          if (x < min) min = x;
          if (x > max) max = x;
          if (integer && !Number.isInteger(x)) integer = false;
        }
        if (present > 0) {
          out.min = c.kind === "datetime" ? isoOf(min) : min;
          out.max = c.kind === "datetime" ? isoOf(max) : max;
        }
        // whole numbers in a range narrower than the count must repeat (pigeonhole): no sort needed
        if (c.kind === "numeric" && integer && present >= 2 && max - min + 1 >= present) {
          const sorted = new Float64Array(present);
          let k = 0;
          for (let i = 0; i < v.length; i++) if (v[i] === v[i]) sorted[k++] = v[i];
          sorted.sort();
          let distinct = true;
          for (let i = 1; i < present && distinct; i++) if (sorted[i] === sorted[i - 1]) distinct = false;
          if (distinct) out.unique = true;
        }
        break;
      }
      case "categorical": {
        const counts = new Int32Array(c.categories.length);
        for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) counts[c.codes[i]]++;
        const observed = c.categories.filter((_, k) => counts[k] > 0);
        let allOnce = present >= 2;
        for (let k = 0; k < counts.length && allOnce; k++) if (counts[k] > 1) allOnce = false;
        if (allOnce) out.unique = true;
        else if (observed.length <= maxCategories) out.categories = observed;
        break;
      }
      case "text": {
        if (present >= 2) {
          const seen = new Set<string>();
          let distinct = true;
          for (const s of c.values) {
            if (s === null) continue;
            if (seen.has(s)) {
              distinct = false;
              break;
            }
            seen.add(s);
          }
          if (distinct) out.unique = true;
        }
        break;
      }
      case "boolean":
        break;
    }
    columns[name] = out;
  }
  return { version: SCHEMA_VERSION, rows: { min: frame.nRows > 0 ? 1 : 0, max: null, observed: frame.nRows }, columns };
}
