/**
 * columns(): selection by name and kind, skipped empty branches, remainder, names, errors, and a
 * branch's cross-fitted training output. (Agreement with ColumnTransformer: reference.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { SchemaMismatchError } from "../../src/core/errors.js";
import { Frame } from "../../src/data/frame.js";
import { columns, fitTransform, oneHot, simpleImputer, standardScaler, targetEncoder } from "../../src/features/index.js";

const data = () =>
  Frame.fromColumns({
    a: [1, 2, 3, 4, 5, 6],
    city: ["x", "y", "x", "y", "x", "z"],
    b: [0.5, null, 1.5, 2, 3, 1],
    flag: [true, false, true, true, false, null],
    y: [0, 1, 0, 1, 1, 0],
  });

describe("columns()", () => {
  it("selects by kind and by name, concatenates branches, then the remainder", async () => {
    const ct = columns({
      num: [{ kind: "numeric" }, simpleImputer(), standardScaler()],
      cat: ["city", oneHot()],
      remainder: "passthrough",
    });
    const f = await ct.fit(data(), { target: "y" });
    expect(f.featureNames).toEqual(["num__a", "num__b", "cat__city_x", "cat__city_y", "cat__city_z", "remainder__flag"]);
    const out = f.transform(data());
    expect(out.kind("remainder__flag")).toBe("boolean");
    expect(out.get(5, "cat__city_z")).toBe(1);
    // the target is never selected by kind, and is ignored at transform time
    expect(out.toRows()).toEqual(f.transform(data().drop(["y"])).toRows());
  });

  it("drops unselected columns by default; skips branches that select nothing", async () => {
    const f = await columns({ dates: [{ kind: "datetime" }, standardScaler()], num: [["a"]] }).fit(data(), { target: "y" });
    expect(f.featureNames).toEqual(["num__a"]);
    expect(f.branches.map((b) => b.fitted === null)).toEqual([true, false]);
  });

  it("a column may feed two branches; verboseNames false keeps plain names if unique", async () => {
    const f = await columns({ raw: [["a"]], scaled: [["a"], standardScaler()] }).fit(data());
    expect(f.featureNames).toEqual(["raw__a", "scaled__a"]);
    await expect(columns({ raw: [["a"]], scaled: [["a"], standardScaler()] }, { verboseNames: false }).fit(data())).rejects.toThrow(/two output columns would be named "a"/);
    const g = await columns({ s: [["a", "b"], standardScaler()] }, { verboseNames: false, remainder: "passthrough" }).fit(data(), { target: "y" });
    expect(g.featureNames).toEqual(["a", "b", "city", "flag"]);
  });

  it("names bad selectors and missing columns", async () => {
    await expect(columns({ n: [["nope"]] }).fit(data())).rejects.toThrow(/branch "n" selects column "nope", which is not in the data/);
    await expect(columns({ n: [["y"]] }).fit(data(), { target: "y" })).rejects.toThrow(/selects the target column "y"/);
    expect(() => columns({ n: [42 as never] })).toThrow(/selector must be a column name/);
    expect(() => columns({ remainder: "keep" as never })).toThrow(/remainder must be "drop" or "passthrough"/);
    const f = await columns({ n: [["a", "b"], standardScaler()] }).fit(data());
    expect(() => f.transform(data().drop(["b"]))).toThrow(SchemaMismatchError);
    expect(() => f.transform(data().drop(["b"]))).toThrow(/"b"/);
  });

  it("keeps a branch's cross-fitted training output", async () => {
    const rows = 60;
    const big = Frame.fromColumns({
      city: Array.from({ length: rows }, (_, i) => ["p", "q", "r"][i % 3]),
      a: Array.from({ length: rows }, (_, i) => i),
      y: Array.from({ length: rows }, (_, i) => (i * 7) % 5 > 1 ? 1 : 0),
    });
    const ct = columns({ te: [["city"], targetEncoder({ shuffle: false })], num: [["a"]] });
    const r = await fitTransform(ct, big, { target: "y" });
    expect(r.crossFitted).toBe(true);
    expect(r.output.names).toEqual(["te__city", "num__a"]);
    expect(r.output.toRows()).not.toEqual(r.fitted.transform(big).toRows());
    const enc = await fitTransform(targetEncoder({ shuffle: false }), big.select(["city", "y"]), { target: "y" });
    expect(r.output.column("te__city")).toEqual(enc.output.column("city"));
  });
});
