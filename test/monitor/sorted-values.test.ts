import { describe, expect, it } from "vitest";
import { sortFinite } from "../../src/monitor/index.js";
import { uniforms } from "./reference.js";

describe("sortFinite", () => {
  it("equals the built-in sort bit for bit (counting and radix paths), counting NaN and ±Infinity apart", () => {
    const n = 60_000;
    const u = uniforms(7, n);
    const mixes: [string, (i: number) => number][] = [
      ["reals of both signs and magnitudes", (i) => (u[i] - 0.5) * 10 ** ((i % 13) - 6)],
      ["whole numbers in a small range (counting)", (i) => Math.floor(u[i] * 2000) - 1000],
      ["whole numbers with both zeros (counting)", (i) => [0, -0, 1, -1, 7][i % 5]],
      ["whole numbers in a wide range (radix, low passes skipped)", (i) => Math.floor(u[i] * 1e12) - 5e11],
      ["zeros of both signs, subnormals, extremes", (i) => [0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, u[i]][i % 7]],
      ["one value", () => 3.25],
    ];
    for (const [name, f] of mixes) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = i % 101 === 0 ? NaN : i % 211 === 0 ? (i % 2 ? Infinity : -Infinity) : f(i);
      const got = sortFinite(x);
      const want = x.filter((v) => Number.isFinite(v)).sort();
      expect(got.sorted.length, name).toBe(want.length);
      expect(Buffer.from(got.sorted.buffer).equals(Buffer.from(want.buffer)), name).toBe(true);
      expect(got.missing, name).toBe(x.filter((v) => Number.isNaN(v)).length);
      expect(got.infinite, name).toBe(x.filter((v) => v === Infinity || v === -Infinity).length);
    }
  });
  it("small inputs and plain arrays take the built-in sort", () => {
    expect([...sortFinite([3, NaN, -1, Infinity, 2]).sorted]).toEqual([-1, 2, 3]);
  });
});
