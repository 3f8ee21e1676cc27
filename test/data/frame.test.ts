import { describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import { Frame } from "../../src/data/frame.js";
import { categoricalFromValues, datetime } from "../../src/data/column.js";

const f = Frame.fromColumns({
  x: [1, 2, null, 4],
  c: ["a", "b", "a", null],
  b: [true, false, null, true],
  d: [new Date(0), null, new Date(86400000), new Date(1)],
});

describe("Frame", () => {
  it("types plain arrays and describes its columns", () => {
    expect(f.nRows).toBe(4);
    expect(f.describe().map((c) => [c.name, c.kind, c.missing])).toEqual([
      ["x", "numeric", 1],
      ["c", "categorical", 1],
      ["b", "boolean", 1],
      ["d", "datetime", 1],
    ]);
    expect(f.get(2, "x")).toBeNull();
    expect(f.get(1, "c")).toBe("b");
    expect(f.get(0, "d")).toEqual(new Date(0));
  });

  it("builds from rows with the same result", () => {
    const g = Frame.fromRows(f.toRows());
    expect(g.toRows()).toEqual(f.toRows());
  });

  it("selects, drops, takes and slices without touching the original", () => {
    expect(f.select(["c", "x"]).names).toEqual(["c", "x"]);
    expect(f.drop(["x"]).names).toEqual(["c", "b", "d"]);
    const t = f.take([3, 0, 0]);
    expect(t.toRows().map((r) => r.x)).toEqual([4, 1, 1]);
    expect(f.slice(1, 3).toRows().map((r) => r.c)).toEqual(["b", "a"]);
    expect(f.nRows).toBe(4);
    expect(() => f.take([4])).toThrow(KeelError);
    expect(() => f.column("nope")).toThrow(/column "nope" not found/);
  });

  it("concatenates frames and merges category dictionaries", () => {
    const g = Frame.fromColumns({ x: [9], c: categoricalFromValues(["z"]), b: [false], d: datetime([null]) });
    const h = Frame.concat([f, g]);
    expect(h.nRows).toBe(5);
    expect(h.toRows().map((r) => r.c)).toEqual(["a", "b", "a", null, "z"]);
    expect(() => Frame.concat([f, f.drop(["x"])])).toThrow(/columns/);
  });

  it("converts to dense matrices in either layout", () => {
    const g = Frame.fromColumns({ a: [1, 2, 3], b: [4, 5, 6] });
    expect([...g.toMatrix().data]).toEqual([1, 4, 2, 5, 3, 6]);
    expect([...g.toMatrix({ layout: "column" }).data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => Frame.fromColumns({ t: { kind: "text", values: ["a"] } }).toMatrix()).toThrow(/text/);
  });

  it("refuses columns of different lengths, naming the column", () => {
    expect(() => Frame.fromColumns({ a: [1, 2], b: [1] })).toThrow(/"b" has 1 rows, expected 2/);
  });
});
