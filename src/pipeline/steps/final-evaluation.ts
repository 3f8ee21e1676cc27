/**
 * Step "evaluate" of `keel run`: the one evaluation on the sealed test set, which it unseals
 * (evaluate.ts), and the baseline's score on the same rows — the numbers the verdict is made of.
 * Cached by the model's bytes, the test rows' hash and the settings.
 */
import { Rng } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { loadEstimators, type Task } from "../../estimator/index.js";
import type { ScoreJob } from "../../evaluate/index.js";
import type { SealedFrame } from "../sealed.js";
import { step } from "../step.js";
import type { Candidate } from "./cross-validate.js";
import type { TestEvaluation } from "./evaluate.js";
import type { FitOutput } from "./fit.js";

export interface FinalEvaluationInputs {
  model: FitOutput;
  test: SealedFrame;
  job: ScoreJob;
  protected: readonly string[];
  subgroupMetricNames: readonly string[];
  seed: number;
  /** The baseline, fitted on `train` and scored on the same test rows by the primary metric. */
  baseline: Pick<Candidate, "name" | "params">;
  task: Task;
  train: Frame;
  trainHash: string;
  primary: string;
  /** Columns that are not features (the group column): left out of the test rows the model sees. */
  exclude?: string[];
}

export interface FinalEvaluation {
  evaluation: TestEvaluation;
  /** The baseline's primary metric on the test rows. */
  baseline: number;
  /** Test metrics at their best possible value (a leak more often than a solved problem), each with a message. */
  perfect: { metric: string; value: number; message: string }[];
}

export const finalEvaluationStep = step<FinalEvaluationInputs, FinalEvaluation>({
  name: "evaluate",
  label: () => "evaluate once on the test set",
  key: (i) => ({ model: i.model.hash, test: i.test.hash, job: i.job, protected: i.protected, subgroupNames: i.subgroupMetricNames, seed: i.seed, baseline: { ...i.baseline, train: i.trainHash, primary: i.primary }, exclude: i.exclude }),
  async run(i, { threads }) {
    const [{ trainingSpec }, { predictionsFor, scorePredictions }, { evaluateOnTest }, { perfectScores }] = await Promise.all([
      import("../../project/index.js"),
      import("../../evaluate/index.js"),
      import("./evaluate.js"),
      import("../../evaluate/index.js"),
      loadEstimators(),
    ]);
    const unsealed = i.test.unseal("final evaluation");
    const test = i.exclude?.length ? unsealed.drop(i.exclude) : unsealed;
    const evaluation = evaluateOnTest(await i.model.fitted(), test, i.job, i.protected, { seed: i.seed, subgroupMetricNames: i.subgroupMetricNames });
    const baselineFit = await trainingSpec(i.baseline.name, i.task, i.baseline.params).fit(i.train, { target: i.job.target, rng: new Rng(i.seed), threads });
    const baseline = scorePredictions(predictionsFor(baselineFit, test, i.job), [i.primary]).metrics[i.primary];
    return { evaluation, baseline, perfect: perfectScores(evaluation.metrics).map((p) => ({ ...p })) };
  },
  track(o, run) {
    run.logMetrics(Object.fromEntries(Object.entries(o.evaluation.metrics).map(([k, v]) => [`test_${k}`, v])));
  },
});
