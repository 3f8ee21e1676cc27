/**
 * The Open Inference Protocol v2 (KServe's "V2 inference protocol", also MLServer's and Triton's),
 * REST form: <https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/>.
 * A tabular model takes one input tensor per column (`{name, shape: [n], datatype, data}`; `[n, 1]`
 * and row-major nested `data` are accepted too) and answers `prediction` plus, for classifiers, one
 * `proba_<class>` tensor per class. Errors are `{"error": "..."}`.
 */
import { show } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { DATATYPE, InputError, type InputSlot } from "../input-schema.js";
import type { Prediction, ServedModel } from "../served-model.js";
import { num } from "./mlflow.js";

/** Every datatype the protocol names. */
export const OIP_DATATYPES = ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"] as const;

const DATATYPES: ReadonlySet<string> = new Set(OIP_DATATYPES);
const NUMBERS = new Set(["UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64"]);
const INTEGERS = new Set(["UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64"]);

/** Which request datatypes a column of each kind takes. */
export function accepts(slot: InputSlot, datatype: string): boolean {
  switch (slot.kind) {
    case "numeric":
      return NUMBERS.has(datatype) || datatype === "BOOL";
    case "datetime":
      return INTEGERS.has(datatype) || datatype === "FP64" || datatype === "BYTES";
    case "boolean":
      return datatype === "BOOL" || INTEGERS.has(datatype);
    case "categorical":
    case "text":
      return datatype === "BYTES" || NUMBERS.has(datatype) || datatype === "BOOL";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A decoded inference request. */
export interface InferRequest {
  id: string | null;
  frame: Frame;
  /** Output names asked for, or null for all. */
  outputs: string[] | null;
}

/** `[rows]` or `[rows, 1]` with whole, non-negative sizes. */
function isColumnShape(shape: unknown): shape is number[] {
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) return false;
  for (let i = 0; i < shape.length; i++) if (!Number.isSafeInteger(shape[i]) || shape[i] < 0) return false;
  return true;
}

/**
 * Decode `POST /v2/models/{name}/infer` for `model`. Throws a 400 (`InputError`) naming the input
 * at fault. `reuse`: a one-row frame may be the schema's shared one (see `InputSchema.writer`).
 */
export function decodeInfer(model: ServedModel, body: unknown, reuse = false): InferRequest {
  if (!isObject(body)) throw new InputError("the inference request must be a JSON object with an \"inputs\" array", null, { path: "body", expected: "{inputs: [...]}", received: Array.isArray(body) ? "an array" : typeof body });
  const id = body.id;
  if (id !== undefined && typeof id !== "string") throw new InputError(`"id" must be a string, got ${show(id)}`, null, { path: "id", expected: "a string", received: id });
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) throw new InputError("\"inputs\" must be an array of tensors {name, shape, datatype, data}", null, { path: "inputs", expected: "an array", received: typeof inputs });
  const schema = model.schema;
  // first pass: validate each tensor, find the row count
  const usedSlots: number[] = [];
  const usedData: unknown[][] = [];
  const names = new Set<string>();
  let n = -1;
  for (let t = 0; t < inputs.length; t++) {
    const x = inputs[t];
    if (!isObject(x) || typeof x.name !== "string") throw new InputError(`inputs[${t}] must be a tensor {name, shape, datatype, data}`, null, { path: `inputs[${t}]`, expected: "an object with a name" });
    const name = x.name;
    if (names.has(name)) throw new InputError(`input ${show(name)} is given twice`, name, { path: `inputs[${t}].name`, received: name });
    names.add(name);
    const slot = schema.slotOf(name);
    if (slot < 0) continue; // not an input of the model: ignored
    const s = schema.slots[slot];
    const datatype = x.datatype;
    if (typeof datatype !== "string" || !DATATYPES.has(datatype)) {
      throw new InputError(`input ${show(name)}: datatype ${show(datatype)} is not one of ${OIP_DATATYPES.join(", ")}`, name, { path: `inputs[${t}].datatype`, expected: OIP_DATATYPES.join(" | "), received: datatype });
    }
    if (!accepts(s, datatype)) throw new InputError(`input ${show(name)}: datatype ${datatype} does not fit the column, which takes ${s.datatype}`, name, { path: `inputs[${t}].datatype`, expected: s.datatype, received: datatype });
    const shape = x.shape;
    if (!isColumnShape(shape)) {
      throw new InputError(`input ${show(name)}: shape ${show(shape)} is not a column; expected [rows] or [rows, 1]`, name, { path: `inputs[${t}].shape`, expected: "[rows] or [rows, 1]", received: shape });
    }
    let data = x.data;
    if (!Array.isArray(data)) throw new InputError(`input ${show(name)}: "data" must be an array`, name, { path: `inputs[${t}].data`, expected: "an array", received: typeof data });
    if (data.length > 0 && Array.isArray(data[0])) data = (data as unknown[]).flat(2);
    const rows = shape[0] as number;
    if ((data as unknown[]).length !== rows) throw new InputError(`input ${show(name)}: shape ${show(shape)} says ${rows} values, data holds ${(data as unknown[]).length}`, name, { path: `inputs[${t}].data`, expected: `${rows} values`, received: (data as unknown[]).length });
    if (n < 0) n = rows;
    else if (rows !== n) throw new InputError(`input ${show(name)} has ${rows} rows, other inputs ${n}`, name, { path: `inputs[${t}].shape`, expected: `[${n}]`, received: shape });
    usedSlots.push(slot);
    usedData.push(data as unknown[]);
  }
  const w = schema.writer(Math.max(n, 0), reuse);
  for (let u = 0; u < usedSlots.length; u++) {
    const slot = usedSlots[u];
    w.present(slot);
    const d = usedData[u];
    for (let r = 0; r < d.length; r++) w.set(slot, r, d[r]);
  }
  const frame = w.frame();
  let outputs: string[] | null = null;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs) || !body.outputs.every((o) => isObject(o) && typeof o.name === "string")) throw new InputError("\"outputs\" must be an array of {name}", null, { path: "outputs", expected: "[{name: ...}]", received: body.outputs });
    outputs = (body.outputs as { name: string }[]).map((o) => o.name);
    const known = new Set(model.outputs.map((o) => o.name));
    const unknown = outputs.filter((o) => !known.has(o));
    if (unknown.length > 0) throw new InputError(`output ${show(unknown[0])} is not one of the model's outputs (${model.outputs.map((o) => o.name).join(", ")})`, null, { path: "outputs", expected: model.outputs.map((o) => o.name).join(" | "), received: unknown[0] });
  }
  return { id: typeof id === "string" ? id : null, frame, outputs };
}

/** The JSON of what a run of responses shares: the model's name and version, each output tensor's head. */
let headModel: ServedModel | null = null;
let headVersion = "";
let headJson = "";
let tensorLabels: readonly string[] | null = null;
let tensorJson: string[] = [];

/** The inference response as text. */
export function inferResponse(model: ServedModel, version: string, id: string | null, p: Prediction, outputs: string[] | null): string {
  const want = outputs ? new Set(outputs) : null;
  const n = p.nRows;
  if (model !== headModel || version !== headVersion) {
    headModel = model;
    headVersion = version;
    headJson = `{"model_name":${JSON.stringify(model.name)},"model_version":${JSON.stringify(version)}`;
  }
  let out = headJson + (id === null ? "" : `,"id":${JSON.stringify(id)}`) + `,"outputs":[`;
  let first = true;
  if (!want || want.has("prediction")) {
    out += `{"name":"prediction","shape":[${n}],"datatype":"${p.codes ? "BYTES" : "FP64"}","data":[`;
    if (p.codes && p.labels) for (let i = 0; i < n; i++) out += (i > 0 ? "," : "") + (p.codes[i] < 0 ? "null" : JSON.stringify(p.labels[p.codes[i]]));
    else for (let i = 0; i < n; i++) out += (i > 0 ? "," : "") + num(p.values![i]);
    out += "]}";
    first = false;
  }
  if (p.proba && p.labels) {
    if (p.labels !== tensorLabels) {
      tensorLabels = p.labels;
      tensorJson = p.labels.map((l) => `{"name":${JSON.stringify(`proba_${l}`)},"shape":[`);
    }
    for (let j = 0; j < p.proba.length; j++) {
      if (want && !want.has(`proba_${p.labels[j]}`)) continue;
      const col = p.proba[j];
      out += (first ? "" : ",") + tensorJson[j] + `${n}],"datatype":"FP64","data":[`;
      for (let i = 0; i < n; i++) out += (i > 0 ? "," : "") + num(col[i]);
      out += "]}";
      first = false;
    }
  }
  return out + "]}";
}

/** `GET /v2/models/{name}[/versions/{v}]`: name, versions, platform, inputs, outputs. */
export function modelMetadata(model: ServedModel, versions: readonly string[]): Record<string, unknown> {
  return {
    name: model.name,
    versions,
    platform: "keel",
    inputs: model.schema.slots.map((s) => ({ name: s.name, datatype: DATATYPE[s.kind], shape: [-1], ...(s.kind === "categorical" ? { parameters: { categories: s.categories } } : {}) })),
    outputs: model.outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: [-1] })),
  };
}
