/**
 * Conformance cases for features/: every transformer kind, a column transformer, and pipelines
 * (transformers only, and ending in a real classifier / regressor from models/linear).
 */
import { Rng } from "../../../../src/core/rng.js";
import { Frame } from "../../../../src/data/frame.js";
import {
  autoPipeline,
  columns,
  dateParts,
  defaultPreprocessing,
  hashingEncoder,
  minMaxScaler,
  oneHot,
  ordinalEncoder,
  pipeline,
  robustScaler,
  simpleImputer,
  standardScaler,
  targetEncoder,
  toNumeric,
} from "../../../../src/features/index.js";
import { logistic, ridge } from "../../../../src/models/linear/index.js";
import type { EstimatorCase } from "../case.js";

const WORDS = ["red", "green", "blue", "fast", "slow", "café", "über", "x", "42"];
const CITIES = ["Paris", "Lyon", "Nice", "Lille", "Brest"];

/** 40 deterministic rows of every column kind, with missing values, and two targets. */
function mixedFrame(): Frame {
  const rng = new Rng(2024);
  const n = 40;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.normal();
    const city = CITIES[Math.min(4, Math.floor(rng.float() * rng.float() * 6))];
    rows.push({
      x,
      z: i % 7 === 3 ? null : Math.round(rng.float() * 1000) / 10,
      city: i % 11 === 5 ? null : city,
      flag: i % 9 === 2 ? null : rng.float() < 0.4,
      when: i % 13 === 6 ? null : new Date(Date.UTC(2020, 0, 1) + Math.floor(rng.float() * 1500) * 86_400_000 + Math.floor(rng.float() * 86_400) * 1000),
      note: i % 10 === 4 ? null : Array.from({ length: 1 + rng.int(4) }, () => WORDS[rng.int(WORDS.length)]).join(" "),
      label: x + (city === "Paris" ? 1 : 0) + 0.5 * rng.normal() > 0.3 ? "yes" : "no",
      amount: 3 * x + (city === "Nice" ? 2 : 0) + rng.normal(),
    });
  }
  return Frame.fromRows(rows, { kinds: { x: "numeric", z: "numeric", city: "categorical", flag: "boolean", when: "datetime", note: "text", label: "categorical", amount: "numeric" } });
}

/** Features and the binary target only. */
function classification(): Frame {
  return mixedFrame().drop(["amount"]);
}

/** Features and the continuous target only. */
function regression(): Frame {
  return mixedFrame().drop(["label"]);
}

function features(): Frame {
  return mixedFrame().drop(["label", "amount"]);
}

export const cases: EstimatorCase[] = [
  { name: "simple-imputer (mean)", spec: () => simpleImputer(), role: "transformer", data: features, badParams: [{ strategy: "avg" }, { addIndicator: "yes" }] },
  {
    name: "simple-imputer (most_frequent + indicator)",
    spec: () => simpleImputer({ strategy: "most_frequent", addIndicator: true }),
    role: "transformer",
    data: features,
    badParams: [{ fillValue: [1] }, { keepEmptyFeatures: 0 }],
  },
  { name: "simple-imputer (constant)", spec: () => simpleImputer({ strategy: "constant", columns: ["z", "city"] }), role: "transformer", data: features, badParams: [{ columns: "z" }] },
  { name: "standard-scaler", spec: () => standardScaler(), role: "transformer", data: features, badParams: [{ withMean: 1 }, { kinds: ["numbers"] }] },
  { name: "min-max-scaler", spec: () => minMaxScaler({ featureRange: [-1, 1] }), role: "transformer", data: features, badParams: [{ featureRange: "0-1" }, { featureRange: [1, 0] }] },
  { name: "robust-scaler", spec: () => robustScaler(), role: "transformer", data: features, badParams: [{ quantileRange: [75] }, { withScaling: "no" }] },
  { name: "one-hot (error on unknown)", spec: () => oneHot(), role: "transformer", data: features, badParams: [{ handleUnknown: "skip" }, { drop: "last" }] },
  {
    name: "one-hot (infrequent)",
    spec: () => oneHot({ handleUnknown: "infrequent_if_exist", minFrequency: 4, maxCategories: 3, columns: ["city", "flag"] }),
    role: "transformer",
    data: features,
    badParams: [{ minFrequency: -1 }, { maxCategories: 1.5 }],
  },
  { name: "ordinal-encoder", spec: () => ordinalEncoder({ handleUnknown: "use_encoded_value", unknownValue: -1 }), role: "transformer", data: features, badParams: [{ unknownValue: "x" }] },
  {
    name: "target-encoder (binary)",
    spec: () => targetEncoder(),
    role: "transformer",
    data: classification,
    target: "label",
    badParams: [{ smooth: "high" }, { cv: 1 }],
    random: true,
  },
  {
    name: "target-encoder (continuous, smooth 2)",
    spec: () => targetEncoder({ smooth: 2, columns: ["city", "flag"], cv: 3 }),
    role: "transformer",
    data: regression,
    target: "amount",
    badParams: [{ targetType: "ordinal" }],
    random: true,
  },
  { name: "date-parts", spec: () => dateParts({ parts: ["year", "dayofweek", "hour", "is_weekend"] }), role: "transformer", data: features, badParams: [{ parts: ["century"] }, { parts: [] }] },
  { name: "hashing-encoder", spec: () => hashingEncoder({ nFeatures: 8 }), role: "transformer", data: features, badParams: [{ nFeatures: 0 }, { norm: "l3" }] },
  { name: "to-numeric", spec: () => toNumeric(), role: "transformer", data: features, badParams: [{ columns: "flag" }] },
  {
    name: "column-transformer",
    spec: () => columns({ num: [{ kind: "numeric" }, simpleImputer(), standardScaler()], cat: [["city"], oneHot({ handleUnknown: "ignore" })], remainder: "passthrough" }),
    role: "transformer",
    data: features,
    badParams: [{ remainder: "keep" }, { branches: "all" }],
  },
  {
    name: "pipeline (transformers)",
    spec: () => pipeline(simpleImputer({ strategy: "median" }), standardScaler(), oneHot({ handleUnknown: "ignore" })),
    role: "transformer",
    data: features,
    badParams: [{ steps: [{ kind: "no-such-step" }] }, { steps: "scale" }],
  },
  { name: "default preprocessing", spec: () => defaultPreprocessing({ scale: true }), role: "transformer", data: features, badParams: [{ verboseNames: "yes" }] },
  {
    name: "pipeline-classifier (auto + logistic)",
    spec: () => autoPipeline(logistic()),
    role: "classifier",
    data: classification,
    target: "label",
    badParams: [{ steps: [{ kind: "logistic", params: { C: "big" } }] }],
  },
  {
    name: "pipeline-classifier (target encoder + logistic)",
    spec: () => pipeline(columns({ te: [["city"], targetEncoder({ cv: 3 })], num: [{ kind: "numeric" }, simpleImputer(), standardScaler()] }), logistic()),
    role: "classifier",
    data: classification,
    target: "label",
    badParams: [{ steps: [] }],
    random: true,
  },
  {
    name: "pipeline-regressor (auto + ridge)",
    spec: () => autoPipeline(ridge({ alpha: 0.5 })),
    role: "regressor",
    data: regression,
    target: "amount",
    badParams: [{ steps: [{ kind: "standard-scaler", params: {} }] }],
  },
];
