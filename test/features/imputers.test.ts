/**
 * simple-imputer behaviour beyond the scikit-learn reference cases: the target is never touched,
 * every column kind, fill values of the wrong type, selection by name and kind.
 */
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { simpleImputer } from "../../src/features/index.js";

const data = () =>
  Frame.fromColumns({
    x: [1, null, 3, 3],
    c: ["a", null, "b", "b"],
    b: [true, null, false, false],
    d: [new Date(1000), null, new Date(3000), new Date(3000)],
    t: { kind: "text", values: ["hi", null, "yo", "yo"] },
    y: [null, 1, 0, 1],
  });

describe("simple-imputer", () => {
  it("never imputes the target; it is ignored at transform time", async () => {
    const f = await simpleImputer({ strategy: "most_frequent" }).fit(data(), { target: "y" });
    expect(f.featureNames).toEqual(["x", "c", "b", "d", "t"]);
    expect(f.transform(data()).row(1)).toEqual({ x: 3, c: "b", b: false, d: new Date(3000), t: "yo" });
    expect(f.transform(data()).toRows()).toEqual(f.transform(data().drop(["y"])).toRows());
  });

  it("mean and median take numeric columns by default; other kinds pass through", async () => {
    const f = await simpleImputer({ strategy: "median" }).fit(data().drop(["y"]));
    expect(f.transformedColumns).toEqual(["x"]);
    expect(f.transform(data().drop(["y"])).row(1)).toEqual({ x: 3, c: null, b: null, d: null, t: null });
    const g = await simpleImputer({ strategy: "mean", columns: ["d"] }).fit(data().drop(["y"]));
    expect(g.transform(data().drop(["y"])).get(1, "d")).toEqual(new Date(7000 / 3));
    await expect(simpleImputer({ strategy: "mean", columns: ["c"] }).fit(data())).rejects.toThrow(/column "c" is categorical; simple-imputer takes numeric or datetime columns/);
  });

  it("constant fills each kind; a new label extends the dictionary", async () => {
    const f = await simpleImputer({ strategy: "constant", fillValue: "zz", columns: ["c", "t"] }).fit(data());
    const out = f.transform(data());
    expect(out.get(1, "c")).toBe("zz");
    expect(out.get(1, "t")).toBe("zz");
    const col = out.column("c");
    expect(col.kind === "categorical" && col.categories).toEqual(["a", "b", "zz"]);
    const d = await simpleImputer({ strategy: "constant" }).fit(data().drop(["y"]));
    expect(d.transform(data().drop(["y"])).row(1)).toEqual({ x: 0, c: "missing_value", b: false, d: new Date(0), t: "missing_value" });
    await expect(simpleImputer({ strategy: "constant", fillValue: "zz", columns: ["x"] }).fit(data())).rejects.toThrow(/fillValue "zz" cannot fill column "x" \(numeric\); expected a number/);
  });

  it("ties in most_frequent go to the smallest value, as scikit-learn", async () => {
    const f = Frame.fromColumns({ x: [5, 2, 5, 2, null], c: ["q", "p", "q", "p", null] });
    const out = (await simpleImputer({ strategy: "most_frequent" }).fit(f)).transform(f);
    expect(out.row(4)).toEqual({ x: 2, c: "p" });
  });

  it("refuses infinite values and names the target if selected", async () => {
    await expect(simpleImputer().fit(Frame.fromColumns({ x: [1, Infinity] }))).rejects.toThrow(/column "x" row 1 is Infinity/);
    await expect(simpleImputer({ columns: ["y"] }).fit(data(), { target: "y" })).rejects.toThrow(/"y" is the target/);
  });

  it("missing indicators only for columns with missing values at fit", async () => {
    const f = Frame.fromColumns({ a: [1, null, 3], b: [1, 2, 3] });
    const imp = await simpleImputer({ addIndicator: true }).fit(f);
    expect(imp.featureNames).toEqual(["a", "b", "missingindicator_a"]);
    expect(imp.transform(Frame.fromColumns({ a: [null, 1], b: [null, 2] })).toRows()).toEqual([
      { a: 2, b: 2, missingindicator_a: 1 },
      { a: 1, b: 2, missingindicator_a: 0 },
    ]);
  });
});
