/**
 * What the k-NN classifier and regressor share: their parameters, the training matrix (a
 * row-major copy of the numeric features, which is the whole fitted state), and the query step.
 */
import { z } from "zod";
import { InvalidInputError } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { type ArtifactReader, type ParamSchema, type Signature, type FitOptions, type NumericFeatures, predictFeatures } from "../../estimator/index.js";
import { NeighborIndex, neighborWeights, type NeighborResult } from "./neighbors.js";

export const knnSchema: ParamSchema = {
  nNeighbors: z.int().min(1).default(5).describe("neighbours k"),
  weights: z.enum(["uniform", "distance"]).default("uniform").describe("vote weights: equal, or 1/distance"),
  metric: z.enum(["minkowski", "euclidean", "manhattan"]).default("minkowski").describe("distance"),
  p: z.number().min(1).default(2).describe("Minkowski power (2 = Euclidean, 1 = Manhattan)"),
};

/** The Minkowski power a parameter set means. */
export function metricPower(params: Readonly<Record<string, unknown>>): number {
  return params.metric === "euclidean" ? 2 : params.metric === "manhattan" ? 1 : (params.p as number);
}

/** The neighbour index over a training matrix of `d` columns. */
export function neighborIndex(train: Float64Array, d: number): NeighborIndex {
  return new NeighborIndex(train, d === 0 ? 0 : train.length / d, d);
}

/** Row-major copy of column-major features. */
export function rowMajor(X: NumericFeatures): Float64Array {
  const n = X.nRows;
  const d = X.columns.length;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const c = X.columns[j];
    for (let i = 0; i < n; i++) out[i * d + j] = c[i];
  }
  return out;
}

/**
 * The saved training matrix (rows × inputs, finite) and its row count, checked: k ≤ rows as at
 * fit time (a larger k would size the query buffers from the file, not from the data).
 */
export function knnTraining(r: ArtifactReader, k: number): { train: Float64Array; n: number } {
  const p = r.inputs().length;
  const train = r.finite("train", r.f64("train"));
  if (p === 0 || train.length % p !== 0 || train.length === 0) throw r.corrupt("buffers.train", `Float64Array(${train.length})`, `rows × ${p} inputs, at least one row`);
  const n = train.length / p;
  if (!(k <= n)) throw r.corrupt("params.nNeighbors", k, `at most ${n}, the training rows`);
  return { train, n };
}

/** Checks every k-NN fit shares: no sample weights, and k ≤ rows. */
export function checkKnnFit(kind: string, params: Readonly<Record<string, unknown>>, n: number, options: FitOptions): void {
  if (options.weights) {
    throw new InvalidInputError(`${kind}: k-nearest neighbours does not use sample weights (as scikit-learn); fit without weights`, { path: "weights", expected: "no sample weights" });
  }
  const k = params.nNeighbors as number;
  if (k > n) {
    throw new InvalidInputError(`${kind}: nNeighbors is ${k} but there are only ${n} training rows; use nNeighbors ≤ ${n}`, { path: `${kind}.nNeighbors`, expected: `≤ ${n}`, received: k });
  }
}

/** Neighbours and their weights for the rows of `data`. */
export function queryNeighbors(kind: string, signature: Signature, params: Readonly<Record<string, unknown>>, index: NeighborIndex, data: Frame): NeighborResult & { weights: Float64Array; k: number } {
  const target = (signature.output as { target: string }).target;
  const X = predictFeatures(signature.inputs, data, target, kind);
  const k = params.nNeighbors as number;
  const res = index.search(rowMajor(X), data.nRows, k, metricPower(params));
  return { ...res, weights: neighborWeights(res.distance, data.nRows, k, params.weights as "uniform" | "distance"), k };
}

