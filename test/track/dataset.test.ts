import { describe, expect, it } from "vitest";
import { categorical } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import { datasetFromFrame, frameDigest } from "../../src/track/index.js";

describe("frameDigest", () => {
  it("is the SHA-256 of the content: equal data, equal digest; any change, another digest", () => {
    const a = Frame.fromColumns({ x: [1, 2, 3], s: ["a", null, "c"], t: [true, false, true] });
    const b = Frame.fromColumns({ x: [1, 2, 3], s: ["a", null, "c"], t: [true, false, true] });
    expect(frameDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(frameDigest(a)).toBe(frameDigest(b));
    expect(frameDigest(Frame.fromColumns({ x: [1, 2, 4], s: ["a", null, "c"], t: [true, false, true] }))).not.toBe(frameDigest(a));
    expect(frameDigest(Frame.fromColumns({ y: [1, 2, 3], s: ["a", null, "c"], t: [true, false, true] }))).not.toBe(frameDigest(a));
    expect(frameDigest(a.slice(0, 2))).not.toBe(frameDigest(a));
  });

  it("does not depend on a categorical column's dictionary order", () => {
    const one = Frame.fromColumns({ c: categorical(new Int32Array([0, 1, -1, 0]), ["red", "blue"]) });
    const two = Frame.fromColumns({ c: categorical(new Int32Array([1, 0, -1, 1]), ["blue", "red"]) });
    const other = Frame.fromColumns({ c: categorical(new Int32Array([1, 0, -1, 0]), ["blue", "red"]) });
    expect(frameDigest(one)).toBe(frameDigest(two));
    expect(frameDigest(one)).not.toBe(frameDigest(other));
  });

  it("describes a frame as a dataset input", () => {
    const f = Frame.fromColumns({ x: [1, 2], s: ["a", "b"] });
    const d = datasetFromFrame(f, { name: "train", context: "training" });
    expect(d.tags).toEqual([{ key: "mlflow.data.context", value: "training" }]);
    expect(d.dataset).toMatchObject({ name: "train", digest: frameDigest(f), sourceType: "code", source: "{}", rows: 2, profile: '{"num_rows":2,"num_elements":4}' });
    expect(() => datasetFromFrame(f, { name: "" })).toThrow(/dataset name/);
  });
});
