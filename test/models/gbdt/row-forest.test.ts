/**
 * The packed single-row forest (`row-forest.ts`) reaches the leaves the node-array walk
 * (`predictRawRow` over `leafOf`) reaches: the same raw scores bit for bit, for numeric and
 * categorical splits, missing values both ways, unseen and out-of-range category codes, binary and
 * multiclass models.
 */
import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { gbdtClassifier, gbdtRegressor } from "../../../src/models/gbdt/index.js";
import type { Forest } from "../../../src/models/gbdt/forest.js";
import { type FeatureMaps, predictRawRow } from "../../../src/models/gbdt/predict.js";
import { rowForest, rowForestRaw } from "../../../src/models/gbdt/row-forest.js";
import { synthetic } from "./helpers.js";

interface Inside {
  parts: { forest: Forest; baseline: Float64Array };
  maps: FeatureMaps;
}

/** Rows of every kind a request can bring: values across the range, NaN, category codes in and out of range. */
function rows(maps: FeatureMaps, n: number): Float64Array[] {
  let s = 7;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const odd = [NaN, -1, 1e9, 0.5, -0, Infinity, -Infinity];
  return Array.from({ length: n }, () => {
    const x = new Float64Array(maps.p);
    for (let f = 0; f < maps.p; f++) {
      if (rnd() < 0.1) x[f] = odd[Math.floor(rnd() * odd.length)];
      else x[f] = maps.isCat[f] ? Math.floor(rnd() * 10) : (rnd() - 0.5) * 8;
    }
    return x;
  });
}

function expectSameScores(model: unknown): void {
  const { parts, maps } = model as Inside;
  const packed = rowForest(parts.forest);
  const K = parts.forest.K;
  let categorical = 0;
  for (let i = 0; i < parts.forest.catSet.length; i++) if (parts.forest.catSet[i] >= 0) categorical++;
  expect(categorical).toBeGreaterThan(0);
  for (const x of rows(maps, 3000)) {
    const want = predictRawRow(parts.forest, maps, x, parts.baseline, new Float64Array(K));
    const got = rowForestRaw(packed, maps, x, parts.baseline, new Float64Array(K));
    for (let k = 0; k < K; k++) expect(Object.is(got[k], want[k]), `row ${Array.from(x)} score ${k}: ${got[k]} vs ${want[k]}`).toBe(true);
  }
}

describe("packed single-row forest", () => {
  it("binary classifier and regressor with categorical splits and missing values: same raw scores bit for bit", async () => {
    const data = synthetic(3000, 11);
    const c = await gbdtClassifier({ maxIter: 40, earlyStopping: false, threads: 1 }).fit(data.drop(["value", "count"]), { target: "label" });
    expectSameScores(c);
    const r = await gbdtRegressor({ maxIter: 40, earlyStopping: false, threads: 1 }).fit(data.drop(["label", "count"]), { target: "value" });
    expectSameScores(r);
  });

  it("multiclass (one tree per class per iteration): same raw scores bit for bit", async () => {
    const data = synthetic(3000, 5);
    const x1 = (data.column("x1") as { values: Float64Array }).values;
    const shop = data.column("shop") as { codes: Int32Array };
    const label = Array.from(x1, (v, i) => (shop.codes[i] % 3 === 0 ? "p" : v > 0.3 ? "q" : "r"));
    const frame = Frame.fromColumns({ x1, x2: data.column("x2"), shop: data.column("shop"), label });
    const m = await gbdtClassifier({ maxIter: 20, earlyStopping: false, threads: 1 }).fit(frame, { target: "label" });
    expect((m as unknown as Inside).parts.forest.K).toBe(3);
    expectSameScores(m);
  });
});
