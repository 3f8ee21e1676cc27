/**
 * Step "verdict": is the evaluated model good enough, and does it beat the baseline on the same
 * test rows (`registry/verdict.ts`)? Recorded as tags on the walk's run. Promotion gates will be
 * steps like this one, between the evaluation and the registry.
 */
import { type Verdict, verdict } from "../../registry/index.js";
import { step } from "../step.js";

export interface VerdictInputs {
  chosen: string;
  metric: string;
  value: number;
  baseline: number;
  bar: number | null;
  greaterIsBetter: boolean;
}

export const verdictStep = step<VerdictInputs, Verdict>({
  name: "verdict",
  run: (i) => verdict(i),
  async track(v, run, i) {
    await run.setTags({ "keel.chosen": i.chosen, "keel.good_enough": String(v.goodEnough), "keel.beats_baseline": String(v.beatsBaseline) });
  },
});
