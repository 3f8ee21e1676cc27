/**
 * Two small estimators for the cross-validation tests, defined outside Keel's catalogue so the
 * tests also show how worker threads register foreign kinds (`workerImports`: the module's
 * `estimators` export).
 * - `cv-test-centroid`: nearest class centroid on the numeric features; probabilities are a
 *   softmax of minus squared distances. `jitter` moves each centroid by a random normal draw from
 *   the fit's generator, so results depend on the seed each fold receives; `delayMs` makes each
 *   fit take at least that long (to exercise the automatic choice of worker threads).
 * - `cv-test-line`: least-squares line on the single numeric feature `x`.
 */
import { z } from "zod";
import { Rng } from "../../../src/core/rng.js";
import type { CategoricalColumn } from "../../../src/data/column.js";
import type { Frame } from "../../../src/data/frame.js";
import { defineEstimator } from "../../../src/estimator/define.js";
import { alignInput, classTarget, modelSignature, numericTarget } from "../../../src/estimator/input.js";
import type { Classifier, ModelArtifact, Regressor, Signature, Spec } from "../../../src/estimator/types.js";

function features(data: Frame, target: string | undefined): string[] {
  return data.names.filter((n) => n !== target && data.kind(n) === "numeric");
}

class Centroid implements Classifier {
  readonly task = "classification" as const;
  constructor(readonly spec: Spec, readonly signature: Signature, readonly classes: readonly string[], readonly names: string[], readonly centres: Float64Array) {}
  private dist(data: Frame): Float64Array {
    const X = alignInput(this.signature.inputs, data, { ignore: [(this.signature.output as { target: string }).target] }).toMatrix({ columns: this.names });
    const K = this.classes.length;
    const p = this.names.length;
    const d = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += (X.data[i * p + j] - this.centres[k * p + j]) ** 2;
      d[i * K + k] = s;
    }
    return d;
  }
  predictProba(data: Frame): Float64Array {
    const d = this.dist(data);
    const K = this.classes.length;
    for (let i = 0; i < d.length / K; i++) {
      let min = Infinity;
      for (let k = 0; k < K; k++) min = Math.min(min, d[i * K + k]);
      let s = 0;
      for (let k = 0; k < K; k++) s += d[i * K + k] = Math.exp(-(d[i * K + k] - min));
      for (let k = 0; k < K; k++) d[i * K + k] /= s;
    }
    return d;
  }
  predict(data: Frame): CategoricalColumn {
    const p = this.predictProba(data);
    const K = this.classes.length;
    const codes = new Int32Array(p.length / K);
    for (let i = 0; i < codes.length; i++) for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + codes[i]]) codes[i] = k;
    return { kind: "categorical", codes, categories: this.classes };
  }
  save(): ModelArtifact {
    return { kind: this.spec.kind, params: { ...this.spec.params }, signature: this.signature, state: { classes: [...this.classes], names: this.names }, buffers: { centres: this.centres } };
  }
}

export const centroid = defineEstimator<Centroid>({
  kind: "cv-test-centroid",
  role: "classifier",
  doc: "nearest class centroid (test estimator)",
  needsTarget: true,
  schema: { jitter: z.number().min(0).default(0), delayMs: z.number().min(0).default(0) },
  async fit(params, data, options, spec) {
    if ((params.delayMs as number) > 0) await new Promise((r) => setTimeout(r, params.delayMs as number));
    const target = options.target!;
    const { classes, y } = classTarget(data, target);
    const names = features(data, target);
    const X = data.toMatrix({ columns: names });
    const K = classes.length;
    const p = names.length;
    const c = new Float64Array(K * p);
    const count = new Float64Array(K);
    for (let i = 0; i < X.rows; i++) {
      count[y[i]]++;
      for (let j = 0; j < p; j++) c[y[i] * p + j] += X.data[i * p + j];
    }
    const rng = options.rng ?? new Rng(0);
    for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) c[k * p + j] = c[k * p + j] / count[k] + (params.jitter as number) * rng.normal();
    return new Centroid(spec, modelSignature(data, target, "classification", classes), classes, names, c);
  },
  load(a, spec) {
    return new Centroid(spec, a.signature, a.state.classes as string[], a.state.names as string[], a.buffers.centres as Float64Array);
  },
});

class Line implements Regressor {
  readonly task = "regression" as const;
  constructor(readonly spec: Spec, readonly signature: Signature, readonly a: number, readonly b: number) {}
  predict(data: Frame): Float64Array {
    const x = data.toMatrix({ columns: ["x"] }).data;
    return x.map((v) => this.a + this.b * v);
  }
  save(): ModelArtifact {
    return { kind: this.spec.kind, params: {}, signature: this.signature, state: { a: this.a, b: this.b }, buffers: {} };
  }
}

export const line = defineEstimator<Line>({
  kind: "cv-test-line",
  role: "regressor",
  doc: "least-squares line on x (test estimator)",
  needsTarget: true,
  schema: {},
  async fit(_params, data, options, spec) {
    const y = numericTarget(data, options.target!);
    const x = data.toMatrix({ columns: ["x"] }).data;
    const n = y.length;
    let mx = 0, my = 0;
    for (let i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    let sxy = 0, sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
    }
    const b = sxx === 0 ? 0 : sxy / sxx;
    return new Line(spec, modelSignature(data, options.target!, "regression"), my - b * mx, b);
  },
  load(a, spec) {
    return new Line(spec, a.signature, a.state.a as number, a.state.b as number);
  },
});

/** The kinds a worker registers when this module is in `workerImports`. */
export const estimators = [centroid, line];
