/**
 * One model version ready to answer: the fitted model, its compiled input schema, its outputs, and
 * the name and version it answers as. Loading warms it (a first prediction, so the first request
 * pays no lazy set-up) and probes, column by column, whether it predicts with a value missing —
 * that is what "the model takes no missing values here" means when requests are checked.
 */
import { isKeelError, show } from "../core/errors.js";
import type { CategoricalColumn } from "../data/column.js";
import type { Frame } from "../data/frame.js";
import { type Classifier, type Fitted, type Regressor, type SignatureColumn, type UnseenCategories, argmaxRows, isClassifier, isRegressor, loadModel, savedModelHash, unseenCategories } from "../estimator/index.js";
import { type Datatype, InputError, InputSchema } from "./input-schema.js";
import { compileRowPath, type RowPath } from "./row-path.js";

/** Classifier kinds whose `predict` is `argmaxRows(predictProba)` (first maximum), so one call gives both. */
const ARGMAX_IS_PREDICT = new Set(["gbdt-classifier", "forest-classifier", "tree-classifier", "knn-classifier"]);
const NO_UNSEEN: UnseenCategories[] = [];

/** An output tensor as model metadata lists it. */
export interface OutputSpec {
  name: string;
  datatype: Datatype;
}

/** What one prediction call returns, column-major. */
export interface Prediction {
  nRows: number;
  /** Labels (classifiers) or numbers (regressors). */
  labels: readonly string[] | null;
  codes: Int32Array | null;
  values: Float64Array | null;
  /** One column of probabilities per class, classifiers only. */
  proba: Float64Array[] | null;
  unseen: UnseenCategories[];
}

/** What a served model answers as: its name, version and source. */
export interface ServedModelInfo {
  /** The name requests address it by. */
  name: string;
  /** The registered version, or a short hash of the files for a folder. */
  version: string;
  /** Where it came from: the model reference as given. */
  source: string;
}

/**
 * A loaded, warmed model version.
 * @example
 * ```ts
 * const served = ServedModel.fromFitted(loadModel("credit-model"), { name: "credit", version: "local", source: "credit-model" });
 * ```
 */
export class ServedModel {
  readonly schema: InputSchema;
  readonly classes: readonly string[] | null;
  readonly outputs: OutputSpec[];
  readonly target: string | null;

  private constructor(
    readonly info: ServedModelInfo,
    readonly fitted: Fitted,
  ) {
    this.schema = new InputSchema(fitted.signature.inputs);
    this.classes = isClassifier(fitted) ? fitted.classes : null;
    this.outputs = this.classes ? [{ name: "prediction", datatype: "BYTES" }, ...this.classes.map((c) => ({ name: `proba_${c}`, datatype: "FP64" as const }))] : [{ name: "prediction", datatype: "FP64" }];
    const out = fitted.signature.output;
    this.target = out.type === "frame" ? null : out.target;
  }

  get name(): string {
    return this.info.name;
  }
  get version(): string {
    return this.info.version;
  }

  /**
   * Wrap a fitted model (its estimator kinds registered): check it predicts, warm it, probe missing values.
   * Throws INVALID_INPUT when it is a transformer.
   */
  static fromFitted(fitted: Fitted, info: ServedModelInfo): ServedModel {
    if (!isClassifier(fitted) && !isRegressor(fitted)) {
      throw new InputError(`model ${show(info.source)} is a ${fitted.spec.kind} transformer, not a classifier or regressor: nothing to serve`, null, { path: "model", expected: "a classifier or regressor", received: fitted.spec.kind });
    }
    const m = new ServedModel(info, fitted);
    m.warm();
    // only gradient-boosting classifiers whose label is the argmax of the probabilities: see predict
    if (!isClassifier(fitted) || ARGMAX_IS_PREDICT.has(m.parts.model.spec.kind)) {
      m.rowPath = compileRowPath(fitted, m.schema, (frame) => {
        const pr = m.predict(frame);
        if (!pr.proba) return pr.values!;
        const k = pr.proba.length;
        const out = new Float64Array(pr.nRows * k);
        for (let i = 0; i < pr.nRows; i++) for (let j = 0; j < k; j++) out[i * k + j] = pr.proba[j][i];
        return out;
      });
    }
    return m;
  }

  /**
   * Load a model folder or archive (its kinds registered: `loadEstimators()` first). `version`
   * defaults to the first 12 hex digits of the files' SHA-256.
   */
  static load(dir: string, info: { name: string; source: string; version?: string }): ServedModel {
    const fitted = loadModel(dir);
    return ServedModel.fromFitted(fitted, { name: info.name, source: info.source, version: info.version ?? savedModelHash(dir).slice(0, 12) });
  }

  /** A typical row (zeros, first categories), predicted a few times; then each column missing alone. */
  private warm(): void {
    const slots = this.schema.slots;
    const typical = (skip: number) => {
      const w = this.schema.writer(1);
      for (let j = 0; j < slots.length; j++) {
        w.present(j);
        const s = slots[j];
        w.set(j, 0, j === skip ? null : s.kind === "categorical" ? (s.categories[0] ?? "") : s.kind === "boolean" ? false : s.kind === "text" ? "" : 0);
      }
      return w.frame();
    };
    for (let k = 0; k < 20; k++) this.predict(typical(-1));
    for (let j = 0; j < slots.length; j++) {
      try {
        this.predict(typical(j));
      } catch (e) {
        if (!isKeelError(e)) throw e;
        slots[j].missingOk = false;
      }
    }
  }

  /**
   * Predict every row of `frame` (built by this model's schema): the same labels and numbers as
   * `keel predict` (`predictFrame`), with less work per request — a pipeline's preprocessing runs
   * once for labels and probabilities, and for the classifiers whose label *is* the first most
   * probable class (gradient boosting, forests, trees, k-NN: `argmaxRows` of `predictProba`) the model
   * runs once. Unseen categories are counted only when the request held some.
   *
   * `reuse`: a one-row frame on the compiled row path is answered in this model's own prediction
   * object, overwritten by the next such call — for a caller that is done with it (answered and
   * logged) before the next request.
   */
  predict(frame: Frame, reuse = false): Prediction {
    const { model, pipeline } = this.parts;
    const n = frame.nRows;
    // one row: the compiled path (row-path.ts) when the model has one, the same numbers without a frame per step
    const row = n === 1 ? this.rowPath : null;
    if (row !== null && reuse) return this.predictOne(row, frame);
    const X = row ? frame : pipeline ? pipeline.features(frame) : frame;
    const unseen = this.hasUnseen(frame) ? unseenCategories(this.fitted.signature.inputs, frame) : NO_UNSEEN;
    if (this.classes) {
      const clf = model as Classifier;
      const p = row ? row.scores(frame) : clf.predictProba(X);
      const k = this.classes.length;
      const codes = ARGMAX_IS_PREDICT.has(clf.spec.kind) ? argmaxRows(p, n, k) : clf.predict(X).codes;
      const proba: Float64Array[] = new Array(k);
      for (let j = 0; j < k; j++) {
        const col = new Float64Array(n);
        for (let i = 0; i < n; i++) col[i] = p[i * k + j];
        proba[j] = col;
      }
      return { nRows: n, labels: this.classes, codes, values: null, proba, unseen };
    }
    return { nRows: n, labels: null, codes: null, values: row ? row.scores(frame) : (model as Regressor).predict(X), proba: null, unseen };
  }

  /** One row on the compiled path, into the reused prediction (the label: the first most probable class, as `argmaxRows`). */
  private predictOne(row: RowPath, frame: Frame): Prediction {
    const out = (this.one ??= this.classes
      ? { nRows: 1, labels: this.classes, codes: new Int32Array(1), values: null, proba: this.classes.map(() => new Float64Array(1)), unseen: NO_UNSEEN }
      : { nRows: 1, labels: null, codes: null, values: new Float64Array(1), proba: null, unseen: NO_UNSEEN });
    out.unseen = this.hasUnseen(frame) ? unseenCategories(this.fitted.signature.inputs, frame) : NO_UNSEEN;
    const p = row.scores(frame);
    if (out.proba) {
      const proba = out.proba;
      let best = 0;
      let bv = p[0];
      proba[0][0] = bv;
      for (let j = 1; j < proba.length; j++) {
        const v = p[j];
        proba[j][0] = v;
        if (v > bv) {
          bv = v;
          best = j;
        }
      }
      out.codes![0] = best;
    } else out.values![0] = p[0];
    return out;
  }
  private one: Prediction | null = null;

  /** The single-row fast path (null: one-row requests take the frame path), compiled at load. */
  rowPath: RowPath | null = null;

  /** Whether one-row requests take the compiled single-row path. */
  get fastRow(): boolean {
    return this.rowPath !== null;
  }

  /** The final model, and the pipeline whose preprocessing feeds it (when the model is one); found once. */
  private get parts(): { model: Fitted; pipeline: { features(data: Frame): Frame } | null } {
    if (this.partsFound) return this.partsFound;
    const f = this.fitted as Fitted & { features?: (data: Frame) => Frame; model?: Fitted };
    return (this.partsFound = typeof f.features === "function" && f.model ? { model: f.model, pipeline: f as { features(data: Frame): Frame } } : { model: f, pipeline: null });
  }
  private partsFound: { model: Fitted; pipeline: { features(data: Frame): Frame } | null } | null = null;

  /** Whether a categorical column of `frame` holds a value unseen in training (its dictionary was extended). */
  private hasUnseen(frame: Frame): boolean {
    for (const s of this.schema.slots) {
      if (s.kind !== "categorical") continue;
      const c = frame.column(s.name) as CategoricalColumn;
      if (c.categories !== s.categories) return true;
    }
    return false;
  }

  /** The input columns as model metadata lists them. */
  get inputs(): readonly SignatureColumn[] {
    return this.fitted.signature.inputs;
  }
}
