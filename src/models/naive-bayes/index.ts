/** Naive Bayes classifiers: Gaussian (numeric features) and categorical. */
export { gaussianNb, type FittedGaussianNb } from "./gaussian-nb.js";
export { categoricalNb, type FittedCategoricalNb } from "./categorical-nb.js";
export { normaliseLogRows } from "./log-proba.js";
