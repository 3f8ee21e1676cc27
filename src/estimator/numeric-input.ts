/**
 * The numeric feature matrix that linear models, Gaussian naive Bayes and k-NN read: one
 * `Float64Array` per feature column (column-major, zero-copy for numeric and datetime columns),
 * after checking that every feature is a number. Categorical and text columns, and missing
 * values, are refused with an error that names the column and says how to preprocess it.
 */
import { InvalidInputError, show } from "../core/index.js";
import { MISSING_BOOL, type Frame } from "../data/index.js";
import { alignInput } from "./input.js";
import type { SignatureColumn } from "./types.js";

/** Feature columns as doubles, column-major: `columns[j][i]` is row i of feature j. */
export interface NumericFeatures {
  names: string[];
  columns: Float64Array[];
  nRows: number;
}

/** Input kinds numeric models take as they are (booleans as 0/1, datetimes as epoch ms). */
const NUMERIC_KINDS = new Set(["numeric", "boolean", "datetime"]);

/**
 * The columns `names` of `data` as doubles, for the estimator `kind`. Throws INVALID_INPUT naming
 * the first categorical/text column or the first missing value, with the fix.
 * @example
 * ```ts
 * const { columns, nRows } = numericFeatures(frame, ["age", "income"], "knn-classifier");
 * ```
 */
export function numericFeatures(data: Frame, names: readonly string[], kind: string): NumericFeatures {
  const columns: Float64Array[] = [];
  for (const name of names) {
    const col = data.column(name);
    if (!NUMERIC_KINDS.has(col.kind)) {
      throw new InvalidInputError(
        `${kind}: column ${show(name)} is ${col.kind}; ${kind} takes numeric features only. ` +
          `Encode it first with a pipeline, e.g. autoPipeline(${specCall(kind)}) (one-hot encoding), or drop the column`,
        { path: name, expected: "a numeric, boolean or datetime column", received: col.kind },
      );
    }
    let values: Float64Array;
    if (col.kind === "boolean") {
      values = new Float64Array(col.values.length);
      for (let i = 0; i < values.length; i++) values[i] = col.values[i] === MISSING_BOOL ? NaN : col.values[i];
    } else values = (col as { values: Float64Array }).values;
    // one test per value (x − x is 0 exactly when x is finite); the slow path says which it was
    let bad = -1;
    const len = values.length;
    let i = 0;
    // four values per test: a NaN or an infinity anywhere makes the sum NaN
    for (; i + 4 <= len; i += 4) {
      const a = values[i], b = values[i + 1], c = values[i + 2], d = values[i + 3];
      if (a - a + (b - b) + (c - c) + (d - d) !== 0) break;
    }
    for (; i < len; i++) {
      const v = values[i];
      if (v - v !== 0) {
        bad = i;
        break;
      }
    }
    if (bad >= 0) {
      const v = values[bad];
      if (v !== v) {
        throw new InvalidInputError(
          `${kind}: column ${show(name)} is missing at row ${bad}; ${kind} cannot use missing values. ` +
            `Impute them first with a pipeline, e.g. autoPipeline(${specCall(kind)}), or drop those rows`,
          { path: `${name}[${bad}]`, expected: "a number", received: null },
        );
      }
      throw new InvalidInputError(`${kind}: column ${show(name)} row ${bad} is ${v}; features must be finite numbers`, {
        path: `${name}[${bad}]`,
        expected: "a finite number",
        received: v,
      });
    }
    columns.push(values);
  }
  return { names: [...names], columns, nRows: data.nRows };
}

/**
 * Feature names of a training frame: every column but the target.
 * @example
 * ```ts
 * featureNames(frame, "Status"); // every other column
 * ```
 */
export function featureNames(data: Frame, target: string): string[] {
  return data.names.filter((n) => n !== target);
}

/**
 * Predict-time input: align `data` to the training signature (target may be present), then read it as numbers.
 * @example
 * ```ts
 * const x = predictFeatures(model.signature.inputs, await readTable("new.csv"), "Status", "knn-classifier");
 * ```
 */
export function predictFeatures(inputs: readonly SignatureColumn[], data: Frame, target: string, kind: string): NumericFeatures {
  const aligned = alignInput(inputs, data, { ignore: [target] });
  return numericFeatures(aligned, inputs.map((c) => c.name), kind);
}

function specCall(kind: string): string {
  const camel = kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${camel}()`;
}
