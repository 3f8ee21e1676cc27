import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { datetime } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { timeSeriesSplit } from "../../../src/data/split/index.js";
import { plain, reference } from "./helpers.js";

describe("timeSeriesSplit", () => {
  it("matches scikit-learn 1.2 TimeSeriesSplit fold for fold", () => {
    expect(reference.time.length).toBeGreaterThan(0);
    for (const c of reference.time) expect(plain(timeSeriesSplit(c.n, c.options))).toEqual(c.folds);
  });

  it("orders by a time column first; training rows precede test rows by at least the gap", () => {
    const rng = new Rng(3);
    const n = 400;
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = Date.UTC(2024, 0, 1) + Math.floor(rng.float() * 1e10);
    const frame = Frame.fromColumns({ when: datetime(t), x: new Float64Array(n) });
    const gap = 7;
    const splits = timeSeriesSplit(frame, { nSplits: 4, gap, time: "when" });
    const sorted = Array.from(t).sort((a, b) => a - b);
    const rank = new Map<number, number>();
    sorted.forEach((v, r) => rank.set(v, r));
    let prevTrain = 0;
    for (const s of splits) {
      expect(s.train.length).toBeGreaterThan(prevTrain); // expanding window
      prevTrain = s.train.length;
      const lastTrain = Math.max(...Array.from(s.train, (i) => rank.get(t[i])!));
      const firstTest = Math.min(...Array.from(s.test, (i) => rank.get(t[i])!));
      expect(firstTest - lastTrain).toBeGreaterThan(gap);
      const maxTrainTime = Math.max(...Array.from(s.train, (i) => t[i]));
      const minTestTime = Math.min(...Array.from(s.test, (i) => t[i]));
      expect(maxTrainTime).toBeLessThan(minTestTime);
      // indices are in time order
      for (let j = 1; j < s.test.length; j++) expect(t[s.test[j]]).toBeGreaterThanOrEqual(t[s.test[j - 1]]);
    }
    // an array of times gives the same splits as the column
    expect(plain(timeSeriesSplit(t, { nSplits: 4, gap }))).toEqual(plain(splits));
  });

  it("keeps at most maxTrainSize recent training rows", () => {
    for (const s of timeSeriesSplit(100, { nSplits: 5, maxTrainSize: 10, gap: 3 })) {
      expect(s.train.length).toBeLessThanOrEqual(10);
      expect(s.test[0] - s.train[s.train.length - 1]).toBe(4);
    }
  });

  it("rejects impossible settings with clear messages", () => {
    expect(() => timeSeriesSplit(5, { nSplits: 5 })).toThrow(/nSplits=5 needs at least 6 rows/);
    expect(() => timeSeriesSplit(20, { nSplits: 3, testSize: 5, gap: 5 })).toThrow(/too many splits/);
    expect(() => timeSeriesSplit(20, { nSplits: 1 })).toThrow(/nSplits must be an integer ≥ 2/);
    expect(() => timeSeriesSplit(20, { gap: -1 })).toThrow(/gap must be an integer ≥ 0/);
    expect(() => timeSeriesSplit(Float64Array.from([1, 2, NaN, 4, 5, 6]), { nSplits: 2 })).toThrow(/time is missing at row 2/);
    const f = Frame.fromColumns({ c: ["a", "b", "c"] });
    expect(() => timeSeriesSplit(f, { nSplits: 2, time: "c" })).toThrow(/needs a datetime or numeric column/);
  });
});
