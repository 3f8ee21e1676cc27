/**
 * monitor/: watching a model's data after training — drift statistics (KS, χ², PSI,
 * Jensen–Shannon, Wasserstein) per column and per dataset, checked against SciPy; data quality at
 * inference; the reference profile stored with a model; the HTML drift report.
 */
export { ksTwoSample, KS_MAX_EXACT_N, type TestResult } from "./stats/ks-two-sample.js";
export { kolmogorovSf, smirnovSf } from "./stats/kolmogorov.js";
export { chiSquareTest, chiSquareSf } from "./stats/chi-square.js";
export { gammaQ, logGamma } from "./stats/gamma.js";
export { wassersteinSorted, wassersteinNormalized, populationStd } from "./drift/wasserstein.js";
export { decileEdges, binCounts, DRIFT_BINS } from "./drift/bins.js";
export { psi, PSI_FLOOR } from "./drift/psi.js";
export { jensenShannon } from "./drift/jensen-shannon.js";
export { sortFinite, type SortedValues } from "./drift/sorted-values.js";
export * from "./drift/choose-test.js";
export * from "./drift/column-drift.js";
export * from "./drift/drift-report.js";
export * from "./quality/data-quality.js";
export * from "./profile/reference-profile.js";
export { driftReportToHtml, MAX_CHART_CATEGORIES, type DriftHtmlOptions } from "./report/drift-html.js";
export * from "./profile/model-profile.js";
export * from "./log/log-reader.js";
export * from "./log/log-frame.js";
export * from "./log/log-monitor.js";
export * from "./performance/live-performance.js";
export * from "./store/monitoring-store.js";
export * from "./log/monitor-model.js";
export * from "./doctor/doctor.js";
export * from "./ab/ab-test.js";
export * from "./ab/ab-outcomes.js";
export * from "./alerts/alerts.js";
export * from "./retrain/index.js";
