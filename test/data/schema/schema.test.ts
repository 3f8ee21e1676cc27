import { describe, expect, it } from "vitest";
import { InvalidInputError, KeelError } from "../../../src/core/errors.js";
import { Frame } from "../../../src/data/frame.js";
import { formatValidationReport, inferSchema, parseSchema, type Schema, validate } from "../../../src/data/schema/index.js";
import { creditFrame } from "../profile/fixture.js";

const day = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);

function sample(): Frame {
  return Frame.fromColumns({
    id: ["C-000001", "C-000002", "C-000003", "C-000004", "C-000005", "C-000006"],
    age: [34, 51, null, 27, 45, 62],
    income: Float64Array.from([1200.5, 800, 950.25, 3100, 800, 1500]),
    status: ["good", "bad", "good", "good", null, "bad"],
    opened: [new Date(t0), new Date(t0 + day), new Date(t0 + 2 * day), null, new Date(t0 + 4 * day), new Date(t0 + 5 * day)],
    active: [true, false, true, true, true, null],
  });
}

describe("inferSchema", () => {
  it("describes kinds, nulls, ranges, categories, uniqueness and rows as versioned JSON", () => {
    const s = inferSchema(sample());
    expect(s.version).toBe(1);
    expect(s.rows).toEqual({ min: 1, max: null, observed: 6 });
    expect(s.columns).toEqual({
      id: { kind: "categorical", nullable: false, unique: true },
      age: { kind: "numeric", nullable: true, min: 27, max: 62, unique: true },
      income: { kind: "numeric", nullable: false, min: 800, max: 3100 },
      status: { kind: "categorical", nullable: true, categories: ["good", "bad"] },
      opened: { kind: "datetime", nullable: true, min: "2024-01-01T00:00:00.000Z", max: "2024-01-06T00:00:00.000Z" },
      active: { kind: "boolean", nullable: true },
    });
    // round-trips through JSON and the parser
    expect(parseSchema(JSON.stringify(s))).toEqual(s);
  });

  it("caps the categories it lists", () => {
    const f = Frame.fromColumns({ city: Array.from({ length: 40 }, (_, i) => `c${i % 12}`) });
    expect(inferSchema(f, { maxCategories: 10 }).columns.city).toEqual({ kind: "categorical", nullable: false });
    expect(inferSchema(f).columns.city.categories).toHaveLength(12);
  });

  it("validates the data it was inferred from", () => {
    for (const f of [sample(), creditFrame()]) {
      const r = validate(f, inferSchema(f));
      expect(r.ok).toBe(true);
      expect(r.problems).toEqual([]);
      expect(r.summary.failed).toBe(0);
      expect(r.results.every((x) => x.pass && x.failingRows === 0)).toBe(true);
    }
  });
});

describe("validate", () => {
  const schema: Schema = {
    version: 1,
    rows: { min: 1, max: 5 },
    strict: true,
    columns: {
      id: { kind: "text", nullable: false, unique: true, pattern: "^C-[0-9]{6}$" },
      age: { kind: "numeric", nullable: false, min: 18, max: 60 },
      income: { kind: "numeric", maxMissingFraction: 0.1, unique: true },
      status: { kind: "categorical", categories: ["good", "bad"] },
      opened: { kind: "datetime", min: "2024-01-02T00:00:00Z" },
      region: { kind: "categorical" },
    },
  };
  const data = Frame.fromColumns({
    id: ["C-000001", "C-000002", "C-2", "C-000004", "C-000002", "C-000006", null],
    age: [34, 71, null, 17, 45, 60, 18],
    income: [100, 200, null, 200, null, 200, 50],
    status: ["good", "bad", "ugly", "good", null, "meh", "good"],
    opened: [new Date(t0), new Date(t0 + day), new Date(t0 + 2 * day), null, new Date(t0 - day), new Date(t0 + 5 * day), new Date(t0 + 6 * day)],
    extra: [1, 2, 3, 4, 5, 6, 7],
  });
  const report = validate(data, schema);
  const result = (column: string | null, expectation: string) => {
    const r = report.results.find((x) => x.column === column && x.expectation === expectation);
    if (!r) throw new Error(`no result for ${column} ${expectation}`);
    return r;
  };

  it("fails overall and counts the outcome", () => {
    expect(report.ok).toBe(false);
    expect(report.rows).toBe(7);
    expect(report.summary.failed).toBe(report.problems.length);
    expect(report.summary.expectations).toBe(report.results.length);
  });

  it("row_count_between", () => {
    const r = result(null, "row_count_between");
    expect(r.pass).toBe(false);
    expect(r.message).toContain("7 rows");
    expect(report.problems.find((p) => p.code === "ROW_COUNT")).toMatchObject({ path: "rows", received: 7 });
  });

  it("column_present, and skips the absent column's other expectations", () => {
    const r = result("region", "column_present");
    expect(r.pass).toBe(false);
    expect(r.message).toContain('"region"');
    const kind = result("region", "kind");
    expect(kind).toMatchObject({ pass: false, skipped: true });
    expect(report.problems.filter((p) => p.path === "region").map((p) => p.code)).toEqual(["COLUMN_MISSING"]);
  });

  it("kind: categorical data meets a text expectation; numeric does not", () => {
    expect(result("id", "kind").pass).toBe(true);
    const r = validate(Frame.fromColumns({ x: [1, 2] }), { version: 1, columns: { x: { kind: "categorical", categories: ["a"] } } });
    expect(r.results.find((x) => x.expectation === "kind")).toMatchObject({ pass: false, message: 'column "x" is numeric, expected categorical' });
    expect(r.results.find((x) => x.expectation === "in_set")).toMatchObject({ pass: false, skipped: true });
    expect(r.problems.map((p) => p.code)).toEqual(["WRONG_KIND"]);
  });

  it("not_null with the missing rows", () => {
    const r = result("age", "not_null");
    expect(r).toMatchObject({ pass: false, failingRows: 1, examples: [{ row: 2, value: null }] });
    expect(result("id", "not_null")).toMatchObject({ pass: false, failingRows: 1, examples: [{ row: 6, value: null }] });
  });

  it("max_missing_fraction", () => {
    const r = result("income", "max_missing_fraction");
    expect(r.pass).toBe(false);
    expect(r.failingRows).toBe(2);
    expect(r.examples.map((e) => e.row)).toEqual([2, 4]);
    expect(report.problems.find((p) => p.code === "TOO_MANY_MISSING")!.received).toBeCloseTo(2 / 7, 12);
  });

  it("between, inclusive bounds, missing cells not counted", () => {
    const r = result("age", "between");
    expect(r.failingRows).toBe(2);
    expect(r.examples).toEqual([{ row: 1, value: 71 }, { row: 3, value: 17 }]);
    const d = result("opened", "between");
    expect(d.failingRows).toBe(2);
    expect(d.examples).toEqual([{ row: 0, value: "2024-01-01T00:00:00.000Z" }, { row: 4, value: "2023-12-31T00:00:00.000Z" }]);
    const p = report.problems.find((x) => x.code === "OUT_OF_RANGE" && x.path === "age")!;
    expect(p.message).toContain("row 1: 71");
    expect(p.received).toEqual([71, 17]);
  });

  it("in_set", () => {
    const r = result("status", "in_set");
    expect(r).toMatchObject({ pass: false, failingRows: 2, examples: [{ row: 2, value: "ugly" }, { row: 5, value: "meh" }] });
  });

  it("unique marks every row of a repeated value", () => {
    expect(result("id", "unique")).toMatchObject({ failingRows: 2, examples: [{ row: 1, value: "C-000002" }, { row: 4, value: "C-000002" }] });
    expect(result("income", "unique")).toMatchObject({ failingRows: 3, examples: [{ row: 1, value: 200 }, { row: 3, value: 200 }, { row: 5, value: 200 }] });
  });

  it("matches_regex", () => {
    expect(result("id", "matches_regex")).toMatchObject({ pass: false, failingRows: 1, examples: [{ row: 2, value: "C-2" }] });
  });

  it("no_extra_columns when strict", () => {
    const r = result(null, "no_extra_columns");
    expect(r.pass).toBe(false);
    expect(r.message).toBe('column "extra" is not in the schema');
  });

  it("keeps at most 5 examples but counts every failing row", () => {
    const f = Frame.fromColumns({ v: Float64Array.from({ length: 50 }, (_, i) => i) });
    const r = validate(f, { version: 1, columns: { v: { kind: "numeric", max: 9 } } });
    const b = r.results.find((x) => x.expectation === "between")!;
    expect(b.failingRows).toBe(40);
    expect(b.failingFraction).toBeCloseTo(0.8, 12);
    expect(b.examples.map((e) => e.row)).toEqual([10, 11, 12, 13, 14]);
  });

  it("problems carry the core Problem shape", () => {
    for (const p of report.problems) {
      expect(typeof p.code).toBe("string");
      expect(typeof p.path).toBe("string");
      expect(typeof p.message).toBe("string");
      expect(p).toHaveProperty("expected");
      expect(p).toHaveProperty("received");
    }
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("renders a readable table naming column, expectation and examples", () => {
    const text = formatValidationReport(report);
    expect(text).toMatch(/FAIL\s+age\s+between\s+2\s+row 1: 71; row 3: 17/);
    expect(text).toContain("FAILED:");
    expect(formatValidationReport(validate(sample(), inferSchema(sample())))).toMatch(/^OK: \d+ of \d+ expectations passed/);
  });
});

describe("parseSchema errors name the JSON path", () => {
  const cases: [string, unknown, string, RegExp][] = [
    ["not JSON", "{ version: 1", "$", /not valid JSON/],
    ["not an object", "[1, 2]", "$", /expected a JSON object/],
    ["wrong version", { version: 2, columns: {} }, "version", /unsupported schema version 2/],
    ["no columns", { version: 1 }, "columns", /missing/],
    ["bad kind", { version: 1, columns: { age: { kind: "numbr" } } }, "columns.age.kind", /"numbr" is not a column kind/],
    ["odd column name", { version: 1, columns: { "home type": { kind: "categorical", categories: "rent" } } }, 'columns["home type"].categories', /expected an array of strings/],
    ["category not a string", { version: 1, columns: { s: { kind: "categorical", categories: ["a", 3] } } }, "columns.s.categories[1]", /expected a string/],
    ["min not a number", { version: 1, columns: { age: { kind: "numeric", min: "18" } } }, "columns.age.min", /expected a finite number/],
    ["bad datetime bound", { version: 1, columns: { t: { kind: "datetime", max: "yesterday" } } }, "columns.t.max", /ISO 8601/],
    ["min above max", { version: 1, columns: { a: { kind: "numeric", min: 5, max: 1 } } }, "columns.a", /min 5 is above max 1/],
    ["bad regex", { version: 1, columns: { id: { kind: "text", pattern: "([a-z]" } } }, "columns.id.pattern", /not a valid regular expression/],
    ["pattern on a number", { version: 1, columns: { n: { kind: "numeric", pattern: "^1" } } }, "columns.n.pattern", /applies to categorical and text/],
    ["typo in a field", { version: 1, columns: { a: { kind: "numeric", nulable: false } } }, "columns.a.nulable", /unknown field "nulable"/],
    ["fraction out of range", { version: 1, columns: { a: { kind: "numeric", maxMissingFraction: 5 } } }, "columns.a.maxMissingFraction", /from 0 to 1/],
    ["bad row count", { version: 1, columns: {}, rows: { min: -1 } }, "rows.min", /whole number/],
  ];
  for (const [label, input, path, message] of cases) {
    it(label, () => {
      let err: unknown;
      try {
        parseSchema(input, "schema.json");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidInputError);
      const k = err as KeelError;
      expect(k.code).toBe("INVALID_INPUT");
      expect(k.path).toBe(path);
      expect(k.message).toMatch(message);
      expect(k.message).toContain("schema.json");
      if (path !== "$") expect(k.message).toContain(path);
    });
  }

  it("lists every problem, not just the first", () => {
    try {
      parseSchema({ version: 1, columns: { a: { kind: "numbr" }, b: { kind: "numeric", min: "x" } } });
      expect.unreachable();
    } catch (e) {
      const k = e as KeelError;
      expect(k.problems.map((p) => p.path)).toEqual(["columns.a.kind", "columns.b.min"]);
      expect(k.message).toContain("and 1 more problem");
    }
  });

  it("validate refuses a schema that does not parse", () => {
    expect(() => validate(sample(), { version: 1, columns: { age: { kind: "int" } } })).toThrow(/columns\.age\.kind/);
  });
});
