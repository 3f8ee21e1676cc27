/**
 * features/: preprocessing as estimators (DESIGN "Core shapes"): each transformer is a spec whose
 * `fit` returns a fitted `Transformer`; `pipeline()` and `columns()` compose them (and a final
 * model) into one estimator that is fitted — and therefore cross-validated — as a whole, so no
 * statistic of a validation fold leaks into preprocessing. `FEATURE_ESTIMATORS` lists their
 * definitions for an entry point to register (`registerEstimators`); importing registers nothing.
 */
import type { EstimatorEntry } from "../estimator/index.js";
import { columnTransformer } from "./column-transformer.js";
import { dateParts } from "./date-parts.js";
import { hashingEncoder } from "./hashing.js";
import { simpleImputer } from "./imputers.js";
import { oneHot } from "./one-hot.js";
import { ordinalEncoder } from "./ordinal.js";
import { classifierPipeline, regressorPipeline, transformerPipeline } from "./pipeline.js";
import { minMaxScaler, robustScaler, standardScaler } from "./scalers.js";
import { targetEncoder } from "./target-encoder.js";
import { toNumeric } from "./to-numeric.js";

export { simpleImputer, type ImputeStrategy } from "./imputers.js";
export { standardScaler, minMaxScaler, robustScaler } from "./scalers.js";
export { oneHot, type HandleUnknown } from "./one-hot.js";
export { ordinalEncoder } from "./ordinal.js";
export { targetEncoder, fitEncoding, type TargetType } from "./target-encoder.js";
export { dateParts, DATE_PARTS, type DatePart } from "./date-parts.js";
export { hashingEncoder, tokenize } from "./hashing.js";
export { murmur3Bytes, murmur3String } from "./murmur3.js";
export { toNumeric } from "./to-numeric.js";
export { ColumnwiseTransformer } from "./columnwise.js";
export { columns, columnTransformer, ColumnTransformer, type BranchInput, type Selector } from "./column-transformer.js";
export {
  pipeline,
  transformerPipeline,
  classifierPipeline,
  regressorPipeline,
  TransformerPipeline,
  ClassifierPipeline,
  RegressorPipeline,
  type FittedPipeline,
  type StepInput,
} from "./pipeline.js";
export { defaultPreprocessing, autoPipeline, wantsScaling, type DefaultPreprocessingOptions } from "./default-preprocessing.js";
export { fitTransform, setTrainingOutput, type FitTransformResult } from "./training-output.js";
export { kFoldAssignment, stratifiedFoldAssignment } from "./cross-fit-folds.js";
export { featureSources, composeSources, type HasFeatureSources } from "./provenance.js";

/**
 * Every transformer kind of Keel and the composites (pipelines, column transformer), for `registerEstimators`.
 * @example
 * import { FEATURE_ESTIMATORS, MODEL_ESTIMATORS, registerEstimators } from "keel";
 * registerEstimators([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS]);
 */
export const FEATURE_ESTIMATORS: readonly EstimatorEntry[] = [
  simpleImputer,
  standardScaler,
  minMaxScaler,
  robustScaler,
  oneHot,
  ordinalEncoder,
  targetEncoder,
  dateParts,
  hashingEncoder,
  toNumeric,
  columnTransformer,
  transformerPipeline,
  classifierPipeline,
  regressorPipeline,
];
