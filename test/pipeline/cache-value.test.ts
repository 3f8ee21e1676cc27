import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { StepCache } from "../../src/pipeline/cache.js";
import { decodeCacheValue, encodeCacheValue } from "../../src/pipeline/cache-value.js";

describe("the step cache's values", () => {
  it("round-trip every number JSON cannot hold, typed arrays and $-keys", () => {
    const value = {
      nan: NaN,
      inf: Infinity,
      ninf: -Infinity,
      negZero: -0,
      list: [1, NaN, -0, null, "x"],
      f64: Float64Array.from([1.5, NaN, -Infinity, -0]),
      i32: Int32Array.from([-1, 0, 7]),
      u8: Uint8Array.from([0, 255]),
      empty: new Float32Array(0),
      nested: { $: "NaN", $$x: 1, "a$": 2 },
    };
    const cache = new StepCache(mkdtempSync(path.join(os.tmpdir(), "keel-cache-value-")), "1");
    const key = cache.key("s", 1);
    cache.put("s", key, value);
    const back = cache.get("s", key) as typeof value;
    expect(Number.isNaN(back.nan)).toBe(true);
    expect(back.inf).toBe(Infinity);
    expect(back.ninf).toBe(-Infinity);
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(Number.isNaN(back.list[1] as number)).toBe(true);
    expect(Object.is(back.list[2], -0)).toBe(true);
    expect(back.list.slice(3)).toEqual([null, "x"]);
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect([...back.f64].map(String)).toEqual(["1.5", "NaN", "-Infinity", "0"]);
    expect(Object.is(back.f64[3], -0)).toBe(true);
    expect(back.i32).toEqual(Int32Array.from([-1, 0, 7]));
    expect(back.u8).toEqual(Uint8Array.from([0, 255]));
    expect(back.empty).toEqual(new Float32Array(0));
    expect(back.nested).toEqual({ $: "NaN", $$x: 1, "a$": 2 });
  });

  it("decodes typed arrays from a misaligned blob", () => {
    const { json, blob } = encodeCacheValue({ a: Float64Array.from([1, 2, 3]) });
    const shifted = new Uint8Array(blob!.length + 3).subarray(3);
    shifted.set(blob!);
    expect((decodeCacheValue(json, shifted) as { a: Float64Array }).a).toEqual(Float64Array.from([1, 2, 3]));
  });

  it("refuses what it cannot store, naming where it is", () => {
    expect(() => encodeCacheValue({ when: new Date(0) } as never)).toThrow(/value\.when is a Date/);
    expect(() => encodeCacheValue({ b: Buffer.from("x") } as never)).toThrow(/value\.b is a Buffer/);
  });
});
