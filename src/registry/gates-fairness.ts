/**
 * The fairness numbers the promotion gates bound, from Fairlearn's definitions (binary tasks),
 * over the groups of one protected column (`evaluate/subgroups.ts`' `groupsOf`: categories as
 * they are, numeric columns binned at quantiles):
 * - selection rate of a group: the share of its rows predicted positive;
 * - `demographic_parity_difference` = max − min selection rate over groups, `_ratio` = min / max;
 * - `equalized_odds_difference` = the larger of the TPR and FPR differences (max − min over groups),
 *   `_ratio` = the smaller of the TPR and FPR ratios (min / max).
 * Kept minimal on purpose: the full fairness report belongs to `evaluate/`; this is the one
 * function the gates need and should be joined with it.
 */
import { groupsOf } from "../evaluate/subgroups.js";
import type { Column } from "../data/column.js";

export interface GroupRates {
  n: number;
  selection_rate: number;
  /** NaN when the group holds no positive (TPR) or no negative (FPR) row. */
  tpr: number;
  fpr: number;
}

export interface FairnessNumbers {
  groups: Record<string, GroupRates>;
  demographic_parity_difference: number;
  demographic_parity_ratio: number;
  equalized_odds_difference: number;
  equalized_odds_ratio: number;
}

function spread(values: number[]): { difference: number; ratio: number } {
  const defined = values.filter((v) => !Number.isNaN(v));
  if (defined.length === 0) return { difference: NaN, ratio: NaN };
  const lo = Math.min(...defined);
  const hi = Math.max(...defined);
  return { difference: hi - lo, ratio: hi === 0 ? (lo === 0 ? NaN : 0) : lo / hi };
}

/**
 * Fairness numbers of binary predictions (`yTrue`, `yPred`: 1 positive, 0 negative) over the groups
 * of `sensitive`.
 *
 * @example
 * const f = fairnessNumbers(y, predicted, test.column("Marital"));
 * f.demographic_parity_ratio; // 0.83: the least-selected group is selected 83% as often as the most
 */
export function fairnessNumbers(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, sensitive: Column): FairnessNumbers {
  const { labels, group } = groupsOf(sensitive);
  const k = labels.length;
  const n = new Float64Array(k);
  const selected = new Float64Array(k);
  const pos = new Float64Array(k);
  const truePos = new Float64Array(k);
  const neg = new Float64Array(k);
  const falsePos = new Float64Array(k);
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    if (g < 0) continue;
    const p = yPred[i] === 1 ? 1 : 0;
    n[g]++;
    selected[g] += p;
    if (yTrue[i] === 1) {
      pos[g]++;
      truePos[g] += p;
    } else {
      neg[g]++;
      falsePos[g] += p;
    }
  }
  const groups: Record<string, GroupRates> = {};
  const present: number[] = [];
  labels.forEach((label, g) => {
    if (n[g] === 0) return;
    present.push(g);
    groups[label] = { n: n[g], selection_rate: selected[g] / n[g], tpr: pos[g] ? truePos[g] / pos[g] : NaN, fpr: neg[g] ? falsePos[g] / neg[g] : NaN };
  });
  const sr = spread(present.map((g) => selected[g] / n[g]));
  const tpr = spread(present.map((g) => (pos[g] ? truePos[g] / pos[g] : NaN)));
  const fpr = spread(present.map((g) => (neg[g] ? falsePos[g] / neg[g] : NaN)));
  return {
    groups,
    demographic_parity_difference: sr.difference,
    demographic_parity_ratio: sr.ratio,
    equalized_odds_difference: Math.max(tpr.difference, fpr.difference),
    equalized_odds_ratio: Math.min(tpr.ratio, fpr.ratio),
  };
}
