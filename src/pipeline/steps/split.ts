/**
 * Step "split" of `keel run`: split off the test set and seal it. Random (optionally stratified) with
 * the configured seed; by group when `split.group` is set (no group on both sides); or
 * time-ordered when `data.time` is set: the latest rows are the test set, the cut falls between
 * two times (never through one), and `split.gap` (rows, or a duration such as 7d) between
 * training and test is left out, so nothing from the future leaks.
 * A duplicate check between train and test is reported. Cached by the data's content hash and
 * the split settings (the rows chosen are stored, not the frames).
 */
import { InvalidInputError, show } from "../../core/index.js";
import { type Frame, frameHash } from "../../data/index.js";
import type { DuplicateReport } from "../../data/split/index.js";
import type { ProjectConfig } from "../../project/index.js";
import type { CacheValue } from "../cache-value.js";
import { SealedFrame } from "../sealed.js";
import { step } from "../step.js";

export interface SplitResult {
  train: Frame;
  test: SealedFrame;
  trainHash: string;
  description: string;
  duplicates: { exact: number; near: number | null; nearThreshold: number | null };
  /** The rows of the input frame in each part. */
  rows: { train: Int32Array; test: Int32Array };
}

export interface SplitInputs {
  frame: Frame;
  /** The frame's content hash. */
  dataHash: string;
  config: ProjectConfig;
  /** Class codes of the target (classification), for a stratified split. */
  classCodes: Int32Array | null;
}

export const splitStep = step<SplitInputs, SplitResult>({
  name: "split",
  label: () => "split and seal the test set",
  key: ({ dataHash, config, classCodes }) => ({ data: dataHash, split: config.split, time: config.data.time, target: config.problem.target, positive: config.problem.positive, stratified: classCodes !== null }),
  run: ({ frame, config, classCodes }) => splitData(frame, config, classCodes),
  save: (s) => ({ rows: s.rows, trainHash: s.trainHash, testHash: s.test.hash, description: s.description, duplicates: s.duplicates }) as unknown as CacheValue,
  load(value, _dir, { frame }) {
    const v = value as unknown as Omit<SplitResult, "train" | "test"> & { testHash: string };
    const { testHash, ...rest } = v;
    return { ...rest, train: frame.take(v.rows.train), test: new SealedFrame(frame.take(v.rows.test), testHash) };
  },
  async track(s, run) {
    run.logMetrics({ train_rows: s.train.nRows, test_rows: s.test.nRows, test_exact_duplicates: s.duplicates.exact, ...(s.duplicates.near === null ? {} : { test_near_duplicates: s.duplicates.near }) });
    await run.setTags({ "keel.train_hash": s.trainHash, "keel.test_hash": s.test.hash, "keel.split": s.description });
  },
});

/** Rows at most this many for the near-duplicate check (above it, exact duplicates only). */
const NEAR_CHECK_MAX_ROWS = 200_000;

export async function splitData(frame: Frame, config: ProjectConfig, classCodes: Int32Array | null): Promise<SplitResult> {
  const { findDuplicates, groupHoldout, holdout, timeHoldout } = await import("../../data/split/index.js");
  const { test: testSize, stratify, gap, seed } = config.split;
  let trainRows: Int32Array;
  let testRows: Int32Array;
  let description: string;
  if (config.data.time) {
    const time = config.data.time;
    checkTimeColumn(frame, time);
    const s = timeHoldout(frame, { time, testSize, gap: gap ?? 0 });
    if (s.train.length < 10) {
      throw new InvalidInputError(`a time split with test ${testSize} and gap ${gap ?? 0} leaves ${s.train.length} training rows`, { path: "split", expected: "at least 10 training rows", received: s.train.length });
    }
    trainRows = s.train;
    testRows = s.test;
    description = `time-ordered by ${time}: first ${s.train.length} rows train, last ${s.test.length} test, cut between two times${s.left ? `, ${s.left} rows between left out (gap ${gap})` : ""}`;
  } else if (config.split.group) {
    const group = config.split.group;
    const s = groupHoldout(frame.column(group), { testSize, rng: seed });
    trainRows = s.train;
    testRows = s.test;
    description = `by group ${group}: test ${testSize} of the groups, none on both sides (seed ${seed})`;
  } else {
    const s = holdout(frame.nRows, { testSize, stratify: stratify && classCodes ? classCodes : undefined, shuffle: true, rng: seed });
    trainRows = s.train;
    testRows = s.test;
    description = `random${stratify && classCodes ? ", stratified" : ""}, test ${testSize} (seed ${seed})`;
  }
  const train = frame.take(trainRows);
  const testFrame = frame.take(testRows);
  // duplicates between train and test (near ones only below NEAR_CHECK_MAX_ROWS)
  const columns = train.names.filter((n) => n !== config.problem.target);
  const near = train.nRows + testFrame.nRows <= NEAR_CHECK_MAX_ROWS ? { threshold: 0.9 } : undefined;
  const r: DuplicateReport | null = columns.length === 0 ? null : findDuplicates(train, testFrame, { columns, near, maxPairs: 100 });
  const dup = r ? { exact: r.exact.rowsB, near: r.near ? r.near.rowsB : null, nearThreshold: near ? near.threshold : null } : { exact: 0, near: null, nearThreshold: null };
  return { train, test: new SealedFrame(testFrame), trainHash: frameHash(train), description, duplicates: dup, rows: { train: trainRows, test: testRows } };
}

/** The time column must be a datetime or a number, present in every row. */
function checkTimeColumn(frame: Frame, time: string): void {
  const col = frame.column(time);
  if (col.kind !== "datetime" && col.kind !== "numeric") {
    throw new InvalidInputError(`data.time column ${show(time)} is ${col.kind}; a time split needs a datetime or numeric column (declare its format under data.types if it is a date written as text)`, { path: "data.time", expected: "datetime or numeric", received: col.kind });
  }
  const v = col.values;
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) throw new InvalidInputError(`data.time column ${show(time)} is missing at row ${i}`, { path: "data.time", expected: "a time in every row", received: null });
  }
}
