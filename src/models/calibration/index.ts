/**
 * models/calibration: wrappers that change how a fitted classifier's output is read — probabilities
 * calibrated by cross-fitting (Platt's sigmoid, isotonic regression) and a decision threshold —
 * and the calibrators themselves.
 */
export { calibratedClassifier, fitCalibratedClassifier, calibrationScores, CalibratedClassifier, CALIBRATION_METHODS, type CalibrationMethod, type CalibrateOptions, type ScoreSource } from "./calibrated-classifier.js";
export { decisionThreshold, withDecisionThreshold, decisionThresholdOf, ThresholdClassifier } from "./decision-threshold.js";
export { fitSigmoid, sigmoidPredict, type SigmoidCalibrator } from "./sigmoid.js";
export { fitIsotonic, isotonicPredict, poolAdjacentViolators, type IsotonicCalibrator } from "./isotonic.js";
