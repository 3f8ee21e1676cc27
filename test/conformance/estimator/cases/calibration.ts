/**
 * Conformance cases for the calibration wrappers: calibrated-classifier (sigmoid and isotonic,
 * binary and 3-class, over a model and over a pipeline) and decision-threshold.
 */
import { Rng } from "../../../../src/core/rng.js";
import { categoricalFromValues } from "../../../../src/data/column.js";
import { Frame } from "../../../../src/data/frame.js";
import { pipeline, standardScaler } from "../../../../src/features/index.js";
import { calibratedClassifier, decisionThreshold } from "../../../../src/models/calibration/index.js";
import { gaussianNb, gbdtClassifier, logistic } from "../../../../src/models/index.js";
import type { EstimatorCase } from "../case.js";

/** Two numeric features and a 2- or 3-class label. */
function data(classes: 2 | 3): Frame {
  const rng = new Rng(15);
  const n = 90;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const label: string[] = [];
  for (let i = 0; i < n; i++) {
    a[i] = rng.normal();
    b[i] = rng.normal() * 3 + 1;
    const z = a[i] + 0.3 * b[i] + rng.normal();
    label.push(classes === 2 ? (z > 0.3 ? "yes" : "no") : z < -0.2 ? "low" : z < 1 ? "mid" : "high");
  }
  return Frame.fromColumns({ a, b, target: categoricalFromValues(label) });
}

const clf = (name: string, spec: EstimatorCase["spec"], badParams: Record<string, unknown>[], classes: 2 | 3 = 2): EstimatorCase => ({ name, spec, role: "classifier", data: () => data(classes), target: "target", badParams });

export const cases: EstimatorCase[] = [
  clf("calibrated-classifier (sigmoid, logistic)", () => calibratedClassifier({ base: logistic().toJSON() }), [{ method: "beta" }, { folds: 1 }, { base: { kind: "standard-scaler", params: {} } }, { base: "logistic" }]),
  clf("calibrated-classifier (isotonic, gaussian-nb, 3 classes)", () => calibratedClassifier({ base: gaussianNb().toJSON(), method: "isotonic", folds: 3 }), [{ folds: 2.5 }], 3),
  clf("calibrated-classifier (sigmoid, pipeline)", () => calibratedClassifier({ base: pipeline(standardScaler(), logistic()).toJSON(), folds: 4 }), [{ base: { kind: "no-such-model" } }]),
  clf("calibrated-classifier (isotonic, gbdt)", () => calibratedClassifier({ base: gbdtClassifier({ maxIter: 5, maxLeaves: 4, earlyStopping: false }).toJSON(), method: "isotonic" }), [{ method: 1 }]),
  clf("decision-threshold (logistic)", () => decisionThreshold({ base: logistic().toJSON(), threshold: 0.3 }), [{ threshold: 1.5 }, { threshold: "low" }, { base: null }]),
];
