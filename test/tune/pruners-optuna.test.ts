/**
 * Pruners against Optuna 3.1's decisions on scripted intermediate values (fixtures from
 * test/fixtures/tune/make_pruners.py): the answer of shouldPrune() after every report.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type PrunerSpec, createStudy } from "../../src/tune/index.js";

const ref = JSON.parse(readFileSync(new URL("../fixtures/tune/pruners.json", import.meta.url), "utf8")) as {
  scenarios: { label: string; pruner: PrunerSpec; studyName: string; direction: "minimize" | "maximize"; curves: [number, number | "nan"][][]; decisions: boolean[][] }[];
};

describe("pruners decide as Optuna 3.1's on scripted curves", () => {
  for (const s of ref.scenarios) {
    it(s.label, async () => {
      const study = await createStudy({ name: s.studyName, direction: s.direction, pruner: s.pruner, sampler: { name: "random", seed: 0 } });
      const decisions: boolean[][] = [];
      for (const curve of s.curves) {
        const trial = await study.ask();
        const said: boolean[] = [];
        for (const [step, raw] of curve) {
          trial.report(raw === "nan" ? NaN : raw, step);
          const p = trial.shouldPrune();
          said.push(p);
          if (p) break;
        }
        const last = curve[curve.length - 1][1];
        await study.tell(trial, said[said.length - 1] ? "pruned" : last === "nan" ? 0 : last);
        decisions.push(said);
      }
      decisions.forEach((d, i) => expect(d, `trial ${i}`).toEqual(s.decisions[i]));
      expect(s.decisions.some((d) => d[d.length - 1])).toBe(true); // the scenario does prune
    });
  }
});
