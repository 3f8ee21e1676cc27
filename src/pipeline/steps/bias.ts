/**
 * Step "bias": the pre-training bias report for `problem.protected` (each group's representation,
 * label rate, class imbalance and DPL against the rest), on all labelled rows before any model is
 * fitted; cached by the data's content hash. `stopOnBias` then stops the walk when keel.yaml's
 * `bias:` bounds are exceeded.
 */
import { InvalidInputError } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import type { PretrainingBiasReport } from "../../evaluate/index.js";
import type { Project } from "../../project/index.js";
import { step } from "../step.js";

export interface BiasInputs {
  frame: Frame;
  dataHash: string;
  target: string;
  protected: readonly string[];
  positive: string | null;
}

export const biasStep = step<BiasInputs, PretrainingBiasReport>({
  name: "bias",
  label: () => "pre-training bias of the protected columns",
  key: (i) => ({ data: i.dataHash, target: i.target, protected: i.protected, positive: i.positive }),
  async run(i) {
    const { pretrainingBias } = await import("../../evaluate/index.js");
    return pretrainingBias(i.frame, i.target, i.protected, i.positive === null ? {} : { positive: i.positive });
  },
  async track(o, run) {
    await run.logText("bias.json", JSON.stringify(o));
  },
});

/** Stop when a group's |CI| or |DPL| is beyond keel.yaml's `bias:` bounds, naming each breach and the line. */
export async function stopOnBias(project: Project, report: PretrainingBiasReport): Promise<void> {
  const bounds = project.config.bias;
  if (bounds.max_class_imbalance === null && bounds.max_dpl === null) return;
  const { biasBreaches } = await import("../../evaluate/index.js");
  const breaches = biasBreaches(report, bounds);
  if (breaches.length === 0) return;
  const at = bounds.max_dpl !== null && breaches.some((b) => b.includes("DPL")) ? "bias.max_dpl" : "bias.max_class_imbalance";
  throw new InvalidInputError(`${project.locate(at)}: pre-training bias beyond keel.yaml's bounds, before any model was fitted: ${breaches.join("; ")}. Rebalance or collect more data, or raise the bound if it is expected`, {
    path: at,
    expected: `|CI| ≤ ${bounds.max_class_imbalance ?? "∞"} and |DPL| ≤ ${bounds.max_dpl ?? "∞"} for every protected group`,
    received: breaches,
  });
}
