/**
 * Loading the scikit-learn reference fixtures (test/fixtures/trees, written by make_reference.py)
 * as Keel frames: features x0, x1, ... (or the data set's names), target "y".
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Frame } from "../../../src/data/frame.js";

const DIR = fileURLToPath(new URL("../../fixtures/trees/", import.meta.url));

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(DIR + name, "utf8")) as T;
}

export type Task = "classification" | "regression";

export interface ExactCase {
  name: string;
  data: string;
  params: Record<string, unknown>;
  random_state: number;
  splitter_seed: number;
  task: Task;
  classes?: string[];
  predict: (string | number)[];
  proba?: number[];
  sample_weight: number[] | null;
  tree: {
    node_count: number;
    max_depth: number;
    n_leaves: number;
    feature: number[];
    threshold: number[];
    children_left: number[];
    children_right: number[];
    n_node_samples: number[];
    weighted_n_node_samples: number[];
    impurity: number[];
    feature_importances: number[];
  };
}

export interface Bundled {
  task: Task;
  feature_names: string[];
  X: number[][];
  y: number[];
  train: number[];
  test: number[];
}

/** A frame from rows of features (named x0.. unless `names`) and an optional target. */
export function frameOf(X: number[][], y?: ArrayLike<number>, task?: Task, names?: string[]): Frame {
  const p = X[0].length;
  const cols: Record<string, Float64Array | string[]> = {};
  for (let j = 0; j < p; j++) cols[names ? names[j] : `x${j}`] = Float64Array.from(X, (r) => r[j]);
  if (y) cols.y = task === "classification" ? Array.from(y, (v) => String(v)) : Float64Array.from(y);
  return Frame.fromColumns(cols);
}

let exactCache: { cases: ExactCase[]; data: Record<string, { train: { X: number[][]; y: number[] }; test: { X: number[][] } }> } | undefined;
let bundledCache: Record<string, Bundled> | undefined;

export function bundled(name: string): { train: Frame; test: Frame; yTest: number[]; task: Task } {
  bundledCache ??= readFixture<{ datasets: Record<string, Bundled> }>("bundled.json").datasets;
  const d = bundledCache[name];
  const pick = (idx: number[]) => idx.map((i) => d.X[i]);
  const yTr = d.train.map((i) => d.y[i]);
  return {
    train: frameOf(pick(d.train), yTr, d.task),
    test: frameOf(pick(d.test)),
    yTest: d.test.map((i) => d.y[i]),
    task: d.task,
  };
}

/** The exact-tree cases and, for each, its training and test frames. */
export function exactCases(): { c: ExactCase; train: Frame; test: Frame }[] {
  exactCache ??= readFixture("exact.json");
  const { cases, data } = exactCache!;
  return cases.map((c) => {
    if (data[c.data]) {
      const d = data[c.data];
      return { c, train: frameOf(d.train.X, d.train.y, c.task), test: frameOf(d.test.X) };
    }
    const b = bundled(c.data);
    return { c, train: b.train, test: b.test };
  });
}
