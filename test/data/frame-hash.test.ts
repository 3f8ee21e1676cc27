import { describe, expect, it } from "vitest";
import { categoricalFromValues } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import { frameHash } from "../../src/data/frame-hash.js";

describe("frameHash", () => {
  const f = Frame.fromColumns({ x: [1, NaN, 3], c: ["a", "b", null], t: { kind: "text", values: ["p", null, "q"] } });

  it("is stable and sensitive to every value, name and kind", () => {
    expect(frameHash(f)).toBe(frameHash(Frame.fromRows(f.toRows(), { kinds: { t: "text" } })));
    expect(frameHash(f)).toMatch(/^[0-9a-f]{64}$/);
    expect(frameHash(f.withColumn("x", [1, 2, 3]))).not.toBe(frameHash(f));
    expect(frameHash(f.rename({ x: "y" }))).not.toBe(frameHash(f));
    expect(frameHash(f.withColumn("c", { kind: "text", values: ["a", "b", null] }))).not.toBe(frameHash(f));
    expect(frameHash(f.take([1, 0, 2]))).not.toBe(frameHash(f));
  });

  it("hashes category labels, not dictionary codes", () => {
    const a = categoricalFromValues(["x", "y", "x"]);
    const b = categoricalFromValues(["x", "y", "x"], ["y", "x"]);
    expect(frameHash(Frame.fromColumns({ c: a }))).toBe(frameHash(Frame.fromColumns({ c: b })));
  });
});
