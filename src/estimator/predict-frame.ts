/**
 * Prediction on a Frame, as every consumer wants it (the CLI's `keel predict`, serving): one
 * output row per input row, in input order — `prediction`, then for classifiers `proba_<class>`
 * per class — plus what the model met that it never saw in training (categories per column), so
 * callers can warn instead of staying silent.
 */
import { InvalidInputError, show } from "../core/index.js";
import { cellValue, type ColumnInput, Frame } from "../data/index.js";
import { type Fitted, type SignatureColumn, isClassifier, isRegressor } from "./types.js";

/** Values of a categorical input column that the model never saw in training. */
export interface UnseenCategories {
  column: string;
  /** Rows holding such a value. */
  rows: number;
  /** Up to five of the unseen values, in order of first appearance. */
  examples: string[];
}

/** What `predictFrame` returns: the predictions as a frame and the unseen categories met. */
export interface FramePrediction {
  /** `prediction`, then `proba_<class>` per class for classifiers. */
  frame: Frame;
  /** Categorical columns with values unseen in training (empty when there are none). */
  unseen: UnseenCategories[];
}

/**
 * Predict every row of `data` (the target column, if present, is ignored).
 *
 * @example
 * const { frame, unseen } = predictFrame(loadModel("credit-model"), rows);
 * for (const u of unseen) console.warn(`${u.rows} rows of ${u.column} hold categories unseen in training`);
 */
export function predictFrame(model: Fitted, data: Frame): FramePrediction {
  const output = model.signature.output;
  const target = output.type === "frame" ? undefined : output.target;
  const features = target && data.has(target) ? data.drop([target]) : data;
  const unseen = unseenCategories(model.signature.inputs, features);
  if (isClassifier(model)) {
    const cols: Record<string, ColumnInput> = { prediction: model.predict(features) };
    const p = model.predictProba(features);
    const k = model.classes.length;
    model.classes.forEach((c, j) => {
      const v = new Float64Array(features.nRows);
      for (let i = 0; i < v.length; i++) v[i] = p[i * k + j];
      cols[`proba_${c}`] = v;
    });
    return { frame: Frame.fromColumns(cols), unseen };
  }
  if (isRegressor(model)) return { frame: Frame.fromColumns({ prediction: model.predict(features) }), unseen };
  throw new InvalidInputError(`${show(model.spec.kind)} is a transformer, not a model; nothing to predict`, { path: "model", expected: "a classifier or regressor", received: model.spec.kind });
}

/**
 * For each categorical input of the signature present in `data`: rows whose value is not a training category.
 * @example
 * ```ts
 * for (const u of unseenCategories(model.signature.inputs, frame)) console.warn(`${u.column}: ${u.rows} rows with unseen values like ${u.examples[0]}`);
 * ```
 */
export function unseenCategories(inputs: readonly SignatureColumn[], data: Frame): UnseenCategories[] {
  const out: UnseenCategories[] = [];
  for (const spec of inputs) {
    if (spec.kind !== "categorical" || !data.has(spec.name)) continue;
    const known = new Set(spec.categories ?? []);
    const col = data.column(spec.name);
    let rows = 0;
    const examples = new Set<string>();
    const count = (label: string, times: number) => {
      if (known.has(label)) return;
      rows += times;
      if (examples.size < 5) examples.add(label);
    };
    if (col.kind === "categorical") {
      const perCode = new Int32Array(col.categories.length);
      for (const c of col.codes) if (c >= 0) perCode[c]++;
      col.categories.forEach((label, c) => perCode[c] > 0 && count(label, perCode[c]));
    } else {
      for (let i = 0; i < data.nRows; i++) {
        const v = cellValue(col, i);
        if (v !== null) count(v instanceof Date ? v.toISOString() : String(v), 1);
      }
    }
    if (rows > 0) out.push({ column: spec.name, rows, examples: [...examples] });
  }
  return out;
}
