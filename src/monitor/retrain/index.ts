/** The retraining loop's parts below `pipeline/`: the trigger check and the shadow phase's progress. */
export * from "./triggers.js";
export * from "./shadow.js";
