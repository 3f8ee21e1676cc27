import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { StepCache } from "../../src/pipeline/cache.js";
import { SealedFrame } from "../../src/pipeline/sealed.js";

describe("StepCache", () => {
  it("stores and finds values by the hash of their inputs", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-cache-"));
    const cache = new StepCache(dir, "1.0.0");
    const k1 = cache.key("model", { a: 1, b: [1, 2] });
    expect(cache.key("model", { b: [1, 2], a: 1 })).toBe(k1);
    expect(cache.key("model", { a: 2, b: [1, 2] })).not.toBe(k1);
    expect(new StepCache(dir, "1.0.1").key("model", { a: 1, b: [1, 2] })).not.toBe(k1);
    expect(cache.get("model", k1)).toBeUndefined();
    const at = cache.put("model", k1, (d) => {
      writeFileSync(path.join(d, "blob"), "x");
      return { score: 0.9 };
    });
    expect(cache.get("model", k1)).toEqual({ score: 0.9 });
    expect(readFileSync(path.join(at, "blob"), "utf8")).toBe("x");
  });

  it("leaves nothing behind when writing an entry fails", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-cache-"));
    const cache = new StepCache(dir, "1");
    const k = cache.key("s", 1);
    expect(() => cache.put("s", k, () => { throw new Error("disk full"); })).toThrow("disk full");
    expect(cache.has("s", k)).toBe(false);
    expect(existsSync(path.join(dir, "s"))).toBe(true);
  });
});

describe("SealedFrame", () => {
  it("records the hash at once, refuses early reads and opens once", () => {
    const f = Frame.fromColumns({ x: [1, 2, 3] });
    const s = new SealedFrame(f);
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(() => s.read()).toThrow(/sealed until the final evaluation/);
    expect(s.unseal("final-evaluation")).toBe(f);
    expect(s.read()).toBe(f);
    expect(() => s.unseal("again")).toThrow(/already unsealed/);
  });
});
