/**
 * The promotion gates' settings as keel.yaml's `gates:` gives them, defaults filled in
 * (`project/config.ts`); kept apart from the evaluator (`gates.ts`) so reading keel.yaml loads no
 * evaluation code.
 */

export type FairnessMetric = "demographic_parity_difference" | "demographic_parity_ratio" | "equalized_odds_difference" | "equalized_odds_ratio";

/** keel.yaml's `gates:` with its defaults filled in (`project/config.ts`). */
export interface GatesConfig {
  /** Null: no comparison with the champion. */
  champion: { max_drop: number; alpha: number } | null;
  fairness: { metric: FairnessMetric; min: number | null; max: number | null; columns: string[] | null }[];
  latency: { p99_ms: number; tolerance: number; repeats: number; requests: number } | null;
  max_size_mb: number | null;
  robustness: { max_drop: number; noise: number; missing: number; unseen: number; out_of_range: number } | null;
  data_checks: boolean;
}

/** The gates with no `gates:` block: the bar, and no significant regression against the champion. */
export const DEFAULT_GATES: GatesConfig = { champion: { max_drop: 0, alpha: 0.05 }, fairness: [], latency: null, max_size_mb: null, robustness: null, data_checks: true };
