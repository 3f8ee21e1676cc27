import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { autoPipeline, dummyClassifier, logistic } from "../../src/index.js";
import { DEFAULT_GATES, evaluateGates, type GatesConfig } from "../../src/registry/gates.js";
import { predictionsFor } from "../../src/evaluate/score.js";
import { championHistory } from "../../src/registry/gates-promote.js";
import { parseProjectText } from "../../src/project/config.js";
import type { AuditEntry } from "../../src/wire/index.js";

/** Rows where `group` b is selected far less often when the model uses the `group` column. */
function data(n: number, seed: number, groupEffect = 2): Frame {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const age = new Float64Array(n);
  const group: string[] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    x[i] = rng.normal();
    age[i] = 20 + Math.floor(rng.float() * 50);
    group.push(rng.float() < 0.5 ? "a" : "b");
    y.push(x[i] + (group[i] === "a" ? groupEffect / 2 : -groupEffect / 2) + 0.7 * rng.normal() > 0 ? "yes" : "no");
  }
  return Frame.fromColumns({ x, age, group, y });
}

const job = { target: "y", task: "binary" as const, classes: ["no", "yes"], metrics: ["roc_auc", "accuracy"] };
const gates = (g: Partial<GatesConfig>): GatesConfig => ({ ...DEFAULT_GATES, ...g });

describe("fairness gates", () => {
  it("bound Fairlearn's numbers computed from the definitions (1e-12) on the model's decisions, for a categorical and a binned numeric column", async () => {
    const train = data(800, 11);
    const rows = data(500, 4);
    const model = await autoPipeline(logistic({})).fit(train, { target: "y", threads: 1 });
    const metrics = ["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference", "equalized_odds_ratio"] as const;
    const g = gates({ champion: null, fairness: metrics.map((metric) => ({ metric, min: -1, max: null, columns: ["group", "age"] })) });
    const r = evaluateGates({ candidateDir: null, rows, job, metric: "roc_auc", greaterIsBetter: true, goodEnough: null, protectedColumns: [], seed: 1, candidate: model, champion: null, gates: g });
    const p = predictionsFor(model, rows, job);
    const yTrue = p.yTrue as Int32Array;
    const yPred = p.labels!;
    const direct = (labels: string[]) => {
      const groups = [...new Set(labels)];
      const rate = (rows: number[], pred: (i: number) => boolean) => rows.filter(pred).length / rows.length;
      const per = groups.map((grp) => {
        const rows = labels.flatMap((l, i) => (l === grp ? [i] : []));
        return { sr: rate(rows, (i) => yPred[i] === 1), tpr: rate(rows.filter((i) => yTrue[i] === 1), (i) => yPred[i] === 1), fpr: rate(rows.filter((i) => yTrue[i] === 0), (i) => yPred[i] === 1) };
      });
      const diff = (k: "sr" | "tpr" | "fpr") => Math.max(...per.map((q) => q[k])) - Math.min(...per.map((q) => q[k]));
      const ratio = (k: "sr" | "tpr" | "fpr") => Math.min(...per.map((q) => q[k])) / Math.max(...per.map((q) => q[k]));
      return { demographic_parity_difference: diff("sr"), demographic_parity_ratio: ratio("sr"), equalized_odds_difference: Math.max(diff("tpr"), diff("fpr")), equalized_odds_ratio: Math.min(ratio("tpr"), ratio("fpr")) };
    };
    const group = rows.column("group") as { codes: Int32Array; categories: readonly string[] };
    const ages = (rows.column("age") as { values: Float64Array }).values;
    const sorted = Float64Array.from(ages).sort();
    const q = (pr: number) => {
      const h = (sorted.length - 1) * pr;
      return sorted[Math.floor(h)] + (h - Math.floor(h)) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
    };
    const edges = [...new Set([q(0), q(0.25), q(0.5), q(0.75), q(1)])];
    const ageBins = Array.from(ages, (v) => String(Math.min(edges.length - 2, edges.findIndex((e, k) => k < edges.length - 1 && v >= e && (v < edges[k + 1] || k === edges.length - 2)))));
    for (const [col, labels] of [["group", Array.from(group.codes, (c) => group.categories[c])], ["age", ageBins]] as const) {
      const d = direct(labels);
      expect(r.fairness[col].groups.length).toBe(new Set(labels).size);
      for (const m of metrics) {
        const gate = r.gates.find((x) => x.gate === `fairness:${m}:${col}`)!;
        expect(Math.abs(gate.value! - d[m])).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});

describe("promotion gates", async () => {
  const train = data(800, 1);
  const test = data(500, 2);
  const good = await autoPipeline(logistic({})).fit(train, { target: "y", threads: 1 });
  const blind = await autoPipeline(dummyClassifier({ strategy: "prior" })).fit(train, { target: "y", threads: 1 });
  const base = { candidateDir: null, rows: test, job, metric: "roc_auc", greaterIsBetter: true, goodEnough: null, protectedColumns: ["group"], seed: 42 };

  it("refuses a candidate worse than the champion, naming the champion gate with DeLong's p-value; passes a better one", () => {
    const worse = evaluateGates({ ...base, candidate: blind, champion: { fitted: good, version: "1" }, gates: gates({}) });
    expect(worse.passed).toBe(false);
    expect(worse.failing).toEqual(["champion"]);
    expect(worse.comparison!.test).toBe("delong");
    expect(worse.comparison!.pValue).toBeLessThan(0.05);
    expect(worse.gates[0].message).toMatch(/significant regression/);
    const better = evaluateGates({ ...base, candidate: good, champion: { fitted: blind, version: "1" }, gates: gates({}) });
    expect(better.passed).toBe(true);
    // a drop within max_drop passes even when significant
    expect(evaluateGates({ ...base, candidate: blind, champion: { fitted: good, version: "1" }, gates: gates({ champion: { max_drop: 0.6, alpha: 0.05 } }) }).passed).toBe(true);
  });

  it("refuses an unfair candidate, naming the fairness gate and column", () => {
    const g = gates({ champion: null, fairness: [{ metric: "demographic_parity_ratio", min: 0.8, max: null, columns: null }] });
    const r = evaluateGates({ ...base, candidate: good, champion: null, gates: g });
    expect(r.failing).toEqual(["fairness:demographic_parity_ratio:group"]);
    expect(r.fairness.group.demographic_parity_ratio).toBeLessThan(0.8);
    // the same model on rows where the groups do not differ is fair enough
    const even = data(500, 5, 0);
    const fairModel = autoPipeline(logistic({})).fit(data(800, 6, 0), { target: "y", threads: 1 });
    return fairModel.then((m) => expect(evaluateGates({ ...base, rows: even, candidate: m, champion: null, gates: g }).passed).toBe(true));
  });

  it("refuses a slow candidate (p99 over the bound), naming the latency gate; a generous bound passes", () => {
    const slow = evaluateGates({ ...base, candidate: good, champion: null, gates: gates({ champion: null, latency: { p99_ms: 1e-6, tolerance: 0.2, repeats: 3, requests: 20 } }) });
    expect(slow.failing).toEqual(["latency"]);
    expect(slow.latency!.p99Ms).toHaveLength(3);
    expect(slow.latency!.medianP99Ms).toBeGreaterThan(1.2e-6);
    const fine = evaluateGates({ ...base, candidate: good, champion: null, gates: gates({ champion: null, latency: { p99_ms: 60_000, tolerance: 0, repeats: 3, requests: 20 } }) });
    expect(fine.passed).toBe(true);
  });

  it("evaluates every gate (none short-circuits): the bar, robustness and size alongside", () => {
    const r = evaluateGates({
      ...base,
      candidate: blind,
      candidateDir: "/nonexistent-model-dir",
      champion: { fitted: good, version: "1" },
      goodEnough: 0.7,
      gates: gates({ fairness: [{ metric: "equalized_odds_difference", min: null, max: 0.1, columns: ["group", "missing_column"] }], max_size_mb: 1, robustness: { max_drop: 0.05, noise: 0.1, missing: 0.1, unseen: 0.1, out_of_range: 0.1 } }),
    });
    expect(r.gates.map((g) => g.gate)).toEqual(["good_enough", "champion", "fairness:equalized_odds_difference:group", "fairness:equalized_odds_difference:missing_column", "size", "robustness"]);
    expect(r.failing).toEqual(["good_enough", "champion", "fairness:equalized_odds_difference:missing_column", "size"]);
  });
});

describe("champion history from the audit log", () => {
  const at = (id: number, action: AuditEntry["action"], entity: string, from: string | null, to: string | null): AuditEntry => ({ id, timestamp: id, actor: "t", action, modelName: "m", version: to, entity, from, to });
  it("stacks promotions, unstacks moves back, and ignores other aliases", () => {
    const log = [at(1, "set_alias", "m@challenger", null, "1"), at(2, "set_alias", "m@champion", null, "1"), at(3, "set_alias", "m@champion", "1", "2"), at(4, "set_alias", "m@champion", "2", "3"), at(5, "set_alias", "m@challenger", "1", "4")];
    expect(championHistory(log, "m")).toEqual(["1", "2", "3"]);
    expect(championHistory([...log, at(6, "set_alias", "m@champion", "3", "2")], "m")).toEqual(["1", "2"]);
    expect(championHistory([...log, at(6, "set_alias", "m@champion", "3", "2"), at(7, "set_alias", "m@champion", "2", "1")], "m")).toEqual(["1"]);
    expect(championHistory([...log, at(6, "delete_alias", "m@champion", "3", null)], "m")).toEqual([]);
  });
});

describe("keel.yaml gates:", () => {
  const yaml = (gatesBlock: string) => `name: p\nproblem: { task: binary, target: y }\ndata: { source: d.csv }\n${gatesBlock}`;
  it("fills defaults, and without a block keeps the bar and the no-significant-regression gate", () => {
    expect(parseProjectText(yaml("")).config!.gates).toEqual(DEFAULT_GATES);
    const g = parseProjectText(yaml("gates:\n  champion: { max_drop: 0.01 }\n  latency: { p99_ms: 5 }\n  fairness: [{ metric: demographic_parity_ratio, min: 0.8 }]\n  robustness: {}\n")).config!.gates;
    expect(g.champion).toEqual({ max_drop: 0.01, alpha: 0.05 });
    expect(g.latency).toEqual({ p99_ms: 5, tolerance: 0.2, repeats: 5, requests: 200 });
    expect(g.fairness).toEqual([{ metric: "demographic_parity_ratio", min: 0.8, max: null, columns: null }]);
    expect(g.robustness).toEqual({ max_drop: 0.05, noise: 0.1, missing: 0.1, unseen: 0.1, out_of_range: 0.1 });
    expect(parseProjectText(yaml("gates: { champion: null }\n")).config!.gates.champion).toBeNull();
  });
  it("names the key, the value and the line of a bad gate", () => {
    const r = parseProjectText(yaml("gates:\n  fairness: [{ metric: parity, min: 0.8 }, { metric: demographic_parity_ratio }]\n  latency: { p99_ms: -1 }\n"));
    expect(r.config).toBeUndefined();
    expect(r.problems.map((p) => p.path)).toEqual(["gates.fairness.0.metric", "gates.latency.p99_ms"]);
    expect(r.problems[0].message).toMatch(/keel\.yaml:5: .*"parity", expected one of demographic_parity_difference/);
    const noBound = parseProjectText(yaml("gates:\n  fairness: [{ metric: demographic_parity_ratio }]\n"));
    expect(noBound.problems.map((p) => p.message)).toEqual([expect.stringMatching(/keel\.yaml:5: fairness gate "demographic_parity_ratio" has no bound/)]);
  });
});
