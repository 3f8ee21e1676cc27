import { describe, expect, it } from "vitest";
import { lttbIndices } from "../../src/track/index.js";

describe("lttbIndices (Largest-Triangle-Three-Buckets)", () => {
  it("returns every index when the series is short enough", () => {
    expect(Array.from(lttbIndices([0, 1, 2], [5, 6, 7], 10))).toEqual([0, 1, 2]);
    expect(Array.from(lttbIndices([], [], 10))).toEqual([]);
  });

  it("works a small case by hand", () => {
    // 6 points, 4 kept: first, last, and one per bucket of the 4 middle points ([1,2] and [3,4]).
    // bucket 1 vs point 0 = (0,0) and the mean of bucket 2 = (3.5, 0.5): point 2 = (2, 10) spans the largest triangle;
    // bucket 2 vs point 2 and the last point (5, 0): point 3 = (3, -4) does.
    const x = [0, 1, 2, 3, 4, 5];
    const y = [0, 1, 10, -4, 5, 0];
    expect(Array.from(lttbIndices(x, y, 4))).toEqual([0, 2, 3, 5]);
  });

  it("keeps ends and spikes, returns increasing indices of the requested count", () => {
    const n = 100_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.sin(i / 5000) + (i === 77_777 ? 10 : 0) - (i === 33_333 ? 10 : 0);
    }
    const idx = lttbIndices(x, y, 1000);
    expect(idx.length).toBe(1000);
    expect(idx[0]).toBe(0);
    expect(idx[999]).toBe(n - 1);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
    expect(Array.from(idx)).toContain(77_777);
    expect(Array.from(idx)).toContain(33_333);
  });
});
