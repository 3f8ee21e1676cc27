/**
 * Step "candidates": keel.yaml's model list as the candidates to cross-validate — `baseline`
 * expanded (the dummy first), duplicates removed, every name and parameter checked against the
 * catalog before any work starts. Cached by the list and the task, so an unchanged keel.yaml does
 * not load a single model to be checked. `chooseCandidate` picks among the cross-validated ones.
 */
import { InvalidInputError, type Json } from "../../core/index.js";
import { loadEstimators, type Task } from "../../estimator/index.js";
import { type OneSeChoice, oneStandardErrorChoice } from "../../evaluate/index.js";
import type { ModelEntry } from "../../project/index.js";
import { step } from "../step.js";
import type { Candidate } from "./cross-validate.js";

/** `gbdt`, or `gbdt{"maxLeaves":15}` when parameters are given. */
export function candidateLabel(e: { name: string; params: Record<string, unknown> }): string {
  return Object.keys(e.params).length === 0 ? e.name : `${e.name}${JSON.stringify(e.params)}`;
}

export const candidatesStep = step<{ models: readonly ModelEntry[]; task: Task }, Candidate[]>({
  name: "candidates",
  label: () => "check the models",
  key: (i) => ({ models: i.models, task: i.task }),
  async run({ models, task }) {
    const [{ catalogLookup, expandBaseline, modelSpec }] = await Promise.all([import("../../project/index.js"), loadEstimators()]);
    const out: Candidate[] = [];
    const seen = new Set<string>();
    const push = (name: string, params: Record<string, Json>) => {
      const label = candidateLabel({ name, params });
      if (seen.has(label)) return;
      seen.add(label);
      out.push({ name, params, label, kind: catalogLookup(name, task).kind });
    };
    for (const m of models) if (m.name === "baseline") for (const b of expandBaseline(task)) push(b, {});
    if (out.length === 0) push("dummy", {});
    for (const m of models) {
      if (m.name === "baseline") continue;
      catalogLookup(m.name, task, "models");
      modelSpec(m.name, task, m.params);
      push(m.name, m.params as Record<string, Json>);
    }
    return out;
  },
});

/**
 * The candidate to refit, by the one-standard-error rule (`oneStandardErrorChoice`): the simplest
 * whose cross-validated mean is within one standard error (std / √folds) of the best, with the
 * reason in one sentence. NaN never wins.
 */
export function chooseCandidate(candidates: readonly { model: string; kind: string; cv: { mean: number; std: number }; folds: number }[], greaterIsBetter: boolean): OneSeChoice {
  if (!candidates.some((c) => Number.isFinite(c.cv.mean))) throw new InvalidInputError("no candidate produced a finite cross-validated score; check the metric and the data", { path: "models" });
  return oneStandardErrorChoice(
    candidates.map((c) => ({ name: c.model, kind: c.kind, mean: c.cv.mean, std: c.cv.std, folds: c.folds })),
    { greaterIsBetter },
  );
}
