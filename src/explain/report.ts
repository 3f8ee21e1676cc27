/**
 * One explanation of a model on a file, as `keel explain` prints it (`--json`) and draws it
 * (`--out report.html`): SHAP values per input column in SHAP's own names (`values`,
 * `base_values`, `feature_names`, `data`, as `shap.Explanation` holds them), the global importance
 * as mean |SHAP|, and — when the file has the target — permutation importance, plus partial
 * dependence and ICE curves for chosen columns (by default the three with the largest mean |SHAP|).
 */
import { InvalidInputError, show } from "../core/index.js";
import { cellValue, type Frame } from "../data/index.js";
import type { Fitted } from "../estimator/index.js";
import { partialDependence, permutationImportance } from "./inspection.js";
import { type ExplainOptions, type ShapJson, explainAsync, toShapJson } from "./shap.js";

/** Options of `explainReport`. */
export interface ExplainReportOptions extends ExplainOptions {
  /** Permutation importance: the target column (default: the model's, when the data has it; null: skip). */
  target?: string | null;
  /** Permutation importance scorers (default: the estimator's `score`: accuracy or r2). */
  scoring?: readonly string[];
  nRepeats?: number;
  /** Partial dependence for these input columns (default: the 3 with the largest mean |SHAP|; [] for none). */
  pdpColumns?: readonly string[];
  gridResolution?: number;
  /** ICE curves kept per column (the first of the explained rows; default 50). */
  iceRows?: number;
  /** Worker threads for TreeSHAP (default: all available). */
  threads?: number;
}

/** What `keel explain` writes: SHAP values in SHAP's JSON shape, permutation importance and partial dependence. */
export interface ExplainReport extends ShapJson {
  /** The input values of the explained rows (rows × feature_names), as `shap.Explanation.data`. */
  data: (number | string | boolean | null)[][];
  /** Rows of the file. */
  file_rows: number;
  per_feature?: ShapJson & { sources: string[] };
  permutation_importance?: {
    target: string;
    columns: string[];
    n_repeats: number;
    seed: number;
    scores: Record<string, { baseline: number; importances_mean: number[]; importances_std: number[]; importances: number[][] }>;
  };
  partial_dependence?: {
    column: string;
    grid: (number | string)[];
    output_names: string[];
    /** outputs × grid */
    average: number[][];
    /** outputs × ICE rows × grid */
    individual: number[][][];
    /** Row numbers of the file of the ICE curves. */
    ice_rows: number[];
  }[];
}

function plainCell(v: ReturnType<typeof cellValue>): number | string | boolean | null {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

/**
 * Explain `model` on `data` (see the module comment): the library call behind `keel explain`.
 *
 * @example
 * const report = await explainReport(model, rows, { rows: [0, 1, 2], perFeature: true, nRepeats: 5 });
 * writeFileSync("explain.html", explainReportToHtml(report, { model: "models:/churn@champion", file: "rows.csv" }));
 */
export async function explainReport(model: Fitted, data: Frame, options: ExplainReportOptions = {}): Promise<ExplainReport> {
  const e = await explainAsync(model, data, options);
  const shap = toShapJson(e);
  const rowsData = Array.from(e.rows, (r) => shap.feature_names.map((c) => (data.has(c) ? plainCell(cellValue(data.column(c), r)) : null)));
  const report: ExplainReport = { ...shap, data: rowsData, file_rows: data.nRows };
  if (options.perFeature && e.byFeature) report.per_feature = { ...toShapJson(e, true), sources: [...e.byFeature.sources] };
  const modelTarget = (model.signature.output as { target?: string }).target;
  const target = options.target === null ? null : (options.target ?? (modelTarget && data.has(modelTarget) ? modelTarget : null));
  if (options.target && !data.has(options.target)) {
    throw new InvalidInputError(`target column ${show(options.target)} is not in the data; columns are ${show(data.names, 200)}`, { path: "target", expected: `one of ${data.names.join(", ")}`, received: options.target });
  }
  if (target) {
    const seed = options.seed ?? 0;
    const pi = permutationImportance(model, data, { target, scoring: options.scoring, nRepeats: options.nRepeats, seed });
    const scores: NonNullable<ExplainReport["permutation_importance"]>["scores"] = {};
    for (const [name, s] of Object.entries(pi.scores)) {
      scores[name] = {
        baseline: s.baseline,
        importances_mean: Array.from(s.mean),
        importances_std: Array.from(s.std),
        importances: pi.columns.map((_, c) => Array.from(s.importances.subarray(c * pi.nRepeats, (c + 1) * pi.nRepeats))),
      };
    }
    report.permutation_importance = { target, columns: pi.columns, n_repeats: pi.nRepeats, seed, scores };
  }
  const importance = shap.importance.map((v) => (Array.isArray(v) ? v.reduce((s, x) => s + x, 0) : v));
  const ranked = shap.feature_names.map((c, j) => ({ c, v: importance[j] })).sort((a, b) => b.v - a.v);
  const pdpColumns = options.pdpColumns ?? ranked.filter((x) => x.v > 0).slice(0, 3).map((x) => x.c);
  if (pdpColumns.length > 0) {
    const ice = Array.from(e.rows.subarray(0, options.iceRows ?? 50));
    report.partial_dependence = pdpColumns.map((column) => {
      const pd = partialDependence(model, data, column, { gridResolution: options.gridResolution, iceRows: ice });
      const G = pd.grid.length;
      const K = pd.outputNames.length;
      const R = ice.length;
      return {
        column,
        grid: pd.grid,
        output_names: pd.outputNames,
        average: Array.from({ length: K }, (_, k) => Array.from(pd.average.subarray(k * G, (k + 1) * G))),
        individual: Array.from({ length: K }, (_, k) => Array.from({ length: R }, (_, q) => Array.from(pd.individual.subarray((k * R + q) * G, (k * R + q + 1) * G)))),
        ice_rows: ice,
      };
    });
  }
  return report;
}
