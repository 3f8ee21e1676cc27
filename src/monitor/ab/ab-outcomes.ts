/**
 * Per-request outcomes of two served versions from the prediction log and its delayed labels, for
 * `abTest`: for classifiers 1 when the predicted label equals the true one, else 0 (a rate: higher
 * is better); for regressors the absolute error (lower is better). A label names one request, so
 * only single-row requests count; shadow answers count for their version like live ones.
 */
import type { LoggedFeedback, LoggedPrediction } from "../log/log-reader.js";

/** One arm of an A/B test: the outcome per labelled request (1/0 correct, or the absolute error) and the request count. */
export interface ArmOutcomes {
  version: string;
  outcomes: number[];
  /** "correct" (classifiers) or "absolute_error" (regressors); null when nothing is labelled. */
  outcome: "correct" | "absolute_error" | null;
  /** Requests this version answered in the period. */
  requests: number;
}

/**
 * The labelled outcomes of `version`'s answered single-row requests.
 * @example
 * ```ts
 * const records = await reader.predictions({ model: "credit" });
 * const arm = armOutcomes(records, await reader.feedback({ model: "credit" }), "3");
 * ```
 */
export function armOutcomes(records: readonly LoggedPrediction[], labels: ReadonlyMap<string, LoggedFeedback>, version: string): ArmOutcomes {
  const out: ArmOutcomes = { version, outcomes: [], outcome: null, requests: 0 };
  for (const r of records) {
    if (r.version !== version || r.status !== 200) continue;
    out.requests++;
    const predicted = r.outputs?.prediction?.[0];
    const f = r.rows === 1 ? labels.get(r.id) : undefined;
    if (!f || f.label === null || predicted === undefined || predicted === null) continue;
    if (typeof predicted === "number") {
      const y = typeof f.label === "number" ? f.label : Number(f.label);
      if (!Number.isFinite(y)) continue;
      out.outcome = "absolute_error";
      out.outcomes.push(Math.abs(predicted - y));
    } else {
      out.outcome = "correct";
      out.outcomes.push(String(predicted) === String(f.label) ? 1 : 0);
    }
  }
  return out;
}
