/**
 * The reliability curve against scikit-learn 1.2's `calibration_curve` (test/fixtures/metrics/
 * make_calibration.py), and the expected calibration error from its formula.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { calibrationCurve, expectedCalibrationError } from "../../src/metrics/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cases: { name: string; y: number[]; proba: number[]; curves: Record<string, { observed: number[]; predicted: number[] }> }[] = JSON.parse(readFileSync(path.join(here, "../fixtures/metrics/calibration.json"), "utf8"));

describe("calibrationCurve", () => {
  for (const c of cases) {
    for (const [key, ref] of Object.entries(c.curves)) {
      it(`${c.name}, ${key}: equals scikit-learn bin for bin`, () => {
        const [strategy, bins] = key.split("-") as ["uniform" | "quantile", string];
        const got = calibrationCurve(Int32Array.from(c.y), Float64Array.from(c.proba), { nBins: Number(bins), strategy });
        expect(got.observed.length).toBe(ref.observed.length);
        for (let i = 0; i < ref.observed.length; i++) {
          expect(got.observed[i]).toBeCloseTo(ref.observed[i], 14);
          expect(got.predicted[i]).toBeCloseTo(ref.predicted[i], 14);
        }
      });
    }
  }

  it("refuses probabilities outside [0, 1] and a bad bin count, naming them", () => {
    expect(() => calibrationCurve(Int32Array.from([0, 1]), Float64Array.from([0.2, 1.2]))).toThrow(/y_prob\[1\] is 1.2/);
    expect(() => calibrationCurve(Int32Array.from([0, 1]), Float64Array.from([0.2, 0.3]), { nBins: 0 })).toThrow(/nBins 0/);
  });
});

describe("expectedCalibrationError", () => {
  it("is Σ (n_b / n)·|observed_b − predicted_b| over ten uniform bins", () => {
    const c = cases[0];
    const y = Int32Array.from(c.y);
    const p = Float64Array.from(c.proba);
    let direct = 0;
    for (let b = 0; b < 10; b++) {
      const rows = c.proba.map((v, i) => [v, i] as const).filter(([v]) => (b === 0 ? v <= 0.1 : v > b / 10 && v <= (b + 1) / 10));
      if (rows.length === 0) continue;
      const obs = rows.filter(([, i]) => c.y[i] === 1).length / rows.length;
      const pred = rows.reduce((s, [v]) => s + v, 0) / rows.length;
      direct += (rows.length / c.y.length) * Math.abs(obs - pred);
    }
    expect(expectedCalibrationError(y, p)).toBeCloseTo(direct, 12);
  });

  it("is 0 for forecasts equal to the observed rate in every bin", () => {
    const y = Int32Array.from([1, 0, 0, 0, 1, 1, 1, 0]);
    const p = Float64Array.from([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]);
    expect(expectedCalibrationError(y, p)).toBeCloseTo(0, 15);
  });
});
