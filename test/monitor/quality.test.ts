import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { dataQuality, qualityReference, type QualityReference } from "../../src/monitor/index.js";

const refsOf = (f: Frame): Record<string, QualityReference> => Object.fromEntries(f.names.map((c) => [c, qualityReference(f.column(c))]));

describe("data quality at inference", () => {
  const reference = Frame.fromColumns({
    age: [20, 30, 40, 50, 60, 25, 35, 45],
    income: [1, 2, 3, null, 5, 6, 7, 8],
    city: ["a", "b", "a", "c", "b", "a", null, "c"],
    ok: [true, false, true, true, false, true, true, false],
    seen: [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4), Date.UTC(2024, 0, 5), Date.UTC(2024, 0, 6), Date.UTC(2024, 0, 7), Date.UTC(2024, 0, 8)].map((t) => new Date(t)),
  });

  it("finds missing values, out-of-range values, new categories and infinities, with counts and example rows", () => {
    const current = Frame.fromColumns({
      age: [null, 30, 99, 50, 10, Infinity, 35, null],
      income: [1, 2, 3, 4, 5, 6, 7, 8],
      city: ["a", "zz", "a", "yy", "zz", "a", "b", "c"],
      ok: [true, true, true, true, true, true, true, true],
      seen: [Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4), Date.UTC(2024, 0, 5), Date.UTC(2024, 0, 6), Date.UTC(2024, 0, 7), Date.UTC(2024, 0, 8)].map((t) => new Date(t)),
    });
    const q = dataQuality(refsOf(reference), current);
    const by = (code: string, column: string) => q.findings.find((f) => f.code === code && f.column === column);
    expect(by("MISSING_VALUES", "age")).toMatchObject({ count: 2, share: 0.25, examples: [{ row: 0, value: null }, { row: 7, value: null }] });
    expect(by("OUT_OF_RANGE", "age")).toMatchObject({ count: 3, examples: [{ row: 2, value: 99 }, { row: 4, value: 10 }, { row: 5, value: "Infinity" }] });
    expect(by("OUT_OF_RANGE", "age")!.message).toMatch(/3 values .* outside the reference range \[20, 60\]/);
    expect(by("INFINITE_VALUES", "age")).toMatchObject({ count: 1, examples: [{ row: 5, value: "Infinity" }] });
    expect(by("NEW_CATEGORY", "city")).toMatchObject({ count: 3, examples: [{ row: 1, value: "zz" }, { row: 3, value: "yy" }, { row: 4, value: "zz" }] });
    expect(q.columns.find((c) => c.column === "city")!.new_categories).toEqual([
      { value: "zz", count: 2 },
      { value: "yy", count: 1 },
    ]);
    expect(by("OUT_OF_RANGE", "seen")).toMatchObject({ count: 1, examples: [{ row: 1, value: "2025-01-02T00:00:00.000Z" }] });
    // income had 1 missing in 8 (12.5%) and has none now; ok only lost a category: no findings
    expect(q.findings.filter((f) => f.column === "income" || f.column === "ok")).toEqual([]);
    expect(q.schema).toMatchObject({ ok: true, source: "reference" });
    expect(q.columns.find((c) => c.column === "income")!.missing).toEqual({ count: 0, share: 0, reference_share: 0.125 });
  });

  it("reports a rise in the missing share only above 5 points when the reference had missing values too", () => {
    const ref = Frame.fromColumns({ x: Array.from({ length: 100 }, (_, i) => (i < 10 ? null : i)) });
    const small = Frame.fromColumns({ x: Array.from({ length: 100 }, (_, i) => (i < 14 ? null : i)) });
    const big = Frame.fromColumns({ x: Array.from({ length: 100 }, (_, i) => (i < 16 ? null : i)) });
    expect(dataQuality(refsOf(ref), small).findings).toEqual([]);
    expect(dataQuality(refsOf(ref), big).findings.map((f) => [f.code, f.count])).toEqual([["MISSING_VALUES", 16]]);
  });

  it("values just outside the reference range are a finding only beyond what chance explains", () => {
    // 1,000 reference values 0…999; from the same distribution about 2·m/(n + 1) ≈ 2 current values fall outside
    const ref = Frame.fromColumns({ x: Array.from({ length: 1000 }, (_, i) => i) });
    const few = Frame.fromColumns({ x: Array.from({ length: 1000 }, (_, i) => (i < 3 ? 1000 + i : i)) });
    const many = Frame.fromColumns({ x: Array.from({ length: 1000 }, (_, i) => (i < 20 ? 1000 + i : i)) });
    const qf = dataQuality(refsOf(ref), few);
    expect(qf.findings).toEqual([]);
    expect(qf.columns[0].out_of_range).toEqual({ count: 3, share: 0.003, min: 0, max: 999 });
    const qm = dataQuality(refsOf(ref), many);
    expect(qm.findings.map((f) => [f.code, f.count])).toEqual([["OUT_OF_RANGE", 20]]);
    expect(qm.findings[0].message).toMatch(/20 values \(2\.0%\) outside the reference range \[0, 999\] \(chance explains about 2\)/);
  });

  it("schema violations come from validate: a missing column, a changed kind, an extra column; or from a given schema", () => {
    const current = Frame.fromColumns({
      age: ["20", "30", "x", "y", "z", "a", "b", "c"],
      city: ["a", "b", "a", "c", "b", "a", "b", "c"],
      ok: [true, false, true, true, false, true, true, false],
      seen: Array.from({ length: 8 }, () => new Date(Date.UTC(2024, 0, 2))),
      surprise: [1, 2, 3, 4, 5, 6, 7, 8],
    });
    const q = dataQuality(refsOf(reference), current);
    expect(q.schema.ok).toBe(false);
    expect(q.findings.filter((f) => f.code === "SCHEMA").map((f) => [f.check, f.column])).toEqual([
      ["WRONG_KIND", "age"],
      ["COLUMN_MISSING", "income"],
      ["UNEXPECTED_COLUMN", null],
    ]);
    const given = dataQuality(refsOf(reference), current, { version: 1, columns: { city: { kind: "categorical", categories: ["a", "b"] } } });
    expect(given.schema.source).toBe("given");
    expect(given.findings.filter((f) => f.code === "SCHEMA").map((f) => [f.check, f.column, f.count])).toEqual([["NOT_IN_SET", "city", 2]]);
  });
});
