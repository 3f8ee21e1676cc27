import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import { SobolSequence, TrialPruned, createStudy, memoryStorage } from "../../src/index.js";
import type { SamplerSpec } from "../../src/tune/index.js";

const quadratic = (t: import("../../src/tune/index.js").Trial) => {
  const x = t.suggestFloat("x", -10, 10);
  const y = t.suggestInt("y", -5, 5);
  const c = t.suggestCategorical("c", ["a", "b", "c"]);
  return (x - 2) ** 2 + (y + 1) ** 2 + (c === "b" ? 0 : 3);
};

async function paramsOf(sampler: SamplerSpec, nTrials: number) {
  const study = await createStudy({ direction: "minimize", sampler });
  await study.optimize(quadratic, { nTrials });
  return study.trials.map((t) => t.params);
}

describe("studies", () => {
  it("the same seed gives the same suggestions; another seed others (random, TPE in both presets, Sobol' start-up)", async () => {
    for (const sampler of [{ name: "random", seed: 3 }, { name: "tpe", seed: 3 }, { name: "tpe", seed: 3, preset: "optuna" }, { name: "tpe", seed: 3, multivariate: true, constantLiar: true }] as SamplerSpec[]) {
      const a = await paramsOf(sampler, 25);
      expect(await paramsOf(sampler, 25)).toEqual(a);
      expect(await paramsOf({ ...sampler, seed: 4 } as SamplerSpec, 25)).not.toEqual(a);
    }
  });

  it("suggestions respect bounds, steps, log scales and choices", async () => {
    const study = await createStudy({ sampler: { name: "tpe", seed: 1, nStartupTrials: 5 } });
    await study.optimize(
      (t) => {
        const a = t.suggestFloat("a", 0.5, 2, { step: 0.25 });
        const b = t.suggestFloat("b", 1e-4, 1, { log: true });
        const n = t.suggestInt("n", 2, 20, { step: 3 });
        const m = t.suggestInt("m", 1, 1000, { log: true });
        expect(Number.isInteger((a - 0.5) / 0.25)).toBe(true);
        expect(b >= 1e-4 && b <= 1).toBe(true);
        expect([2, 5, 8, 11, 14, 17, 20]).toContain(n);
        expect(Number.isInteger(m) && m >= 1 && m <= 1000).toBe(true);
        expect(t.suggestFloat("a", 0.5, 2, { step: 0.25 })).toBe(a); // asking again: same value
        return a + Math.log(b) + n + m;
      },
      { nTrials: 30 },
    );
    expect(study.trials).toHaveLength(30);
  });

  it("conditional spaces by code: each trial holds only the parameters of its branch, and TPE keeps sampling them", async () => {
    const study = await createStudy({ sampler: { name: "tpe", seed: 2, nStartupTrials: 5 } });
    await study.optimize(
      (t) => {
        const kind = t.suggestCategorical("kind", ["linear", "tree"]);
        if (kind === "linear") return (t.suggestFloat("alpha", 1e-3, 10, { log: true }) - 1) ** 2;
        return (t.suggestInt("depth", 1, 10) - 3) ** 2 + 0.5;
      },
      { nTrials: 40 },
    );
    for (const t of study.trials) {
      expect(Object.keys(t.params).sort()).toEqual(t.params.kind === "linear" ? ["alpha", "kind"] : ["depth", "kind"]);
    }
    expect(study.bestValue).toBeLessThan(0.05);
  });

  it("TPE finds a quadratic's minimum better than random search with the same budget", async () => {
    const best = async (sampler: SamplerSpec) => {
      const study = await createStudy({ sampler });
      await study.optimize(quadratic, { nTrials: 60 });
      return study.bestValue;
    };
    let tpeWins = 0;
    for (let seed = 0; seed < 5; seed++) if ((await best({ name: "tpe", seed })) < (await best({ name: "random", seed }))) tpeWins++;
    expect(tpeWins).toBeGreaterThanOrEqual(4);
  });

  it("ask/tell, pruned and failed trials, best trial, and a non-finite value failing its trial", async () => {
    const study = await createStudy({ direction: "maximize", sampler: { name: "random", seed: 1 } });
    expect(() => study.bestTrial).toThrow(/no complete trial/);
    const t0 = await study.ask();
    const x0 = t0.suggestFloat("x", 0, 1);
    await study.tell(t0, 5);
    const t1 = await study.ask();
    t1.suggestFloat("x", 0, 1);
    t1.report(0.3, 0);
    await study.tell(t1, "pruned");
    const t2 = await study.ask();
    await study.tell(t2, NaN);
    const t3 = await study.ask();
    await study.tell(t3.number, 7);
    expect(study.trials.map((t) => t.state)).toEqual(["complete", "pruned", "failed", "complete"]);
    expect(study.trials[1].intermediateValues).toEqual({ 0: 0.3 });
    expect(study.bestValue).toBe(7);
    expect(study.bestTrial.number).toBe(3);
    expect(study.trials[0].params).toEqual({ x: x0 });
    await expect(study.tell(t3, 1)).rejects.toThrow(/not running/);
    expect(() => t3.suggestFloat("x", 0, 1)).toThrow(/complete; suggest needs a running trial/);
  });

  it("enqueueTrial: the queued parameters come first, the rest is sampled", async () => {
    const study = await createStudy({ sampler: { name: "tpe", seed: 1 } });
    await study.enqueueTrial({ x: 2, c: "b" });
    await study.optimize(quadratic, { nTrials: 3 });
    expect(study.trials[0].params.x).toBe(2);
    expect(study.trials[0].params.c).toBe("b");
    expect(typeof study.trials[0].params.y).toBe("number");
    expect(study.trials[1].params.x).not.toBe(2);
  });

  it("runs `concurrency` trials at once and exactly nTrials in all; the constant liar sees the running ones", async () => {
    const study = await createStudy({ sampler: { name: "tpe", seed: 5, constantLiar: true, nStartupTrials: 4 } });
    let running = 0;
    let most = 0;
    await study.optimize(
      async (t) => {
        const v = quadratic(t);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        return v;
      },
      { nTrials: 21, concurrency: 4 },
    );
    expect(study.trials).toHaveLength(21);
    expect(study.trials.every((t) => t.state === "complete")).toBe(true);
    expect(most).toBe(4);
  });

  it("timeoutMs stops starting trials", async () => {
    const study = await createStudy({ sampler: { name: "random" } });
    const t0 = Date.now();
    await study.optimize(
      async (t) => {
        await new Promise((r) => setTimeout(r, 20));
        return t.suggestFloat("x", 0, 1);
      },
      { timeoutMs: 150 },
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(study.trials.length).toBeGreaterThan(1);
    expect(study.trials.length).toBeLessThan(10);
  });

  it("an objective's error fails its trial and is rethrown; with catchErrors the study goes on", async () => {
    const study = await createStudy({ sampler: { name: "random" } });
    await expect(study.optimize(() => { throw new Error("boom"); }, { nTrials: 3 })).rejects.toThrow("boom");
    expect(study.trials.map((t) => t.state)).toEqual(["failed"]);
    await study.optimize((t) => { if (t.number % 2 === 0) throw new Error("odd"); return 1; }, { nTrials: 4, catchErrors: true });
    expect(study.trials.map((t) => t.state)).toEqual(["failed", "complete", "failed", "complete", "failed"]);
  });

  it("pruning: trials whose curve is worse than the median stop, as TrialPruned", async () => {
    const study = await createStudy({ direction: "minimize", sampler: { name: "random", seed: 1 }, pruner: { name: "median", nStartupTrials: 3 } });
    await study.optimize(
      (t) => {
        const level = t.suggestFloat("level", 0, 1);
        for (let step = 0; step < 10; step++) {
          t.report(level + 1 / (step + 1), step);
          if (t.shouldPrune()) throw new TrialPruned();
        }
        return level;
      },
      { nTrials: 30 },
    );
    const pruned = study.trials.filter((t) => t.state === "pruned");
    expect(pruned.length).toBeGreaterThan(5);
    const median = [...study.trials.filter((t) => t.state === "complete").map((t) => t.value!)].sort((a, b) => a - b);
    for (const t of pruned) expect(t.params.level as number).toBeGreaterThan(median[0]);
  });

  it("a study resumes from its storage by name", async () => {
    const store = memoryStorage();
    const a = await createStudy({ name: "s", store, sampler: { name: "random", seed: 1 } });
    await a.optimize(quadratic, { nTrials: 5 });
    await expect(createStudy({ name: "s", store })).rejects.toThrow(/already exists/);
    const b = await createStudy({ name: "s", store, loadIfExists: true, sampler: { name: "random", seed: 1 } });
    expect(b.trials).toHaveLength(5);
    await b.optimize(quadratic, { nTrials: 2 });
    expect(b.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("bad input is refused with the field, the value and what was expected", async () => {
    const fails = async (p: Promise<unknown> | (() => unknown), field: string) => {
      let err: unknown;
      try {
        await (typeof p === "function" ? p() : p);
      } catch (e) {
        err = e;
      }
      expect(err, field).toBeInstanceOf(KeelError);
      expect((err as KeelError).path).toBe(field);
    };
    await fails(createStudy({ direction: "up" as never }), "direction");
    await fails(createStudy({ sampler: { name: "bayes" } as never }), "sampler.name");
    await fails(createStudy({ sampler: { name: "tpe", nEiCandidates: 0 } }), "sampler.nEiCandidates");
    await fails(createStudy({ pruner: { name: "median", nWarmupSteps: -1 } }), "pruner.nWarmupSteps");
    await fails(createStudy({ pruner: { name: "successive-halving", reductionFactor: 1 } }), "pruner.reductionFactor");
    const study = await createStudy();
    await fails(study.optimize(() => 1, { nTrials: -1 }), "nTrials");
    await fails(study.optimize(() => 1, {}), "nTrials");
    const t = await study.ask();
    await fails(() => t.suggestFloat("x", 1, 0), "x.low/high");
    await fails(() => t.suggestFloat("x", 0, 1, { log: true }), "x.low");
    await fails(() => t.suggestInt("n", 0, 10, { step: 0 }), "n.step");
    await fails(() => t.suggestCategorical("c", []), "c.choices");
    t.suggestFloat("z", 0, 1);
    await fails(() => t.suggestFloat("z", 0, 2), "z");
    await fails(() => t.report(1, -1), "step");
  });

  it("grid search visits every combination once, then starts over", async () => {
    const study = await createStudy({ sampler: { name: "grid", grid: { a: [1, 2, 3], b: ["x", "y"] }, seed: 1 } });
    await study.optimize((t) => t.suggestInt("a", 1, 3) + (t.suggestCategorical("b", ["x", "y"]) === "x" ? 0 : 10), { nTrials: 8 });
    const seen = study.trials.slice(0, 6).map((t) => `${t.params.a}${t.params.b}`);
    expect(new Set(seen).size).toBe(6);
    expect(study.bestParams).toEqual({ a: 1, b: "x" });
    const outside = await createStudy({ sampler: { name: "grid", grid: { a: [1, 9] }, seed: null } });
    await expect(outside.optimize((t) => t.suggestInt("a", 1, 3), { nTrials: 2 })).rejects.toThrow(/outside the suggested distribution/);
  });
});

describe("Sobol' sequence", () => {
  it("equals scipy.stats.qmc.Sobol(scramble=False) point for point", () => {
    const ref = JSON.parse(readFileSync(new URL("../fixtures/tune/sobol.json", import.meta.url), "utf8")) as { d: number; points: number[][] };
    const s = new SobolSequence(ref.d);
    for (const p of ref.points) expect(Array.from(s.next())).toEqual(p);
    expect(Array.from(new SobolSequence(ref.d).at(100))).toEqual(ref.points[100]);
  });
  it("TPE's Sobol' start-up: the first trials are the seed's shifted Sobol' points, one dimension per parameter in order of first use", async () => {
    const study = await createStudy({ sampler: { name: "tpe", seed: 4, startup: "sobol", nStartupTrials: 8 } });
    await study.optimize((t) => t.suggestFloat("a", 0, 1) + t.suggestFloat("b", 0, 1), { nTrials: 8 });
    const s = new SobolSequence(64, { seed: 4 });
    for (const t of study.trials) {
      const p = s.next();
      expect([t.params.a, t.params.b]).toEqual([p[0], p[1]]);
    }
  });

  it("a seeded digital shift keeps one point per cell of a 2^k grid in each coordinate", () => {
    const s = new SobolSequence(5, { seed: 9 });
    const pts = Array.from({ length: 16 }, () => s.next());
    for (let j = 0; j < 5; j++) expect(new Set(pts.map((p) => Math.floor(p[j] * 16))).size).toBe(16);
    expect(pts[0][0]).not.toBe(0);
  });
});
