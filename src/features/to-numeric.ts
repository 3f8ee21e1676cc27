/**
 * "to-numeric": cast boolean columns to numbers 0 / 1 (and, when selected, datetime columns to
 * epoch milliseconds); missing values become NaN. Column names are kept. Models read numbers,
 * so the default preprocessing turns booleans into 0/1 with it.
 */
import { type Column, MISSING_BOOL } from "../data/index.js";
import { defineEstimator, inputSignature, type SignatureColumn, type Spec } from "../estimator/index.js";
import { type ColumnPlan, ColumnwiseTransformer } from "./columnwise.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";

function plan(name: string): ColumnPlan {
  return {
    input: name,
    outputs: [name],
    apply(col: Column, n: number): Column[] {
      const out = new Float64Array(n);
      if (col.kind === "boolean") {
        for (let i = 0; i < n; i++) out[i] = col.values[i] === MISSING_BOOL ? NaN : col.values[i];
      } else if (col.kind === "datetime" || col.kind === "numeric") {
        out.set(col.values.subarray(0, n));
      }
      return [{ kind: "numeric", values: out }];
    },
  };
}

function build(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, columns: string[]): ColumnwiseTransformer {
  return new ColumnwiseTransformer(spec, { inputs, target, plans: columns.map(plan), state: { columns } });
}

/**
 * Spec factory for "to-numeric" (see the module comment).
 * @example
 * ```ts
 * const numeric = await toNumeric().fit(frame); // booleans → 0/1
 * ```
 */
export const toNumeric = defineEstimator<ColumnwiseTransformer>({
  kind: "to-numeric",
  role: "transformer",
  doc: "Cast boolean columns to 0/1 numbers (datetime to epoch ms when selected); missing → NaN",
  schema: { ...selectionParams("boolean") },
  fit(params, data, options, spec) {
    const columns = selectColumns(spec.kind, data, params, options.target, ["boolean"], ["boolean", "datetime"]);
    return Promise.resolve(build(spec, inputSignature(data, options.target), options.target ?? null, columns));
  },
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const columns = r.strings("columns");
    r.checkColumnsIn("columns", columns, inputs);
    return build(spec, inputs, r.stringOrNull("target"), columns);
  },
});
