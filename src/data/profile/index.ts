/**
 * `data/profile`: exploratory data analysis. `profile(frame, { target })` gives per-column
 * statistics, histograms and top values, correlations (Pearson, Spearman, Cramér's V), exact
 * duplicate rows, the target's balance, single-feature predictive power and warnings with stable
 * codes, as plain JSON; `profileToHtml(profile)` renders it as one self-contained HTML page.
 */
export { profile, leakStops, DEFAULT_THRESHOLDS, type ProfileOptions } from "./profile.js";
export { profileToHtml, escapeHtml, REPORT_CSS, type HtmlOptions } from "./html.js";
export { pearson, averageRanks, cramersV } from "./correlation.js";
export { moments } from "./numeric-summary.js";
export { weightedF1 } from "./predictive-power.js";
export type * from "./types.js";
