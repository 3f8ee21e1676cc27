/**
 * "ordinal-encoder": each category becomes its index among the sorted training categories
 * (0, 1, 2, ...), as scikit-learn 1.2's `OrdinalEncoder`; the output column keeps the input's
 * name and is numeric. Missing values seen at fit encode as `encodedMissingValue` (null: NaN).
 * Unknown categories (including a missing value never seen at fit) are refused with
 * `handleUnknown: "error"` (default) or encoded as `unknownValue` (null: NaN) with
 * `"use_encoded_value"`; as in sklearn, an integer `unknownValue` may not collide with a
 * category's code.
 */
import { z } from "zod";
import { InvalidInputError, show } from "../core/index.js";
import type { Column } from "../data/index.js";
import { defineEstimator, inputSignature, type SignatureColumn, type Spec } from "../estimator/index.js";
import { MISSING, countLabels, indexLabels, rowLabel } from "./categories.js";
import { type ColumnPlan, ColumnwiseTransformer } from "./columnwise.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";

interface OrdinalColumn {
  name: string;
  labels: string[];
  /** Was a missing value seen at fit? */
  missing: boolean;
}

function plan(kind: string, c: OrdinalColumn, useEncoded: boolean, unknownValue: number, missingValue: number): ColumnPlan {
  return {
    input: c.name,
    outputs: [c.name],
    apply(col: Column, n: number): Column[] {
      const idx = indexLabels(col, c.labels);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const k = idx[i];
        if (k >= 0) out[i] = k;
        else if (k === MISSING && c.missing) out[i] = missingValue;
        else if (useEncoded) out[i] = unknownValue;
        else {
          const v = rowLabel(col, i);
          throw new InvalidInputError(`${kind}: column ${show(c.name)} row ${i}: ${v === null ? "a missing value" : `category ${show(v)}`} was not seen in training; set handleUnknown to "use_encoded_value" to accept it`, {
            path: `${c.name}[${i}]`,
            expected: `one of ${show(c.labels, 200)}`,
            received: v,
          });
        }
      }
      return [{ kind: "numeric", values: out }];
    },
  };
}

function build(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, cols: OrdinalColumn[]): ColumnwiseTransformer {
  const p = spec.params;
  const useEncoded = p.handleUnknown === "use_encoded_value";
  const unknownValue = (p.unknownValue as number | null) ?? NaN;
  const missingValue = (p.encodedMissingValue as number | null) ?? NaN;
  return new ColumnwiseTransformer(spec, {
    inputs,
    target,
    plans: cols.map((c) => plan(spec.kind, c, useEncoded, unknownValue, missingValue)),
    state: { columns: cols.map((c) => ({ name: c.name, labels: c.labels, missing: c.missing })) },
  });
}

/**
 * Spec factory for "ordinal-encoder" (see the module comment).
 * @example
 * ```ts
 * const encoder = await ordinalEncoder({ handleUnknown: "use_encoded_value", unknownValue: -1 }).fit(frame);
 * ```
 */
export const ordinalEncoder = defineEstimator<ColumnwiseTransformer>({
  kind: "ordinal-encoder",
  role: "transformer",
  doc: "Encode each category as its index among the sorted training categories",
  schema: {
    handleUnknown: z.enum(["error", "use_encoded_value"]).default("error").describe("refuse unknown categories, or encode them as unknownValue"),
    unknownValue: z.number().nullable().default(null).describe("the code of unknown categories with use_encoded_value (null: NaN)"),
    encodedMissingValue: z.number().nullable().default(null).describe("the code of missing values (null: NaN)"),
    ...selectionParams("categorical"),
  },
  fit(params, data, options, spec) {
    const names = selectColumns(spec.kind, data, params, options.target, ["categorical"], ["categorical", "boolean", "numeric", "text"]);
    const cols = names.map((name): OrdinalColumn => {
      const lc = countLabels(data.column(name), name, spec.kind);
      return { name, labels: lc.labels, missing: lc.missing > 0 };
    });
    const u = params.unknownValue as number | null;
    if (params.handleUnknown === "use_encoded_value" && u !== null && Number.isInteger(u) && cols.length > 0) {
      const minCats = Math.min(...cols.map((c) => c.labels.length));
      if (u >= 0 && u < minCats) {
        throw new InvalidInputError(`${spec.kind}: unknownValue ${u} is also the code of a known category (codes 0..${minCats - 1}); use a negative number or null`, { path: `${spec.kind}.unknownValue`, expected: "a value that is not a category code", received: u });
      }
    }
    return Promise.resolve(build(spec, inputSignature(data, options.target), options.target ?? null, cols));
  },
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const raw = r.json("columns");
    if (!Array.isArray(raw)) throw r.corrupt("state.columns", raw, "a list of encoded columns");
    const cols = raw.map((x, j): OrdinalColumn => {
      const c = x as unknown as OrdinalColumn;
      if (!c || typeof c.name !== "string" || !Array.isArray(c.labels) || !c.labels.every((l) => typeof l === "string") || new Set(c.labels).size !== c.labels.length || typeof c.missing !== "boolean") {
        throw r.corrupt(`state.columns[${j}]`, x, "an encoded column { name, labels (distinct), missing }");
      }
      return c;
    });
    r.checkColumnsIn("columns", cols.map((c) => c.name), inputs);
    return build(spec, inputs, r.stringOrNull("target"), cols);
  },
});
