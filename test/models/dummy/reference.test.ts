/** Dummy baselines against scikit-learn 1.2 (test/fixtures/dummy/make_reference.py). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { dummyClassifier, dummyRegressor } from "../../../src/models/dummy/index.js";

const ref = JSON.parse(readFileSync(new URL("../../fixtures/dummy/reference.json", import.meta.url), "utf8")) as {
  yc: string[];
  yr: number[];
  w: number[];
  classifier: { strategy: string; params: Record<string, unknown>; weights: boolean; proba: number[][]; prior: number[]; predict?: string[] }[];
  regressor: { strategy: string; params: Record<string, unknown>; weights: boolean; value: number }[];
};
const n = ref.yc.length;
const x = Float64Array.from({ length: n }, (_, i) => i);

describe("dummy-classifier matches scikit-learn", () => {
  for (const c of ref.classifier) {
    it(`${c.strategy}${c.weights ? " weighted" : ""}`, async () => {
      const frame = Frame.fromColumns({ x, y: categoricalFromValues(ref.yc) });
      const m = await dummyClassifier({ strategy: c.strategy, ...c.params }).fit(frame, { target: "y", weights: c.weights ? Float64Array.from(ref.w) : undefined });
      expect(m.classes).toEqual(["a", "b", "c"]);
      const head = frame.take([0, 1, 2]);
      expect(Array.from(m.predictProba(head))).toEqual(c.proba.flat());
      for (let k = 0; k < 3; k++) expect(m.classPrior[k]).toBeCloseTo(c.prior[k], 14);
      if (c.predict) {
        const p = m.predict(head);
        expect(Array.from(p.codes, (k) => p.categories[k])).toEqual(c.predict);
      }
    });
  }

  it("stratified draws follow the priors, are repeatable, and agree with predictProba", async () => {
    const big = 20000;
    const labels = Array.from({ length: big }, (_, i) => ref.yc[i % n]);
    const frame = Frame.fromColumns({ x: new Float64Array(big), y: categoricalFromValues(labels) });
    const m = await dummyClassifier({ strategy: "stratified" }).fit(frame, { target: "y", rng: new Rng(4) });
    const pred = m.predict(frame);
    const counts = [0, 0, 0];
    for (const k of pred.codes) counts[k]++;
    for (let k = 0; k < 3; k++) expect(Math.abs(counts[k] / big - m.classPrior[k])).toBeLessThan(0.015);
    expect(Array.from(m.predict(frame).codes)).toEqual(Array.from(pred.codes));
    const proba = m.predictProba(frame);
    for (let i = 0; i < 50; i++) expect(proba[i * 3 + pred.codes[i]]).toBe(1);
  });
});

describe("dummy-regressor matches scikit-learn", () => {
  for (const c of ref.regressor) {
    it(`${c.strategy} ${JSON.stringify(c.params)}${c.weights ? " weighted" : ""}`, async () => {
      const frame = Frame.fromColumns({ x, y: Float64Array.from(ref.yr) });
      const m = await dummyRegressor({ strategy: c.strategy, ...c.params }).fit(frame, { target: "y", weights: c.weights ? Float64Array.from(ref.w) : undefined });
      const p = m.predict(frame.take([0, 1]));
      expect(p[0]).toBeCloseTo(c.value, 12);
      expect(p[1]).toBe(p[0]);
    });
  }
});
