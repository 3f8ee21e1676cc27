/**
 * Step 3 of `keel run`: split off the test set and seal it. Random (optionally stratified) with
 * the configured seed, or time-ordered when `data.time` is set: the latest rows are the test set
 * and `split.gap` rows between training and test are left out, so nothing from the future leaks.
 * A duplicate check between train and test is reported.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import { type Frame } from "../../data/frame.js";
import { frameHash } from "../../data/frame-hash.js";
import { type DuplicateReport, findDuplicates, holdout } from "../../data/split/index.js";
import type { ProjectConfig } from "../../project/config.js";
import { SealedFrame } from "../sealed.js";

export interface SplitResult {
  train: Frame;
  test: SealedFrame;
  trainHash: string;
  description: string;
  duplicates: { exact: number; near: number | null; nearThreshold: number | null };
}

/** Rows at most this many for the near-duplicate check (above it, exact duplicates only). */
const NEAR_CHECK_MAX_ROWS = 200_000;

export function splitData(frame: Frame, config: ProjectConfig, classCodes: Int32Array | null): SplitResult {
  const { test: testSize, stratify, gap, seed } = config.split;
  let trainRows: Int32Array;
  let testRows: Int32Array;
  let description: string;
  if (config.data.time) {
    const time = config.data.time;
    const order = timeOrder(frame, time);
    const nTest = Math.max(1, Math.round(order.length * testSize));
    const g = gap ?? 0;
    const nTrain = order.length - nTest - g;
    if (nTrain < 10) {
      throw new InvalidInputError(`a time split with test ${testSize} and gap ${g} leaves ${Math.max(0, nTrain)} training rows`, { path: "split", expected: "at least 10 training rows", received: nTrain });
    }
    trainRows = order.subarray(0, nTrain);
    testRows = order.subarray(nTrain + g);
    description = `time-ordered by ${time}: first ${nTrain} rows train, last ${nTest} test${g ? `, ${g} rows between left out` : ""}`;
  } else {
    const s = holdout(frame.nRows, { testSize, stratify: stratify && classCodes ? classCodes : undefined, shuffle: true, rng: seed });
    trainRows = s.train;
    testRows = s.test;
    description = `random${stratify && classCodes ? ", stratified" : ""}, test ${testSize} (seed ${seed})`;
  }
  const train = frame.take(trainRows);
  const testFrame = frame.take(testRows);
  const dup = checkDuplicates(train, testFrame, config.problem.target);
  return { train, test: new SealedFrame(testFrame), trainHash: frameHash(train), description, duplicates: dup };
}

function checkDuplicates(train: Frame, test: Frame, target: string): SplitResult["duplicates"] {
  const columns = train.names.filter((n) => n !== target);
  if (columns.length === 0) return { exact: 0, near: null, nearThreshold: null };
  const near = train.nRows + test.nRows <= NEAR_CHECK_MAX_ROWS ? { threshold: 0.9 } : undefined;
  const r: DuplicateReport = findDuplicates(train, test, { columns, near, maxPairs: 100 });
  return { exact: r.exact.rowsB, near: r.near ? r.near.rowsB : null, nearThreshold: near ? near.threshold : null };
}

/** Row indices ordered by a datetime or numeric column (stable; missing times are an error). */
function timeOrder(frame: Frame, time: string): Int32Array {
  const col = frame.column(time);
  if (col.kind !== "datetime" && col.kind !== "numeric") {
    throw new InvalidInputError(`data.time column ${show(time)} is ${col.kind}; a time split needs a datetime or numeric column`, { path: "data.time", expected: "datetime or numeric", received: col.kind });
  }
  const v = col.values;
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) throw new InvalidInputError(`data.time column ${show(time)} is missing at row ${i}`, { path: "data.time", expected: "a time in every row", received: null });
  }
  const idx = Int32Array.from({ length: v.length }, (_, i) => i);
  return idx.sort((a, b) => v[a] - v[b] || a - b);
}
