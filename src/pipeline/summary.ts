/** What `keel run` reports: the summary its `--json` prints and the model card is written from. */
import type { Json } from "../core/observe.js";
import type { MetricTask } from "../metrics/index.js";
import type { ProjectConfig } from "../project/config.js";
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
  fitSeconds: number;
  cached: boolean;
  runId: string;
}

export interface RunSummary {
  runId: string;
  project: string;
  task: MetricTask;
  problem: ProjectConfig["problem"];
  greaterIsBetter: boolean;
  data: {
    source: string;
    rows: number;
    hash: string;
    missingTarget: number;
    dropped: string[];
    time: string | null;
    split: string;
    train: { rows: number; hash: string };
    test: { rows: number; hash: string };
    duplicates: { exact: number; near: number | null; nearThreshold: number | null };
    schema: { file: string; written: boolean };
  };
  cv: string;
  candidates: CandidateSummary[];
  chosen: string;
  chosenKind: string;
  chosenParams: Record<string, Json>;
  test: TestEvaluation;
  baseline: { model: string; value: number };
  subgroups: TestEvaluation["subgroups"];
  gaps: TestEvaluation["gaps"];
  verdict: { goodEnough: boolean | null; beatsBaseline: boolean; metric: string; value: number; bar: number | null };
  registered: { name: string; version: string; alias: string; reused: boolean; modelHash: string };
  warnings: { code: string; column?: string; message: string }[];
  cache: { hits: number; misses: number };
  git: { commit: string; dirty: boolean } | null;
  keelVersion: string;
  seconds: number;
}
