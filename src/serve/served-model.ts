/**
 * One model version ready to answer: the fitted model, its compiled input schema, its outputs, and
 * the name and version it answers as. Loading warms it (a first prediction, so the first request
 * pays no lazy set-up) and probes, column by column, whether it predicts with a value missing —
 * that is what "the model takes no missing values here" means when requests are checked.
 */
import { isKeelError, show } from "../core/errors.js";
import type { CategoricalColumn } from "../data/column.js";
import type { Frame } from "../data/frame.js";
import { type Fitted, type SignatureColumn, type UnseenCategories, isClassifier, isRegressor, loadModel, predictFrame, savedModelHash } from "../estimator/index.js";
import "../features/index.js";
import "../models/index.js";
import { type Datatype, InputError, InputSchema } from "./input-schema.js";

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

export interface ServedModelInfo {
  /** The name requests address it by. */
  name: string;
  /** The registered version, or a short hash of the files for a folder. */
  version: string;
  /** Where it came from: the model reference as given. */
  source: string;
}

/** A loaded, warmed model version. */
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
    return m;
  }

  /** Load a model folder or archive. `version` defaults to the first 12 hex digits of the files' SHA-256. */
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

  /** Predict every row of `frame` (built by this model's schema), as `keel predict` does. */
  predict(frame: Frame): Prediction {
    const { frame: out, unseen } = predictFrame(this.fitted, frame);
    const n = out.nRows;
    if (this.classes) {
      const col = out.column("prediction") as CategoricalColumn;
      const proba = this.classes.map((c) => (out.column(`proba_${c}`) as { values: Float64Array }).values);
      return { nRows: n, labels: this.classes, codes: col.codes, values: null, proba, unseen };
    }
    return { nRows: n, labels: null, codes: null, values: (out.column("prediction") as { values: Float64Array }).values, proba: null, unseen };
  }

  /** The input columns as model metadata lists them. */
  get inputs(): readonly SignatureColumn[] {
    return this.fitted.signature.inputs;
  }
}
