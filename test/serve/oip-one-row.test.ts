/**
 * The one-row Open Inference Protocol parser (serve/protocols/oip-one-row.ts): on every body it takes
 * it builds the same frame and id as JSON.parse + decodeInfer (the full path), value for value; every
 * body it does not take exactly — escapes, extra fields, outputs, several rows, wrong types, bad JSON —
 * it declines, and the server answers that body as the full path alone does (the same 400s).
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoPipeline, cellValue, gbdtClassifier, logistic, readTable, saveModel } from "../../src/index.js";
import type { Frame } from "../../src/data/frame.js";
import { type RunningServe, ServedModel, startServe } from "../../src/serve/index.js";
import { decodeInfer } from "../../src/serve/protocols/oip.js";
import { decodeOneRowInfer } from "../../src/serve/protocols/oip-one-row.js";
import { fixture } from "../cli/run-cli.js";

let credit: ServedModel;
let strict: ServedModel;
let server: RunningServe;
let tensors: { name: string; shape: number[]; datatype: string; data: unknown[] }[];

beforeAll(async () => {
  const data = await readTable(fixture("credit-300.csv"));
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-oip-one-row-"));
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 10 })).fit(data, { target: "Status", threads: 1 }), path.join(dir, "credit"));
  // numbers only, no preprocessing: takes no missing values
  saveModel(await logistic({}).fit(data.select(["Seniority", "Age", "Amount", "Status"]), { target: "Status" }), path.join(dir, "strict"));
  credit = ServedModel.load(path.join(dir, "credit"), { name: "credit", source: "test" });
  strict = ServedModel.load(path.join(dir, "strict"), { name: "strict", source: "test" });
  tensors = credit.schema.names.map((name) => {
    const v = cellValue(data.column(name), 0);
    return { name, shape: [1], datatype: typeof v === "string" ? "BYTES" : "FP64", data: [v] };
  });
  server = await startServe({ models: [{ ref: path.join(dir, "credit") }, { ref: path.join(dir, "strict") }], port: 0, predictionLog: false });
}, 120_000);
afterAll(async () => server?.close());

/** A frame's values, column by column (categories as labels; -0 and NaN kept apart by Object.is). */
function values(frame: Frame): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of frame.names) out[name] = Array.from({ length: frame.nRows }, (_, i) => cellValue(frame.column(name), i));
  return out;
}

/** The full path's answer for `text`: the id and frame values, or the error message. */
function full(model: ServedModel, text: string): { id: string | null; frame: Record<string, unknown[]> } | { error: string } {
  try {
    const r = decodeInfer(model, JSON.parse(text));
    return { id: r.id, frame: values(r.frame) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The one-row parser's answer (null: declined), decoded into the schema's shared writer as the server does. */
function fast(model: ServedModel, text: string): { id: string | null; frame: Record<string, unknown[]> } | null {
  const r = decodeOneRowInfer(model, text, true);
  return r && { id: r.id, frame: values(r.frame) };
}

const body = (patch: (t: typeof tensors) => unknown[] = (t) => t, top: Record<string, unknown> = {}) => JSON.stringify({ ...top, inputs: patch(tensors.map((t) => ({ ...t }))) });
const withData = (name: string, data: unknown[], more: object = {}) => body((t) => t.map((x) => (x.name === name ? { ...x, data, ...more } : x)));

describe("one-row OIP parser", () => {
  it("takes the one-row shape however it is written, with the full path's frame and id", () => {
    const canonical = body();
    const accepted: [string, string][] = [
      ["canonical", canonical],
      ["indented", JSON.stringify(JSON.parse(canonical), null, 2)],
      ["tabs and CRLF", canonical.replace(/([{[,:])/g, "$1\t\r\n ").replace(/([}\]])/g, " \r\n$1")],
      ["id first", body(undefined, { id: "req-7" })],
      ["id last", canonical.slice(0, -1) + ',"id":"req-é"}'],
      ["tensor keys reordered", body((t) => t.map(({ name, shape, datatype, data }) => ({ data, datatype, shape, name })))],
      ["tensors in another order", body((t) => [...t].reverse())],
      ["shape [1, 1]", body((t) => t.map((x) => ({ ...x, shape: [1, 1] })))],
      ["exponent", withData("Age", [3e1]).replace('"data":[30]', '"data":[3E+1]')],
      ["fraction and exponent", withData("Age", [0]).replace('"data":[0]', '"data":[300.0e-1]')],
      ["negative zero", withData("Age", [0]).replace('"data":[0]', '"data":[-0]')],
      ["long integer", withData("Income", [0]).replace('"data":[0]', '"data":[12345678901234567890]')],
      ["tiny and huge", withData("Income", [0]).replace('"data":[0]', '"data":[4.9e-324]').replace(/"name":"Assets","shape":\[1\],"datatype":"FP64","data":\[[^\]]*\]/, '"name":"Assets","shape":[1],"datatype":"FP64","data":[1.7976931348623157e308]')],
      ["overflow to infinity", withData("Income", [0]).replace('"data":[0]', '"data":[1e999]')],
      ["null (missing)", withData("Income", [null])],
      ["null category", withData("Home", [null])],
      ["unseen category", withData("Home", ["castle"])],
      ["non-ASCII category", withData("Job", ["fréelance ✓"])],
      ["a boolean for a number", withData("Debt", [true], { datatype: "BOOL" })],
      ["a number for a category", withData("Home", [3], { datatype: "INT64" })],
      ["INT64 for a number", withData("Time", [60], { datatype: "INT64" })],
    ];
    const other = JSON.stringify(JSON.parse(canonical), null, 3);
    for (const [what, text] of accepted) {
      const want = full(credit, text);
      // after a body of another shape (the token-by-token parse), again (the shape of the last body,
      // values parsed alone), and after the canonical body (its shape, when this one shares it)
      for (const before of [other, text, canonical]) {
        expect(fast(credit, before), what).not.toBeNull();
        const got = fast(credit, text);
        expect(got, what).not.toBeNull();
        expect(got, what).toEqual(want);
      }
    }
    // the shared frame: a request with an unseen category, then one without, each as the full path reads it
    for (const text of [withData("Home", ["castle"]), canonical, withData("Home", ["castle"])]) expect(fast(credit, text)).toEqual(full(credit, text));
  });

  it("declines everything else; what the full path says of those bodies stands", () => {
    const canonical = body();
    const declined: [string, string][] = [
      ["escape in a value", withData("Home", ["rent"]).replace('"rent"', '"r\\u0065nt"')],
      ["escaped quote in a value", withData("Job", ['free"lance'])],
      ["escape in a key", canonical.replace('"name"', '"n\\u0061me"')],
      ["escape in the id", body(undefined, { id: "a\nb" })],
      ["extra top-level field", body(undefined, { parameters: { content_type: "pd" } })],
      ["extra tensor field", body((t) => t.map((x) => ({ ...x, parameters: {} })))],
      ["outputs asked for", body(undefined, { outputs: [{ name: "proba_good" }] })],
      ["an input the model does not take", body((t) => [...t, { name: "Comment", shape: [1], datatype: "BYTES", data: ["hi"] }])],
      ["the same input twice", body((t) => [...t, t[0]])],
      ["a key twice", canonical.replace('"name":"Seniority"', '"name":"Age","name":"Seniority"')],
      ["two rows", body((t) => t.map((x) => ({ ...x, shape: [2], data: [x.data[0], x.data[0]] })))],
      ["shape [2], one value", withData("Age", [30], { shape: [2] })],
      ["shape [1], two values", withData("Age", [30, 31])],
      ["nested data", withData("Age", [[30]], { shape: [1, 1] })],
      ["no data", withData("Age", [])],
      ["a string for a number", withData("Age", ["thirty"])],
      ["an object for a category", withData("Home", [{ a: 1 }])],
      ["datatype not taken by the column", withData("Age", [30], { datatype: "BYTES" })],
      ["unknown datatype", withData("Age", [30], { datatype: "FP128" })],
      ["id a number", body(undefined, { id: 42 })],
      ["id null", body(undefined, { id: null })],
      ["id true", body(undefined, { id: true })],
      ["a value that is an array", withData("Age", [[30, 31]])],
      ["a value that is an object", withData("Age", [{}])],
      ["a value followed by another", withData("Age", [30]).replace('"data":[30]', '"data":[30 31]')],
      ["a value running into the next key", withData("Age", [30]).replace('"data":[30]', '"data":[30')],
      ["a column missing", body((t) => t.slice(1))],
      ["no inputs", JSON.stringify({ id: "x" })],
      ["inputs not an array", JSON.stringify({ inputs: {} })],
      ["top-level array", JSON.stringify([1, 2])],
      ["leading zero", withData("Age", [0]).replace('"data":[0]', '"data":[030]')],
      ["bare fraction", withData("Age", [0]).replace('"data":[0]', '"data":[.5]')],
      ["trailing dot", withData("Age", [0]).replace('"data":[0]', '"data":[1.]')],
      ["plus sign", withData("Age", [0]).replace('"data":[0]', '"data":[+1]')],
      ["NaN", withData("Age", [0]).replace('"data":[0]', '"data":[NaN]')],
      ["trailing comma", canonical.replace("}]}", "},]}")],
      ["trailing garbage", canonical + "x"],
      ["two documents", canonical + canonical],
      ["unterminated", canonical.slice(0, -3)],
      ["control character in a string", withData("Home", ["re\tnt"]).replace("\\t", "\t")],
      ["truthy word", withData("Debt", [true], { datatype: "BOOL" }).replace("[true]", "[tru]")],
      ["empty body", ""],
      ["blank body", "  \n"],
    ];
    // each after bodies of other shapes and of its own shape (with other values) were taken
    const withId = body(undefined, { id: "a" });
    for (const before of [JSON.stringify(JSON.parse(canonical), null, 3), canonical, withId]) {
      for (const [what, text] of declined) {
        expect(fast(credit, before), what).not.toBeNull();
        expect(fast(credit, text), what).toBeNull();
      }
    }
    // a model that takes no missing values: a null is the full path's 400
    const strictBody = JSON.stringify({ inputs: strict.schema.names.map((name) => ({ name, shape: [1], datatype: "FP64", data: [name === "Age" ? null : 1] })) });
    expect(fast(strict, strictBody)).toBeNull();
    expect(full(strict, strictBody)).toEqual({ error: expect.stringMatching(/column "Age" row 0: the value is missing/) });
  });

  it("over HTTP, tricky bodies get the answers of the full path: 200s with the same outputs, the same 400s", async () => {
    const post = (name: string, text: string) => fetch(`${server.url}/v2/models/${name}/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: text });
    const reference = await (await post("credit", body())).json();
    const same = [JSON.stringify(JSON.parse(body()), null, 1), withData("Home", ["rent"]).replace('"rent"', '"r\\u0065nt"'), body(undefined, { parameters: {} }), body((t) => t.map((x) => ({ ...x, shape: [1, 1] })))];
    for (const text of same) {
      const res = await post("credit", text);
      expect(res.status, text).toBe(200);
      expect(await res.json(), text).toEqual(reference);
    }
    const refused: [string, string][] = [
      ["credit", withData("Age", ["thirty"])],
      ["credit", withData("Age", [30], { datatype: "BYTES" })],
      ["credit", body((t) => t.slice(1))],
      ["credit", body((t) => [...t, t[0]])],
      ["credit", withData("Age", [0]).replace('"data":[0]', '"data":[030]')],
      ["strict", JSON.stringify({ inputs: strict.schema.names.map((name) => ({ name, shape: [1], datatype: "FP64", data: [name === "Age" ? null : 1] })) })],
    ];
    for (const [name, text] of refused) {
      const res = await post(name, text);
      const got = (await res.json()) as { error: string };
      expect(res.status, text).toBe(400);
      const want = (() => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          return `the request body is not valid JSON: ${(e as Error).message}`;
        }
        try {
          decodeInfer(name === "credit" ? credit : strict, parsed);
          return "(accepted)";
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(got.error, text).toBe(want);
    }
  });
});
