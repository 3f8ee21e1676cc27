/** What `keel run` reports: the summary its `--json` prints and the model card is written from. */
import type { PretrainingBiasReport } from "../evaluate/index.js";
import type { Json } from "../core/index.js";
import type { MetricTask } from "../metrics/index.js";
import type { ProjectConfig } from "../project/index.js";
import type { GatesReport, ModelCardFacts } from "../registry/index.js";
import type { DecisionSummary } from "./steps/calibrate.js";
import type { TestEvaluation } from "./steps/evaluate.js";

export interface CandidateSummary {
  /** The name as written in keel.yaml (with parameters, e.g. `gbdt{"maxLeaves":15}`). */
  model: string;
  kind: string;
  params: Record<string, Json>;
  /** The primary metric's cross-validated mean and std. */
  cv: { mean: number; std: number };
  /** Every metric's CV mean and std. */
  metrics: Record<string, { mean: number; std: number }>;
  /** Folds the means are over (folds × repeats). */
  folds: number;
  fitSeconds: number;
  cached: boolean;
  runId: string;
}

/** What `keel run` did: the data, every candidate's cross-validation, the choice, the test-set evaluation and the registered version. */
export interface RunSummary extends ModelCardFacts {
  task: MetricTask;
  problem: ProjectConfig["problem"];
  data: ModelCardFacts["data"] & { dropped: string[]; schema: { file: string; written: boolean; notes: string[] } };
  candidates: CandidateSummary[];
  chosenParams: Record<string, Json>;
  /** Why the chosen candidate: the one-standard-error rule, in one sentence. */
  choice: string;
  test: TestEvaluation;
  /** The pre-training bias report of `problem.protected` (absent without protected columns). */
  bias?: PretrainingBiasReport;
  subgroups: TestEvaluation["subgroups"];
  gaps: TestEvaluation["gaps"];
  /** The registered version; null when the model failed its verdict and keel.yaml says not to register such models. */
  registered: {
    name: string;
    version: string;
    /** `challenger`, or null when the model failed its verdict (registered without the alias). */
    alias: string | null;
    reused: boolean;
    modelHash: string;
    /** Where the registered version's files are (its source URI). */
    source: string;
    /** The same as a local folder, when the store keeps artifacts on this machine; else null. */
    dir: string | null;
  } | null;
  /** Calibration and decision threshold of the registered model (keel.yaml's problem.calibration / problem.threshold); null when neither is asked for. */
  decision: DecisionSummary | null;
  /** keel.yaml's promotion gates for the chosen model on the test rows, against the current @champion (`keel promote` would decide the same). */
  gates?: (GatesReport & { champion: string | null }) | null;
  warnings: { code: string; column?: string; message: string }[];
  cache: { hits: number; misses: number };
  seconds: number;
}
