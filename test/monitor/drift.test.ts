import { describe, expect, it } from "vitest";
import { categoricalFromValues } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import { type ColumnDrift, dataDrift } from "../../src/monitor/index.js";
import { closeRel, labelSample, type LabelSpec, reference, sample, type SampleSpec } from "./reference.js";

interface NumCase {
  name: string;
  ref: SampleSpec;
  cur: SampleSpec;
  treated_as: "numeric" | "categorical";
  ks: { statistic: number; p_value: number };
  wasserstein_norm: number;
  psi: number;
  js: number;
  chi2?: { statistic: number; p_value: number | null };
  edges: number[];
  ref_counts: number[];
  cur_counts: number[];
  ref_rows: number;
  cur_rows: number;
}
interface CatCase {
  name: string;
  ref: LabelSpec;
  cur: LabelSpec;
  labels: string[];
  ref_counts: number[];
  cur_counts: number[];
  psi: number;
  js: number;
  chi2: { statistic: number; p_value: number | null };
  ref_rows: number;
  cur_rows: number;
}

function mismatches(got: ColumnDrift, want: Record<string, number | null | undefined>): string[] {
  const out: string[] = [];
  const g = got as unknown as Record<string, unknown>;
  for (const [k, w] of Object.entries(want)) {
    if (w === undefined) continue;
    const [a, b] = k.split(".");
    let v = b ? (g[a] as Record<string, number> | undefined)?.[b] : g[a];
    // SciPy's chisquare answers NaN for a single bucket (no degree of freedom); Keel reports p = 1
    if (k === "chi2.p_value" && w === null) {
      if (v !== 1) out.push(`${got.column} ${k}: got ${v}, want 1 (SciPy NaN)`);
      continue;
    }
    if (typeof v !== "number" || !closeRel(v, w)) out.push(`${got.column} ${k}: got ${v}, SciPy ${w}`);
    v = undefined;
  }
  return out;
}

// the test each case must be decided by (Evidently's defaults)
const EXPECTED_TEST: Record<string, string> = {
  "normal small": "ks",
  "shifted small": "ks",
  "normal large": "wasserstein_norm",
  "shifted large": "wasserstein_norm",
  "outside the reference range": "wasserstein_norm",
  ties: "wasserstein_norm",
  "heavy ties": "wasserstein_norm",
  "few values": "chi2",
  "few values large": "js",
  constant: "chi2",
  "constant same": "js",
  NaNs: "wasserstein_norm",
  "NaNs small": "ks",
  same: "chi2",
  shifted: "chi2",
  "new category": "chi2",
  "vanished category": "chi2",
  "rare and missing": "js",
  "large shifted": "js",
  "one category": "chi2",
};

describe("numeric column drift equals SciPy (ks_2samp, wasserstein_distance / std, deciles, jensenshannon, chisquare)", () => {
  const cases = reference.numeric_columns as NumCase[];
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const report = dataDrift(Frame.fromColumns({ x: sample(c.ref) }), Frame.fromColumns({ x: sample(c.cur) }));
    expect(report.skipped).toEqual([]);
    const col = report.columns[0];
    expect(col.kind).toBe(c.treated_as);
    expect([col.reference_rows, col.current_rows]).toEqual([c.ref_rows, c.cur_rows]);
    expect(
      mismatches(col, {
        "ks.statistic": c.ks.statistic,
        "ks.p_value": c.ks.p_value,
        wasserstein_norm: c.wasserstein_norm,
        psi: c.psi,
        js: c.js,
        "chi2.statistic": c.chi2?.statistic,
        "chi2.p_value": c.chi2 ? c.chi2.p_value : undefined,
      }),
    ).toEqual([]);
    if (c.treated_as === "numeric") expect(col.buckets.edges).toEqual(c.edges);
    expect(col.buckets.reference).toEqual(c.ref_counts);
    expect(col.buckets.current).toEqual(c.cur_counts);
    expect(col.test).toBe(EXPECTED_TEST[c.name]);
    expect(col.drifted).toBe(col.test === "ks" || col.test === "chi2" ? col.statistic < 0.05 : col.statistic > 0.1);
  });
});

describe("categorical column drift equals SciPy", () => {
  const cases = reference.categorical_columns as CatCase[];
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    // an empty category in each dictionary: it must not become a bucket
    const ref = categoricalFromValues(labelSample(c.ref), [...c.ref.labels, "empty-ref"]);
    const cur = categoricalFromValues(labelSample(c.cur), ["empty-cur", ...c.cur.labels]);
    const report = dataDrift(Frame.fromColumns({ x: ref }), Frame.fromColumns({ x: cur }));
    const col = report.columns[0];
    expect(col.kind).toBe("categorical");
    expect(col.buckets.labels).toEqual(c.labels);
    expect(col.buckets.reference).toEqual(c.ref_counts);
    expect(col.buckets.current).toEqual(c.cur_counts);
    expect([col.reference_rows, col.current_rows]).toEqual([c.ref_rows, c.cur_rows]);
    expect(mismatches(col, { psi: c.psi, js: c.js, "chi2.statistic": c.chi2.statistic, "chi2.p_value": c.chi2.p_value })).toEqual([]);
    expect(col.ks).toBeUndefined();
    expect(col.test).toBe(EXPECTED_TEST[c.name]);
    if (c.name === "new category") expect(col.unseen).toEqual(["new"]);
    else expect(col.unseen).toBeUndefined();
  });
});

describe("dataset drift", () => {
  const num = (c: string) => (reference.numeric_columns as NumCase[]).find((x) => x.name === c)!;
  it("drift_share and dataset_drift count the compared columns; datetime, text and one-sided columns are skipped with a reason", () => {
    const a = num("normal large");
    const b = num("shifted large");
    const ref = Frame.fromColumns({
      same: sample(a.ref),
      moved: sample(b.ref),
      when: { kind: "datetime", values: new Float64Array(5000).fill(1.7e12) },
      note: { kind: "text", values: Array.from({ length: 5000 }, (_, i) => `n${i}`) },
      gone: new Float64Array(5000),
    });
    const cur = Frame.fromColumns({
      same: sample(a.cur),
      moved: sample(b.cur),
      when: { kind: "datetime", values: new Float64Array(4000).fill(1.8e12) },
      note: { kind: "text", values: Array.from({ length: 4000 }, (_, i) => `m${i}`) },
      added: new Float64Array(4000),
    });
    const r = dataDrift(ref, cur);
    expect(r.columns.map((c) => [c.column, c.drifted])).toEqual([
      ["same", false],
      ["moved", true],
    ]);
    expect([r.number_of_columns, r.number_of_drifted_columns, r.drift_share, r.dataset_drift]).toEqual([2, 1, 0.5, true]);
    expect([r.reference_rows, r.current_rows]).toEqual([5000, 4000]);
    expect(r.skipped.map((s) => s.column).sort()).toEqual(["added", "gone", "note", "when"]);
    expect(r.skipped.find((s) => s.column === "when")!.reason).toMatch(/datetime/);
    expect(dataDrift(ref, cur, { driftShare: 0.6 }).dataset_drift).toBe(false);
  });
  it("per-column overrides change the test and threshold", () => {
    const a = num("normal large");
    const r = dataDrift(Frame.fromColumns({ x: sample(a.ref) }), Frame.fromColumns({ x: sample(a.cur) }), { overrides: { x: { test: "psi", threshold: 0.001 } } });
    expect(r.columns[0].test).toBe("psi");
    expect(r.columns[0].statistic).toBe(r.columns[0].psi);
    expect(r.columns[0].drifted).toBe(true);
  });
  it("refuses bad options and unknown columns, naming them", () => {
    const f = Frame.fromColumns({ x: [1, 2, 3, 4, 5, 6, 7] });
    const g = Frame.fromColumns({ x: [1, 2, 4, 8, 9, 10, 11], y: ["a", "b", "c", "a", "b", "c", "a"] });
    expect(() => dataDrift(f, g, { columns: ["y"] })).toThrow(/column "y" is not in the reference data/);
    expect(() => dataDrift(f, g, { driftShare: 0 })).toThrow(/driftShare must be in \(0, 1\]/);
    expect(() => dataDrift(f, g, { overrides: { x: { test: "t-test" as never } } })).toThrow(/unknown drift test "t-test" for column "x"/);
    expect(() => dataDrift(f, g, { overrides: { x: { threshold: -1 } } })).toThrow(/threshold for column "x" must be a number ≥ 0/);
    expect(() => dataDrift(f, g, { overrides: { x: { test: "chi2" } } })).toThrow(/drift test "chi2" does not apply to the numeric column "x"/);
    expect(() => dataDrift(f, g, { overrides: { z: { test: "psi" } } })).toThrow(/names column "z", which is not compared/);
  });
  it("a column whose current values are all missing, or whose kind changed, is skipped with the reason", () => {
    const ref = Frame.fromColumns({ x: [1, 2, 3, 4], y: [1, 2, 3, 4] });
    const cur = Frame.fromColumns({ x: [NaN, NaN, null, NaN], y: ["a", "b", "a", "b"] });
    const r = dataDrift(ref, cur);
    expect(r.columns).toEqual([]);
    expect(r.skipped).toEqual([
      { column: "x", reason: "no finite values in the current data" },
      { column: "y", reason: "kind changed: numeric in the reference, categorical in the current data" },
    ]);
    expect(r.dataset_drift).toBe(false);
  });
});
