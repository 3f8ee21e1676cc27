/**
 * Performance on live traffic once the labels arrive: delayed labels (`keel feedback`, `POST
 * .../feedback`) are joined to logged predictions by request id, and the metrics of the joined rows
 * come with percentile bootstrap intervals (`evaluate/bootstrap.ts`: Efron & Tibshirani 1993,
 * ch. 13). A label names one request, so only single-row requests join; multi-row requests are
 * counted apart.
 *
 * Classification: `accuracy` (share of predicted labels equal to the true one) and, for two classes
 * with probabilities logged, `roc_auc` of the positive class — the second `proba_<class>` output
 * (Keel orders the positive class second) — and `log_loss`. Regression: `rmse`, `mae`.
 */
import { Rng } from "../../core/index.js";
import { bootstrapIntervals, type Interval } from "../../evaluate/index.js";
import { rocAuc } from "../../metrics/index.js";
import type { LoggedFeedback, LoggedPrediction } from "../log/log-reader.js";

/** Live metrics from labelled requests (feedback), each with a bootstrap interval. */
export interface LivePerformance {
  /** Single-row requests with a label. */
  labelled: number;
  /** Single-row answered requests still without a label. */
  unlabelled: number;
  /** Answered requests of several rows (a label cannot name one of their rows). */
  multi_row: number;
  /** Labels that could not be read as the model's output (e.g. a class the model does not know). */
  unusable: number;
  task: "classification" | "regression" | null;
  /** Metric → value with its bootstrap interval (empty when nothing is labelled). */
  metrics: Record<string, Interval>;
}

/** Options of `livePerformance`: the bootstrap rounds, seed and level. */
export interface LivePerformanceOptions {
  /** Bootstrap resamples (default 1000). */
  rounds?: number;
  /** Seed of the resamples (default 0). */
  seed?: number;
  level?: number;
}

/** Labelled rows of answered single-row requests. */
interface Joined {
  predicted: unknown[];
  truth: unknown[];
  /** Positive-class probability per row (binary classifiers that logged probabilities). */
  score: number[] | null;
  classes: string[] | null;
}

function join(records: readonly LoggedPrediction[], labels: ReadonlyMap<string, LoggedFeedback>): Joined & Omit<LivePerformance, "task" | "metrics" | "labelled"> {
  const out: Joined = { predicted: [], truth: [], score: [], classes: null };
  let unlabelled = 0;
  let multi = 0;
  for (const r of records) {
    if (r.status !== 200 || r.role === "shadow" || !r.outputs?.prediction) continue;
    if (r.rows !== 1) {
      multi++;
      continue;
    }
    const f = labels.get(r.id);
    if (!f || f.label === null) {
      unlabelled++;
      continue;
    }
    const probaKeys = Object.keys(r.outputs).filter((k) => k.startsWith("proba_"));
    out.classes ??= probaKeys.length ? probaKeys.map((k) => k.slice(6)) : null;
    out.predicted.push(r.outputs.prediction[0]);
    out.truth.push(f.label);
    if (out.score && probaKeys.length === 2) out.score.push(Number(r.outputs[probaKeys[1]][0]));
    else out.score = null;
  }
  return { ...out, unlabelled, multi_row: multi, unusable: 0 };
}

/**
 * Metrics of the predictions in `records` whose request has a label in `labels`, with bootstrap intervals.
 * @example const perf = livePerformance(window.records, await reader.feedback({ model: "credit" }));
 */
export function livePerformance(records: readonly LoggedPrediction[], labels: ReadonlyMap<string, LoggedFeedback>, options: LivePerformanceOptions = {}): LivePerformance {
  const j = join(records, labels);
  const n = j.truth.length;
  const base = { labelled: n, unlabelled: j.unlabelled, multi_row: j.multi_row };
  if (n === 0) return { ...base, unusable: 0, task: null, metrics: {} };
  const boot = { rounds: options.rounds ?? 1000, rng: new Rng(options.seed ?? 0), level: options.level ?? 0.95 };
  const regression = typeof j.predicted[0] === "number";
  if (regression) {
    const p: number[] = [];
    const y: number[] = [];
    let unusable = 0;
    j.truth.forEach((t, i) => {
      const v = typeof t === "number" ? t : typeof t === "string" && t.trim() !== "" ? Number(t) : NaN;
      if (Number.isFinite(v) && typeof j.predicted[i] === "number") (p.push(j.predicted[i] as number), y.push(v));
      else unusable++;
    });
    if (p.length === 0) return { ...base, labelled: 0, unusable, task: "regression", metrics: {} };
    const metrics = bootstrapIntervals(
      p.length,
      (rows) => {
        let se = 0;
        let ae = 0;
        for (let k = 0; k < rows.length; k++) {
          const e = p[rows[k]] - y[rows[k]];
          se += e * e;
          ae += Math.abs(e);
        }
        return { rmse: Math.sqrt(se / rows.length), mae: ae / rows.length };
      },
      boot,
    );
    return { ...base, labelled: p.length, unusable, task: "regression", metrics };
  }
  const known = j.classes ? new Set(j.classes) : null;
  const correct: number[] = [];
  const positive: number[] = [];
  const score: number[] = [];
  let unusable = 0;
  j.truth.forEach((t, i) => {
    const label = String(t);
    if (known && !known.has(label)) {
      unusable++;
      return;
    }
    correct.push(String(j.predicted[i]) === label ? 1 : 0);
    if (j.score && j.classes) (positive.push(label === j.classes[1] ? 1 : 0), score.push(j.score[i]));
  });
  const m = correct.length;
  if (m === 0) return { ...base, labelled: 0, unusable, task: "classification", metrics: {} };
  const withScore = j.score !== null && j.classes !== null && j.classes.length === 2;
  const metrics = bootstrapIntervals(
    m,
    (rows) => {
      let c = 0;
      for (let k = 0; k < rows.length; k++) c += correct[rows[k]];
      const out: Record<string, number> = { accuracy: c / rows.length };
      if (withScore) {
        const y = new Float64Array(rows.length);
        const s = new Float64Array(rows.length);
        let pos = 0;
        let ll = 0;
        for (let k = 0; k < rows.length; k++) {
          y[k] = positive[rows[k]];
          s[k] = score[rows[k]];
          pos += y[k];
          const q = Math.min(Math.max(y[k] ? s[k] : 1 - s[k], 1e-15), 1);
          ll -= Math.log(q);
        }
        out.roc_auc = pos === 0 || pos === rows.length ? NaN : rocAuc(y, s);
        out.log_loss = ll / rows.length;
      }
      return out;
    },
    boot,
  );
  return { ...base, labelled: m, unusable, task: "classification", metrics };
}
