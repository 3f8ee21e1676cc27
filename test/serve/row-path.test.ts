/**
 * The single-row fast path (serve/row-path.ts): compiled for gradient boosting behind column-wise
 * preprocessing, it answers every row — training rows, rows with missing values and unseen
 * categories — exactly as `keel predict` (`predictFrame` over the whole frame) does, bit for bit;
 * models it cannot compile take the frame path.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type Fitted, autoPipeline, cellValue, gbdtClassifier, gbdtRegressor, logistic, minMaxScaler, pipeline, predictFrame, readTable, simpleImputer } from "../../src/index.js";
import type { Frame } from "../../src/data/frame.js";
import { ServedModel } from "../../src/serve/index.js";
import { mlflowFrame } from "../../src/serve/protocols/mlflow.js";
import { fixture } from "../cli/run-cli.js";

let data: Frame;
let columns: string[];
let rows: unknown[][];

beforeAll(async () => {
  data = await readTable(fixture("credit-300.csv"));
  columns = data.names.filter((c) => c !== "Status");
  rows = [];
  for (let i = 0; i < data.nRows; i++) rows.push(columns.map((c) => cellValue(data.column(c), i)));
  // rows the training data never held: missing values, unseen categories, extreme numbers
  const at = (name: string) => columns.indexOf(name);
  const edits: [string, unknown][] = [
    ["Home", null],
    ["Home", "castle"],
    ["Job", "astronaut"],
    ["Income", null],
    ["Income", 1e12],
    ["Age", -0],
    ["Assets", Infinity],
    ["Marital", null],
  ];
  edits.forEach(([c, v], k) => {
    const r = [...rows[k]];
    r[at(c)] = v;
    rows.push(r);
  });
}, 60_000);

/**
 * Every row through `served`, one request each: probabilities (or values) as numbers. `reuse`: as
 * the server answers one-row requests — the schema's shared frame and the model's shared prediction
 * — with a request refused half-way through decoding between every two rows.
 */
function oneByOne(served: ServedModel, cols: readonly string[], all: readonly unknown[][], reuse = false): number[][] {
  return all.map((r, i) => {
    if (reuse) {
      const bad = r.map((v, j) => (j === (i % cols.length) + 1 || j === cols.length - 1 ? { not: "a value" } : v));
      expect(() => mlflowFrame(served.schema, { dataframe_split: { columns: cols, data: [bad] } }, true)).toThrow(/column/);
    }
    const p = served.predict(mlflowFrame(served.schema, { dataframe_split: { columns: cols, data: [r] } }, reuse), reuse);
    return p.proba ? [p.codes![0], ...p.proba.map((c) => c[0])] : [p.values![0]];
  });
}

/** `keel predict` on all rows at once: the same numbers, from its output frame. */
function reference(fitted: Fitted, served: ServedModel, cols: readonly string[], all: readonly unknown[][]): number[][] {
  const frame = mlflowFrame(served.schema, { dataframe_split: { columns: cols, data: all } });
  const out = predictFrame(fitted, frame).frame;
  return all.map((_, i) => {
    if (served.classes) return [served.classes.indexOf(cellValue(out.column("prediction"), i) as string), ...served.classes.map((c) => cellValue(out.column(`proba_${c}`), i) as number)];
    return [cellValue(out.column("prediction"), i) as number];
  });
}

const bits = (rowsOf: number[][]) => rowsOf.map((r) => r.map((x) => (Object.is(x, -0) ? "-0" : String(x))).join(" "));

describe("single-row fast path", () => {
  it("gradient-boosting classifier behind the default preprocessing: compiled, every row equal to keel predict bit for bit", async () => {
    const fitted = await autoPipeline(gbdtClassifier({ maxIter: 40 })).fit(data, { target: "Status", threads: 1 });
    const served = ServedModel.fromFitted(fitted, { name: "credit", source: "test", version: "1" });
    expect(served.fastRow).toBe(true);
    const want = bits(reference(fitted, served, columns, rows));
    expect(bits(oneByOne(served, columns, rows))).toEqual(want);
    // the server's way: one shared frame and prediction, rows with unseen categories and refused requests in between
    expect(bits(oneByOne(served, columns, rows, true))).toEqual(want);
  });

  it("gradient-boosting regressor, with missing indicators: compiled, equal bit for bit", async () => {
    const train = data.drop(["Status"]);
    const cols = columns.filter((c) => c !== "Amount");
    const fitted = await pipeline(simpleImputer({ strategy: "median", addIndicator: true, kinds: ["numeric"] }), gbdtRegressor({ maxIter: 15 })).fit(train, { target: "Amount", threads: 1 });
    const served = ServedModel.fromFitted(fitted, { name: "amount", source: "test", version: "1" });
    expect(served.fastRow).toBe(true);
    const some = rows.map((r) => r.filter((_, j) => columns[j] !== "Amount"));
    const want = bits(reference(fitted, served, cols, some));
    expect(bits(oneByOne(served, cols, some))).toEqual(want);
    expect(bits(oneByOne(served, cols, some, true))).toEqual(want);
  });

  it("models it cannot compile (a scaler before the model, a model without a single-row predictor) take the frame path", async () => {
    const numeric = data.select(["Seniority", "Age", "Income", "Status"]);
    const scaled = await pipeline(simpleImputer({ strategy: "median" }), minMaxScaler({}), gbdtClassifier({ maxIter: 5 })).fit(numeric, { target: "Status", threads: 1 });
    expect(ServedModel.fromFitted(scaled, { name: "a", source: "test", version: "1" }).fastRow).toBe(false);
    const linear = await autoPipeline(logistic({})).fit(data, { target: "Status" });
    expect(ServedModel.fromFitted(linear, { name: "b", source: "test", version: "1" }).fastRow).toBe(false);
  });
});
