/**
 * A holdout that keeps groups whole (scikit-learn's `GroupShuffleSplit` with one split): whole
 * groups — a customer, a patient, a session — go to the test set, so no group is on both sides
 * and the test score is one on unseen groups. As scikit-learn does, a fractional `testSize` is a
 * share of the *groups*, ⌈testSize · groups⌉ of them, drawn at random; rows follow their group.
 * A missing group label is an error naming its row.
 */
import { InvalidInputError, show, type Rng } from "../../core/index.js";
import { checkRowCount, rngOf } from "./checks.js";
import { partition } from "./folds.js";
import { encodeLabels } from "./labels.js";
import type { LabelInput, Split } from "./types.js";

/** Options of `groupHoldout`. */
export interface GroupHoldoutOptions {
  /** Share of the groups in (0, 1), or a count of groups, for the test set (default 0.25). */
  testSize?: number;
  /** Generator or seed (default seed 0). */
  rng?: Rng | number;
}

/**
 * Split rows into training and test sets by group; both index arrays ascending.
 *
 * @example groupHoldout(frame.column("customer"), { testSize: 0.2, rng: 42 })
 */
export function groupHoldout(groups: LabelInput, options: GroupHoldoutOptions = {}): Split {
  const enc = encodeLabels(groups, "groups", "sorted");
  const n = checkRowCount(enc.codes.length);
  const nGroups = enc.values.length;
  const testSize = options.testSize ?? 0.25;
  if (typeof testSize !== "number" || !Number.isFinite(testSize) || testSize <= 0 || (testSize >= 1 && !Number.isInteger(testSize))) {
    throw new InvalidInputError(`testSize must be a fraction in (0, 1) or a whole number of groups, got ${show(testSize)}`, { path: "testSize", expected: "a number in (0, 1) or an integer ≥ 1", received: testSize });
  }
  const nTest = testSize < 1 ? Math.ceil(testSize * nGroups) : testSize;
  if (nGroups < 2 || nTest >= nGroups) {
    throw new InvalidInputError(`a group split of ${nGroups} group${nGroups === 1 ? "" : "s"} with testSize ${show(testSize)} leaves no group for training`, {
      path: "groups",
      expected: "at least two groups, and fewer test groups than groups",
      received: nGroups,
    });
  }
  const picked = rngOf(options.rng).sampleWithoutReplacement(nGroups, nTest);
  const inTest = new Uint8Array(nGroups);
  for (let i = 0; i < nTest; i++) inTest[picked[i]] = 1;
  const mark = new Uint8Array(n);
  for (let i = 0; i < n; i++) mark[i] = inTest[enc.codes[i]];
  return partition(mark);
}
