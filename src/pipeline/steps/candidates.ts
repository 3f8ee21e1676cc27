/**
 * Step "candidates": keel.yaml's model list as the candidates to cross-validate — `baseline`
 * expanded (the dummy first), duplicates removed, every name and parameter checked against the
 * catalog before any work starts. Cached by the list and the task, so an unchanged keel.yaml does
 * not load a single model to be checked. `chooseBest` picks among the cross-validated ones.
 */
import { InvalidInputError } from "../../core/errors.js";
import type { Json } from "../../core/observe.js";
import type { Task } from "../../estimator/types.js";
import type { ModelEntry } from "../../project/config.js";
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
    const { catalogLookup, expandBaseline, modelSpec } = await import("../../project/catalog.js");
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

/** The candidate with the best cross-validated score (ties: the earlier, simpler one). NaN never wins. */
export function chooseBest<C extends { cv: { mean: number } }>(candidates: readonly C[], greaterIsBetter: boolean): C {
  let best: C | undefined;
  for (const c of candidates) {
    if (!Number.isFinite(c.cv.mean)) continue;
    if (!best || (greaterIsBetter ? c.cv.mean > best.cv.mean : c.cv.mean < best.cv.mean)) best = c;
  }
  if (!best) throw new InvalidInputError("no candidate produced a finite cross-validated score; check the metric and the data", { path: "models" });
  return best;
}
