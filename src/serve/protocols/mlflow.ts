/**
 * MLflow's scoring API, as `mlflow models serve` answers it (mlflow.pyfunc.scoring_server):
 * `POST /invocations` with a JSON body holding exactly one of
 * - `dataframe_split`: `{columns, data: [[...], ...]}` (pandas `orient="split"`),
 * - `dataframe_records`: `[{column: value}, ...]` (pandas `orient="records"`),
 * - `instances` / `inputs` (TF-serving style): records, `{column: [values]}` columns, or rows of values in
 *   the signature's column order,
 * or a `text/csv` body; the answer is `{"predictions": [...]}`: numbers for regressors, records
 * `{prediction, proba_<class>...}` for classifiers. Errors have MLflow's shape
 * `{"error_code": "BAD_REQUEST", "message": ...}`.
 */
import { show } from "../../core/errors.js";
import type { Frame } from "../../data/frame.js";
import { InputError, type InputSchema, type RowWriter } from "../input-schema.js";
import type { Prediction } from "../served-model.js";

/** The JSON input fields MLflow accepts (one per request). */
export const MLFLOW_INPUT_FIELDS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * An MLflow JSON body as the model's input frame. `reuse`: a one-row frame may be the schema's
 * shared one (see `InputSchema.writer`).
 */
export function mlflowFrame(schema: InputSchema, body: unknown, reuse = false): Frame {
  if (!isObject(body)) throw new InputError(`the body must be a JSON object with one of the fields ${MLFLOW_INPUT_FIELDS.join(", ")}`, null, { path: "body", expected: "a JSON object", received: Array.isArray(body) ? "an array" : typeof body });
  const given = MLFLOW_INPUT_FIELDS.filter((f) => body[f] !== undefined);
  if (given.length !== 1) {
    throw new InputError(`the body must hold exactly one of the fields ${MLFLOW_INPUT_FIELDS.join(", ")}; it holds ${given.length === 0 ? `none (fields: ${show(Object.keys(body), 200)})` : given.join(" and ")}`, null, {
      path: "body",
      expected: `one of ${MLFLOW_INPUT_FIELDS.join(", ")}`,
      received: Object.keys(body),
    });
  }
  const field = given[0];
  const value = body[field];
  if (field === "dataframe_split") return splitFrame(schema, value, reuse);
  if (field === "dataframe_records") {
    if (!Array.isArray(value)) throw new InputError("dataframe_records must be an array of records ({column: value} objects)", null, { path: "dataframe_records", expected: "an array of objects", received: typeof value });
    return recordsFrame(schema, value, field, reuse);
  }
  return tensorFrame(schema, value, field, reuse);
}

function splitFrame(schema: InputSchema, value: unknown, reuse: boolean): Frame {
  if (!isObject(value)) throw new InputError("dataframe_split must be an object {columns, data}", null, { path: "dataframe_split", expected: "{columns: [...], data: [[...], ...]}", received: Array.isArray(value) ? "an array" : typeof value });
  const data = value.data;
  if (!Array.isArray(data)) throw new InputError("dataframe_split.data must be an array of rows", null, { path: "dataframe_split.data", expected: "an array of arrays", received: typeof data });
  let columns: readonly string[];
  if (value.columns === undefined) columns = schema.slots.map((s) => s.name);
  else if (Array.isArray(value.columns) && value.columns.every((c) => typeof c === "string")) columns = value.columns as string[];
  else throw new InputError("dataframe_split.columns must be an array of column names", null, { path: "dataframe_split.columns", expected: "an array of strings", received: value.columns });
  return rowsFrame(schema, data, columns, "dataframe_split.data", reuse);
}

/** Rows of values, positionally matching `columns`. */
function rowsFrame(schema: InputSchema, data: unknown[], columns: readonly string[], where: string, reuse: boolean): Frame {
  const w = schema.writer(data.length, reuse);
  const slots = schema.slotsOf(columns);
  for (let c = 0; c < slots.length; c++) if (slots[c] >= 0) w.present(slots[c]);
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw new InputError(`${where}[${r}] must be an array of ${columns.length} values (one per column)`, null, { path: `${where}[${r}]`, expected: `${columns.length} values`, received: Array.isArray(row) ? `${row.length} values` : typeof row });
    }
    for (let c = 0; c < slots.length; c++) if (slots[c] >= 0) w.set(slots[c], r, row[c]);
  }
  return w.frame();
}

function recordsFrame(schema: InputSchema, records: unknown[], where: string, reuse: boolean): Frame {
  const n = records.length;
  for (let r = 0; r < n; r++) {
    if (!isObject(records[r])) throw new InputError(`${where}[${r}] must be a record ({column: value})`, null, { path: `${where}[${r}]`, expected: "an object", received: Array.isArray(records[r]) ? "an array" : typeof records[r] });
  }
  const w = schema.writer(n, reuse);
  const slots = schema.slots;
  for (let j = 0; j < slots.length; j++) {
    const name = slots[j].name;
    let present = false;
    for (let r = 0; r < n; r++) {
      const v = (records[r] as Record<string, unknown>)[name];
      if (v !== undefined) present = true;
      w.set(j, r, v);
    }
    if (present || n === 0) w.present(j);
  }
  return w.frame();
}

function tensorFrame(schema: InputSchema, value: unknown, where: string, reuse: boolean): Frame {
  if (Array.isArray(value)) {
    if (value.length > 0 && Array.isArray(value[0])) return rowsFrame(schema, value, schema.names, where, reuse);
    return recordsFrame(schema, value, where, reuse);
  }
  if (!isObject(value)) throw new InputError(`${where} must be records, {column: [values]} or rows of values`, null, { path: where, expected: "an array or an object", received: typeof value });
  // columns: {name: [values]} (or one value each: one row)
  let n = -1;
  for (const s of schema.slots) {
    const col = value[s.name];
    if (col === undefined) continue;
    const len = Array.isArray(col) ? col.length : 1;
    if (n < 0) n = len;
    else if (len !== n) throw new InputError(`${where}.${s.name} has ${len} values, other columns ${n}`, s.name, { path: `${where}.${s.name}`, expected: `${n} values`, received: len });
  }
  const w: RowWriter = schema.writer(Math.max(n, 0), reuse);
  schema.slots.forEach((s, j) => {
    const col = value[s.name];
    if (col === undefined) return;
    w.present(j);
    if (Array.isArray(col)) for (let r = 0; r < col.length; r++) w.set(j, r, col[r]);
    else w.set(j, 0, col);
  });
  return w.frame();
}

/** `{"predictions": [...]}` as text. */
export function mlflowResponse(p: Prediction): string {
  const parts: string[] = new Array(p.nRows);
  if (p.labels && p.codes && p.proba) {
    const keys = p.proba.map((_, j) => `,${JSON.stringify(`proba_${p.labels![j]}`)}:`);
    for (let i = 0; i < p.nRows; i++) {
      const c = p.codes[i];
      let s = `{"prediction":${c < 0 ? "null" : JSON.stringify(p.labels[c])}`;
      for (let j = 0; j < keys.length; j++) s += keys[j] + num(p.proba[j][i]);
      parts[i] = s + "}";
    }
  } else {
    const v = p.values!;
    for (let i = 0; i < p.nRows; i++) parts[i] = num(v[i]);
  }
  return `{"predictions":[${parts.join(",")}]}`;
}

/** A double as JSON (shortest round-trip form); NaN / ±Infinity as null. */
export function num(x: number): string {
  return Number.isFinite(x) ? String(x) : "null";
}

/** MLflow's error body. */
export function mlflowError(message: string, errorCode = "BAD_REQUEST"): { error_code: string; message: string } {
  return { error_code: errorCode, message };
}
