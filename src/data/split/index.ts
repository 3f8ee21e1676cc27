/**
 * `data/split`: train/test splits as index arrays (holdout, k-fold, stratified, group,
 * time-ordered with a gap) and a duplicate check across two frames, since rows that straddle a
 * split leak the test set into training.
 */
export type { Split, LabelInput } from "./types.js";
export { holdout, type HoldoutOptions } from "./holdout.js";
export { kFold, type KFoldOptions } from "./kfold.js";
export { stratifiedKFold, type StratifiedKFoldOptions } from "./stratified-kfold.js";
export { groupKFold, type GroupKFoldOptions } from "./group-kfold.js";
export { groupHoldout, type GroupHoldoutOptions } from "./group-holdout.js";
export { timeSeriesSplit, type TimeSeriesSplitOptions } from "./time-series-split.js";
export { timeHoldout, type TimeHoldout, type TimeHoldoutOptions } from "./time-holdout.js";
export { encodeLabels, type EncodedLabels } from "./labels.js";
export {
  findDuplicates,
  type FindDuplicatesOptions,
  type NearDuplicateOptions,
  type DuplicatePair,
  type DuplicateSummary,
  type NearDuplicateSummary,
  type DuplicateReport,
} from "./find-duplicates.js";
export { chooseBanding, candidateProbability, type Banding } from "./minhash.js";
