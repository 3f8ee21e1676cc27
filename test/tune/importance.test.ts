/**
 * Parameter importance against Optuna 3.1 (fixtures from test/fixtures/tune/make_fanova.py):
 * the encoding of the trials equals _SearchSpaceTransform's; scikit-learn's fitted trees from
 * Optuna's _Fanova, fed through Keel's decomposition, give _FanovaTree's variances and marginal
 * variances and _Fanova's importances (the forests themselves differ: Keel grows its own).
 * Then parameterImportance end to end: a dominant parameter ranks first.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Distribution, type FrozenTrial, createStudy, parameterImportance } from "../../src/index.js";
import { decomposeTree } from "../../src/tune/fanova.js";
import { encodeTrials, fanovaImportance } from "../../src/tune/importance.js";

interface Encoding {
  x: number[][];
  y: number[];
  bounds: [number, number][];
  groups: number[][];
  params: string[];
  trees: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] }[];
  treeVariance: number[];
  marginal: number[][];
  importance: number[];
  normalized: number[];
  optuna?: Record<string, number>;
}
const ref = JSON.parse(readFileSync(new URL("../fixtures/tune/fanova.json", import.meta.url), "utf8")) as {
  space: Record<string, Distribution>;
  trials: { params: Record<string, string | number>; state: "complete" | "pruned" | "failed"; value: number | null }[];
  log: Encoding;
  raw: Encoding;
};

const trials: FrozenTrial[] = ref.trials.map((t, number) => ({
  number,
  state: t.state,
  value: t.value,
  params: t.params,
  distributions: ref.space,
  intermediateValues: {},
  startedAt: null,
  finishedAt: null,
  durationMs: null,
}));

const close = (got: number, want: number, tol: number, what: string) => expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));

for (const [label, enc, logScale] of [["log-scale parameters by their log (Keel's default)", ref.log, true], ["raw values (Optuna 3.1's encoding)", ref.raw, false]] as const) {
  describe(`fANOVA as Optuna 3.1's, ${label}`, () => {
    it("encodes the complete trials as _SearchSpaceTransform does", () => {
      const e = encodeTrials(trials, { logScale });
      expect(e.params).toEqual(enc.params);
      expect(e.single).toEqual(["one"]);
      expect(e.groups).toEqual(enc.groups);
      // logarithms may differ from Python's in the last bit (V8's Math.log is not correctly rounded)
      enc.bounds.forEach(([lo, hi], j) => (close(e.low[j], lo, 1e-15, `low ${j}`), close(e.high[j], hi, 1e-15, `high ${j}`)));
      expect(Array.from(e.y)).toEqual(enc.y);
      const p = enc.bounds.length;
      enc.x.forEach((row, i) => row.forEach((want, j) => close(e.x[i * p + j], want, 1e-15, `trial row ${i}, column ${j}`)));
    });

    it("decomposes each of scikit-learn's trees as _FanovaTree does (1e-9)", () => {
      const low = enc.bounds.map((b) => b[0]);
      const high = enc.bounds.map((b) => b[1]);
      enc.trees.forEach((t, k) => {
        const d = decomposeTree({ ...t, root: 0 }, low, high, enc.groups);
        close(d.variance, enc.treeVariance[k], 1e-9, `tree ${k} variance`);
        enc.groups.forEach((_, g) => close(d.marginal[g], enc.marginal[k][g], 1e-9, `tree ${k} marginal of ${enc.params[g]}`));
      });
      const imp = fanovaImportance(enc.trees.map((t) => ({ ...t, root: 0 })), low, high, enc.groups);
      imp.forEach((v, g) => close(v, enc.importance[g], 1e-9, `importance of ${enc.params[g]}`));
      const total = imp.reduce((a, b) => a + b, 0);
      imp.forEach((v, g) => close(v / total, enc.normalized[g], 1e-9, `normalized importance of ${enc.params[g]}`));
      if (enc.optuna) enc.params.forEach((name, g) => close(imp[g] / total, enc.optuna![name], 1e-9, `get_param_importances ${name}`));
    });
  });
}

describe("parameterImportance", () => {
  it("on the fixture's study: sums to 1, the single-valued parameter 0, and x (the dominant term) first", async () => {
    const imp = await parameterImportance(trials, { nTrees: 16, seed: 3 });
    expect(Object.keys(imp)[0]).toBe("x");
    expect(imp.one).toBe(0);
    close(Object.values(imp).reduce((a, b) => a + b, 0), 1, 1e-12, "sum");
    expect(Object.keys(imp).sort()).toEqual(["c", "k", "lr", "n", "one", "x"]);
  });

  it("ranks first the parameter that dominates a synthetic objective, and is seeded", async () => {
    const study = await createStudy({ direction: "minimize", sampler: { name: "random", seed: 5 } });
    await study.optimize(
      (t) => {
        const a = t.suggestFloat("a", -3, 3);
        const b = t.suggestFloat("b", 1e-3, 1, { log: true });
        const kind = t.suggestCategorical("kind", ["p", "q", "r"]);
        const n = t.suggestInt("n", 1, 10);
        if (n === 7) throw new Error("a failed trial");
        return 10 * a * a + 0.3 * Math.log10(b) + (kind === "q" ? 0.2 : 0) + 0.01 * n;
      },
      { nTrials: 60, catchErrors: true },
    );
    expect(study.trials.some((t) => t.state === "failed")).toBe(true);
    const imp = await parameterImportance(study, { seed: 1 });
    const order = Object.keys(imp);
    expect(order[0]).toBe("a");
    expect(imp.a).toBeGreaterThan(0.8);
    close(Object.values(imp).reduce((x, y) => x + y, 0), 1, 1e-12, "sum");
    expect(await parameterImportance(study, { seed: 1 })).toEqual(imp);
    const two = await parameterImportance(study, { params: ["b", "kind"], seed: 1 });
    expect(Object.keys(two).sort()).toEqual(["b", "kind"]);
  });

  it("refuses too few complete trials, unknown parameters and bad options, naming them", async () => {
    await expect(parameterImportance([])).rejects.toThrow(/at least 2 complete trials; the study has 0/);
    await expect(parameterImportance(trials.slice(0, 1))).rejects.toThrow(/at least 2 complete trials; the study has 1/);
    await expect(parameterImportance(trials, { params: ["x", "nope"] })).rejects.toThrow(/no complete trial has "nope"/);
    await expect(parameterImportance(trials, { nTrees: 0 })).rejects.toThrow(/nTrees 0 is invalid; expected an integer ≥ 1/);
    const flatTrials = trials.map((t) => ({ ...t, value: t.value === null ? null : 1 }));
    await expect(parameterImportance(flatTrials)).rejects.toThrow(/values do not vary/);
  });
});
