import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { Frame } from "../../../src/data/frame.js";
import { profile } from "../../../src/data/profile/index.js";
import { creditFrame, reference } from "./fixture.js";

/** The credit slice with a planted leak: the target's 0/1 code plus a little Gaussian noise. */
function withLeak(): Frame {
  const f = creditFrame();
  const status = f.column("Status");
  if (status.kind !== "categorical") throw new Error("Status should be categorical");
  const rng = new Rng(7);
  const leak = new Float64Array(f.nRows);
  for (let i = 0; i < f.nRows; i++) leak[i] = (status.categories[status.codes[i]] === "bad" ? 1 : 0) + 0.1 * rng.normal();
  return f.withColumn("leak", leak);
}

describe("profile warnings", () => {
  it("flags a planted leak as TARGET_LEAK_SUSPECT and no honest feature", () => {
    const p = profile(withLeak(), { target: "Status" });
    const leaks = p.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT").map((w) => w.column);
    expect(leaks).toEqual(["leak"]);
    const scores = p.predictivePower!.scores;
    expect(scores[0].feature).toBe("leak");
    expect(scores[0].score).toBeGreaterThan(0.95);
    // honest features carry some signal but nowhere near a leak
    for (const s of scores.slice(1)) {
      expect(s.score, s.feature).toBeGreaterThanOrEqual(0);
      expect(s.score, s.feature).toBeLessThan(0.6);
    }
    expect(scores.find((s) => s.feature === "Seniority")!.model).toBe("tree");
    expect(scores.find((s) => s.feature === "Job")!.model).toBe("category-table");
    expect(p.predictivePower!.metric).toBe("f1_weighted");
    expect(p.predictivePower!.rows).toBe(403);
    expect(p.predictivePower!.sampled).toBeNull();
  });

  it("flags a leaky categorical copy of a regression target", () => {
    const f = creditFrame();
    const price = (f.column("Price") as { values: Float64Array }).values;
    // a categorical copy: the price band (8 bands), as a post-hoc field would be
    const band = Array.from(price, (v) => `band-${Math.min(7, Math.floor(v / 400))}`);
    const g = f.withColumn("price_band", band);
    const p = profile(g, { target: "Amount" });
    expect(p.target!.task).toBe("regression");
    expect(p.predictivePower!.metric).toBe("mae");
    const byFeature = Object.fromEntries(p.predictivePower!.scores.map((s) => [s.feature, s.score]));
    // Price explains much of Amount (loan amount vs. purchase price) but is not a leak
    expect(byFeature.Price).toBeGreaterThan(0.1);
    expect(p.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT")).toEqual([]);
    // an exact copy is a leak
    const q = profile(f.withColumn("amount_copy", (f.column("Amount") as { values: Float64Array }).values), { target: "Amount" });
    expect(q.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT").map((w) => w.column)).toEqual(["amount_copy"]);
  });

  it("reports the target's class balance and flags an imbalanced target", () => {
    const p = profile(creditFrame(), { target: "Status" });
    expect(p.target!.task).toBe("classification");
    // pandas value_counts() of the slice (reference.json)
    expect(p.target!.classes!.map((c) => [c.value, c.count])).toEqual(reference().categorical.Status.top);
    expect(p.target!.minorityFraction).toBeCloseTo(100 / 403, 12);
    expect(p.warnings.some((w) => w.code === "IMBALANCED_TARGET")).toBe(false);

    const n = 200;
    const y = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? "fraud" : "ok"));
    const x = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 101);
    const q = profile(Frame.fromColumns({ x, y }), { target: "y" });
    expect(q.target!.minorityFraction).toBeCloseTo(0.1, 12);
    expect(q.target!.imbalanceRatio).toBe(9);
    const w = q.warnings.filter((w) => w.code === "IMBALANCED_TARGET");
    expect(w).toHaveLength(1);
    expect(w[0].column).toBe("y");
    expect(w[0].message).toContain("fraud");
  });

  it("raises HIGH_MISSING, CONSTANT, HIGH_CARDINALITY and ID_LIKE on the right columns only", () => {
    const n = 120;
    const f = Frame.fromColumns({
      mostlyMissing: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? i % 5 : null)),
      fewMissing: Array.from({ length: n }, (_, i) => (i % 20 === 0 ? null : i % 7)),
      constant: Array.from({ length: n }, () => "same"),
      city: Array.from({ length: n }, (_, i) => `city-${(i * 31) % 60}`),
      id: Array.from({ length: n }, (_, i) => `cust-${1000 + i}`),
      rowNumber: Float64Array.from({ length: n }, (_, i) => i + 1),
      measurement: Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 10),
    });
    const p = profile(f);
    const codes = (col: string) => p.warnings.filter((w) => w.column === col).map((w) => w.code).sort();
    expect(codes("mostlyMissing")).toEqual(["HIGH_MISSING"]);
    expect(codes("fewMissing")).toEqual([]);
    expect(codes("constant")).toEqual(["CONSTANT"]);
    expect(codes("city")).toEqual(["HIGH_CARDINALITY"]);
    expect(codes("id")).toEqual(["ID_LIKE"]);
    expect(codes("rowNumber")).toEqual(["ID_LIKE"]);
    expect(codes("measurement")).toEqual([]); // all distinct, but continuous values are not identifiers
    expect(p.warnings.some((w) => w.code === "DUPLICATE_ROWS")).toBe(false);
    for (const w of p.warnings) expect(w.message).toContain(w.column!);
  });

  it("raises ROWS_ORDERED when rows are sorted by the target or a feature, or grouped by class; never in random order", () => {
    const rng = new Rng(17);
    const n = 2000;
    const price = Float64Array.from({ length: n }, () => Math.exp(6 + rng.normal()));
    const carat = Float64Array.from(price, (v) => Math.log(v) / 8 + 0.1 * rng.normal());
    const cut = Array.from({ length: n }, () => ["Fair", "Good", "Ideal"][rng.int(3)]);
    const sparse = Float64Array.from({ length: n }, () => (rng.float() < 0.95 ? 0 : rng.normal()));
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => price[a] - price[b]);
    // 99.7% sorted by price, as a public diamonds table is: a few rows out of place
    for (let t = 0; t < 3; t++) {
      const a = rng.int(n);
      const b = rng.int(n);
      [order[a], order[b]] = [order[b], order[a]];
    }
    const pick = <T>(xs: ArrayLike<T>) => order.map((i) => xs[i]);
    const sorted = Frame.fromColumns({ carat: Float64Array.from(pick(carat)), cut: pick(cut), sparse: Float64Array.from(pick(sparse)), price: Float64Array.from(pick(price)) });
    const p = profile(sorted, { target: "price", predictivePower: false });
    const ordered = p.warnings.filter((w) => w.code === "ROWS_ORDERED");
    expect(ordered.map((w) => w.column)).toEqual(["price"]);
    expect(ordered[0].message).toMatch(/^rows are sorted by its target "price" \(Spearman ρ of row number and value (0\.99\d|1\.000)\)/);
    // the same rows in random order: no warning
    const random = Frame.fromColumns({ carat, cut, sparse, price });
    expect(profile(random, { target: "price", predictivePower: false }).warnings.filter((w) => w.code === "ROWS_ORDERED")).toEqual([]);
    // sorted by a feature, descending; and on a sample of rows when the frame is large
    const byCarat = random.take(Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => carat[b] - carat[a]));
    const q = profile(byCarat, { target: "price", predictivePower: false, spearmanSample: 500 });
    expect(q.correlations.spearman.sampled).toBe(500);
    expect(q.warnings.filter((w) => w.code === "ROWS_ORDERED").map((w) => w.column)).toEqual(["carat"]);
    expect(q.warnings.find((w) => w.code === "ROWS_ORDERED")!.message).toContain("-1.000");
    // grouped by a class (iris-like files): all of one class, then the next
    const byCut = random.take(Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => cut[a].localeCompare(cut[b]) || a - b));
    const g = profile(byCut, { target: "cut", predictivePower: false }).warnings.filter((w) => w.code === "ROWS_ORDERED");
    expect(g.map((w) => w.column)).toEqual(["cut"]);
    expect(g[0].message).toMatch(/grouped by its target "cut"/);
    // an identifier counting rows is an ID, not an order to warn about
    const withId = random.withColumn("row_id", Float64Array.from({ length: n }, (_, i) => i + 1));
    expect(profile(withId, { predictivePower: false }).warnings.filter((w) => w.column === "row_id").map((w) => w.code)).toEqual(["ID_LIKE"]);
  });

  it("a unique integer measurement that predicts the target is not an identifier; a key that carries no signal is", () => {
    const rng = new Rng(9);
    const n = 1500;
    const population = Float64Array.from({ length: n }, () => Math.round(Math.exp(9 + 1.5 * rng.normal())));
    // make the populations distinct, as in a table of towns
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      while (seen.has(population[i])) population[i]++;
      seen.add(population[i]);
    }
    const big = Array.from(population, (v) => (Math.log(v) + 0.5 * rng.normal() > 9 ? "city" : "town"));
    const key = rng.permutation(n).map((v) => v + 100_000);
    const sales = Float64Array.from(population, (v) => Math.round(v * (3 + rng.float())) + 0.25); // continuous, all distinct
    const f = Frame.fromColumns({ population, key: Float64Array.from(key), sales, size: big });
    const p = profile(f, { target: "size" });
    const ids = p.warnings.filter((w) => w.code === "ID_LIKE").map((w) => w.column);
    expect(ids).toEqual(["key"]);
    expect(p.predictivePower!.scores.find((x) => x.feature === "population")!.score).toBeGreaterThan(0.05);
    // without a target: a key counts densely, a population does not
    expect(profile(f, { predictivePower: false }).warnings.filter((w) => w.code === "ID_LIKE").map((w) => w.column)).toEqual(["key"]);
  });

  it("an unknown target is a KeelError naming it and listing the columns", () => {
    const f = Frame.fromColumns({ a: [1, 2, 3], b: ["x", "y", "z"] });
    let err: unknown;
    try {
      profile(f, { target: "label" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).code).toBe("INVALID_INPUT");
    expect((err as KeelError).message).toMatch(/"label"/);
    expect((err as KeelError).message).toMatch(/"a", "b"/);
  });

  it("samples the expensive parts above their thresholds and says so", () => {
    const n = 3000;
    const rng = new Rng(3);
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const z = Float64Array.from(x, (v) => v * 2 + rng.normal());
    const y = Array.from(x, (v) => (v > 0 ? "hi" : "lo"));
    const p = profile(Frame.fromColumns({ x, z, y }), { target: "y", spearmanSample: 500, predictivePowerSample: 800, seed: 11 });
    expect(p.correlations.spearman.sampled).toBe(500);
    expect(p.correlations.pearson.sampled).toBeNull();
    expect(p.predictivePower!.sampled).toBe(800);
    expect(p.sampling).toEqual({ spearman: 500, predictivePower: 800, seed: 11 });
    // x determines y exactly: a leak, even on the sample
    expect(p.predictivePower!.scores[0]).toMatchObject({ feature: "x" });
    expect(p.predictivePower!.scores[0].score).toBeGreaterThan(0.95);
    // same seed, same profile
    expect(profile(Frame.fromColumns({ x, z, y }), { target: "y", spearmanSample: 500, predictivePowerSample: 800, seed: 11 })).toEqual(p);
  });

  it("profiles datetime and boolean columns", () => {
    const day = 86_400_000;
    const t0 = Date.UTC(2024, 0, 1);
    const f = Frame.fromColumns({
      when: Array.from({ length: 10 }, (_, i) => (i === 4 ? null : new Date(t0 + i * day))),
      flag: [true, false, true, true, null, false, true, true, true, false],
    });
    const p = profile(f);
    const when = p.columns[0];
    expect(when.kind).toBe("datetime");
    expect(when.datetime).toEqual({ min: "2024-01-01T00:00:00.000Z", max: "2024-01-10T00:00:00.000Z" });
    expect(when.missing).toBe(1);
    expect(when.mean).toBeNull();
    expect(when.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(9);
    const flag = p.columns[1];
    expect(flag.top.map((t) => [t.value, t.count])).toEqual([[true, 6], [false, 3]]);
    expect(flag.mean).toBeCloseTo(6 / 9, 12);
  });
});
